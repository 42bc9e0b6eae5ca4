import { badRequest } from './errors';
import type { Item, Json } from './estate';

/**
 * Neither the default nor the largest `limit` is documented: the simulator's choice is 200 when none is sent and at
 * most 1000 (a larger one is lowered, and `pagination.limit` says so). Clients must page by `pagination.total`.
 */
export const DEFAULT_LIMIT = 200;
export const MAX_LIMIT = 1000;

export interface ListPage {
  data: Item[];
  pagination: { total: number; count: number; skip: number; limit: number };
}

function integer(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') return undefined;
  if (!/^\d{1,9}$/.test(raw.trim())) throw badRequest(`The value '${raw}' is not valid for the '${name}' parameter: a non-negative integer is expected.`);
  return Number(raw);
}

function boolean(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw badRequest(`The value '${raw}' is not valid for the '${name}' parameter: true or false is expected.`);
}

/**
 * `nameFilter`: the whole value must match, unless `*` stands for any run of characters (Veeam documents it at the
 * start, the end or both; the simulator takes it anywhere). Case-insensitive, against `name` and `description`
 * (the docs say "any parameter" without saying which: the simulator's choice).
 */
export function nameMatcher(pattern: string): (item: Item) => boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const regex = new RegExp(`^${source}$`, 'is');
  return (item) => [item.name, item.description].some((value) => typeof value === 'string' && regex.test(value));
}

function compare(a: Json | undefined, b: Json | undefined): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a).localeCompare(String(b), 'en', { sensitivity: 'base' });
}

export interface ListOptions {
  /** `orderColumn` values this collection accepts (as the document's enum: `Name`, `CreationTime`…). */
  orderColumns: readonly string[];
  /** Typed filters honoured: query name → item property. Others the document lists are ignored. */
  filters?: Record<string, string>;
}

/** Filter, sort, skip, limit: in that order, whatever the order of the parameters (Veeam's skip and limit pages). */
export function listPage(items: readonly Item[], query: URLSearchParams, options: ListOptions): ListPage {
  const skip = integer(query, 'skip') ?? 0;
  const limit = Math.min(integer(query, 'limit') ?? DEFAULT_LIMIT, MAX_LIMIT);
  let selected = [...items];
  const nameFilter = query.get('nameFilter');
  if (nameFilter !== null && nameFilter !== '') selected = selected.filter(nameMatcher(nameFilter));
  for (const [param, property] of Object.entries(options.filters ?? {})) {
    const wanted = query.get(param);
    if (wanted !== null && wanted !== '') selected = selected.filter((item) => String(item[property]).toLowerCase() === wanted.toLowerCase());
  }
  const orderColumn = query.get('orderColumn');
  const ascending = boolean(query, 'orderAsc') ?? true;
  if (orderColumn !== null && orderColumn !== '') {
    const column = options.orderColumns.find((c) => c.toLowerCase() === orderColumn.toLowerCase());
    if (!column) throw badRequest(`The value '${orderColumn}' is not valid for the 'orderColumn' parameter. Valid values: ${options.orderColumns.join(', ')}.`);
    const property = column[0].toLowerCase() + column.slice(1);
    selected.sort((a, b) => (ascending ? 1 : -1) * compare(a[property], b[property]));
  }
  const data = selected.slice(skip, skip + limit);
  return { data, pagination: { total: selected.length, count: data.length, skip, limit } };
}
