/** A hypermedia link as both APIs describe it (EM `Link` elements; VSPC navigation we derive). */
export interface Link {
  /** Relation: Up, Down, Alternate, Create, Delete, Start, Next, ... */
  rel: string;
  /** Absolute URL (resolved against the response URL). */
  href: string;
  type?: string;
  name?: string;
  /** The method an action link is sent with, when the API says (an OpenAPI operation's); never sent by browsing. */
  method?: string;
  /** The body an action is sent with, when it takes one (from the OpenAPI operation, or EM's documented specs). */
  body?: ActionBody;
  /** A heading to file the link under in the tree (VSPC: the API area, e.g. "Organizations"). */
  group?: string;
  /**
   * The client made this link from its map of the API (VSPC collections and sub-collections), the server did not
   * send it: a 404 there means "this server's API revision does not have it", not a broken link.
   */
  inferred?: boolean;
  /**
   * A collection the server pages and filters by name (VSPC's `filter`): the tree shows it with Load more and
   * Filter by Name.
   */
  filterable?: boolean;
}

/** The body an action takes: a prefilled document the user edits, and what it must hold before it is sent. */
export interface ActionBody {
  /** `application/json` or `application/xml`. */
  contentType: string;
  /** False when the operation may be sent without a body (the document still opens; an empty one is sent as none). */
  required: boolean;
  /** The prefilled document (required fields with example values), pretty-printed. */
  template: string;
  /** The schema's name (`JobStartSpec`, EM's `JobCloneSpec`), for titles and messages. */
  schemaName?: string;
  /** Paths that must be present: JSON members (`a.b`), or XML elements below the root (`BackupJobCloneInfo/JobName`). */
  requiredPaths: string[];
  /** XML only: the root element the document must have. */
  rootElement?: string;
}

/** A named value of a resource; nested objects and arrays have `children` instead of a `value`. */
export interface Field {
  name: string;
  value?: string;
  children?: Field[];
}

/** Paging of a list response (EM query PagingInfo, VSPC meta.pagingInfo). */
export interface Paging {
  /** EM: 1-based page number; VSPC: offset of the first item. */
  page?: number;
  pageSize?: number;
  pagesCount?: number;
  total?: number;
  count?: number;
  offset?: number;
  next?: string;
  previous?: string;
  first?: string;
  last?: string;
}

/** One resource as both APIs' parsers produce it: what the tree renders. */
export interface Resource {
  /** Absolute URL of the resource, when it has one. */
  href?: string;
  /** Veeam type, e.g. `JobReference`, `Job`, `LogonSession`, `EntityReferences`. */
  type?: string;
  /** The XML element or JSON key the resource came from, e.g. `Ref`, `Job`. */
  element?: string;
  name?: string;
  uid?: string;
  links: Link[];
  fields: Field[];
  /** Child references and entities (each addressable by its own href). */
  children: Resource[];
  paging?: Paging;
}

export const NAVIGABLE_RELS = new Set(['Down', 'Alternate']);

/** True for a link that only reads: browsing or walking may follow it. Actions (POST targets) never are. */
export function isNavigable(link: Link): boolean {
  return NAVIGABLE_RELS.has(link.rel) && !isActionHref(link.href);
}

/** C0 and C1 controls and DEL: an href holding one is no link (the URL parser would silently drop or encode them). */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

/** What an href is to a client: the normalised absolute http(s) URL to follow, or why it is not followed. */
export function readHref(href: string): { url: string } | { refused: 'control' } | { refused: 'relative' } | { refused: 'scheme'; scheme: string } {
  if (CONTROL_CHARACTER.test(href)) return { refused: 'control' };
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return { refused: 'relative' };
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? { url: url.href } : { refused: 'scheme', scheme: url.protocol };
}

/** The URL to follow for an href (see readHref), or undefined when it is not followed. */
export function followableUrl(href: string): string | undefined {
  const read = readHref(href);
  return 'url' in read ? read.url : undefined;
}

/** True when the URL is an EM action (`?action=start`). */
export function isActionHref(href: string): boolean {
  try {
    return new URL(href).searchParams.has('action');
  } catch {
    return false;
  }
}

/** `JobReferenceList` → `Job Reference List`, `backupServers` → `Backup Servers`. */
export function readableType(type: string): string {
  const words = type
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    // A lookahead, not `([A-Z]+)([A-Z][a-z])`: that backtracks quadratically over a long run of capitals.
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .replace(/[_-]+/g, ' ')
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
