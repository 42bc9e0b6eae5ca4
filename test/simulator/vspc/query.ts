import { ERROR_CODES, VspcError } from './errors';
import type { Item, Json } from './estate';

/** `limit`: 1–500, default 100; `offset`: 0–2147483647, default 0 (as the OpenAPI document says). */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;
const MAX_OFFSET = 2_147_483_647;

export type Collation = 'ordinal' | 'ignorecase' | 'lexicographic';
const COMPARISONS = ['equals', 'notEquals', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'contains', 'in'] as const;
const LOGICAL = ['and', 'or', 'not'] as const;
type Comparison = (typeof COMPARISONS)[number];

type Predicate = (item: Item) => boolean;

interface SortKey {
  path: string[];
  descending: boolean;
  collation: Collation;
}

export interface PageQuery {
  limit: number;
  offset: number;
  filter: Predicate;
  sort: SortKey[];
}

export interface Page {
  data: Item[];
  meta: { pagingInfo: { total: number; count: number; offset: number } };
}

const badParameter = (message: string, code: number = ERROR_CODES.badParameter) => new VspcError(400, message, 'logical', code);

function integer(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw badParameter(`The value '${raw}' is not valid for the '${name}' parameter: an integer is expected.`);
  const value = Number(raw);
  if (value < min || value > max) throw badParameter(`The '${name}' parameter must be between ${min} and ${max}; got ${value}.`);
  return value;
}

/** `a.b.c` → the nested value, or undefined. */
function valueAt(item: Json, path: string[]): Json | undefined {
  let current: Json | undefined = item;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as { [key: string]: Json })[key];
  }
  return current;
}

function parseJson(raw: string, name: 'filter' | 'sort', code: number): unknown {
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw badParameter(`The '${name}' parameter is not valid JSON: ${(err as Error).message}`, code);
  }
}

function collationOf(value: unknown, where: string, code: number): Collation {
  if (value === undefined || value === null) return 'ordinal';
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'ordinal' || lower === 'ignorecase' || lower === 'lexicographic') return lower;
  }
  throw badParameter(`${where}: collation must be one of ordinal, ignorecase, lexicographic.`, code);
}

function compareScalars(a: Json, b: Json, collation: Collation): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  if (collation === 'ignorecase') {
    const [p, q] = [x.toLowerCase(), y.toLowerCase()];
    return p < q ? -1 : p > q ? 1 : 0;
  }
  if (collation === 'lexicographic') return x.localeCompare(y);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Missing values sort first, like nulls in an ascending SQL sort. */
function compareValues(a: Json | undefined, b: Json | undefined, collation: Collation): number {
  const aNull = a === undefined || a === null;
  const bNull = b === undefined || b === null;
  if (aNull || bNull) return aNull && bNull ? 0 : aNull ? -1 : 1;
  return compareScalars(a, b, collation);
}

function equalsValue(actual: Json | undefined, expected: Json, collation: Collation): boolean {
  if (actual === undefined) return expected === null;
  if (actual === null || expected === null) return actual === expected;
  return compareScalars(actual, expected, collation) === 0;
}

function contains(actual: Json | undefined, expected: Json, collation: Collation): boolean {
  if (Array.isArray(actual)) return actual.some((element) => equalsValue(element, expected, collation));
  if (typeof actual !== 'string' || expected === null || typeof expected === 'object') return false;
  const needle = String(expected);
  return collation === 'ordinal' ? actual.includes(needle) : actual.toLowerCase().includes(needle.toLowerCase());
}

class FilterCompiler {
  constructor(private readonly known: Set<string>) {}

  compile(node: unknown, where: string): Predicate {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      throw badParameter(`${where}: a filter expression must be an object with 'property', 'operation' and 'value', or 'operation' and 'items'.`, ERROR_CODES.badFilter);
    }
    const expr = node as Record<string, unknown>;
    const operation = typeof expr.operation === 'string' ? expr.operation : '';
    const logical = LOGICAL.find((op) => op.toLowerCase() === operation.toLowerCase());
    if (logical) {
      if (!Array.isArray(expr.items) || expr.items.length === 0) throw badParameter(`${where}: '${logical}' needs a non-empty 'items' array.`, ERROR_CODES.badFilter);
      const items = expr.items.map((child, i) => this.compile(child, `${where}.items[${i}]`));
      if (logical === 'and') return (item) => items.every((p) => p(item));
      if (logical === 'or') return (item) => items.some((p) => p(item));
      if (items.length !== 1) throw badParameter(`${where}: 'not' takes exactly one item.`, ERROR_CODES.badFilter);
      return (item) => !items[0](item);
    }
    const comparison = COMPARISONS.find((op) => op.toLowerCase() === operation.toLowerCase());
    if (!comparison) {
      throw badParameter(`${where}: unknown operation '${operation}'; use one of ${[...COMPARISONS, ...LOGICAL].join(', ')}.`, ERROR_CODES.badFilter);
    }
    if (typeof expr.property !== 'string' || expr.property === '') throw badParameter(`${where}: 'property' must be a non-empty string.`, ERROR_CODES.badFilter);
    const path = expr.property.split('.');
    if (this.known.size > 0 && !this.known.has(path[0])) throw badParameter(`${where}: the resource has no property '${expr.property}'.`, ERROR_CODES.badFilter);
    const collation = collationOf(expr.collation, where, ERROR_CODES.badFilter);
    if (!('value' in expr)) throw badParameter(`${where}: '${comparison}' needs a 'value'.`, ERROR_CODES.badFilter);
    return this.comparison(comparison, path, expr.value as Json, collation, where);
  }

  private comparison(op: Comparison, path: string[], value: Json, collation: Collation, where: string): Predicate {
    const at = (item: Item) => valueAt(item, path);
    switch (op) {
      case 'equals':
        return (item) => equalsValue(at(item), value, collation);
      case 'notEquals':
        return (item) => !equalsValue(at(item), value, collation);
      case 'contains':
        return (item) => contains(at(item), value, collation);
      case 'in':
        if (!Array.isArray(value)) throw badParameter(`${where}: 'in' needs an array 'value'.`, ERROR_CODES.badFilter);
        return (item) => value.some((candidate) => equalsValue(at(item), candidate, collation));
      default: {
        if (value === null || typeof value === 'object') throw badParameter(`${where}: '${op}' needs a number or string 'value'.`, ERROR_CODES.badFilter);
        const test =
          op === 'lessThan' ? (c: number) => c < 0
          : op === 'lessThanOrEqual' ? (c: number) => c <= 0
          : op === 'greaterThan' ? (c: number) => c > 0
          : (c: number) => c >= 0;
        return (item) => {
          const actual = at(item);
          return actual !== undefined && actual !== null && typeof actual !== 'object' && test(compareScalars(actual, value, collation));
        };
      }
    }
  }
}

function parseSort(raw: string, known: Set<string>): SortKey[] {
  const value = parseJson(raw, 'sort', ERROR_CODES.badSort);
  const list = Array.isArray(value) ? value : [value];
  return list.map((entry, i) => {
    const where = `sort[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw badParameter(`${where}: expected {"property","direction"}.`, ERROR_CODES.badSort);
    const e = entry as Record<string, unknown>;
    if (typeof e.property !== 'string' || e.property === '') throw badParameter(`${where}: 'property' must be a non-empty string.`, ERROR_CODES.badSort);
    const path = e.property.split('.');
    if (known.size > 0 && !known.has(path[0])) throw badParameter(`${where}: the resource has no property '${e.property}'.`, ERROR_CODES.badSort);
    const direction = e.direction === undefined ? 'ascending' : String(e.direction).toLowerCase();
    if (direction !== 'ascending' && direction !== 'descending') throw badParameter(`${where}: direction must be ascending or descending.`, ERROR_CODES.badSort);
    return { path, descending: direction === 'descending', collation: collationOf(e.collation, where, ERROR_CODES.badSort) };
  });
}

/** Reads `limit`, `offset`, `filter` and `sort`; throws VSPC's 400 for values out of range or bad JSON. */
export function parsePageQuery(params: URLSearchParams, sample: Item | undefined): PageQuery {
  const known = new Set(sample ? Object.keys(sample) : []);
  const limit = integer(params, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  const offset = integer(params, 'offset', 0, 0, MAX_OFFSET);
  let filter: Predicate = () => true;
  const rawFilter = params.get('filter');
  if (rawFilter !== null && rawFilter.trim() !== '') {
    const value = parseJson(rawFilter, 'filter', ERROR_CODES.badFilter);
    // The documented form is an array of expressions, all of which must hold; a lone object is accepted too.
    const list = Array.isArray(value) ? value : [value];
    const compiler = new FilterCompiler(known);
    const predicates = list.map((node, i) => compiler.compile(node, `filter[${i}]`));
    filter = (item) => predicates.every((p) => p(item));
  }
  const rawSort = params.get('sort');
  const sort = rawSort !== null && rawSort.trim() !== '' ? parseSort(rawSort, known) : [];
  return { limit, offset, filter, sort };
}

/** Filters, sorts (stable) and cuts one page out of a collection. */
export function page(items: readonly Item[], query: PageQuery): Page {
  let selected = items.filter(query.filter);
  if (query.sort.length > 0) {
    selected = selected
      .map((item, index) => ({ item, index }))
      .sort((a, b) => {
        for (const key of query.sort) {
          const c = compareValues(valueAt(a.item, key.path), valueAt(b.item, key.path), key.collation);
          if (c !== 0) return key.descending ? -c : c;
        }
        return a.index - b.index;
      })
      .map((entry) => entry.item);
  }
  const data = selected.slice(query.offset, query.offset + query.limit);
  return { data, meta: { pagingInfo: { total: selected.length, count: data.length, offset: query.offset } } };
}
