import type { Item, VbrEstate } from './estate';

/**
 * The URL space of `/api/v1` as one table: routes.ts answers from it and openapi.ts describes it, so the simulator's
 * document lists exactly what it serves. Paths, tags and model names follow the published document (FACTS.md).
 */
export interface CollectionDef {
  /** Below `/api/v1`, e.g. `jobs` or `backupInfrastructure/repositories/states`. */
  path: string;
  tag: string;
  /** The item schema in the document. */
  schema: string;
  /** What one item is called in summaries and messages. */
  noun: string;
  items: (estate: VbrEstate) => Item[];
  /** `orderColumn` values (the document's enum). */
  orderColumns: readonly string[];
  /** Typed filters honoured: query parameter → item property. */
  filters?: Record<string, string>;
  /** Items are addressed at `<path>/{id}`. */
  byId: boolean;
}

export interface SubCollectionDef {
  /** The parent collection's path; the sub-collection is `<parent>/{id}/<name>`. */
  parent: string;
  name: string;
  tag: string;
  schema: string;
  noun: string;
  items: (estate: VbrEstate, parentId: string) => Item[];
  orderColumns: readonly string[];
}

export interface ActionDef {
  /** `<parent>/{id}/<name>`, POST. */
  parent: string;
  name: string;
  tag: string;
  summary: string;
  /** 201 with a SessionModel, or 200 with an empty object. */
  answers: 'session' | 'empty';
}

const NAME_ORDER = ['Name', 'Description'] as const;

export const COLLECTIONS: readonly CollectionDef[] = [
  { path: 'jobs/states', tag: 'Jobs', schema: 'JobStateModel', noun: 'Job state', items: (e) => e.jobStates, orderColumns: ['Name', 'Type', 'Status', 'LastRun', 'LastResult', 'NextRun', 'Description', 'ObjectsCount'], filters: { typeFilter: 'type', statusFilter: 'status', lastResultFilter: 'lastResult' }, byId: false },
  { path: 'jobs', tag: 'Jobs', schema: 'JobModel', noun: 'Job', items: (e) => e.jobs, orderColumns: [...NAME_ORDER, 'Type'], filters: { typeFilter: 'type' }, byId: true },
  { path: 'sessions', tag: 'Sessions', schema: 'SessionModel', noun: 'Session', items: (e) => e.sessions, orderColumns: ['Name', 'SessionType', 'CreationTime', 'EndTime', 'State', 'Result'], filters: { typeFilter: 'sessionType', stateFilter: 'state', jobIdFilter: 'resourceId' }, byId: true },
  { path: 'taskSessions', tag: 'Sessions', schema: 'TaskSessionModel', noun: 'Task session', items: (e) => e.taskSessions, orderColumns: ['Name', 'Type', 'CreationTime', 'EndTime', 'State'], filters: { sessionIdFilter: 'sessionId' }, byId: true },
  { path: 'backups', tag: 'Backups', schema: 'BackupModel', noun: 'Backup', items: (e) => e.backups, orderColumns: ['Name', 'CreationTime'], filters: { jobIdFilter: 'jobId' }, byId: true },
  { path: 'backupObjects', tag: 'Backup Objects', schema: 'BackupObjectModel', noun: 'Backup object', items: (e) => e.backupObjects, orderColumns: ['Name', 'ObjectId', 'Type'], byId: true },
  { path: 'restorePoints', tag: 'Object Restore Points', schema: 'ObjectRestorePointModel', noun: 'Restore point', items: (e) => e.restorePoints, orderColumns: ['Name', 'CreationTime'], filters: { backupIdFilter: 'backupId' }, byId: true },
  { path: 'backupInfrastructure/repositories/states', tag: 'Repositories', schema: 'RepositoryStateModel', noun: 'Repository state', items: (e) => e.repositoryStates, orderColumns: ['Name', 'Type', 'Description', 'CapacityGB', 'FreeGB', 'UsedSpaceGB'], filters: { typeFilter: 'type' }, byId: false },
  { path: 'backupInfrastructure/repositories', tag: 'Repositories', schema: 'RepositoryModel', noun: 'Repository', items: (e) => e.repositories, orderColumns: [...NAME_ORDER, 'Type'], filters: { typeFilter: 'type' }, byId: true },
  { path: 'backupInfrastructure/managedServers', tag: 'Managed Servers', schema: 'ManagedServerModel', noun: 'Managed server', items: (e) => e.managedServers, orderColumns: [...NAME_ORDER, 'Type'], filters: { typeFilter: 'type' }, byId: true },
  { path: 'backupInfrastructure/proxies', tag: 'Proxies', schema: 'ProxyModel', noun: 'Proxy', items: (e) => e.proxies, orderColumns: [...NAME_ORDER, 'Type'], filters: { typeFilter: 'type' }, byId: true },
  { path: 'credentials', tag: 'Credentials', schema: 'CredentialsModel', noun: 'Credentials record', items: (e) => e.credentials, orderColumns: ['Username', 'Description', 'CreationTime'], filters: { typeFilter: 'type' }, byId: true },
];

export const SUB_COLLECTIONS: readonly SubCollectionDef[] = [
  { parent: 'sessions', name: 'taskSessions', tag: 'Sessions', schema: 'TaskSessionModel', noun: 'Task session', items: (e, sessionId) => e.taskSessions.filter((t) => t.sessionId === sessionId), orderColumns: ['Name', 'CreationTime', 'State'] },
  { parent: 'backups', name: 'objects', tag: 'Backups', schema: 'BackupObjectModel', noun: 'Backup object', items: (e, backupId) => e.backupObjects.filter((o) => o.backupId === backupId), orderColumns: ['Name', 'ObjectId', 'Type'] },
  { parent: 'backupObjects', name: 'restorePoints', tag: 'Backup Objects', schema: 'ObjectRestorePointModel', noun: 'Restore point', items: (e, objectId) => e.restorePoints.filter((p) => p.backupObjectId === objectId), orderColumns: ['Name', 'CreationTime'] },
];

export const ACTIONS: readonly ActionDef[] = [
  { parent: 'jobs', name: 'start', tag: 'Jobs', summary: 'Start Job', answers: 'session' },
  { parent: 'jobs', name: 'stop', tag: 'Jobs', summary: 'Stop Job', answers: 'session' },
  { parent: 'jobs', name: 'retry', tag: 'Jobs', summary: 'Retry Job', answers: 'session' },
  { parent: 'jobs', name: 'enable', tag: 'Jobs', summary: 'Enable Job', answers: 'empty' },
  { parent: 'jobs', name: 'disable', tag: 'Jobs', summary: 'Disable Job', answers: 'empty' },
  { parent: 'sessions', name: 'stop', tag: 'Sessions', summary: 'Stop Session', answers: 'empty' },
];

export function collectionAt(path: string): CollectionDef | undefined {
  const lower = path.toLowerCase();
  return COLLECTIONS.find((c) => c.path.toLowerCase() === lower);
}
