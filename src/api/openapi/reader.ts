import { readableType } from '../resource';
import type { ApiAction, ApiCollection } from './navigation';
import { documentBudget, requestBodyOf, type TemplateBudget } from './request-body';
import { isObject, type Plain } from './plain';

/**
 * The navigation map of a server's own OpenAPI document (Service Provider Console, Backup & Replication): the same
 * rules the shipped maps were made by (GET operations without path parameters, grouped by their first tag; items where
 * `{path}/{param}` has a GET; sub-collections below an item with no other parameter; the other operations of an item
 * and of a collection's own path as actions, with the body each takes). Undefined when the document describes too
 * little to be an API's description.
 */

/** What a kind tells the reader. */
export interface OpenApiOptions {
  /** Paths that are not browsed (logon and token endpoints). */
  skipped?: RegExp;
  /** List the other operations (POST, PUT, PATCH, DELETE) of each item and collection as its actions. */
  actions?: boolean;
  /**
   * Paths start at the origin: a document whose `servers[0].url` has a path (`/api/v1`) and whose paths do not start
   * with it (`/jobs`) has them put under it. Without it, paths are taken as written (relative to the API's base).
   */
  pathsFromOrigin?: boolean;
}

/** Operations other than GET listed per item or collection, at most (real ones have a handful). */
const MAX_ACTIONS_PER_ITEM = 32;
const ACTION_METHODS = ['post', 'put', 'patch', 'delete'] as const;

/**
 * Paths a document may describe. VSPC's own document (revision 3.6 and 3.7) has about a thousand, of which some 300
 * are GET collections, items and sub-collections (the shipped map lists 176 collections); VBR's has fewer. Five times
 * that leaves room for growth, and a document past it is not an API description the tree should follow.
 */
export const MAX_OPENAPI_PATHS = 5000;

/** Bytes a document may have: revision 3.7's is 6.8 MB (11.9 MB as indented OpenAPI 3); 32 MB keeps room for growth. */
export const MAX_OPENAPI_BYTES = 32 * 1024 * 1024;

/** Characters of a path read from a document: real ones are under two hundred; longer ones are left out. */
const MAX_PATH_CHARS = 2048;

/** Characters of a label or group taken from a summary or tag. */
const MAX_LABEL_CHARS = 200;

/** `$ref` hops followed from one place: a chain longer than this is taken for a cycle. */
const MAX_REF_HOPS = 16;

/** What reading a server's OpenAPI document gave. */
export interface OpenApiReading {
  /** Its collections; undefined when it is no API description (or not JSON). */
  collections?: ApiCollection[];
  /** Its `info.version`. */
  revision?: string;
  /** Why the document was not read at all (over MAX_OPENAPI_BYTES or MAX_OPENAPI_PATHS), for the log. */
  refused?: string;
}

/**
 * Reads a server's OpenAPI document (the bytes as received) within the limits above. Never throws: a document that is
 * not JSON, not an object or of the wrong shape gives no collections. Linear in the document's size.
 */
export function readOpenApiDocument(body: Uint8Array, known: readonly ApiCollection[] = [], options: OpenApiOptions = {}): OpenApiReading {
  if (body.byteLength > MAX_OPENAPI_BYTES) {
    return { refused: `is ${body.byteLength.toLocaleString('en-US')} bytes, more than the ${MAX_OPENAPI_BYTES / (1024 * 1024)} MB this extension reads of an API document` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    return {};
  }
  if (isObject(doc) && isObject(doc.paths)) {
    const count = Object.keys(doc.paths).length;
    if (count > MAX_OPENAPI_PATHS) {
      return { refused: `describes ${count.toLocaleString('en-US')} paths, more than the ${MAX_OPENAPI_PATHS.toLocaleString('en-US')} this extension reads of an API document` };
    }
  }
  return { collections: collectionsFromOpenApi(doc, known, options), revision: openApiRevision(doc) };
}

/**
 * Collections of a document, or undefined when it has too few to be an API description. Linear in the number of
 * paths: items and sub-collections are found through maps keyed by their parent, not by searching every path for
 * every collection (which took 18 s for 40,000 paths). Local `$ref`s of path items, parameters and schemas are
 * followed, with cycles and dead ends taken as absent. The bodies of actions are made for the actions listed only,
 * within one budget for the whole document.
 */
export function collectionsFromOpenApi(doc: unknown, known: readonly ApiCollection[] = [], options: OpenApiOptions = {}): ApiCollection[] | undefined {
  if (!isObject(doc) || !isObject(doc.paths)) return undefined;
  const refs = new RefResolver(doc);
  const gets = new Map<string, Plain>();
  // Operations other than GET, by the path of the item they act on (`/jobs/{id}` for `/jobs/{id}/start` and itself),
  // or of the collection whose own path they are on (`/jobs`).
  const actionsOf = new Map<string, PendingAction[]>();
  const prefix = options.pathsFromOrigin ? serverPath(doc) : '';
  for (const [key, value] of Object.entries(doc.paths)) {
    if (!key.startsWith('/') || key.length > MAX_PATH_CHARS) continue;
    const ops = refs.resolve(value);
    if (!isObject(ops)) continue;
    const path = withoutTrailingSlashes(prefix && key !== prefix && !key.startsWith(`${prefix}/`) ? `${prefix}${key}` : key);
    for (const method of options.actions ? ACTION_METHODS : []) {
      const op = refs.resolve(ops[method]);
      if (isObject(op)) addAction(actionsOf, path, method.toUpperCase(), op);
    }
    const get = refs.resolve(ops.get);
    if (!isObject(get)) continue;
    gets.set(path, get);
  }
  // `{collection}/{param}` by collection (the first in the document), and what lies below each such item.
  const itemOf = new Map<string, string>();
  const below = new Map<string, [string, Plain][]>();
  for (const [path, op] of gets) {
    const slash = path.lastIndexOf('/');
    if (/^\{[^}/]+\}$/.test(path.slice(slash + 1)) && !itemOf.has(path.slice(0, slash))) itemOf.set(path.slice(0, slash), path);
    // A sub-collection: one parameter, a whole segment, with more path after it (`/a/{id}/b`): it belongs to `/a/{id}`.
    const open = path.indexOf('{');
    if (open < 0 || path.indexOf('{', open + 1) >= 0 || path.charCodeAt(open - 1) !== 0x2f) continue;
    const close = path.indexOf('}', open);
    if (close < 0 || path.charCodeAt(close + 1) !== 0x2f || path.lastIndexOf('/', close) !== open - 1) continue;
    const item = path.slice(0, close + 1);
    const list = below.get(item);
    if (list) list.push([path, op]);
    else below.set(item, [[path, op]]);
  }
  const byKnownPath = new Map(known.map((c) => [c.path, c]));
  const collections: ApiCollection[] = [];
  const withBodies = actionMaker(refs, doc);
  for (const [path, op] of gets) {
    if (path.includes('{') || options.skipped?.test(path) || path === '/') continue;
    const collection: ApiCollection = { path, label: labelOf(op, path), group: groupOf(op, path) };
    if (!isPaged(op, refs)) collection.singleton = true;
    const itemPath = itemOf.get(path);
    if (itemPath) {
      const param = itemPath.slice(path.length + 2, -1);
      const subCollections = (below.get(itemPath) ?? []).map(([p, subOp]) => ({ path: p, label: labelOf(subOp, p) }));
      collection.item = { param, nameProperties: byKnownPath.get(path)?.item?.nameProperties ?? ['name'], subCollections };
      const actions = actionsOf.get(itemPath);
      if (actions) collection.item.actions = actions.map(withBodies);
    }
    const own = actionsOf.get(path);
    if (own) collection.actions = own.map(withBodies);
    collections.push(collection);
  }
  return collections.length >= 3 ? collections : undefined;
}

/** An action found, its body not made yet (only the actions of collections and items listed get one). */
interface PendingAction {
  path: string;
  method: string;
  label: string;
  op: Plain;
}

/**
 * Files an operation other than GET under what it acts on: the item path itself (`PUT /jobs/{id}`), one segment below
 * it without another parameter (`POST /jobs/{id}/start`), or a path without parameters, a collection's own
 * (`POST /jobs`). Bounded per item and collection.
 */
function addAction(actionsOf: Map<string, PendingAction[]>, path: string, method: string, op: Plain): void {
  const last = path.lastIndexOf('/');
  const tail = path.slice(last + 1);
  const endsInParam = /^\{[^}/]+\}$/.test(tail);
  const item = endsInParam ? path : path.slice(0, last);
  // The item: exactly one parameter, as its last segment; or no parameter at all: the collection's own path.
  const open = item.indexOf('{');
  const onCollection = !path.includes('{');
  if (!onCollection && (open < 0 || item.indexOf('{', open + 1) >= 0 || !/\/\{[^}/]+\}$/.test(item) || (!endsInParam && tail.includes('{')))) return;
  const key = onCollection ? path : item;
  const list = actionsOf.get(key) ?? [];
  if (list.length >= MAX_ACTIONS_PER_ITEM) return;
  list.push({ path, method, label: labelOf(op, path, false), op });
  actionsOf.set(key, list);
}

/** Makes the listed actions of one document, each with the body it takes, within one budget for the document. */
function actionMaker(refs: RefResolver, doc: Plain): (pending: PendingAction) => ApiAction {
  const budget: TemplateBudget = documentBudget();
  const resolve = (value: unknown) => refs.resolve(value);
  return ({ path, method, label, op }) => {
    const body = requestBodyOf(op, resolve, doc, budget);
    return body ? { path, method, label, body } : { path, method, label };
  };
}

/** The path of the document's first server (`/api/v1` of `https://host:9419/api/v1` or of `/api/v1`), without a trailing slash. */
export function serverPath(doc: Plain): string {
  const first = Array.isArray(doc.servers) ? doc.servers[0] : undefined;
  const url = isObject(first) && typeof first.url === 'string' && first.url.length <= MAX_PATH_CHARS ? first.url : '';
  try {
    const path = new URL(url, 'https://server.invalid').pathname;
    return /^\/[\w./-]*$/.test(path) ? withoutTrailingSlashes(path).replace(/^\/$/, '') : '';
  } catch {
    return '';
  }
}

/** `/a/b//` → `/a/b`; `/` and `//` → `/`. A loop: `/\/+$/` is quadratic on a long run of slashes. */
function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return end === path.length ? path : path.slice(0, end) || '/';
}

/**
 * Follows local `$ref`s (`#/components/parameters/limit`) within one document. Each reference is resolved once; a chain
 * longer than MAX_REF_HOPS (a cycle), a reference outside the document or to nothing resolves to undefined.
 */
export class RefResolver {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly doc: Plain) {}

  resolve(value: unknown): unknown {
    for (let hops = 0; isObject(value) && typeof value.$ref === 'string'; hops++) {
      if (hops === MAX_REF_HOPS) return undefined;
      const ref = value.$ref;
      if (!this.cache.has(ref)) this.cache.set(ref, this.target(ref));
      value = this.cache.get(ref);
    }
    return value;
  }

  /** The value a JSON pointer names, one step (it may be a `$ref` itself). */
  private target(ref: string): unknown {
    if (!ref.startsWith('#/') || ref.length > MAX_PATH_CHARS) return undefined;
    let at: unknown = this.doc;
    for (const raw of ref.slice(2).split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      // Own properties only: `#/constructor` must not reach Object's.
      if (isObject(at) && Object.prototype.hasOwnProperty.call(at, key)) at = at[key];
      else if (Array.isArray(at) && /^\d+$/.test(key) && Number(key) < at.length) at = at[Number(key)];
      else return undefined;
    }
    return at;
  }
}

/** The revision the document states (`info.version`), if any and of a sensible length (it is shown beside the API). */
export function openApiRevision(doc: unknown): string | undefined {
  const version = isObject(doc) && isObject(doc.info) ? doc.info.version : undefined;
  return typeof version === 'string' && version.length <= MAX_LABEL_CHARS ? version : undefined;
}

function isPaged(op: Plain, refs: RefResolver): boolean {
  const params = Array.isArray(op.parameters) ? op.parameters : [];
  return (
    params.some((p) => {
      const param = refs.resolve(p);
      return isObject(param) && (param.name === 'limit' || param.name === 'offset' || param.name === 'skip');
    }) || op['x-veeam-pagination'] === true
  );
}

function groupOf(op: Plain, path: string): string {
  const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' && op.tags[0].trim() ? op.tags[0].slice(0, MAX_LABEL_CHARS) : undefined;
  return tag ?? readableType(path.split('/')[1] ?? 'General');
}

/** "Get All Companies" → "Companies" (an action's summary is kept: "Start Job"); without a summary, the path's last words. */
function labelOf(op: Plain, path: string, isGet = true): string {
  const summary = typeof op.summary === 'string' ? op.summary.slice(0, MAX_LABEL_CHARS).trim() : '';
  const fromSummary = (isGet ? summary.replace(/^(Get|Obtain|Retrieve)\s+(All\s+)?/i, '') : summary).replace(/\.$/, '').trim();
  if (fromSummary) return fromSummary.charAt(0).toUpperCase() + fromSummary.slice(1);
  const words = path.split('/').filter((s) => s && !s.startsWith('{'));
  return readableType(words.slice(-1)[0] ?? path);
}
