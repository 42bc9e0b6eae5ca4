/**
 * Navigation map of the Veeam Backup & Replication REST API, for servers that do not publish their OpenAPI document.
 *
 * The main collections of revision 1.1-rev0 and later, from Veeam's published reference ("vbr_rest") and the 1.1-rev0
 * document in VeeamHub/veeam-vbr-sdk-go (`client/api/openapi.yaml`): tags as groups, GET collections without path
 * parameters, items at `{path}/{id}`, the sub-collections below an item. `test/simulator/vbr/FACTS.md` lists the
 * sources. A server that publishes its document (`/swagger/<revision>/swagger.json`) is mapped from that instead.
 */
import type { ApiCollection, NavigationStyle } from '../../openapi/navigation';
import type { ActionBody } from '../../resource';

/** How Backup & Replication names and pages what the map lists (paths start at the origin: `/api/v1/jobs`). */
export const VBR_STYLE: NavigationStyle = {
  title: 'Veeam Backup & Replication REST API',
  typePrefix: 'Vbr',
  idKeys: ['id'],
  // Labels: name, then description, then id (credentials records have a user name instead of a name).
  fallbackNames: ['name', 'description', 'id'],
  offsetParam: 'skip',
  skipped: /^\/api\/oauth2(\/|$)/i,
  actions: true,
  pathsFromOrigin: true,
};

type Item = NonNullable<ApiCollection['item']>;

function list(path: string, label: string, group: string, item?: Partial<Pick<Item, 'nameProperties' | 'subCollections' | 'actions'>>): ApiCollection {
  const collection: ApiCollection = { path, label, group };
  if (item) collection.item = { param: 'id', nameProperties: item.nameProperties ?? ['name'], subCollections: item.subCollections ?? [], ...(item.actions && { actions: item.actions }) };
  return collection;
}

const jobAction = (name: string, label: string, body?: ActionBody) => ({ path: `/api/v1/jobs/{id}/${name}`, method: 'POST', label, ...(body && { body }) });

/** Start Job's optional body (JobStartSpec: `performActiveFull`, and `startChainedJobs`), as a server's document gives it. */
const JOB_START_SPEC: ActionBody = {
  contentType: 'application/json',
  required: false,
  template: '{\n  "performActiveFull": false\n}',
  schemaName: 'JobStartSpec',
  requiredPaths: ['performActiveFull'],
};

export const VBR_COLLECTIONS: readonly ApiCollection[] = [
  { path: '/api/v1/serverInfo', label: 'Server Info', group: 'Service', singleton: true },
  list('/api/v1/jobs', 'Jobs', 'Jobs', {
    actions: [jobAction('start', 'Start Job', JOB_START_SPEC), jobAction('stop', 'Stop Job'), jobAction('retry', 'Retry Job'), jobAction('enable', 'Enable Job'), jobAction('disable', 'Disable Job')],
  }),
  list('/api/v1/jobs/states', 'Job States', 'Jobs'),
  list('/api/v1/sessions', 'Sessions', 'Sessions', { subCollections: [{ path: '/api/v1/sessions/{id}/taskSessions', label: 'Task Sessions' }] }),
  list('/api/v1/taskSessions', 'Task Sessions', 'Sessions', {}),
  list('/api/v1/backups', 'Backups', 'Backups', { subCollections: [{ path: '/api/v1/backups/{id}/objects', label: 'Backup Objects' }] }),
  list('/api/v1/backupObjects', 'Backup Objects', 'Backup Objects', { subCollections: [{ path: '/api/v1/backupObjects/{id}/restorePoints', label: 'Restore Points' }] }),
  list('/api/v1/restorePoints', 'Restore Points', 'Restore Points', {}),
  list('/api/v1/backupInfrastructure/repositories', 'Repositories', 'Repositories', {}),
  list('/api/v1/backupInfrastructure/repositories/states', 'Repository States', 'Repositories'),
  list('/api/v1/backupInfrastructure/managedServers', 'Managed Servers', 'Managed Servers', {}),
  list('/api/v1/backupInfrastructure/proxies', 'Proxies', 'Proxies', {}),
  list('/api/v1/credentials', 'Credentials', 'Credentials', { nameProperties: ['username', 'description'] }),
];

/**
 * Where the server's OpenAPI document may be, relative to the origin: per revision (`/swagger/1.2-rev1/swagger.json`,
 * ASP.NET's usual path; Veeam documents only the Swagger UI at `/swagger/ui/index.html`, whose page names the
 * documents' URLs: read by `documentUrlsInPage` when these are not there).
 */
export function vbrDocumentPaths(revision: string): string[] {
  return [`/swagger/${revision}/swagger.json`, `/swagger/v${revision}/swagger.json`];
}

/** Where the Swagger UI page is. */
export const VBR_SWAGGER_UI_PATH = '/swagger/ui/index.html';
