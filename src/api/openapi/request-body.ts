// The body an OpenAPI operation takes (OpenAPI 3 `requestBody`, Swagger 2 `in: body`), as a prefilled JSON document the
// user edits, and what is wrong with a JSON document for such a body before it is sent. A server's document is hostile
// text: every walk here is bounded (depth, members, properties, values, characters, and a budget per document), and a
// `$ref` cycle is cut where it closes.
import { say, type Wording } from '../messages';
import { messageText } from '../parse/message-text';
import type { ActionBody } from '../resource';
import { isObject, type Plain } from './plain';

const has = (o: Plain, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** Objects and arrays nested in a template, at most: deeper ones are left empty. */
const MAX_TEMPLATE_DEPTH = 8;
/** Values one template holds, at most. */
const MAX_TEMPLATE_NODES = 500;
/** Characters one template holds, about (names, values and indentation counted as they are added). */
const MAX_TEMPLATE_CHARS = 32 * 1024;
/** Values all the templates of one document hold, at most: past it, bodies come without a template. */
export const MAX_DOCUMENT_TEMPLATE_NODES = 100_000;
/** `allOf` members merged into one schema, and required names read of one schema, at most. */
const MAX_MEMBERS = 32;
const MAX_REQUIRED_NAMES = 256;
/** Properties a template shows of a root object that requires none. */
const MAX_OPTIONAL_PROPERTIES = 32;
/** A property name longer than this is left out of the template (real ones are words). */
const MAX_NAME_CHARS = 200;
/** An `example`, `default` or `enum` string longer than this is not used (a placeholder is). */
const MAX_EXAMPLE_CHARS = 200;
/** Required paths one body lists, at most. */
const MAX_REQUIRED_PATHS = 200;
/** Characters of a request document this extension checks: a longer one is refused. */
export const MAX_BODY_CHARS = 8 * 1024 * 1024;

/** What the reader lends: the document's local `$ref`s followed (cycles and dead ends as undefined). */
export type Resolve = (value: unknown) => unknown;

/** Values left for the templates of one document (see MAX_DOCUMENT_TEMPLATE_NODES). */
export interface TemplateBudget {
  nodes: number;
}

export function documentBudget(): TemplateBudget {
  return { nodes: MAX_DOCUMENT_TEMPLATE_NODES };
}

const JSON_TYPE = /^(?:application\/(?:[\w.-]+\+)?json|text\/json)\s*(?:;|$)/i;

/**
 * The body an operation takes, or undefined when it takes none: OpenAPI 3's `requestBody` (the JSON media type
 * preferred) or Swagger 2's `in: body` parameter (with the operation's or the document's `consumes`). A body in another
 * media type (a form, a file) comes with an empty template.
 */
export function requestBodyOf(op: Plain, resolve: Resolve, doc: Plain, budget: TemplateBudget = documentBudget()): ActionBody | undefined {
  const declared = resolve(op.requestBody);
  if (isObject(declared)) {
    const content = isObject(declared.content) ? declared.content : {};
    const types = Object.keys(content);
    const type = types.find((t) => /^application\/json\s*(?:;|$)/i.test(t)) ?? types.find((t) => JSON_TYPE.test(t)) ?? types[0];
    const media = type === undefined ? undefined : resolve(content[type]);
    const schema = isObject(media) ? media.schema : undefined;
    return bodyFor(type ?? 'application/json', declared.required === true, schema, resolve, budget);
  }
  const parameters = Array.isArray(op.parameters) ? op.parameters : [];
  for (let k = 0; k < parameters.length && k < MAX_MEMBERS; k++) {
    const param = resolve(parameters[k]);
    if (!isObject(param) || param.in !== 'body') continue;
    const consumes = [op.consumes, doc.consumes].find(Array.isArray)?.filter((t): t is string => typeof t === 'string') ?? [];
    const type = consumes.find((t) => JSON_TYPE.test(t)) ?? consumes[0] ?? 'application/json';
    return bodyFor(type, param.required === true, param.schema, resolve, budget);
  }
  return undefined;
}

function bodyFor(contentType: string, required: boolean, schema: unknown, resolve: Resolve, budget: TemplateBudget): ActionBody {
  const type = contentType.slice(0, MAX_NAME_CHARS);
  const ref = isObject(schema) && typeof schema.$ref === 'string' ? schema.$ref : undefined;
  const last = ref?.slice(ref.lastIndexOf('/') + 1);
  const schemaName = last && last.length <= MAX_NAME_CHARS && /^[\w.-]+$/.test(last) ? last : undefined;
  const body: ActionBody = { contentType: type, required, template: '', requiredPaths: [], ...(schemaName && { schemaName }) };
  if (!JSON_TYPE.test(type) || schema === undefined) return body;
  // The document's budget spent: an object to fill in, nothing checked but its form.
  if (budget.nodes <= 0) return { ...body, template: '{}' };
  const maker = new TemplateMaker(resolve, budget);
  const value = maker.value(schema, 0, '', true);
  // Nothing known of its shape (a dead `$ref`, a schema without type): an object to fill in.
  body.template = JSON.stringify(value === undefined || value === null ? {} : value, null, 2);
  body.requiredPaths = maker.paths;
  return body;
}

/** One template: its values, the required paths met on the way, and what it may still spend. */
class TemplateMaker {
  readonly paths: string[] = [];
  private nodes = MAX_TEMPLATE_NODES;
  private chars = MAX_TEMPLATE_CHARS;
  /** `$ref`s being expanded on the way down: one met again closes a cycle. */
  private readonly open = new Set<string>();

  constructor(
    private readonly resolve: Resolve,
    private readonly budget: TemplateBudget,
  ) {}

  /** The template of a schema; `path` is where it sits (dotted) when every step to it was required, else undefined. */
  value(schema: unknown, depth: number, path: string | undefined, root = false): unknown {
    if (!this.spend(1)) return undefined;
    const ref = isObject(schema) && typeof schema.$ref === 'string' ? schema.$ref : undefined;
    if (ref !== undefined && this.open.has(ref)) return {};
    if (ref !== undefined) this.open.add(ref);
    try {
      const parts = this.members(schema, 0);
      if (parts.length === 0) return null;
      const type = typeOf(parts);
      if (type === 'object') return this.object(parts, depth, path, root);
      if (type === 'array') {
        if (depth >= MAX_TEMPLATE_DEPTH) return [];
        const items = parts.map((p) => p.items).find((i) => i !== undefined);
        const item = items === undefined ? undefined : this.value(items, depth + 1, undefined);
        return item === undefined ? [] : [item];
      }
      return scalarOf(parts, type);
    } finally {
      if (ref !== undefined) this.open.delete(ref);
    }
  }

  /** The schemas that make one: itself, its `allOf` members (flattened), or the first of its `oneOf`/`anyOf`. */
  private members(schema: unknown, depth: number, out: Plain[] = []): Plain[] {
    const s = this.resolve(schema);
    if (!isObject(s) || out.length >= MAX_MEMBERS || depth > MAX_TEMPLATE_DEPTH) return out;
    out.push(s);
    if (Array.isArray(s.allOf)) {
      for (let k = 0; k < s.allOf.length && out.length < MAX_MEMBERS; k++) {
        const member = s.allOf[k];
        const ref = isObject(member) && typeof member.$ref === 'string' ? member.$ref : undefined;
        if (ref !== undefined && this.open.has(ref)) continue;
        this.members(member, depth + 1, out);
      }
    }
    // A choice counts only where the schema says nothing of its own shape (a polymorphic base names its subtypes).
    const choice = [s.oneOf, s.anyOf].find((c): c is unknown[] => Array.isArray(c) && c.length > 0);
    if (choice && !isObject(s.properties)) {
      const first = choice[0];
      const ref = isObject(first) && typeof first.$ref === 'string' ? first.$ref : undefined;
      if (ref === undefined || !this.open.has(ref)) this.members(first, depth + 1, out);
    }
    return out;
  }

  private object(parts: Plain[], depth: number, path: string | undefined, root: boolean): Plain {
    const out = Object.create(null) as Plain;
    if (depth >= MAX_TEMPLATE_DEPTH) return out;
    const required = requiredNames(parts);
    const names = required.length > 0 || !root ? required : optionalNames(parts);
    for (const name of names) {
      if (has(out, name) || name.length > MAX_NAME_CHARS) continue;
      const property = parts.map((p) => (isObject(p.properties) && has(p.properties, name) ? p.properties[name] : undefined)).find((p) => p !== undefined);
      const resolved = this.resolve(property);
      if (isObject(resolved) && resolved.readOnly === true) continue;
      if (!this.spend(name.length + 2 * depth + 8)) break;
      const here = path !== undefined && required.length > 0 && !name.includes('.') ? (path ? `${path}.${name}` : name) : undefined;
      if (here !== undefined && this.paths.length < MAX_REQUIRED_PATHS) this.paths.push(here);
      const value = property === undefined ? null : this.value(property, depth + 1, here);
      if (value === undefined) {
        if (here !== undefined) this.paths.pop();
        break;
      }
      out[name] = value;
    }
    return out;
  }

  /** Takes `n` from the template's and the document's budgets (characters for more than one); false when spent. */
  private spend(n: number): boolean {
    if (n === 1) {
      if (this.nodes <= 0 || this.budget.nodes <= 0) return false;
      this.nodes--;
      this.budget.nodes--;
      return true;
    }
    this.chars -= n;
    return this.chars > 0;
  }
}

function requiredNames(parts: Plain[]): string[] {
  const names: string[] = [];
  for (const part of parts) {
    const list = Array.isArray(part.required) ? part.required : [];
    for (let k = 0; k < list.length && names.length < MAX_REQUIRED_NAMES; k++) {
      const name = list[k];
      if (typeof name === 'string' && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

function optionalNames(parts: Plain[]): string[] {
  const names: string[] = [];
  for (const part of parts) {
    if (!isObject(part.properties)) continue;
    for (const name in part.properties) {
      if (names.length >= MAX_OPTIONAL_PROPERTIES) return names;
      if (has(part.properties, name) && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

function typeOf(parts: Plain[]): string | undefined {
  for (const part of parts) {
    const t = Array.isArray(part.type) ? part.type.find((x) => typeof x === 'string' && x !== 'null') : part.type;
    if (typeof t === 'string') return t;
  }
  if (parts.some((p) => isObject(p.properties) || Array.isArray(p.required))) return 'object';
  if (parts.some((p) => p.items !== undefined)) return 'array';
  return undefined;
}

/** A scalar: the schema's `const`, `example`, `default` or first `enum` value, else a placeholder of its type. */
function scalarOf(parts: Plain[], type: string | undefined): unknown {
  for (const part of parts) {
    const examples = Array.isArray(part.examples) ? part.examples[0] : undefined;
    const enums = Array.isArray(part.enum) ? part.enum[0] : undefined;
    for (const candidate of [part.const, part.example, examples, part.default, enums]) {
      if (isShortScalar(candidate)) return candidate;
    }
  }
  const format = parts.map((p) => p.format).find((f) => typeof f === 'string');
  const minimum = parts.map((p) => p.minimum).find((m) => typeof m === 'number' && Number.isFinite(m));
  switch (type) {
    case 'integer':
    case 'number':
      return minimum ?? 0;
    case 'boolean':
      return false;
    case 'string':
      return placeholderString(format);
    default:
      return null;
  }
}

function isShortScalar(v: unknown): boolean {
  return (typeof v === 'string' && v.length <= MAX_EXAMPLE_CHARS) || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

function placeholderString(format: unknown): string {
  switch (format) {
    case 'uuid':
      return '00000000-0000-0000-0000-000000000000';
    case 'date-time':
      return '2025-01-01T00:00:00Z';
    case 'date':
      return '2025-01-01';
    case 'email':
      return 'user@example.com';
    case 'uri':
    case 'url':
      return 'https://example.com/';
    case 'password':
      return '';
    default:
      return 'string';
  }
}

/**
 * What is wrong with a JSON request document for `body`: too large, not well-formed (with its line and column), or a
 * required path missing (each one named). An empty document is fine for a body that is not required (none is sent).
 */
export function checkJsonBody(body: ActionBody, text: string): Wording[] {
  const presence = checkPresence(body, text);
  if (presence) return presence;
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const reason = messageText((err as Error).message, 200);
    const at = jsonErrorOffset(text.replace(/^\uFEFF/, ''));
    if (at === undefined) return [say('request-body.json-malformed', { reason })];
    const { line, column } = lineAndColumn(text, at + (text.startsWith('\uFEFF') ? 1 : 0));
    return [say('request-body.json-malformed-at', { line, column, reason })];
  }
  return body.requiredPaths.filter((path) => !hasJsonPath(value, path)).map((path) => say('request-body.missing', { path }));
}

/**
 * Empty, too large, or neither (undefined: go on checking), for a document of either representation. An empty
 * document is fine for a body that is not required.
 */
export function checkPresence(body: ActionBody, text: string): Wording[] | undefined {
  if (text.length > MAX_BODY_CHARS) return [say('request-body.too-large', { chars: text.length.toLocaleString('en-US'), limit: MAX_BODY_CHARS.toLocaleString('en-US') })];
  if (text.trim() === '' || text === '\uFEFF') return body.required ? [say('request-body.empty', { schema: body.schemaName ?? body.rootElement ?? body.contentType })] : [];
  return undefined;
}

function hasJsonPath(value: unknown, path: string): boolean {
  let at = value;
  for (const step of path.split('.')) {
    if (!isObject(at) || !has(at, step)) return false;
    at = at[step];
  }
  return true;
}

/** Line and column (1-based) of a character of the text. */
export function lineAndColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < index; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: index - lineStart + 1 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * Where JSON text first breaks the grammar (Node names the place of some errors only): one pass, no recursion.
 * Undefined when it finds none.
 */
export function jsonErrorOffset(text: string): number | undefined {
  const open: number[] = [];
  type Want = 'value' | 'valueOrEnd' | 'key' | 'keyOrEnd' | 'colon' | 'after';
  let want: Want = 'value';
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) return want === 'after' && open.length === 0 ? undefined : n;
    const c = text[i];
    const wantsKey: boolean = want === 'key' || want === 'keyOrEnd';
    if (want === 'after') {
      const top = open[open.length - 1];
      if (top === undefined) return i;
      if (c === ',') want = top === 0x7b ? 'key' : 'value';
      else if ((c === '}' && top === 0x7b) || (c === ']' && top === 0x5b)) open.pop();
      else return i;
      i++;
      continue;
    }
    if (want === 'colon') {
      if (c !== ':') return i;
      i++;
      want = 'value';
      continue;
    }
    if ((c === '}' && want === 'keyOrEnd') || (c === ']' && want === 'valueOrEnd')) {
      open.pop();
      i++;
      want = 'after';
      continue;
    }
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end < 0) return -end - 1;
      i = end;
      want = wantsKey ? 'colon' : 'after';
      continue;
    }
    if (wantsKey) return i;
    if (c === '{' || c === '[') {
      open.push(c.charCodeAt(0));
      i++;
      want = c === '{' ? 'keyOrEnd' : 'valueOrEnd';
      continue;
    }
    const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
    if (word) {
      i += word.length;
    } else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return i;
      i = NUMBER.lastIndex;
    }
    want = 'after';
  }
}

/** After a string's closing quote, or -(where it breaks + 1). */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -(i + 1);
    if (c === 0x5c) {
      ESCAPE.lastIndex = i;
      if (!ESCAPE.test(text)) return -(i + 1);
      i = ESCAPE.lastIndex;
      continue;
    }
    i++;
  }
  return -(text.length + 1);
}
