// What a server's own OpenAPI document says of one path (Service Provider Console, Backup & Replication): its
// operations, their parameters, and the schemas of what they take and answer, summarised. For the explorer's tools
// (Copilot Chat's `veeam_describe`). The document is hostile text: every walk is bounded (operations, parameters,
// properties, depth, characters), `$ref` cycles are cut where they close, and every text is one safe line.
import { messageText } from '../parse/message-text';
import { MAX_OPENAPI_BYTES, MAX_OPENAPI_PATHS, RefResolver, serverPath } from './reader';
import { isObject, type Plain } from './plain';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
/** Characters of a summary or description carried. */
const MAX_TEXT = 240;
/** Parameters of one operation carried, properties of one object, values of one enum. */
const MAX_PARAMETERS = 40;
const MAX_PROPERTIES = 40;
const MAX_ENUM = 16;
/** Nested objects expanded below a schema's own properties (`data: array of JobModel` shows JobModel's). */
const MAX_DEPTH = 2;
/** `allOf` members merged, variants named. */
const MAX_MEMBERS = 16;
/** Paths listed one level below the described one. */
const MAX_BELOW = 40;
/** Characters of a path or a name taken from the document. */
const MAX_NAME = 200;

export interface ParameterSummary {
  name: string;
  in: string;
  required: boolean;
  type: string;
  enum?: string[];
  default?: string;
  description?: string;
}

export interface PropertySummary {
  name: string;
  type: string;
  required: boolean;
  enum?: string[];
  description?: string;
  /** The properties of an object (or of an array's items) one level down, while the depth allows. */
  properties?: PropertySummary[];
  /** Properties left out past MAX_PROPERTIES. */
  more?: number;
}

export interface SchemaSummary {
  /** The component's name when the schema is a `$ref` (`JobModel`). */
  name?: string;
  type: string;
  enum?: string[];
  properties?: PropertySummary[];
  more?: number;
  /** `oneOf`/`anyOf` members by name. */
  variants?: string[];
}

export interface OperationSummary {
  method: string;
  summary?: string;
  operationId?: string;
  description?: string;
  deprecated?: boolean;
  parameters: ParameterSummary[];
  requestBody?: { contentTypes: string[]; required: boolean; schema?: SchemaSummary };
  responses: Array<{ status: string; description?: string; schema?: SchemaSummary }>;
}

export interface PathDescription {
  /** The document's path, under its server's path (`/api/v1/jobs/{id}`, `/api/v3/organizations/companies`). */
  path: string;
  operations: OperationSummary[];
  /** Paths one segment below, with their methods (sub-collections, items, actions). */
  below: Array<{ path: string; methods: string[] }>;
  /** How many more were left out. */
  moreBelow: number;
}

/** A server's OpenAPI document, parsed once and asked about paths. */
export class ApiDocument {
  readonly title?: string;
  readonly revision?: string;
  private readonly refs: RefResolver;
  /** Every path with its segments, the server's path put before it when the document writes paths below it. */
  private readonly paths: Array<{ path: string; segments: string[]; item: Plain }> = [];

  private constructor(private readonly doc: Plain) {
    this.refs = new RefResolver(doc);
    const info = isObject(doc.info) ? doc.info : {};
    if (typeof info.title === 'string') this.title = messageText(info.title, MAX_NAME);
    if (typeof info.version === 'string') this.revision = messageText(info.version, MAX_NAME);
    const prefix = serverPath(doc);
    for (const [key, value] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
      const item = this.refs.resolve(value);
      if (!key.startsWith('/') || key.length > 2048 || !isObject(item)) continue;
      const path = prefix && key !== prefix && !key.startsWith(`${prefix}/`) ? `${prefix}${key}` : key;
      this.paths.push({ path, segments: segmentsOf(path), item });
    }
  }

  /** The document in `body`, or why it is not one this reads (too large, not JSON, no paths). */
  static read(body: Uint8Array): ApiDocument | { refused: string } {
    if (body.byteLength > MAX_OPENAPI_BYTES) return { refused: `the document is ${body.byteLength} bytes, more than the ${MAX_OPENAPI_BYTES} read` };
    let doc: unknown;
    try {
      doc = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    } catch {
      return { refused: 'the document is not JSON' };
    }
    if (!isObject(doc) || !isObject(doc.paths)) return { refused: 'the document has no paths' };
    if (Object.keys(doc.paths).length > MAX_OPENAPI_PATHS) return { refused: `the document describes more than ${MAX_OPENAPI_PATHS} paths` };
    return new ApiDocument(doc);
  }

  /**
   * The path of the document a URL (or a path, `{id}` segments standing for any value) is: the one with the most
   * literal segments among those of the same length, else among those that end the URL's path (a proxy's prefix).
   */
  describe(urlOrPath: string): PathDescription | undefined {
    const wanted = segmentsOf(pathOf(urlOrPath));
    const found = this.best(wanted, true) ?? this.best(wanted, false);
    if (!found) return undefined;
    const operations: OperationSummary[] = [];
    const shared = Array.isArray(found.item.parameters) ? found.item.parameters : [];
    for (const method of METHODS) {
      const op = this.refs.resolve(found.item[method]);
      if (isObject(op)) operations.push(this.operation(method, op, shared));
    }
    const below = this.paths
      .filter((p) => p.segments.length === found.segments.length + 1 && found.segments.every((s, i) => sameSegment(s, p.segments[i])))
      .map((p) => ({ path: messageText(p.path, MAX_NAME), methods: METHODS.filter((m) => isObject(this.refs.resolve(p.item[m]))).map((m) => m.toUpperCase()) }));
    return { path: messageText(found.path, MAX_NAME), operations, below: below.slice(0, MAX_BELOW), moreBelow: Math.max(0, below.length - MAX_BELOW) };
  }

  /** Paths whose last literal segment is one of the URL's, for "did you mean" (at most 10). */
  similar(urlOrPath: string): string[] {
    const words = new Set(segmentsOf(pathOf(urlOrPath)).filter((s) => !isParam(s)).map((s) => s.toLowerCase()));
    return this.paths
      .filter((p) => words.has([...p.segments].reverse().find((s) => !isParam(s))?.toLowerCase() ?? ''))
      .slice(0, 10)
      .map((p) => messageText(p.path, MAX_NAME));
  }

  private best(wanted: string[], sameLength: boolean): { path: string; segments: string[]; item: Plain } | undefined {
    let best: { path: string; segments: string[]; item: Plain } | undefined;
    let bestScore = -1;
    for (const p of this.paths) {
      if (sameLength ? p.segments.length !== wanted.length : p.segments.length >= wanted.length) continue;
      const tail = wanted.slice(wanted.length - p.segments.length);
      if (!p.segments.every((s, i) => matches(s, tail[i]))) continue;
      const score = p.segments.filter((s) => !isParam(s)).length;
      if (score > bestScore) [best, bestScore] = [p, score];
    }
    return best;
  }

  private operation(method: string, op: Plain, shared: unknown[]): OperationSummary {
    const out: OperationSummary = { method: method.toUpperCase(), parameters: [], responses: [] };
    if (typeof op.summary === 'string') out.summary = messageText(op.summary, MAX_TEXT);
    if (typeof op.operationId === 'string') out.operationId = messageText(op.operationId, MAX_NAME);
    if (typeof op.description === 'string' && op.description !== op.summary) out.description = messageText(op.description, MAX_TEXT);
    if (op.deprecated === true) out.deprecated = true;
    const own = Array.isArray(op.parameters) ? op.parameters : [];
    const seen = new Set<string>();
    for (const raw of [...own, ...shared]) {
      const p = this.refs.resolve(raw);
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue;
      const key = `${p.in} ${p.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (out.parameters.length < MAX_PARAMETERS) out.parameters.push(this.parameter(p));
    }
    const body = this.refs.resolve(op.requestBody);
    if (isObject(body) && isObject(body.content)) {
      const types = Object.keys(body.content).slice(0, MAX_MEMBERS);
      const json = types.find((t) => /json/i.test(t)) ?? types[0];
      const media = json ? this.refs.resolve((body.content as Plain)[json]) : undefined;
      out.requestBody = { contentTypes: types.map((t) => messageText(t, MAX_NAME)), required: body.required === true };
      if (isObject(media) && media.schema !== undefined) out.requestBody.schema = this.schema(media.schema);
    }
    const responses = isObject(op.responses) ? op.responses : {};
    for (const [status, raw] of Object.entries(responses).slice(0, MAX_MEMBERS)) {
      const r = this.refs.resolve(raw);
      if (!isObject(r)) continue;
      const entry: OperationSummary['responses'][number] = { status: messageText(status, 16) };
      if (typeof r.description === 'string') entry.description = messageText(r.description, MAX_TEXT);
      // Only a success's schema is described: errors share one, and a budget is better spent on the answer.
      const content = /^2/.test(status) && isObject(r.content) ? r.content : undefined;
      const type = content ? (Object.keys(content).find((t) => /json/i.test(t)) ?? Object.keys(content)[0]) : undefined;
      const media = content && type ? this.refs.resolve(content[type]) : undefined;
      if (isObject(media) && media.schema !== undefined) entry.schema = this.schema(media.schema);
      out.responses.push(entry);
    }
    return out;
  }

  private parameter(p: Plain): ParameterSummary {
    const schema = this.refs.resolve(p.schema);
    const s = isObject(schema) ? schema : p;
    const out: ParameterSummary = { name: messageText(p.name as string, MAX_NAME), in: messageText(p.in as string, 16), required: p.required === true, type: this.typeOf(p.schema ?? p) };
    const values = enumOf(s);
    if (values) out.enum = values;
    if (s.default !== undefined && s.default !== null && typeof s.default !== 'object') out.default = messageText(String(s.default), MAX_NAME);
    if (typeof p.description === 'string') out.description = messageText(p.description, MAX_TEXT);
    return out;
  }

  /** A schema's summary: its type, and the properties of an object (nested objects one level further). */
  private schema(raw: unknown): SchemaSummary {
    const name = refName(raw);
    const resolved = this.refs.resolve(raw);
    const out: SchemaSummary = { type: this.typeOf(raw) };
    if (name) out.name = name;
    if (!isObject(resolved)) return out;
    const values = enumOf(resolved);
    if (values) out.enum = values;
    const variants = [...asArray(resolved.oneOf), ...asArray(resolved.anyOf)].slice(0, MAX_MEMBERS).map((v) => this.typeOf(v));
    if (variants.length) out.variants = variants;
    const target = resolved.type === 'array' ? resolved.items : raw;
    const props = this.properties(target, 1, new Set(name ? [name] : []));
    if (props) [out.properties, out.more] = [props.list, props.more || undefined];
    return out;
  }

  /** The properties of an object schema (`allOf` members merged), with nested objects while `depth` allows. */
  private properties(raw: unknown, depth: number, path: Set<string>): { list: PropertySummary[]; more: number } | undefined {
    const merged = this.merged(raw);
    if (!merged) return undefined;
    const list: PropertySummary[] = [];
    const entries = Object.entries(merged.properties);
    for (const [key, value] of entries.slice(0, MAX_PROPERTIES)) {
      const prop = this.refs.resolve(value);
      const p: PropertySummary = { name: messageText(key, MAX_NAME), type: this.typeOf(value), required: merged.required.has(key) };
      if (isObject(prop)) {
        const values = enumOf(prop);
        if (values) p.enum = values;
        if (typeof prop.description === 'string') p.description = messageText(prop.description, MAX_TEXT);
        const inner = prop.type === 'array' ? prop.items : value;
        const innerName = refName(inner);
        if (depth < MAX_DEPTH && !(innerName && path.has(innerName))) {
          const nested = this.properties(inner, depth + 1, innerName ? new Set([...path, innerName]) : path);
          if (nested && nested.list.length) [p.properties, p.more] = [nested.list, nested.more || undefined];
        }
      }
      list.push(p);
    }
    return { list, more: Math.max(0, entries.length - MAX_PROPERTIES) };
  }

  /** An object schema's properties and required names, its `allOf` members merged (one level of members). */
  private merged(raw: unknown): { properties: Plain; required: Set<string> } | undefined {
    const schema = this.refs.resolve(raw);
    if (!isObject(schema)) return undefined;
    const members = [schema, ...asArray(schema.allOf).slice(0, MAX_MEMBERS).map((m) => this.refs.resolve(m))].filter(isObject);
    const properties: Plain = {};
    const required = new Set<string>();
    for (const m of members) {
      if (isObject(m.properties)) for (const [k, v] of Object.entries(m.properties)) if (!(k in properties)) properties[k] = v;
      for (const r of asArray(m.required).slice(0, 256)) if (typeof r === 'string') required.add(r);
    }
    return Object.keys(properties).length ? { properties, required } : undefined;
  }

  /** `string (date-time)`, `integer (int32)`, `array of JobModel`, `JobModel`, `object`. */
  private typeOf(raw: unknown, depth = 0): string {
    const name = refName(raw);
    if (name) return name;
    const s = this.refs.resolve(raw);
    if (!isObject(s)) return 'any';
    if (s.type === 'array') return depth > 3 ? 'array' : `array of ${this.typeOf(s.items, depth + 1)}`;
    const type = typeof s.type === 'string' ? messageText(s.type, 32) : asArray(s.allOf).length ? 'object' : 'any';
    return typeof s.format === 'string' ? `${type} (${messageText(s.format, 32)})` : type;
  }
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** `#/components/schemas/JobModel` → `JobModel`. */
function refName(raw: unknown): string | undefined {
  if (!isObject(raw) || typeof raw.$ref !== 'string') return undefined;
  const name = raw.$ref.slice(raw.$ref.lastIndexOf('/') + 1);
  return name ? messageText(name, MAX_NAME) : undefined;
}

function enumOf(s: Plain): string[] | undefined {
  if (!Array.isArray(s.enum) || s.enum.length === 0) return undefined;
  const values = s.enum.slice(0, MAX_ENUM).map((v) => messageText(String(v), MAX_NAME));
  if (s.enum.length > MAX_ENUM) values.push(`… ${s.enum.length - MAX_ENUM} more`);
  return values;
}

/** The path of a URL or of a path as written (query and fragment dropped). */
function pathOf(urlOrPath: string): string {
  try {
    return new URL(urlOrPath).pathname;
  } catch {
    return urlOrPath.split(/[?#]/)[0];
  }
}

function segmentsOf(path: string): string[] {
  return path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

const isParam = (segment: string) => /^\{[^}]*\}$/.test(segment);

/** A document's segment against one of the URL's: a parameter stands for any value; a `{…}` of the URL only for a parameter. */
function matches(template: string, actual: string): boolean {
  if (isParam(template)) return actual !== '';
  return !isParam(actual) && template.toLowerCase() === actual.toLowerCase();
}

function sameSegment(a: string, b: string): boolean {
  return (isParam(a) && isParam(b)) || a.toLowerCase() === b.toLowerCase();
}
