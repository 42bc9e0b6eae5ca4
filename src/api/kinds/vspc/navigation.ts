import type { Link, Resource } from '../../resource';
import { VSPC_API_REVISION, VSPC_COLLECTIONS, type VspcCollection } from './navigation-map';

/** Where a VSPC URL sits in the navigation map. */
export type VspcPlace =
  | { kind: 'collection'; collection: VspcCollection }
  | { kind: 'item'; collection: VspcCollection; uid: string }
  | { kind: 'subCollection'; collection: VspcCollection; label: string; uid: string };

const FALLBACK_NAME_PROPERTIES = ['name', 'companyName', 'displayName', 'hostName', 'vmName', 'userName', 'login', 'title', 'instanceUid'];

/** The map of one server's API: the shipped one by default. */
export class VspcNavigation {
  private readonly byPath = new Map<string, VspcCollection>();
  private readonly subPatterns: Array<{ regex: RegExp; collection: VspcCollection; label: string }> = [];

  constructor(readonly collections: readonly VspcCollection[] = VSPC_COLLECTIONS, readonly revision = VSPC_API_REVISION) {
    for (const c of collections) {
      this.byPath.set(c.path, c);
      for (const sub of c.item?.subCollections ?? []) {
        const pattern = sub.path.split(/\{[^}]+\}/).map(escapeRegex).join('([^/]+)');
        this.subPatterns.push({ regex: new RegExp(`^${pattern}$`), collection: c, label: sub.label });
      }
    }
  }

  /** Where an API-relative path (`/organizations/companies/123`) belongs, if the map knows it. */
  place(path: string): VspcPlace | undefined {
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
  nameProperties(place: VspcPlace | undefined): string[] {
    const own = place?.kind === 'subCollection' ? [] : (place?.collection.item?.nameProperties ?? []);
    return [...own, ...FALLBACK_NAME_PROPERTIES.filter((p) => !own.includes(p))];
  }

  /** The navigation root: one Down link per collection, filed under its group. */
  root(baseUrl: string): Resource {
    const links: Link[] = this.collections.map((c) => ({
      rel: 'Down',
      href: apiUrl(baseUrl, c.path),
      name: c.label,
      type: c.singleton ? 'VspcObject' : 'VspcCollection',
      group: c.group,
      inferred: true,
      filterable: !c.singleton || undefined,
    }));
    return {
      href: baseUrl,
      type: 'VspcRoot',
      name: `Service Provider Console REST API ${this.revision}`,
      links,
      fields: [],
      children: [],
    };
  }
}

/** `https://h:1280/api/v3/` + `/about` → `https://h:1280/api/v3/about`. */
export function apiUrl(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

/** The API-relative path of a URL under the base (`/api/v3`), or undefined when it is outside. */
export function apiPath(baseUrl: string, url: string): string | undefined {
  const base = new URL(baseUrl).pathname.replace(/\/+$/, '');
  const path = new URL(url).pathname;
  if (path === base || path === `${base}/`) return '/';
  return path.startsWith(`${base}/`) ? path.slice(base.length) : undefined;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
