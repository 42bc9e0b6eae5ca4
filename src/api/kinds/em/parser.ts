import type { XMLParser } from 'fast-xml-parser';
import { fastXmlParser } from '../../parse/fxp';
import { ProtocolError } from '../../errors';
import { say, type Wording } from '../../messages';
import { mayBeInexact, parseJsonKeepingNumbers } from '../../parse/json-numbers';
import { messageText } from '../../parse/message-text';
import type { Field, Link, Paging, Resource } from '../../resource';
import { charsWording, findLongJsonString, lineAt, MAX_VALUE_CHARS } from '../../parse/long-values';
import { scanXml, XML_LIMITS } from './well-formed';
import { CONTROL_CHARACTER } from '../../resource';
import { lazyChildren } from '../../parse/lazy-children';

/**
 * Enterprise Manager bodies (XML or JSON) as Resources. Both representations are first brought
 * to one plain shape — attributes and child elements as properties — then read by one walker.
 */

export const IDENTITY_KEYS = new Set(['Href', 'Type', 'Name', 'UID']);
/** Depth of the model read from a body. */
export const MAX_DEPTH = 64;
/** EM nests a dozen levels at most; the XML parser refuses deeper documents instead of recursing into them. */
export const MAX_XML_NESTING = 100;

let parser: XMLParser | undefined;

/** The parser, made on first use (loading fast-xml-parser then, not at activation). */
function xmlParser(): XMLParser {
  return (parser ??= new (fastXmlParser().XMLParser)(EM_XML_PARSER_OPTIONS));
}

const XML_ENTITIES = xmlEntities();

/** fast-xml-parser's options for EM bodies (the benchmark's raw baseline uses them too). */
export const EM_XML_PARSER_OPTIONS: ConstructorParameters<typeof XMLParser>[0] = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  entityDecoder: XML_ENTITIES,
  maxNestedTags: MAX_XML_NESTING,
  textNodeName: '#text',
  isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
};

export type Plain = Record<string, unknown>;

/**
 * XML's five entities and its character references (`&#233;`, `&#x1F44D;`), in one linear pass. The parser's own
 * decoder leaves character references as written unless HTML entities are on (`&nbsp;` is no XML). No DOCTYPE is
 * ever read, so no other entity exists; one that is not a character XML allows becomes U+FFFD.
 */
function xmlEntities() {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const reference = /&(?:#(\d{1,8})|#x([0-9a-fA-F]{1,7})|(amp|lt|gt|quot|apos));/g;
  const character = (code: number) =>
    code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
      ? String.fromCodePoint(code)
      : '\ufffd';
  return {
    decode: (text: string) =>
      text.includes('&') ? text.replace(reference, (_m, dec?: string, hex?: string, name?: string) => (name ? named[name] : character(dec ? Number(dec) : parseInt(hex!, 16)))) : text,
    setExternalEntities: () => undefined,
    addInputEntities: () => undefined,
    reset: () => undefined,
    setXmlVersion: () => undefined,
  };
}

/** XML's five entities and its character references decoded, as the parser decodes attribute values and text. */
export function decodeXmlEntities(text: string): string {
  return XML_ENTITIES.decode(text);
}

/** Parses an EM body into a Resource; `url` resolves relative hrefs and names the response in errors. */
export function parseEmBody(body: string, contentType: string | undefined, url: string): Resource {
  const text = body.replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (!trimmed) throw new ProtocolError(say('body.empty', { url }), undefined, url);
  if (!isJson(contentType, trimmed)) {
    const { root, element } = readXml(trimmed, url);
    return toResource(root, element, url, 0);
  }
  const root = readJson(trimmed, url);
  let exact: Plain | undefined;
  // A number JSON.parse may have rounded (beyond 2^53, 1e400): read again, such numbers kept as written.
  const exactRoot = () => (exact ??= ((v) => (isObject(v) ? v : root))(parseJsonKeepingNumbers(trimmed, root)));
  sawInexact = false;
  const resource = toResource(root, undefined, url, 0, exactRoot);
  if (!sawInexact) return resource;
  return toResource(exactRoot(), undefined, url, 0, exactRoot);
}

/** Set when a JSON number was shown that JSON.parse may have rounded; parseEmBody then reads the body again. */
let sawInexact = false;

/** A scalar as text, noting numbers that may not be what the body wrote. */
function scalarText(v: unknown): string {
  if (typeof v === 'number' && mayBeInexact(v)) sawInexact = true;
  return String(v);
}

/** Whether an EM body is JSON: by its content type, else by its first character. */
export function isJson(contentType: string | undefined, text: string): boolean {
  if (contentType && /json/i.test(contentType)) return true;
  if (contentType && /xml/i.test(contentType)) return false;
  return text.startsWith('{') || text.startsWith('[');
}

function readJson(text: string, url: string): Plain {
  const long = findLongJsonString(text);
  if (long) {
    throw tooLarge(say('json.too-long', { url, line: lineAt(text, long.at), length: charsWording(long.length), limit: charsWording(MAX_VALUE_CHARS) }), url);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ProtocolError(say('json.malformed', { url, reason: (err as Error).message }), undefined, url, { cause: err });
  }
  if (!isObject(value)) throw new ProtocolError(say('json.not-object', { url }), undefined, url);
  return value;
}

function readXml(text: string, url: string): { root: Plain; element?: string } {
  // Anywhere, not only up front: the XML parser reads a DOCTYPE's entities wherever it finds one.
  if (/^<html/i.test(text) || /<!DOCTYPE/i.test(text)) {
    if (/<html/i.test(text.slice(0, 4096))) {
      throw new ProtocolError(say('xml.html', { url }), say('hint.other-service'), url);
    }
    throw new ProtocolError(say('xml.doctype', { url }), undefined, url);
  }
  const { bad, longTexts } = scanXml(text, MAX_XML_NESTING);
  if (bad?.tooDeep) throw new ProtocolError(say('xml.too-deep', { url, max: MAX_XML_NESTING }), undefined, url);
  if (bad?.tooLarge) throw tooLarge(say('xml.too-large', { url, line: bad.line, reason: bad.why }), url);
  if (bad) throw new ProtocolError(say('xml.malformed', { url, line: bad.line, reason: bad.why }), undefined, url);
  let doc: Plain;
  try {
    doc = xmlParser().parse(longTexts.length ? withLongTextsAsCdata(text, longTexts) : text) as Plain;
  } catch (err) {
    // The parser refuses elements nested deeper than MAX_XML_NESTING and names such as `__proto__` or `constructor`.
    const reason = (err as Error).message;
    const message = /nested/i.test(reason) ? say('xml.too-deep', { url, max: MAX_XML_NESTING }) : say('xml.unreadable', { url, reason });
    throw new ProtocolError(message, undefined, url, { cause: err });
  }
  const element = Object.keys(doc).find((k) => !k.startsWith('?'));
  if (!element) throw new ProtocolError(say('xml.no-root', { url }), undefined, url);
  return { root: unwrapElement(doc[element]), element };
}

/** A refusal of a body over one of the limits (XML_LIMITS, MAX_VALUE_CHARS). */
function tooLarge(message: Wording, url: string): ProtocolError {
  return new ProtocolError(
    message,
    say('hint.em-limits', { value: charsWording(XML_LIMITS.value), attributes: XML_LIMITS.attributes.toLocaleString('en-US') }),
    url,
  );
}

/**
 * The text with each long run of text (scanXml's `longTexts`) given as CDATA holding the value the parser would
 * have made of it: its text without comments, newlines normalised, trimmed, entities decoded. fast-xml-parser
 * builds text a character at a time (a 50 MB text node took 2 GB and 47 s) but takes CDATA as one substring; the
 * document it reads is otherwise the same. A run that is only space (between elements, after the root) is dropped,
 * as the parser drops it.
 */
export function withLongTextsAsCdata(text: string, longTexts: readonly number[]): string {
  const parts: string[] = [];
  let from = 0;
  for (let k = 0; k < longTexts.length; k += 2) {
    const [start, end] = [longTexts[k], longTexts[k + 1]];
    parts.push(text.slice(from, start));
    const value = XML_ENTITIES.decode(withoutComments(text, start, end).replace(/\r\n?/g, '\n').trim());
    // CDATA cannot hold `]]>`, and the parser turns a `\r` in it into `\n`: both go as pieces of their own.
    if (value) parts.push(`<![CDATA[${value.replace(/\]\]>|\r/g, (m) => (m === '\r' ? ']]>&#13;<![CDATA[' : ']]]]><![CDATA[>'))}]]>`);
    from = end;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/** The text between `start` and `end` without its comments (the scan has checked that each one is closed). */
function withoutComments(text: string, start: number, end: number): string {
  // Searched within the run only: a search of the whole text for each run would be quadratic.
  const run = text.slice(start, end);
  let comment = run.indexOf('<!--');
  if (comment < 0) return run;
  const parts: string[] = [];
  let from = 0;
  for (; comment >= 0; comment = run.indexOf('<!--', from)) {
    parts.push(run.slice(from, comment));
    from = run.indexOf('-->', comment + 4) + 3;
  }
  parts.push(run.slice(from));
  return parts.join('');
}

/** fast-xml-parser gives every element as an array; a lone element becomes its object. */
export function unwrapElement(value: unknown): Plain {
  const v = Array.isArray(value) ? value[0] : value;
  if (isObject(v)) return v;
  return { '#text': v ?? '' };
}

export function isObject(v: unknown): v is Plain {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function asArray(v: unknown): unknown[] {
  return v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function str(v: unknown): string | undefined {
  // A loop, not recursion: a JSON body can wrap a value in thousands of arrays.
  for (let i = 0; i < MAX_DEPTH; i++) {
    if (v === null || v === undefined) return undefined;
    if (Array.isArray(v)) v = v[0];
    else if (isObject(v)) v = v['#text'];
    else return scalarText(v);
  }
  return undefined;
}

/** Printable ASCII after http(s)://: already what `new URL` would give back (or near enough to compare by origin). */
const PLAIN_ABSOLUTE = /^https?:\/\/[!-[\]-~]+$/;

export function resolve(href: string, base: string): string {
  // Most hrefs are absolute and plain: parsing each one again would cost more than the rest of the model.
  if (PLAIN_ABSOLUTE.test(href)) return href;
  // The URL parser would drop a control character at either end and encode one inside: such an href is no link, and
  // kept as written it is refused wherever it would be followed (checkHref, the walk).
  if (CONTROL_CHARACTER.test(href)) return href;
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
}

export function hasHref(v: unknown): v is Plain {
  return isObject(v) && typeof str(v.Href) === 'string';
}

/** True when an object holds, somewhere below, something with an Href (a container of references). */
export function holdsResources(v: unknown, depth = 0): boolean {
  if (depth > 4) return false;
  // An array inside an array counts as a level: `[[[[…]]]]` must not recurse without end.
  if (Array.isArray(v)) return v.some((x) => holdsResources(x, Array.isArray(x) ? depth + 1 : depth));
  if (!isObject(v)) return false;
  if (hasHref(v)) return true;
  return Object.entries(v).some(([k, x]) => k !== 'Links' && holdsResources(x, depth + 1));
}

/**
 * The one member of `obj` that is a list of references (`Ref` of `EntityReferences`, `Refs` of a JSON one) when no
 * other member holds any: its items become the resource's children, each made when first read.
 */
function soleList(obj: Plain, depth: number): string | undefined {
  if (depth >= MAX_DEPTH) return undefined;
  let list: string | undefined;
  for (const [key, value] of Object.entries(obj)) {
    if (IDENTITY_KEYS.has(key) || key === 'Links' || key === 'PagingInfo' || value === null || value === undefined) continue;
    if (list === undefined && Array.isArray(value) && value.length > 0 && value.every(hasHref)) list = key;
    else if (holdsResources(value)) return undefined;
  }
  return list;
}

/**
 * `exactRoot` (JSON) gives the body read again with numbers JSON.parse may have rounded kept as written: a child made
 * later (see soleList) that shows such a number is made again from it.
 */
function toResource(obj: Plain, element: string | undefined, base: string, depth: number, exactRoot?: () => Plain, path: readonly string[] = []): Resource {
  const resource: Resource = {
    href: str(obj.Href) !== undefined ? resolve(str(obj.Href)!, base) : undefined,
    type: str(obj.Type),
    element,
    name: str(obj.Name),
    uid: str(obj.UID),
    links: readLinks(obj.Links, base),
    fields: [],
    children: [],
  };
  const list = soleList(obj, depth);
  if (list !== undefined) resource.children = lazyItems(obj[list] as Plain[], list, base, depth, exactRoot, [...path, list]);
  for (const [key, value] of Object.entries(obj)) {
    if (key === list || IDENTITY_KEYS.has(key) || key === 'Links' || key === 'xmlns' || key.startsWith('xmlns:') || key.startsWith('xsi:') || key === 'schemaLocation') continue;
    // An element with attributes and nothing inside (`<EntityReferences xmlns="…"></EntityReferences>`) has no text.
    if (value === null || value === undefined || (key === '#text' && value === '')) continue;
    if (key === 'PagingInfo') {
      resource.paging = readPaging(unwrapElement(value), base);
      continue;
    }
    collect(resource, key, value, base, depth);
  }
  return resource;
}

/** The items of a list as children made when first read; one showing an inexact number is made again from `exactRoot`. */
function lazyItems(items: Plain[], key: string, base: string, depth: number, exactRoot: (() => Plain) | undefined, path: readonly string[]): Resource[] {
  return lazyChildren(items.length, (i) => {
    const saw = sawInexact;
    sawInexact = false;
    try {
      const child = toResource(items[i], key, base, depth + 1);
      if (!sawInexact || !exactRoot) return child;
      let exact: unknown = exactRoot();
      for (const k of path) exact = isObject(exact) ? exact[k] : undefined;
      return Array.isArray(exact) && exact.length === items.length && hasHref(exact[i]) ? toResource(exact[i], key, base, depth + 1) : child;
    } finally {
      sawInexact = saw;
    }
  });
}

function collect(resource: Resource, key: string, value: unknown, base: string, depth: number): void {
  const items = asArray(value);
  if (depth < MAX_DEPTH && items.some(hasHref)) {
    for (const item of items) {
      if (hasHref(item)) resource.children.push(toResource(item, key, base, depth + 1));
      else if (holdsResources(item)) collectContainer(resource, item as Plain, base, depth + 1);
    }
    return;
  }
  if (depth < MAX_DEPTH && items.some((x) => holdsResources(x))) {
    for (const item of items) if (isObject(item)) collectContainer(resource, item, base, depth + 1);
    return;
  }
  const field = toField(key, value, base, depth);
  if (field) resource.fields.push(field);
}

/** `Refs`, `Entities/Jobs`: the references inside become children; PagingInfo inside is kept. */
function collectContainer(resource: Resource, obj: Plain, base: string, depth: number): void {
  for (const [key, value] of Object.entries(obj)) {
    if (value === null || value === undefined || key === 'Links' || IDENTITY_KEYS.has(key)) continue;
    if (key === 'PagingInfo') {
      resource.paging ??= readPaging(unwrapElement(value), base);
      continue;
    }
    const items = asArray(value);
    for (const item of items) {
      if (hasHref(item)) resource.children.push(toResource(item, key, base, depth + 1));
      else if (depth < MAX_DEPTH && holdsResources(item)) collectContainer(resource, item as Plain, base, depth + 1);
    }
  }
}

function toField(name: string, value: unknown, base: string, depth: number): Field | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const present = value.filter((v) => v !== null && v !== undefined);
    if (present.length === 0) return undefined;
    if (present.length === 1) {
      // XML gives every element as an array of one: only an array inside an array counts as a level.
      if (!Array.isArray(present[0])) return toField(name, present[0], base, depth);
      return depth >= MAX_DEPTH ? { name, value: '…' } : toField(name, present[0], base, depth + 1);
    }
    if (present.every((v) => !isObject(v) && !Array.isArray(v))) return { name, value: present.map(scalarText).join(', ') };
    if (depth >= MAX_DEPTH) return { name, value: '…' };
    return {
      name,
      children: present.map((v, i) => toField(`[${i}]`, v, base, depth + 1)).filter((f): f is Field => !!f),
    };
  }
  if (!isObject(value)) return { name, value: scalarText(value) };
  const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
  if (entries.length === 1 && entries[0][0] === '#text') return { name, value: String(str(entries[0][1]) ?? '') };
  if (entries.length === 0) return { name, value: '' };
  if (depth >= MAX_DEPTH) return { name, value: '…' };
  const children: Field[] = [];
  for (const [k, v] of entries) {
    if (k === 'Links') {
      for (const link of readLinks(v, base)) children.push({ name: link.name ? `${link.rel} ${link.name}` : link.rel, value: link.href });
      continue;
    }
    const f = toField(k === '#text' ? 'value' : k, v, base, depth + 1);
    if (f) children.push(f);
  }
  return { name, children };
}

function readLinks(value: unknown, base: string): Link[] {
  // XML: Links → [{ Link: [ {...}, ... ] }]; JSON: Links → [ {...}, ... ] or null.
  const raw: unknown[] = [];
  for (const entry of asArray(value)) {
    if (isObject(entry) && 'Link' in entry) raw.push(...asArray(entry.Link));
    else raw.push(entry);
  }
  const links: Link[] = [];
  for (const l of raw) {
    if (!isObject(l)) continue;
    const rel = str(l.Rel);
    const href = str(l.Href);
    if (!rel || !href) continue;
    links.push({ rel, href: resolve(href, base), type: str(l.Type) ?? undefined, name: str(l.Name) ?? undefined });
  }
  return links;
}

function readPaging(obj: Plain, base: string): Paging {
  const num = (v: unknown) => {
    const n = Number(str(v));
    return Number.isFinite(n) ? n : undefined;
  };
  const paging: Paging = { page: num(obj.PageNum), pageSize: num(obj.PageSize), pagesCount: num(obj.PagesCount) };
  for (const link of readLinks(obj.Links, base)) {
    const rel = link.rel.toLowerCase();
    if (rel === 'next' || rel === 'previous' || rel === 'first' || rel === 'last') paging[rel] = link.href;
  }
  return paging;
}

/** The `Message` of an EM Error body (XML or JSON), if the body is one: one line, safe to show (see messageText). */
export function readEmErrorMessage(body: string): string | undefined {
  const message = readErrorMessage(body);
  return message === undefined ? undefined : messageText(message) || undefined;
}

function readErrorMessage(body: string): string | undefined {
  const text = body.trim();
  if (!text || text.length > 1_000_000) return undefined;
  try {
    if (text.startsWith('{')) {
      const v = JSON.parse(text) as Plain;
      return str(v.Message) ?? str(v.FirstChanceExceptionMessage);
    }
    if (!/^(<\?xml[^>]*>\s*)?<Error\b/.test(text) || /<!DOCTYPE/i.test(text)) return undefined;
    const { bad, longTexts } = scanXml(text, MAX_XML_NESTING);
    if (bad) return undefined;
    const doc = xmlParser().parse(longTexts.length ? withLongTextsAsCdata(text, longTexts) : text) as Plain;
    const err = unwrapElement(doc.Error);
    return str(err.Message) ?? str(err.FirstChanceExceptionMessage);
  } catch {
    return undefined;
  }
}
