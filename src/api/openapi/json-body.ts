// Bodies of the APIs that speak JSON and are described by an OpenAPI document (Service Provider Console's
// `{data, meta, errors}` envelope, Backup & Replication's `{data, pagination}` lists and plain items) as Resources,
// placed in the navigation map by their URL.
import { ProtocolError } from '../errors';
import { say, type Wording } from '../messages';
import { charsWording, findLongJsonString, lineAt, MAX_VALUE_CHARS } from '../parse/long-values';
import { mayBeInexact, parseJsonKeepingNumbers } from '../parse/json-numbers';
import { messageText } from '../parse/message-text';
import type { Field, Link, Resource } from '../resource';
import { lazyChildren } from '../parse/lazy-children';
import { apiPath, apiUrl, type ApiAction, type ApiNavigation, type ApiPlace } from './navigation';
import { isObject, type Plain } from './plain';

const MAX_DEPTH = 64;

export interface JsonBodyOptions {
  /**
   * How many items the list really has, when the body read is the list without its items (a large body's head: its
   * items are read one by one from their own bytes, see kinds/list-plan.ts). Paging without a `count` counts them.
   */
  items?: number;
}

/** Parses a response body for `url` (absolute) under the navigation's base URL. `product` names the API in messages. */
export function parseJsonApiBody(text: string, url: string, baseUrl: string, navigation: ApiNavigation, product: Wording, options: JsonBodyOptions = {}): Resource {
  const body = trimmed(text);
  if (!body) throw new ProtocolError(say('body.empty', { url }), undefined, url);
  const long = findLongJsonString(body);
  if (long) {
    throw new ProtocolError(
      say('json.too-long', { url, line: lineAt(body, long.at), length: charsWording(long.length), limit: charsWording(MAX_VALUE_CHARS) }),
      say('hint.short-values', { product }),
      url,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new ProtocolError(say('json.malformed', { url, reason: (err as Error).message }), undefined, url, { cause: err });
  }
  if (!isObject(value)) throw new ProtocolError(say('json.not-envelope', { url, product }), undefined, url);
  /** The body read again with numbers JSON.parse may have rounded (beyond 2^53, 1e400) kept as written (strings). */
  let exact: Plain | undefined;
  const exactValue = () => (exact ??= ((v) => (isObject(v) ? v : value))(parseJsonKeepingNumbers(body, value)));
  const first = new BodyReader(url, baseUrl, navigation, options, exactValue);
  const resource = first.read(value);
  if (!first.sawInexact) return resource;
  return new BodyReader(url, baseUrl, navigation, options, exactValue).read(exactValue());
}

/** The text without a byte order mark and the space around it (no copy when there is none, as for most bodies). */
function trimmed(text: string): string {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  const plain = first !== 0xfeff && first > 0x20 && last > 0x20 && first !== 0xa0 && last !== 0xa0 && first < 0x1680 && last < 0x1680;
  return plain ? text : text.replace(/^\uFEFF/, '').trim();
}

/** One reading of one body: it notes whether a number it showed may not be what the body wrote. */
class BodyReader {
  /** Set when a number was shown that JSON.parse may have rounded; the body is then read again. */
  sawInexact = false;

  constructor(
    private readonly url: string,
    private readonly baseUrl: string,
    private readonly navigation: ApiNavigation,
    private readonly options: JsonBodyOptions = {},
    /** The whole body with inexact numbers kept as written (read on demand: most bodies hold none). */
    private readonly exactValue?: () => Plain,
  ) {}

  read(value: Plain): Resource {
    const { url, navigation } = this;
    const path = apiPath(this.baseUrl, url);
    const place = path ? navigation.place(path) : undefined;
    const names = navigation.nameProperties(place);
    const hasEnvelope = 'data' in value || 'meta' in value || 'errors' in value || 'pagination' in value;
    const data = hasEnvelope ? value.data : value;
    const resource: Resource = { href: url, type: this.typeName(place), links: [], fields: [], children: [] };
    if (Array.isArray(data)) {
      resource.name = place?.kind === 'subCollection' ? place.label : place?.collection.label;
      const item = place?.kind === 'collection' ? place.collection.item : undefined;
      const itemBase = item ? url.split(/[?#]/)[0].replace(/\/+$/, '') : undefined;
      // Items are addressed by their id (instanceUid, id), or by the property named like the path parameter (siteUid).
      const keys = [...navigation.style.idKeys, ...(item ? [item.param] : [])];
      resource.children = this.items(data, names, itemBase, keys);
      this.readPaging(resource, isObject(value.pagination) ? value.pagination : isObject(value.meta) ? value.meta.pagingInfo : undefined, this.options.items ?? data.length);
      if (place?.kind === 'collection' && this.isFirstPage()) resource.links = this.collectionActionLinks(place);
    } else if (isObject(data)) {
      resource.name = this.pickName(data, names);
      const uid = navigation.style.idKeys.map((k) => data[k]).find((v) => typeof v === 'string' && v);
      resource.uid = typeof uid === 'string' ? uid : undefined;
      resource.fields = this.fields(data);
      if (place?.kind === 'item') resource.links = [...this.subCollectionLinks(place), ...this.actionLinks(place)];
    } else if (data !== undefined) {
      resource.fields.push({ name: 'data', value: this.scalarText(data) });
    }
    const errors = hasEnvelope ? value.errors : undefined;
    if (Array.isArray(errors) && errors.length > 0) {
      resource.fields.push({ name: 'errors', children: this.fields({ errors })[0]?.children ?? [] });
    }
    return resource;
  }

  private typeName(place: ApiPlace | undefined): string | undefined {
    if (!place) return undefined;
    const prefix = this.navigation.style.typePrefix;
    return `${prefix}${place.kind === 'item' ? 'Item' : place.collection.singleton && place.kind === 'collection' ? 'Object' : 'Collection'}`;
  }

  /**
   * The items of a list as children, each made when first read (a tree shows 500 rows of a list). An item holding a
   * number JSON.parse may have rounded is made again from the body read with such numbers kept as written.
   */
  private items(data: unknown[], names: string[], itemBase: string | undefined, keys: string[]): Resource[] {
    const { url, baseUrl, navigation, options, exactValue } = this;
    return lazyChildren(data.length, (i) => {
      const reader = new BodyReader(url, baseUrl, navigation, options);
      const item = reader.itemResource(data[i], names, itemBase, keys);
      if (!reader.sawInexact || !exactValue) return item;
      const exactData = exactValue().data;
      return Array.isArray(exactData) && exactData.length === data.length ? new BodyReader(url, baseUrl, navigation, options).itemResource(exactData[i], names, itemBase, keys) : item;
    });
  }

  /** One item of a list: addressable by `<collection>/{id}` when the API has that, else carried whole. */
  private itemResource(item: unknown, names: string[], itemBase: string | undefined, keys: string[]): Resource {
    // An array item goes through fields (depth-limited): String() of thousands of nested arrays overflows the stack.
    if (Array.isArray(item)) return { name: `[${item.length}]`, links: [], fields: this.fields({ value: item }), children: [] };
    if (!isObject(item)) return { name: this.scalarText(item), links: [], fields: [{ name: 'value', value: this.scalarText(item) }], children: [] };
    const key = keys.find((k) => typeof item[k] === 'string' && item[k]);
    const uid = key ? (item[key] as string) : undefined;
    const resource: Resource = { name: this.pickName(item, names), uid, links: [], fields: [], children: [] };
    if (itemBase && uid) resource.href = `${itemBase}/${encodeURIComponent(uid)}`;
    else resource.fields = this.fields(item);
    return resource;
  }

  private pickName(item: Plain, names: string[]): string | undefined {
    for (const p of names) {
      const v = item[p];
      if (typeof v === 'string' && v.trim()) return v;
      if (typeof v === 'number') return this.scalarText(v);
    }
    return undefined;
  }

  private itemPath(place: Extract<ApiPlace, { kind: 'item' }>, path: string): string {
    const param = place.collection.item?.param;
    return apiUrl(this.baseUrl, path.replace(param ? `{${param}}` : /\{[^}]+\}/, encodeURIComponent(place.uid)));
  }

  private subCollectionLinks(place: Extract<ApiPlace, { kind: 'item' }>): Link[] {
    return (place.collection.item?.subCollections ?? [])
      .map((sub) => ({
        rel: 'Down',
        href: this.itemPath(place, sub.path),
        name: sub.label,
        type: `${this.navigation.style.typePrefix}Collection`,
        inferred: true,
        filterable: true,
      }))
      .filter((l) => !/\{[^}]+\}/.test(l.href));
  }

  /** The item's operations other than GET (`POST …/{id}/start`): action links, shown and never sent by browsing. */
  private actionLinks(place: Extract<ApiPlace, { kind: 'item' }>): Link[] {
    return (place.collection.item?.actions ?? [])
      .map((action) => {
        const last = action.path.slice(action.path.lastIndexOf('/') + 1);
        const rel = last.startsWith('{') ? (action.method === 'DELETE' ? 'Delete' : 'Edit') : last;
        return actionLink(action, rel, this.itemPath(place, action.path));
      })
      .filter((l) => !/\{[^}]+\}/.test(l.href));
  }

  /** The collection's own operations other than GET (`POST /organizations/companies`), on its first page only. */
  private collectionActionLinks(place: Extract<ApiPlace, { kind: 'collection' }>): Link[] {
    const rels: Record<string, string> = { POST: 'Create', PUT: 'Edit', PATCH: 'Edit', DELETE: 'Delete' };
    return (place.collection.actions ?? []).map((action) => actionLink(action, rels[action.method] ?? action.method, apiUrl(this.baseUrl, action.path)));
  }

  /** True unless the URL asks for a page after the first (`offset`/`skip` past 0). */
  private isFirstPage(): boolean {
    if (!this.url.includes('?')) return true;
    const offset = new URL(this.url).searchParams.get(this.navigation.style.offsetParam);
    return !offset || Number(offset) <= 0;
  }

  /** Paging (`pagination` or `meta.pagingInfo`), with the URL of the next page when there is one. */
  private readPaging(resource: Resource, info: unknown, received: number): void {
    if (!isObject(info)) return;
    const num = (v: unknown) => {
      if (typeof v !== 'number') return undefined;
      if (mayBeInexact(v)) this.sawInexact = true;
      return Number.isFinite(v) ? v : undefined;
    };
    const total = num(info.total);
    const count = num(info.count) ?? received;
    // VSPC names the first item `offset` (some of its documentation examples `skip`); VBR `skip`.
    const offset = num(info.offset) ?? num(info.skip) ?? 0;
    resource.paging = { total, count, offset };
    if (total !== undefined && count > 0 && offset + count < total) {
      const next = new URL(this.url);
      next.searchParams.set(this.navigation.style.offsetParam, String(offset + count));
      if (!next.searchParams.has('limit')) next.searchParams.set('limit', String(count));
      resource.paging.next = next.href;
    }
  }

  /** Properties as fields: nested objects and arrays of objects expand; arrays of scalars read as one value. */
  fields(obj: Plain, depth = 0): Field[] {
    const fields: Field[] = [];
    for (const [name, value] of Object.entries(obj)) {
      const f = this.field(name, value, depth);
      if (f) fields.push(f);
    }
    return fields;
  }

  private field(name: string, value: unknown, depth: number): Field | undefined {
    if (value === undefined) return undefined;
    if (value === null) return { name, value: 'null' };
    if (Array.isArray(value)) {
      if (value.length === 0) return { name, value: '[]' };
      if (value.every((v) => !isObject(v) && !Array.isArray(v))) return { name, value: value.map((v) => this.scalarText(v)).join(', ') };
      if (depth >= MAX_DEPTH) return { name, value: '…' };
      return { name, children: value.map((v, i) => this.field(`[${i}]`, v, depth + 1)).filter((f): f is Field => !!f) };
    }
    if (isObject(value)) {
      if (depth >= MAX_DEPTH) return { name, value: '…' };
      const children = this.fields(value, depth + 1);
      return children.length ? { name, children } : { name, value: '{}' };
    }
    return { name, value: this.scalarText(value) };
  }

  /** A scalar as text, noting numbers that may not be what the body wrote. */
  private scalarText(v: unknown): string {
    if (typeof v === 'number' && mayBeInexact(v)) this.sawInexact = true;
    return String(v);
  }
}

/** An action link: its method and, when it takes one, its body; never followed by browsing (it is no Down link). */
function actionLink(action: ApiAction, rel: string, href: string): Link {
  return { rel, href, name: action.label, method: action.method, ...(action.body && { body: action.body }), inferred: true };
}

/**
 * The message of a JSON error body, if the body is one: VSPC's `{errors:[{message}]}`, VBR's `{errorCode, message}`,
 * or an OAuth error (`error_description`, `error`). One line, safe to show.
 */
export function readJsonErrorMessage(text: string): string | undefined {
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
    if (typeof v.errorCode === 'string' && typeof v.message === 'string') return v.message;
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
