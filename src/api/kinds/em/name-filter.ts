// Enterprise Manager filters by name only through its query service: `/api/query?type=Job&filter=name=="…"`. Its
// documentation shows `==` with a whole name, quoted when it holds spaces; `*` standing for any characters is not
// documented for EM (VBR's `nameFilter` documents it) and is what the simulator does: a substring match is asked as
// `name=="*text*"`, so a server that takes `*` literally finds only a name written with the stars.

/** The query type of each collection the API root lists that the query service also answers (`/api/jobs` → `Job`). */
const QUERY_TYPES = new Map(
  Object.entries({
    jobs: 'Job',
    backups: 'Backup',
    repositories: 'Repository',
    backupServers: 'BackupServer',
    managedServers: 'ManagedServer',
    restorePoints: 'RestorePoint',
    vmRestorePoints: 'VmRestorePoint',
    backupSessions: 'BackupJobSession',
    replicaSessions: 'ReplicaJobSession',
    backupTaskSessions: 'BackupTaskSession',
    replicaTaskSessions: 'ReplicaTaskSession',
    restoreSessions: 'RestoreSession',
    replicas: 'Replica',
    failoverPlans: 'FailoverPlan',
  }),
);

const NAME_FILTER = /^name=="\*(.*)\*"$/i;

/**
 * The URL of a query for the items whose name contains `text`: a query URL (`…/api/query?type=…`) gets its `filter`
 * (from the first page); a collection of the root (`…/api/jobs`, `?format=Entity` kept as `format=Entities`) becomes
 * the query of its type. No text: a query's filter is removed, a collection stays as it is. Any other URL is returned
 * unchanged (EM cannot filter it by name).
 */
export function withEmNameFilter(href: string, text: string | undefined): string {
  const url = new URL(href);
  const segments = url.pathname.replace(/\/+$/, '').split('/');
  const last = segments[segments.length - 1];
  const parent = segments[segments.length - 2];
  const value = text?.trim();
  if (parent === 'api' && last.toLowerCase() === 'query' && url.searchParams.has('type')) {
    url.searchParams.delete('page');
    if (value) url.searchParams.set('filter', filterOf(value));
    else url.searchParams.delete('filter');
    return url.href;
  }
  const type = parent === 'api' ? QUERY_TYPES.get(last) : undefined;
  if (!type || !value) return href;
  const query = new URL(`${segments.slice(0, -1).join('/')}/query`, url.origin);
  query.searchParams.set('type', type);
  query.searchParams.set('format', /^entity$/i.test(url.searchParams.get('format') ?? '') ? 'Entities' : 'Refs');
  query.searchParams.set('filter', filterOf(value));
  return query.href;
}

/** The text of a name filter this extension set on a query URL; another filter as it is written. */
export function readEmNameFilter(href: string): string | undefined {
  const filter = new URL(href).searchParams.get('filter');
  if (!filter) return undefined;
  return NAME_FILTER.exec(filter)?.[1] ?? filter;
}

/**
 * `name=="*text*"`. A quote in the text would end the value (EM wants it doubled, which not every server reads): it
 * becomes a `*` too, which matches it.
 */
function filterOf(text: string): string {
  return `name=="*${text.replace(/"/g, '*')}*"`;
}
