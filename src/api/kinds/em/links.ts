// Enterprise Manager bodies read for a walk: the links the full parser (kinds/em/parser.ts) would give it, without
// its model. XML is checked by the same well-formedness scan as the parser's, then read tag by tag into a pruned copy
// of the parser's plain shape (an element with an Href is kept as its Href and Rel alone; its inside is not read);
// JSON is `JSON.parse`d. Both are then read by the parser's own rules for links, children and paging, link parts only.
// Whatever this reads less plainly than the parser (a body it refuses, a DOCTYPE, an element named Href, a number
// JSON.parse may round...) gives undefined: the caller asks the parser itself.
import { hasInexactNumber } from '../../links/json-api-links';
import type { LinkNeed, ScannedLinks, WalkLink } from '../../links/walk-links';
import { findLongJsonString } from '../../parse/long-values';
import { isNavigable } from '../../resource';
import { asArray, decodeXmlEntities, hasHref, holdsResources, IDENTITY_KEYS, isObject, MAX_DEPTH, MAX_XML_NESTING, resolve, str, unwrapElement, type Plain } from './parser';
import { scanXml } from './well-formed';

/** Names fast-xml-parser refuses or renames (prototype pollution): such a body is the parser's to answer. */
const UNSAFE_NAMES = new Set(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

/** Anywhere in a body: one of UNSAFE_NAMES, `#text`, or an element named Href or Rel. */
const UNREAD = /__proto__|constructor|prototype|hasOwnProperty|toString|valueOf|__(?:define|lookup)[GS]etter__|#text|<(?:[^\s/>=<"'!?:]+:)?(?:Href|Rel)[\s/>]/;

/** The links of an EM body for a walk, as parseEmBody's Resource would give them; undefined: ask the parser. */
export function scanEmLinks(body: string, contentType: string | undefined, url: string, need: LinkNeed): ScannedLinks | undefined {
  const trimmed = body.replace(/^\uFEFF/, '').trimStart();
  if (!trimmed) return undefined;
  const json = contentType && /json/i.test(contentType) ? true : contentType && /xml/i.test(contentType) ? false : trimmed.startsWith('{') || trimmed.startsWith('[');
  const root = json ? readJson(trimmed) : readXml(trimmed, need);
  return root && new EmLinkReader(url, need).read(root);
}

function readJson(text: string): Plain | undefined {
  if (findLongJsonString(text)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isObject(value) && !hasInexactNumber(value) ? value : undefined;
}

/** A root as the link rules read it for a body without PagingInfo (not to be changed: it is shared). */
const NO_PAGING: Plain = Object.freeze({}) as Plain;

/** The start tag readTag read last (one object, reused: a body has many tags). */
const tag = { end: 0, empty: false, name: '', hrefFrom: -1, hrefTo: -1, relFrom: -1, relTo: -1, attributes: 0 };
/** Where the last tag's attribute names start and end, in pairs (reused). */
const attributeAt: number[] = [];

/** JavaScript's `\s`, which the well-formedness scan's expressions use between names and values. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

/** A character that ends a name (`[^\s/>=<"'!?]`). */
function endsName(c: number): boolean {
  return c === 0x2f || c === 0x3e || c === 0x3d || c === 0x3c || c === 0x22 || c === 0x27 || c === 0x21 || c === 0x3f || isSpace(c);
}

/**
 * Reads the start tag at `at` into `tag` (name, end, whether it closes itself; with `values`, its Href and Rel as the
 * parser gives them, the last of each winning, and where its attribute names are). False when it is not the form the
 * well-formedness scan let through.
 */
function readTag(text: string, at: number, values: boolean): boolean {
  let p = at + 1;
  while (p < text.length && !endsName(text.charCodeAt(p))) p++;
  if (values) {
    tag.name = text.slice(at + 1, p);
    tag.hrefFrom = tag.relFrom = -1;
    tag.attributes = 0;
  }
  for (;;) {
    while (p < text.length && isSpace(text.charCodeAt(p))) p++;
    const c = text.charCodeAt(p);
    if (c === 0x3e /* > */ || c === 0x2f /* / */) {
      tag.empty = c === 0x2f;
      if (tag.empty && text.charCodeAt(p + 1) !== 0x3e) return false;
      tag.end = p + (tag.empty ? 2 : 1);
      return true;
    }
    const nameAt = p;
    while (p < text.length && !endsName(text.charCodeAt(p))) p++;
    const nameEnd = p;
    while (p < text.length && isSpace(text.charCodeAt(p))) p++;
    if (nameEnd === nameAt || text.charCodeAt(p) !== 0x3d /* = */) return false;
    p++;
    while (p < text.length && isSpace(text.charCodeAt(p))) p++;
    const quote = text.charCodeAt(p);
    if (quote !== 0x22 && quote !== 0x27) return false;
    const valueEnd = text.indexOf(quote === 0x22 ? '"' : "'", p + 1);
    if (valueEnd < 0) return false;
    if (values) {
      attributeAt[2 * tag.attributes] = nameAt;
      attributeAt[2 * tag.attributes + 1] = nameEnd;
      tag.attributes++;
      // Where the values are, not yet the values: most tags of a long list are not read further.
      const which = hrefOrRel(text, nameAt, nameEnd);
      if (which === 'Href') {
        tag.hrefFrom = p + 1;
        tag.hrefTo = valueEnd;
      } else if (which === 'Rel') {
        tag.relFrom = p + 1;
        tag.relTo = valueEnd;
      }
    }
    p = valueEnd + 1;
  }
}

/** Whether the attribute name between `from` and `to` is, for the parser, Href or Rel (`a:Href` too, not `xmlns:Href`). */
function hrefOrRel(text: string, from: number, to: number): 'Href' | 'Rel' | undefined {
  // Compared where it stands: as localName would read it, without making a string of every name.
  let local = from;
  const colon = text.indexOf(':', from);
  if (colon >= 0 && colon < to) {
    const second = text.indexOf(':', colon + 1);
    if (second < 0 || second >= to) {
      if (colon - from === 5 && text.startsWith('xmlns', from)) return undefined;
      local = colon + 1;
    }
  }
  if (to - local === 4 && text.startsWith('Href', local)) return 'Href';
  if (to - local === 3 && text.startsWith('Rel', local)) return 'Rel';
  return undefined;
}

/** The names of the last tag's attributes, as the parser keeps them (xmlns ones left out). */
function attributeNames(text: string): string[] {
  const names: string[] = [];
  for (let k = 0; k < tag.attributes; k++) {
    const name = localName(text.slice(attributeAt[2 * k], attributeAt[2 * k + 1]), true);
    if (name) names.push(name);
  }
  return names;
}

/** An open element of the pruned copy: its object, or none inside an element kept as its Href alone. */
interface Frame {
  obj: Plain;
  /** Its attributes' names, when it has any: a child element of the same name is overwritten by the attribute in the parser's shape. */
  attributes?: string[];
  /** Next only: the names under which an element with an Href is already kept (one is all `some(hasHref)` needs). */
  hrefKept?: string[];
}

/**
 * The root element in the parser's plain shape (attributes and child elements as properties, elements as arrays),
 * pruned to what the link rules read: Href and Rel attributes, and the elements on the way to them. Undefined when
 * the parser would refuse the text, or read it other than plainly.
 */
function readXml(text: string, need: LinkNeed): Plain | undefined {
  // A DOCTYPE needs no search of its own: the well-formedness scan below refuses any `<!` but a comment or CDATA.
  if (/^<html/i.test(text)) return undefined;
  // Names the parser refuses, renames or reads otherwise (Href and Rel as elements: as values of their parent) may
  // stand inside an element this does not read: such a body is the parser's.
  if (UNREAD.test(text)) return undefined;
  if (scanXml(text, MAX_XML_NESTING).bad) return undefined;
  // The next page only, and no PagingInfo anywhere (an item, or a list in one page): the parser reads this body without
  // a complaint (the checks above are what it refuses) and gives it no paging. Its tags need no reading.
  if (need === 'next' && !text.includes('PagingInfo')) return NO_PAGING;
  const stack: Frame[] = [];
  let root: Plain | undefined;
  /** Elements open inside an element kept as its Href alone (its inside is not read). */
  let skipped = 0;
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */) {
      // The scan let through comments and CDATA only.
      const comment = text.startsWith('<!--', lt);
      const end = text.indexOf(comment ? '-->' : ']]>', lt + 4);
      if (end < 0) return undefined;
      i = end + 3;
      continue;
    }
    if (next === 0x3f /* ? */) {
      // A processing instruction inside the root becomes a property of the parser's object: the parser's to read.
      if (root) return undefined;
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return undefined;
      i = end + 2;
      continue;
    }
    if (next === 0x2f /* / */) {
      const end = text.indexOf('>', lt + 2);
      if (end < 0) return undefined;
      i = end + 1;
      if (skipped > 0) skipped--;
      else stack.pop();
      continue;
    }
    // A start tag, read a character at a time (the scan has checked its form): its name, its Href and Rel, its end.
    if (!readTag(text, lt, skipped === 0)) return undefined;
    i = tag.end;
    const empty = tag.empty;
    if (skipped > 0) {
      if (!empty) skipped++;
      continue;
    }
    const name = localName(tag.name);
    if (name === undefined) return undefined;
    const hasHref = tag.hrefFrom >= 0;
    const parent = stack[stack.length - 1];
    // Below the root, an element with an Href is a child (or a link) to the rules: only its Href and Rel are read.
    const leaf = parent !== undefined && hasHref && name !== 'Links' && name !== 'PagingInfo';
    if (parent?.attributes?.includes(name)) return undefined;
    if (leaf && parent.hrefKept?.includes(name)) {
      if (!empty) skipped = 1;
      continue;
    }
    const obj: Plain = {};
    if (hasHref) obj.Href = attributeValue(text.slice(tag.hrefFrom, tag.hrefTo));
    if (tag.relFrom >= 0) obj.Rel = attributeValue(text.slice(tag.relFrom, tag.relTo));
    if (!parent) {
      root = obj;
    } else {
      const siblings = Object.hasOwn(parent.obj, name) ? parent.obj[name] : undefined;
      if (Array.isArray(siblings)) siblings.push(obj);
      else parent.obj[name] = [obj];
      if (leaf) {
        parent.hrefKept?.push(name);
        if (!empty) skipped = 1;
        continue;
      }
    }
    // Every link of a Links element is read (for the paging); elsewhere one child is all the next page depends on.
    if (!empty) stack.push({ obj, attributes: tag.attributes > 0 ? attributeNames(text) : undefined, hrefKept: need === 'next' && name !== 'Links' ? [] : undefined });
  }
  return root;
}

/**
 * A name as the parser keeps it (a namespace prefix removed, as `removeNSPrefix` does); undefined for one it would
 * refuse, rename or read as something else than an element or an attribute (Href and Rel as elements, `#text`).
 */
function localName(raw: string, attribute = false): string | undefined {
  // As `raw.split(':')` would: a name with one colon loses its prefix, one with more is kept whole.
  const colon = raw.indexOf(':');
  const prefixed = colon >= 0 && raw.indexOf(':', colon + 1) < 0;
  if ((colon < 0 ? raw : raw.slice(0, colon)) === 'xmlns') return attribute ? '' : undefined;
  const name = prefixed ? raw.slice(colon + 1) : raw;
  if (!name || UNSAFE_NAMES.has(name)) return undefined;
  if (!attribute && (name === 'Href' || name === 'Rel' || name === '#text')) return undefined;
  return name;
}

/** An attribute's value as the parser gives it: line ends normalised (it does so to the whole text), trimmed, decoded. */
function attributeValue(raw: string): string {
  return decodeXmlEntities((raw.includes('\r') ? raw.replace(/\r\n?/g, '\n') : raw).trim());
}

/** The parser's rules for links, children and paging (kinds/em/parser.ts `toResource`), links only. */
class EmLinkReader {
  private readonly links: WalkLink[] = [];
  private readonly children: WalkLink[] = [];
  private paging?: { next?: string };

  constructor(
    private readonly base: string,
    private readonly need: LinkNeed,
  ) {}

  read(obj: Plain): ScannedLinks {
    if (this.need === 'all') for (const link of readLinks(obj.Links, this.base)) if (isNavigable(link)) this.links.push({ href: link.href });
    for (const key in obj) {
      const value = obj[key];
      if (IDENTITY_KEYS.has(key) || key === 'Links' || key === 'xmlns' || key.startsWith('xmlns:') || key.startsWith('xsi:') || key === 'schemaLocation') continue;
      if (value === null || value === undefined) continue;
      if (key === 'PagingInfo') {
        this.paging = readPaging(unwrapElement(value), this.base);
        continue;
      }
      this.collect(value, 0);
    }
    const scanned: ScannedLinks = { follow: this.need === 'all' ? [...this.links, ...this.children] : [] };
    if (this.paging?.next) scanned.next = this.paging.next;
    return scanned;
  }

  private child(item: Plain): void {
    if (this.need === 'next') return;
    const href = resolve(str(item.Href)!, this.base);
    if (href) this.children.push({ href });
  }

  private collect(value: unknown, depth: number): void {
    const items = asArray(value);
    if (depth < MAX_DEPTH && items.some(hasHref)) {
      for (const item of items) {
        if (hasHref(item)) this.child(item);
        else if (holdsResources(item)) this.collectContainer(item as Plain, depth + 1);
      }
      return;
    }
    if (depth < MAX_DEPTH && items.some((x) => holdsResources(x))) {
      for (const item of items) if (isObject(item)) this.collectContainer(item, depth + 1);
    }
  }

  private collectContainer(obj: Plain, depth: number): void {
    for (const key in obj) {
      const value = obj[key];
      if (value === null || value === undefined || key === 'Links' || IDENTITY_KEYS.has(key)) continue;
      if (key === 'PagingInfo') {
        this.paging ??= readPaging(unwrapElement(value), this.base);
        continue;
      }
      for (const item of asArray(value)) {
        if (hasHref(item)) this.child(item);
        else if (depth < MAX_DEPTH && holdsResources(item)) this.collectContainer(item as Plain, depth + 1);
      }
    }
  }
}

function readLinks(value: unknown, base: string): Array<{ rel: string; href: string }> {
  const raw: unknown[] = [];
  for (const entry of asArray(value)) {
    if (isObject(entry) && 'Link' in entry) raw.push(...asArray(entry.Link));
    else raw.push(entry);
  }
  const links: Array<{ rel: string; href: string }> = [];
  for (const l of raw) {
    if (!isObject(l)) continue;
    const rel = str(l.Rel);
    const href = str(l.Href);
    if (!rel || !href) continue;
    links.push({ rel, href: resolve(href, base) });
  }
  return links;
}

function readPaging(obj: Plain, base: string): { next?: string } {
  const paging: { next?: string } = {};
  for (const link of readLinks(obj.Links, base)) if (link.rel.toLowerCase() === 'next') paging.next = link.href;
  return paging;
}
