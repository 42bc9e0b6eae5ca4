import { Element, child, el, links, list, nullSlot } from './model';
import { AnyKind, ENTITY_KINDS, EstateIndex, Hrefs, entityElement, referenceElement } from './kinds';
import { EmError } from './errors';

/** The slots of a query result's `Entities`, in the server's order (misspellings included). */
const ENTITY_SLOTS = [
  'Jobs', 'FailoverPlans', 'Backups', 'Replicas', 'Repositories', 'RestorePoints', 'VmRestorePoints',
  'VAppRestorePoints', 'VmReplicaPoints', 'BackupJobSessions', 'ReplicaJobSessions', 'ReplicaTaskSessions',
  'RestoreSessions', 'HierarchyRoots', 'BackupTaskSessions', 'BackupServers', 'ManagedServers',
  'EnterpiseRoles', 'EnterpiseAccounts', 'WanAccelerators', 'CloudGateways', 'CloudTenants', 'Passwords', 'Credentials',
];

export const DEFAULT_PAGE_SIZE = 100;

type Predicate = (item: unknown) => boolean;

/** Parses `name==A;jobtype!=Replica,(platform==HyperV)`: `;` AND, `,` OR, `;` binding tighter. */
export function parseFilter(text: string, kind: AnyKind): Predicate {
  let pos = 0;
  const fail = (what: string): never => {
    throw new EmError(400, `Invalid filter expression '${text}': ${what} at position ${pos}.`);
  };
  const peek = () => text[pos];

  function orExpr(): Predicate {
    const parts = [andExpr()];
    while (peek() === ',') {
      pos++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0] : (item) => parts.some((p) => p(item));
  }
  function andExpr(): Predicate {
    const parts = [primary()];
    while (peek() === ';') {
      pos++;
      parts.push(primary());
    }
    return parts.length === 1 ? parts[0] : (item) => parts.every((p) => p(item));
  }
  function primary(): Predicate {
    if (peek() === '(') {
      pos++;
      const inner = orExpr();
      if (peek() !== ')') fail('missing )');
      pos++;
      return inner;
    }
    return comparison();
  }
  function comparison(): Predicate {
    const nameMatch = /^\s*([A-Za-z][A-Za-z0-9_.]*)\s*(==|!=|>=|<=|>|<)/.exec(text.slice(pos));
    if (!nameMatch) return fail('expected property and operator');
    pos += nameMatch[0].length;
    const property = nameMatch[1].toLowerCase();
    const op = nameMatch[2];
    const getter = kind.queryFields[property];
    if (!getter) throw new EmError(400, `Property '${nameMatch[1]}' cannot be used in a filter for type ${kind.queryType}.`);
    let value: string;
    if (peek() === '"') {
      const end = text.indexOf('"', pos + 1);
      if (end < 0) fail('unterminated quoted value');
      value = text.slice(pos + 1, end);
      pos = end + 1;
    } else {
      const rest = /^[^;,()]*/.exec(text.slice(pos))![0];
      value = rest.trim();
      pos += rest.length;
    }
    const wanted = value.toLowerCase();
    const pattern = wanted.includes('*')
      ? new RegExp(`^${wanted.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
      : undefined;
    const equals = (actual: string) => (pattern ? pattern.test(actual) : actual === wanted);
    return (item) => {
      const actual = getter(item).toLowerCase();
      switch (op) {
        case '==':
          return equals(actual);
        case '!=':
          return !equals(actual);
        case '>=':
          return actual >= wanted;
        case '<=':
          return actual <= wanted;
        case '>':
          return actual > wanted;
        default:
          return actual < wanted;
      }
    };
  }

  const predicate = orExpr();
  if (pos < text.length) fail('unexpected character');
  return predicate;
}

function positiveInt(raw: string | null, name: string, fallback: number): number {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new EmError(400, `Query parameter '${name}' must be a positive integer.`);
  return n;
}

/** `GET /api/query?type=…&format=Refs|Entities&filter=…&sortAsc|sortDesc=…&pageSize=…&page=…` */
export function queryResult(hrefs: Hrefs, rawQuery: string, index: EstateIndex): Element {
  const params = new URLSearchParams(rawQuery);
  const typeName = params.get('type');
  if (!typeName) throw new EmError(400, "Query parameter 'type' is required, for example type=Job.");
  const kind = ENTITY_KINDS.find((k) => k.queryType.toLowerCase() === typeName.toLowerCase());
  if (!kind) throw new EmError(400, `Query type '${typeName}' is not supported.`);
  const format = (params.get('format') ?? 'Refs').toLowerCase();
  if (format !== 'refs' && format !== 'entities') {
    throw new EmError(400, `Query format '${params.get('format')}' is not supported; use Refs or Entities.`);
  }

  let items: Array<{ id: string; name: string }> = kind.items(index);
  const filter = params.get('filter');
  if (filter) {
    const predicate = parseFilter(filter, kind);
    items = items.filter(predicate);
  }
  const sortAsc = params.get('sortAsc');
  const sortDesc = params.get('sortDesc');
  const sortBy = sortAsc ?? sortDesc;
  if (sortBy) {
    const getter = kind.queryFields[sortBy.toLowerCase()];
    if (!getter) throw new EmError(400, `Property '${sortBy}' cannot be used for sorting type ${kind.queryType}.`);
    const direction = sortAsc ? 1 : -1;
    items = [...items].sort((a, b) => direction * getter(a).localeCompare(getter(b)));
  }

  const pageSize = positiveInt(params.get('pageSize'), 'pageSize', DEFAULT_PAGE_SIZE);
  const page = positiveInt(params.get('page'), 'page', 1);
  const pagesCount = Math.max(1, Math.ceil(items.length / pageSize));
  const pageItems = items.slice((page - 1) * pageSize, page * pageSize);

  // Keep the client's own spelling of the other parameters; only paging changes between pages.
  const kept = rawQuery.split('&').filter((p) => p && !/^(page|pageSize)=/i.test(p));
  const pageHref = (n: number) => hrefs.api(`query?${[...kept, `pageSize=${pageSize}`, `page=${n}`].join('&')}`);
  const pagingLinks = [{ rel: 'First', href: pageHref(1) }];
  if (page > 1) pagingLinks.push({ rel: 'Previous', href: pageHref(Math.min(page - 1, pagesCount)) });
  if (page < pagesCount) pagingLinks.push({ rel: 'Next', href: pageHref(page + 1) });
  pagingLinks.push({ rel: 'Last', href: pageHref(pagesCount) });
  const pagingInfo = el(
    'PagingInfo',
    [
      ['PageNum', page],
      ['PageSize', pageSize],
      ['PagesCount', pagesCount],
    ],
    [links(pagingLinks.map((l) => ({ ...l, type: 'QueryResult' })))],
  );

  const refs =
    format === 'refs'
      ? child(el('Refs', [], [list('Refs', pageItems.map((i) => referenceElement('Ref', hrefs, kind, i, index)))]))
      : nullSlot('Refs');
  const entities =
    format === 'entities'
      ? child(
          el(
            'Entities',
            [],
            ENTITY_SLOTS.map((slot) =>
              slot === kind.listElement
                ? child(el(slot, [], [list(slot, pageItems.map((i) => entityElement(hrefs, kind, i, index)))]))
                : nullSlot(slot),
            ),
          ),
        )
      : nullSlot('Entities');
  return el('QueryResult', [], [refs, entities, nullSlot('Resources'), child(pagingInfo), list('Links', null, 'Links')]);
}
