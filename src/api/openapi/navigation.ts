// The map of an API described by an OpenAPI document (Service Provider Console, Backup & Replication): its GET
// collections grouped for the tree, their items and sub-collections, and where a URL sits in it.
import type { ActionBody, Link, Resource } from '../resource';

/** An operation other than GET (`POST /jobs/{id}/start`): shown as an action link, never sent by browsing. */
export interface ApiAction {
  /** Relative to the navigation's base URL, with the item's parameter as the document writes it (`/jobs/{id}/start`). */
  path: string;
  /** `POST`, `PUT`, `PATCH` or `DELETE`. */
  method: string;
  label: string;
  /** The body it takes, when the document declares one (a prefilled template and what it must hold). */
  body?: ActionBody;
}

/** One GET collection without path parameters, grouped for the tree. */
export interface ApiCollection {
  /** Relative to the navigation's base URL, e.g. `/organizations/companies` (VSPC) or `/api/v1/jobs` (VBR). */
  path: string;
  /** Readable, short, unique within its group. */
  label: string;
  /** Top-level grouping (by the document's tags). */
  group: string;
  /** Present when `GET {path}/{param}` exists. */
  item?: {
    /** The document's name of the path parameter, e.g. `companyUid`. */
    param: string;
    /** Properties to label items by, in order of preference. */
    nameProperties: string[];
    /** GET collections under one item with no other path parameter. */
    subCollections: Array<{ path: string; label: string }>;
    /** Operations other than GET on one item (`POST /jobs/{id}/start`): shown as actions, never sent by browsing. */
    actions?: ApiAction[];
  };
  /** Operations other than GET on the collection's own path (`POST /organizations/companies`): actions of its first page. */
  actions?: ApiAction[];
  /** True when the path returns one object, not a list. */
  singleton?: boolean;
}

/** What differs between the APIs that share this map: their names for things and how they page. */
export interface NavigationStyle {
  /** The root's name ("Service Provider Console REST API"); the revision follows it. */
  readonly title: string;
  /** Prefix of the resource types (`Vspc` → `VspcCollection`, `VspcItem`, `VspcObject`, `VspcRoot`). */
  readonly typePrefix: string;
  /** Properties that address an item, tried before the path parameter's name (`instanceUid`, `id`). */
  readonly idKeys: readonly string[];
  /** Properties to label an item by when its collection names none, best first. */
  readonly fallbackNames: readonly string[];
  /** The query parameter of a page's first item (`offset`, `skip`); the page size is `limit` in both. */
  readonly offsetParam: string;
  /** Paths of the document that are not browsed (logon and token endpoints). */
  readonly skipped: RegExp;
  /** Show the other operations (POST, PUT, DELETE) of items and collections from the document as action links. */
  readonly actions: boolean;
  /** The map's paths start at the origin (`/api/v1/jobs`), whatever path the document's server names. */
  readonly pathsFromOrigin: boolean;
}

/** Where a URL sits in the navigation map. */
export type ApiPlace =
  | { kind: 'collection'; collection: ApiCollection }
  | { kind: 'item'; collection: ApiCollection; uid: string }
  | { kind: 'subCollection'; collection: ApiCollection; label: string; uid: string };

/** The map of one server's API: the shipped one by default. */
export class ApiNavigation {
  private readonly byPath = new Map<string, ApiCollection>();
  private readonly subPatterns: Array<{ regex: RegExp; collection: ApiCollection; label: string }> = [];

  constructor(
    readonly collections: readonly ApiCollection[],
    readonly revision: string,
    readonly style: NavigationStyle,
  ) {
    for (const c of collections) {
      this.byPath.set(c.path, c);
      for (const sub of c.item?.subCollections ?? []) {
        const pattern = sub.path.split(/\{[^}]+\}/).map(escapeRegex).join('([^/]+)');
        this.subPatterns.push({ regex: new RegExp(`^${pattern}$`), collection: c, label: sub.label });
      }
    }
  }

  /** Where an API-relative path (`/organizations/companies/123`) belongs, if the map knows it. */
  place(path: string): ApiPlace | undefined {
    const clean = path.replace(/\/+$/, '') || '/';
    const collection = this.byPath.get(clean);
    if (collection) return { kind: 'collection', collection };
    const slash = clean.lastIndexOf('/');
    const parent = this.byPath.get(clean.slice(0, slash));
    if (parent?.item) return { kind: 'item', collection: parent, uid: decodeURIComponent(clean.slice(slash + 1)) };
    for (const { regex, collection, label } of this.subPatterns) {
      const m = regex.exec(clean);
      if (m) return { kind: 'subCollection', collection, label, uid: decodeURIComponent(m[1]) };
    }
    return undefined;
  }

  /** The names to label an item by, best first. */
  nameProperties(place: ApiPlace | undefined): string[] {
    const own = place?.kind === 'subCollection' ? [] : (place?.collection.item?.nameProperties ?? []);
    return [...own, ...this.style.fallbackNames.filter((p) => !own.includes(p))];
  }

  /** The navigation root: one Down link per collection, filed under its group. */
  root(baseUrl: string): Resource {
    const links: Link[] = this.collections.map((c) => ({
      rel: 'Down',
      href: apiUrl(baseUrl, c.path),
      name: c.label,
      type: `${this.style.typePrefix}${c.singleton ? 'Object' : 'Collection'}`,
      group: c.group,
      inferred: true,
      filterable: !c.singleton || undefined,
    }));
    return {
      href: baseUrl,
      type: `${this.style.typePrefix}Root`,
      name: `${this.style.title} ${this.revision}`,
      links,
      fields: [],
      children: [],
    };
  }
}

/** `https://h:1280/api/v3/` + `/about` → `https://h:1280/api/v3/about`; `https://h:9419` + `/api/v1/jobs` → `…/api/v1/jobs`. */
export function apiUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/** The API-relative path of a URL under the base (`/api/v3`), or undefined when it is outside. */
export function apiPath(baseUrl: string, url: string): string | undefined {
  const base = pathnameOf(baseUrl).replace(/\/+$/, '');
  const path = pathnameOf(url);
  if (path === base || path === `${base}/`) return '/';
  return path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
}

/** Printable ASCII after http(s)://host: what the URL parser would give back as it is (for the path, up to `?` or `#`). */
const PLAIN_URL = /^https?:\/\/[^/?#\\%\s]+(\/[!$&'()*+,\-./0-9:;=@A-Z_a-z~]*)?(?:[?#][!-~]*)?$/;

/** A URL's path, without parsing the whole URL when it is written plainly (every body of a walk asks this). */
function pathnameOf(url: string): string {
  const plain = PLAIN_URL.exec(url);
  if (plain && !/\/\.\.?(?:\/|$)/.test(plain[1] ?? '')) return plain[1] || '/';
  return new URL(url).pathname;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
