import { ApiNavigation } from '../../openapi/navigation';
import { VSPC_API_REVISION, VSPC_COLLECTIONS, VSPC_STYLE } from './navigation-map';

/** Name filters on VSPC collections, done by the server (`filter=[{"property","operation":"contains",…}]`). */

let shared: ApiNavigation | undefined;

function apiRelative(url: URL): string | undefined {
  const at = url.pathname.indexOf('/api/v3/');
  return at >= 0 ? url.pathname.slice(at + '/api/v3'.length) : undefined;
}

/** The property a collection is filtered by name on (its first name property, `name` when unknown). */
export function nameFilterProperty(href: string, navigation: ApiNavigation = (shared ??= new ApiNavigation(VSPC_COLLECTIONS, VSPC_API_REVISION, VSPC_STYLE))): string {
  const path = apiRelative(new URL(href));
  const place = path ? navigation.place(path) : undefined;
  return navigation.nameProperties(place).find((p) => p !== 'instanceUid') ?? 'name';
}

/** The collection URL filtered to names containing `text` (case-insensitive), from the first page; no text clears the filter. */
export function withNameFilter(href: string, text: string | undefined, navigation?: ApiNavigation): string {
  const url = new URL(href);
  url.searchParams.delete('offset');
  const value = text?.trim();
  if (!value) {
    url.searchParams.delete('filter');
    return url.href;
  }
  const property = nameFilterProperty(href, navigation);
  url.searchParams.set('filter', JSON.stringify([{ property, operation: 'contains', collation: 'ignorecase', value }]));
  return url.href;
}

/** The text of a name filter this extension set on the URL, if any. */
export function readNameFilter(href: string): string | undefined {
  const raw = new URL(href).searchParams.get('filter');
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Array<{ operation?: string; value?: unknown }>;
    const first = Array.isArray(parsed) && parsed.length === 1 ? parsed[0] : undefined;
    return first?.operation === 'contains' && typeof first.value === 'string' ? first.value : raw;
  } catch {
    return raw;
  }
}
