import { ProtocolError } from '../../errors';
import { say } from '../../messages';
import { charsWording, findLongJsonString, lineAt, MAX_VALUE_CHARS } from '../../parse/long-values';
import { mayBeInexact, parseJsonKeepingNumbers } from '../../parse/json-numbers';
import { messageText } from '../../parse/message-text';
import type { Field, Link, Resource } from '../../resource';
import { apiPath, apiUrl, VspcNavigation, type VspcPlace } from './navigation';

/** VSPC bodies (`{data, meta, errors}`) as Resources, placed in the navigation map by their URL. */

const MAX_DEPTH = 64;

type Plain = Record<string, unknown>;

function isObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a VSPC response body for `url` (absolute) under the API base URL. */
export function parseVspcBody(text: string, url: string, baseUrl: string, navigation: VspcNavigation): Resource {
  const body = text.replace(/^\uFEFF/, '').trim();
  if (!body) throw new ProtocolError(say('body.empty', { url }), undefined, url);
  const long = findLongJsonString(body);
  if (long) {
    throw new ProtocolError(
      say('json.too-long', { url, line: lineAt(body, long.at), length: charsWording(long.length), limit: charsWording(MAX_VALUE_CHARS) }),
      say('hint.vspc-limits'),
      url,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new ProtocolError(say('json.malformed', { url, reason: (err as Error).message }), undefined, url, { cause: err });
  }
  if (!isObject(value)) throw new ProtocolError(say('json.not-vspc-envelope', { url }), undefined, url);
  sawInexact = false;
  const resource = readEnvelope(value, url, baseUrl, navigation);
  if (!sawInexact) return resource;
  // A number JSON.parse may have rounded (beyond 2^53, 1e400): read again, such numbers kept as written (strings).
  const exact = parseJsonKeepingNumbers(body, value);
  return readEnvelope(isObject(exact) ? exact : value, url, baseUrl, navigation);
}

/** Set when a number was shown that JSON.parse may have rounded; parseVspcBody then reads the body again. */
let sawInexact = false;

/** A scalar as text, noting numbers that may not be what the body wrote. */
function scalarText(v: unknown): string {
  if (typeof v === 'number' && mayBeInexact(v)) sawInexact = true;
  return String(v);
}

function readEnvelope(value: Plain, url: string, baseUrl: string, navigation: VspcNavigation): Resource {
  const path = apiPath(baseUrl, url);
  const place = path ? navigation.place(path) : undefined;
  const names = navigation.nameProperties(place);
  const hasEnvelope = 'data' in value || 'meta' in value || 'errors' in value;
  const data = hasEnvelope ? value.data : value;
  const resource: Resource = { href: url, type: typeName(place), links: [], fields: [], children: [] };
  if (Array.isArray(data)) {
    resource.name = place?.kind === 'subCollection' ? place.label : place?.collection.label;
    const item = place?.kind === 'collection' ? place.collection.item : undefined;
    const itemBase = item ? url.split(/[?#]/)[0].replace(/\/+$/, '') : undefined;
    // Items are addressed by instanceUid, or by the property named like the path parameter (siteUid, backupServerUid).
    const keys = ['instanceUid', ...(item ? [item.param] : [])];
    for (const entry of data) resource.children.push(itemResource(entry, names, itemBase, keys));
    readPaging(resource, value.meta, url, data.length);
  } else if (isObject(data)) {
    resource.name = pickName(data, names);
    resource.uid = typeof data.instanceUid === 'string' ? data.instanceUid : undefined;
    resource.fields = jsonFields(data);
    if (place?.kind === 'item') resource.links = subCollectionLinks(url, place, baseUrl);
  } else if (data !== undefined) {
    resource.fields.push({ name: 'data', value: scalarText(data) });
  }
  const errors = hasEnvelope ? value.errors : undefined;
  if (Array.isArray(errors) && errors.length > 0) {
    resource.fields.push({ name: 'errors', children: jsonFields({ errors })[0]?.children ?? [] });
  }
  return resource;
}

function typeName(place: VspcPlace | undefined): string | undefined {
  if (!place) return undefined;
  return place.kind === 'item' ? 'VspcItem' : place.collection.singleton && place.kind === 'collection' ? 'VspcObject' : 'VspcCollection';
}

/** One item of a list: addressable by `<collection>/{instanceUid}` when the API has that, else carried whole. */
function itemResource(item: unknown, names: string[], itemBase: string | undefined, keys: string[]): Resource {
  // An array item goes through jsonFields (depth-limited): String() of thousands of nested arrays overflows the stack.
  if (Array.isArray(item)) return { name: `[${item.length}]`, links: [], fields: jsonFields({ value: item }), children: [] };
  if (!isObject(item)) return { name: scalarText(item), links: [], fields: [{ name: 'value', value: scalarText(item) }], children: [] };
  const key = keys.find((k) => typeof item[k] === 'string' && item[k]);
  const uid = key ? (item[key] as string) : undefined;
  const resource: Resource = { name: pickName(item, names), uid, links: [], fields: [], children: [] };
  if (itemBase && uid) resource.href = `${itemBase}/${encodeURIComponent(uid)}`;
  else resource.fields = jsonFields(item);
  return resource;
}

function pickName(item: Plain, names: string[]): string | undefined {
  for (const p of names) {
    const v = item[p];
    if (typeof v === 'string' && v.trim()) return v;
    if (typeof v === 'number') return scalarText(v);
  }
  return undefined;
}

function subCollectionLinks(url: string, place: Extract<VspcPlace, { kind: 'item' }>, baseUrl: string): Link[] {
  const param = place.collection.item?.param;
  return (place.collection.item?.subCollections ?? []).map((sub) => ({
    rel: 'Down',
    href: apiUrl(baseUrl, sub.path.replace(param ? `{${param}}` : /\{[^}]+\}/, encodeURIComponent(place.uid))),
    name: sub.label,
    type: 'VspcCollection',
    inferred: true,
    filterable: true,
  })).filter((l) => !/\{[^}]+\}/.test(l.href));
}

/** `meta.pagingInfo` → paging, with the URL of the next page when there is one. */
function readPaging(resource: Resource, meta: unknown, url: string, received: number): void {
  const info = isObject(meta) && isObject(meta.pagingInfo) ? meta.pagingInfo : undefined;
  if (!info) return;
  const num = (v: unknown) => {
    if (typeof v !== 'number') return undefined;
    if (mayBeInexact(v)) sawInexact = true;
    return Number.isFinite(v) ? v : undefined;
  };
  const total = num(info.total);
  const count = num(info.count) ?? received;
  // Some documentation examples name the offset `skip`.
  const offset = num(info.offset) ?? num(info.skip) ?? 0;
  resource.paging = { total, count, offset };
  if (total !== undefined && count > 0 && offset + count < total) {
    const next = new URL(url);
    next.searchParams.set('offset', String(offset + count));
    if (!next.searchParams.has('limit')) next.searchParams.set('limit', String(count));
    resource.paging.next = next.href;
  }
}

/** Properties as fields: nested objects and arrays of objects expand; arrays of scalars read as one value. */
export function jsonFields(obj: Plain, depth = 0): Field[] {
  const fields: Field[] = [];
  for (const [name, value] of Object.entries(obj)) {
    const f = jsonField(name, value, depth);
    if (f) fields.push(f);
  }
  return fields;
}

function jsonField(name: string, value: unknown, depth: number): Field | undefined {
  if (value === undefined) return undefined;
  if (value === null) return { name, value: 'null' };
  if (Array.isArray(value)) {
    if (value.length === 0) return { name, value: '[]' };
    if (value.every((v) => !isObject(v) && !Array.isArray(v))) return { name, value: value.map(scalarText).join(', ') };
    if (depth >= MAX_DEPTH) return { name, value: '…' };
    return { name, children: value.map((v, i) => jsonField(`[${i}]`, v, depth + 1)).filter((f): f is Field => !!f) };
  }
  if (isObject(value)) {
    if (depth >= MAX_DEPTH) return { name, value: '…' };
    const children = jsonFields(value, depth + 1);
    return children.length ? { name, children } : { name, value: '{}' };
  }
  return { name, value: scalarText(value) };
}

/** The messages of a VSPC error body (`{errors:[{message}]}`) or an OAuth error, if the body is one: one line, safe to show. */
export function readVspcErrorMessage(text: string): string | undefined {
  const message = readErrorMessages(text);
  return message === undefined ? undefined : messageText(message) || undefined;
}

function readErrorMessages(text: string): string | undefined {
  if (!text || text.length > 1_000_000) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (!isObject(v)) return undefined;
    if (Array.isArray(v.errors)) {
      const messages = v.errors.map((e) => (isObject(e) && typeof e.message === 'string' ? e.message : undefined)).filter(Boolean);
      if (messages.length) return messages.join(' ');
    }
    if (typeof v.error_description === 'string') return v.error_description;
    if (typeof v.error === 'string') return v.error;
    return undefined;
  } catch {
    return undefined;
  }
}

/** Seconds to wait from a 429 body (`retryAfter`) or header. */
export function readRetryAfter(text: string, headerValue: string | undefined): number | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    const find = (x: unknown): number | undefined => {
      if (Array.isArray(x)) for (const e of x) { const r = find(e); if (r !== undefined) return r; }
      if (isObject(x)) {
        if (typeof x.retryAfter === 'number') return x.retryAfter;
        if (typeof x.retryAfter === 'string' && Number.isFinite(Number(x.retryAfter))) return Number(x.retryAfter);
        for (const k of ['errors', 'data', 'meta']) { const r = find(x[k]); if (r !== undefined) return r; }
      }
      return undefined;
    };
    const r = find(v);
    if (r !== undefined) return r;
  } catch {
    /* fall through to the header */
  }
  const h = Number(headerValue);
  return Number.isFinite(h) ? h : undefined;
}
