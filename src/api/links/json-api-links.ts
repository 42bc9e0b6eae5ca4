// Bodies of the APIs an OpenAPI document describes (Service Provider Console, Backup & Replication) read for a walk:
// the links the full parser (openapi/json-body.ts) would give it, from the navigation map, without its model (no
// fields, no names). Undefined whenever the parser would refuse the body or read it twice (a number JSON.parse may
// have rounded): the caller asks the parser itself.
import { findLongJsonString } from '../parse/long-values';
import { apiPath, apiUrl, type ApiNavigation, type ApiPlace } from '../openapi/navigation';
import { isObject, type Plain } from '../openapi/plain';
import { isNavigable } from '../resource';
import { mayBeInexact } from '../parse/json-numbers';
import type { LinkNeed, ScannedLinks, WalkLink } from './walk-links';

/** The links of a JSON API body for a walk, as parseJsonApiBody's Resource would give them; undefined: ask the parser. */
export function scanJsonApiLinks(text: string, url: string, baseUrl: string, navigation: ApiNavigation, need: LinkNeed): ScannedLinks | undefined {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (!body || findLongJsonString(body)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const hasEnvelope = 'data' in value || 'meta' in value || 'errors' in value || 'pagination' in value;
  const data = hasEnvelope ? value.data : value;
  const paging = Array.isArray(data) ? (isObject(value.pagination) ? value.pagination : isObject(value.meta) ? value.meta.pagingInfo : undefined) : undefined;
  // The parser reads a body again, numbers it may have rounded kept as written (strings), when it showed one: that
  // can change ids and paging. For the next page only the paging's own numbers count (the structure stays the same).
  if (need === 'next' ? isObject(paging) && PAGING_NUMBERS.some((k) => hasInexactNumber(paging[k])) : hasInexactNumber(value)) return undefined;
  const scanned: ScannedLinks = { follow: [] };
  if (Array.isArray(data)) {
    const next = nextPage(url, navigation, paging, data.length);
    if (next) scanned.next = next;
  }
  if (need === 'next') return scanned;
  const path = apiPath(baseUrl, url);
  const place = path ? navigation.place(path) : undefined;
  if (Array.isArray(data)) {
    if (place?.kind === 'collection' && isFirstPage(url, navigation)) {
      const rels: Record<string, string> = { POST: 'Create', PUT: 'Edit', PATCH: 'Edit', DELETE: 'Delete' };
      for (const action of place.collection.actions ?? []) followIfNavigable(scanned.follow, rels[action.method] ?? action.method, apiUrl(baseUrl, action.path), true);
    }
    const item = place?.kind === 'collection' ? place.collection.item : undefined;
    if (!item) return scanned;
    const itemBase = url.split(/[?#]/)[0].replace(/\/+$/, '');
    const keys = [...navigation.style.idKeys, item.param];
    for (const entry of data) {
      if (!isObject(entry)) continue;
      const key = keys.find((k) => typeof entry[k] === 'string' && entry[k]);
      if (key) scanned.follow.push({ href: `${itemBase}/${encodeURIComponent(entry[key] as string)}` });
    }
  } else if (isObject(data) && need === 'all' && place?.kind === 'item') {
    for (const sub of place.collection.item?.subCollections ?? []) {
      const href = itemPath(baseUrl, place, sub.path);
      if (!/\{[^}]+\}/.test(href)) followIfNavigable(scanned.follow, 'Down', href, true);
    }
    for (const action of place.collection.item?.actions ?? []) {
      const last = action.path.slice(action.path.lastIndexOf('/') + 1);
      const rel = last.startsWith('{') ? (action.method === 'DELETE' ? 'Delete' : 'Edit') : last;
      const href = itemPath(baseUrl, place, action.path);
      if (!/\{[^}]+\}/.test(href)) followIfNavigable(scanned.follow, rel, href, true);
    }
  }
  return scanned;
}

/** The paging members the parser reads (`readPaging`). */
const PAGING_NUMBERS = ['total', 'count', 'offset', 'skip'];

/** An action link is followed only if its rel is a navigable one (as the walk reads the parser's links). */
function followIfNavigable(follow: WalkLink[], rel: string, href: string, inferred: boolean): void {
  if (isNavigable({ rel, href })) follow.push({ href, inferred });
}

function itemPath(baseUrl: string, place: Extract<ApiPlace, { kind: 'item' }>, path: string): string {
  const param = place.collection.item?.param;
  return apiUrl(baseUrl, path.replace(param ? `{${param}}` : /\{[^}]+\}/, encodeURIComponent(place.uid)));
}

function isFirstPage(url: string, navigation: ApiNavigation): boolean {
  const offset = new URL(url).searchParams.get(navigation.style.offsetParam);
  return !offset || Number(offset) <= 0;
}

/** The parser's next page (`readPaging`): numbers are exact here (a body with another one is the parser's). */
function nextPage(url: string, navigation: ApiNavigation, info: unknown, received: number): string | undefined {
  if (!isObject(info)) return undefined;
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const total = num(info.total);
  const count = num(info.count) ?? received;
  const offset = num(info.offset) ?? num(info.skip) ?? 0;
  if (total === undefined || count <= 0 || offset + count >= total) return undefined;
  const next = new URL(url);
  next.searchParams.set(navigation.style.offsetParam, String(offset + count));
  if (!next.searchParams.has('limit')) next.searchParams.set('limit', String(count));
  return next.href;
}

/** True when a number somewhere in the value may not be what the body wrote (the parser reads such a body twice). */
export function hasInexactNumber(value: unknown): boolean {
  const stack: unknown[] = [value];
  // Every value is pushed once: bounded by the size of what JSON.parse built.
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'number') {
      if (mayBeInexact(v)) return true;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (v !== null && typeof v === 'object') {
      for (const key in v) stack.push((v as Plain)[key]);
    }
  }
  return false;
}
