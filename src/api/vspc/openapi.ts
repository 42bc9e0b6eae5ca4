import { readableType } from '../resource';
import type { VspcCollection } from './navigation-map';

/**
 * The navigation map of a server's own OpenAPI document: the same rules the shipped map was made by (GET operations
 * without path parameters, grouped by their first tag; items where `{path}/{param}` has a GET; sub-collections below
 * an item with no other parameter). Undefined when the document is not a VSPC v3 description.
 */

/** Where servers publish their document, tried in order at logon (relative to the origin). */
export const OPENAPI_DOCUMENT_PATHS = ['/api/swagger/v3/swagger.json', '/api/v3/swagger.json'];

const SKIPPED = /^\/(authentication|token)(\/|$)/i;

type Plain = Record<string, unknown>;

function isObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collections of a document, or undefined when it has too few to be a VSPC API description. */
export function collectionsFromOpenApi(doc: unknown, known: readonly VspcCollection[] = []): VspcCollection[] | undefined {
  if (!isObject(doc) || !isObject(doc.paths)) return undefined;
  const paths = doc.paths;
  const gets = new Map<string, Plain>();
  for (const [path, ops] of Object.entries(paths)) {
    if (!path.startsWith('/') || !isObject(ops) || !isObject(ops.get)) continue;
    gets.set(path.replace(/\/+$/, '') || '/', ops.get);
  }
  const byKnownPath = new Map(known.map((c) => [c.path, c]));
  const collections: VspcCollection[] = [];
  for (const [path, op] of gets) {
    if (path.includes('{') || SKIPPED.test(path) || path === '/') continue;
    const itemPath = [...gets.keys()].find((p) => p.startsWith(`${path}/{`) && /^\{[^}/]+\}$/.test(p.slice(path.length + 1)));
    const collection: VspcCollection = { path, label: labelOf(op, path), group: groupOf(op, path) };
    if (!isPaged(op)) collection.singleton = true;
    if (itemPath) {
      const param = itemPath.slice(path.length + 2, -1);
      const subCollections = [...gets.entries()]
        .filter(([p]) => p.startsWith(`${itemPath}/`) && (p.match(/\{/g) ?? []).length === 1)
        .map(([p, subOp]) => ({ path: p, label: labelOf(subOp, p) }));
      collection.item = { param, nameProperties: byKnownPath.get(path)?.item?.nameProperties ?? ['name'], subCollections };
    }
    collections.push(collection);
  }
  return collections.length >= 3 ? collections : undefined;
}

/** The revision the document states (`info.version`), if any. */
export function openApiRevision(doc: unknown): string | undefined {
  return isObject(doc) && isObject(doc.info) && typeof doc.info.version === 'string' ? doc.info.version : undefined;
}

function isPaged(op: Plain): boolean {
  const params = Array.isArray(op.parameters) ? op.parameters : [];
  return params.some((p) => isObject(p) && (p.name === 'limit' || p.name === 'offset')) || op['x-veeam-pagination'] === true;
}

function groupOf(op: Plain, path: string): string {
  const tag = Array.isArray(op.tags) && typeof op.tags[0] === 'string' ? op.tags[0] : undefined;
  return tag ?? readableType(path.split('/')[1] ?? 'General');
}

/** "Get All Companies" → "Companies"; without a summary, the path's last words. */
function labelOf(op: Plain, path: string): string {
  const summary = typeof op.summary === 'string' ? op.summary.trim() : '';
  const fromSummary = summary.replace(/^(Get|Obtain|Retrieve)\s+(All\s+)?/i, '').replace(/\.$/, '').trim();
  if (fromSummary) return fromSummary.charAt(0).toUpperCase() + fromSummary.slice(1);
  const words = path.split('/').filter((s) => s && !s.startsWith('{'));
  return readableType(words.slice(-1)[0] ?? path);
}
