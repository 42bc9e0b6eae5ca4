import { Content, Element, LinkSpec, child, el, field, links, list, scalars } from './model';
import { Backup, BackupServer, Estate, Job, JobSession, ManagedServer, Repository, RestorePoint, VmRestorePoint } from './estate';

/** Builds absolute hrefs from the origin the client used (its Host header). */
export interface Hrefs {
  /** `https://host:port/api/` + path */
  api(path: string): string;
}

/** Lookup tables over the estate, built once per estate. */
export interface EstateIndex {
  estate: Estate;
  serverById: Map<string, BackupServer>;
  jobById: Map<string, Job>;
  backupById: Map<string, Backup>;
  restorePointById: Map<string, RestorePoint>;
}

export function indexEstate(estate: Estate): EstateIndex {
  return {
    estate,
    serverById: new Map(estate.backupServers.map((s) => [s.id, s])),
    jobById: new Map(estate.jobs.map((j) => [j.id, j])),
    backupById: new Map(estate.backups.map((b) => [b.id, b])),
    restorePointById: new Map(estate.restorePoints.map((p) => [p.id, p])),
  };
}

/** How one kind of EM entity is addressed and represented. */
export interface EntityKind<T extends { id: string; name: string }> {
  /** Path segment under /api/, e.g. `jobs`. */
  collection: string;
  refType: string;
  entityType: string;
  /** The entity list element (`Jobs`), also its JSON key and the query result slot. */
  listElement: string;
  /** Query service type name (`type=Job`). */
  queryType: string;
  items(index: EstateIndex): T[];
  /** Links shared by the reference and the entity (Up and Down). */
  relations(hrefs: Hrefs, item: T, index: EstateIndex): LinkSpec[];
  /** Action links (POST targets) of the entity. */
  actions?(hrefs: Hrefs, item: T): LinkSpec[];
  fields(item: T, index: EstateIndex): Content[];
  /** Properties that the query service can filter and sort on (lower-case names). */
  queryFields: Record<string, (item: T) => string>;
  /** Operation names of the POST actions this kind accepts (`start` → `StartJob`). */
  actionOperations?: Record<string, string>;
}

const urn = (type: string, id: string) => `urn:veeam:${type}:${id}`;

function itemHref<T extends { id: string; name: string }>(hrefs: Hrefs, kind: EntityKind<T>, item: T): string {
  return hrefs.api(`${kind.collection}/${item.id}`);
}

/** `Ref` in a list, `EntityRef` when addressed alone. */
export function referenceElement<T extends { id: string; name: string }>(
  elementName: 'Ref' | 'EntityRef',
  hrefs: Hrefs,
  kind: EntityKind<T>,
  item: T,
  index: EstateIndex,
): Element {
  const href = itemHref(hrefs, kind, item);
  const relations = kind.relations(hrefs, item, index);
  const up = relations.filter((l) => l.rel === 'Up');
  const down = relations.filter((l) => l.rel !== 'Up');
  return el(
    elementName,
    [
      ['Type', kind.refType],
      ['Href', href],
      ['Name', item.name],
      ['UID', urn(kind.queryType, item.id)],
    ],
    [links([...up, { rel: 'Alternate', type: kind.entityType, href: `${href}?format=Entity`, name: item.name }, ...down])],
  );
}

export function entityElement<T extends { id: string; name: string }>(
  hrefs: Hrefs,
  kind: EntityKind<T>,
  item: T,
  index: EstateIndex,
): Element {
  const href = itemHref(hrefs, kind, item);
  const relations = kind.relations(hrefs, item, index);
  const up = relations.filter((l) => l.rel === 'Up');
  const down = relations.filter((l) => l.rel !== 'Up');
  return el(
    kind.entityType,
    [
      ['Type', kind.entityType],
      ['Href', `${href}?format=Entity`],
      ['Name', item.name],
      ['UID', urn(kind.queryType, item.id)],
    ],
    [
      links([...up, { rel: 'Alternate', type: kind.refType, href, name: item.name }, ...down, ...(kind.actions?.(hrefs, item) ?? [])]),
      ...kind.fields(item, index),
    ],
  );
}

export function referenceList<T extends { id: string; name: string }>(
  hrefs: Hrefs,
  kind: EntityKind<T>,
  items: T[],
  index: EstateIndex,
): Element {
  return el('EntityReferences', [], [list('Refs', items.map((i) => referenceElement('Ref', hrefs, kind, i, index)))]);
}

export function entityList<T extends { id: string; name: string }>(
  hrefs: Hrefs,
  kind: EntityKind<T>,
  items: T[],
  index: EstateIndex,
): Element {
  return el(kind.listElement, [], [list(kind.listElement, items.map((i) => entityElement(hrefs, kind, i, index)))]);
}

function serverUp(hrefs: Hrefs, serverId: string, index: EstateIndex): LinkSpec {
  return {
    rel: 'Up',
    type: 'BackupServerReference',
    href: hrefs.api(`backupServers/${serverId}`),
    name: index.serverById.get(serverId)?.name,
  };
}

function action(hrefs: Hrefs, path: string, rel: string, actionName: string, type = 'Task'): LinkSpec {
  return { rel, type, href: hrefs.api(`${path}?action=${actionName}`) };
}

export const backupServerKind: EntityKind<BackupServer> = {
  collection: 'backupServers',
  refType: 'BackupServerReference',
  entityType: 'BackupServer',
  listElement: 'BackupServers',
  queryType: 'BackupServer',
  items: (index) => index.estate.backupServers,
  relations: (hrefs, s) => [
    { rel: 'Up', type: 'EnterpriseManager', href: hrefs.api('') },
    { rel: 'Down', type: 'JobReferenceList', href: hrefs.api(`backupServers/${s.id}/jobs`) },
    { rel: 'Down', type: 'RepositoryReferenceList', href: hrefs.api(`backupServers/${s.id}/repositories`) },
  ],
  actions: (hrefs, s) => [action(hrefs, `backupServers/${s.id}`, 'Sync', 'sync')],
  actionOperations: { sync: 'SyncBackupServer' },
  fields: (s) => [field('Description', s.description), field('Port', s.port), field('Version', s.version)],
  queryFields: { name: (s) => s.name, description: (s) => s.description },
};

export const managedServerKind: EntityKind<ManagedServer> = {
  collection: 'managedServers',
  refType: 'ManagedServerReference',
  entityType: 'ManagedServer',
  listElement: 'ManagedServers',
  queryType: 'ManagedServer',
  items: (index) => index.estate.managedServers,
  relations: (hrefs, m, index) => [serverUp(hrefs, m.serverId, index)],
  fields: (m) => [field('Description', m.description), field('ManagedServerType', m.managedServerType)],
  queryFields: { name: (m) => m.name, type: (m) => m.managedServerType },
};

export const repositoryKind: EntityKind<Repository> = {
  collection: 'repositories',
  refType: 'RepositoryReference',
  entityType: 'Repository',
  listElement: 'Repositories',
  queryType: 'Repository',
  items: (index) => index.estate.repositories,
  relations: (hrefs, r, index) => [serverUp(hrefs, r.serverId, index)],
  actions: (hrefs, r) => [action(hrefs, `repositories/${r.id}`, 'Rescan', 'rescan')],
  actionOperations: { rescan: 'RescanRepository' },
  fields: (r) => [field('Capacity', r.capacity), field('FreeSpace', r.freeSpace), field('Kind', r.kind)],
  queryFields: { name: (r) => r.name, kind: (r) => r.kind },
};

function sessionCollection(job: Job): string {
  return job.jobType === 'Replica' ? 'replicaSessions' : 'backupSessions';
}

export const jobKind: EntityKind<Job> = {
  collection: 'jobs',
  refType: 'JobReference',
  entityType: 'Job',
  listElement: 'Jobs',
  queryType: 'Job',
  items: (index) => index.estate.jobs,
  relations: (hrefs, j, index) => [
    serverUp(hrefs, j.serverId, index),
    {
      rel: 'Down',
      type: j.jobType === 'Replica' ? 'ReplicaJobSessionReferenceList' : 'BackupJobSessionReferenceList',
      href: hrefs.api(`jobs/${j.id}/${sessionCollection(j)}`),
    },
  ],
  actions: (hrefs, j) => {
    const path = `jobs/${j.id}`;
    return [
      action(hrefs, path, 'Start', 'start'),
      action(hrefs, path, 'Stop', 'stop'),
      action(hrefs, path, 'Retry', 'retry'),
      action(hrefs, path, 'Clone', 'clone', 'JobCloneSpec'),
      action(hrefs, path, 'ToggleScheduleEnabled', 'toggleScheduleEnabled'),
    ];
  },
  actionOperations: {
    start: 'StartJob',
    stop: 'StopJob',
    retry: 'RetryJob',
    clone: 'CloneJob',
    toggleScheduleEnabled: 'ToggleJobScheduleEnabled',
  },
  fields: (j) => [
    field('JobType', j.jobType),
    field('Platform', j.platform),
    field('Description', j.description),
    field('NextRun', j.nextRun),
    field('ScheduleConfigured', j.scheduleConfigured),
    field('ScheduleEnabled', j.scheduleEnabled),
    child(
      el(
        'JobScheduleOptions',
        [],
        [
          child(
            el('RetryOptions', [], [field('RetryTimes', 3), field('RetryTimeout', 10), field('RetrySpecified', true)]),
          ),
          field('WaitForBackupCompletion', true),
          field('BackupCompetitionWaitingPeriodMin', 180),
          child(
            el(
              'OptionsDaily',
              [['Enabled', j.scheduleConfigured]],
              [field('Kind', j.days.length === 7 ? 'Everyday' : 'SelectedDays'), scalars('Days', j.days), field('Time', j.runTime)],
            ),
          ),
        ],
      ),
    ),
  ],
  queryFields: {
    name: (j) => j.name,
    jobtype: (j) => j.jobType,
    platform: (j) => j.platform,
    description: (j) => j.description,
    scheduleenabled: (j) => String(j.scheduleEnabled),
    nextrun: (j) => j.nextRun ?? '',
  },
};

function jobSessionKind(replica: boolean): EntityKind<JobSession> {
  const prefix = replica ? 'Replica' : 'Backup';
  const collection = replica ? 'replicaSessions' : 'backupSessions';
  return {
    collection,
    refType: `${prefix}JobSessionReference`,
    entityType: `${prefix}JobSession`,
    listElement: `${prefix}JobSessions`,
    queryType: `${prefix}JobSession`,
    items: (index) =>
      index.estate.jobSessions.filter((s) => (index.jobById.get(s.jobId)?.jobType === 'Replica') === replica),
    relations: (hrefs, s, index) => {
      const job = index.jobById.get(s.jobId);
      return [
        ...(job ? [serverUp(hrefs, job.serverId, index)] : []),
        { rel: 'Up', type: 'JobReference', href: hrefs.api(`jobs/${s.jobId}`), name: job?.name },
        {
          rel: 'Down',
          type: `${prefix}TaskSessionReferenceList`,
          href: hrefs.api(`${collection}/${s.id}/${replica ? 'replicaTaskSessions' : 'taskSessions'}`),
        },
      ];
    },
    fields: (s, index) => {
      const job = index.jobById.get(s.jobId);
      return [
        field('IsRetry', s.isRetry),
        field('JobUid', urn('Job', s.jobId)),
        field('JobName', job?.name),
        field('JobType', job?.jobType),
        field('CreationTimeUTC', s.creationTimeUtc),
        field('EndTimeUTC', s.endTimeUtc),
        field('State', s.state),
        field('Result', s.result),
        field('Progress', s.progress),
      ];
    },
    queryFields: { name: (s) => s.name, result: (s) => s.result, state: (s) => s.state },
  };
}

export const backupSessionKind = jobSessionKind(false);
export const replicaSessionKind = jobSessionKind(true);

export const backupKind: EntityKind<Backup> = {
  collection: 'backups',
  refType: 'BackupReference',
  entityType: 'Backup',
  listElement: 'Backups',
  queryType: 'Backup',
  items: (index) => index.estate.backups,
  relations: (hrefs, b, index) => {
    const job = index.jobById.get(b.jobId);
    return [
      ...(job ? [serverUp(hrefs, job.serverId, index)] : []),
      { rel: 'Down', type: 'RestorePointReferenceList', href: hrefs.api(`backups/${b.id}/restorePoints`) },
      { rel: 'Down', type: 'BackupFileReferenceList', href: hrefs.api(`backups/${b.id}/backupFiles`) },
    ];
  },
  fields: (b, index) => [
    field('BackupType', b.backupType),
    field('Platform', b.platform),
    field('PointsCount', index.estate.restorePoints.filter((p) => p.backupId === b.id).length),
  ],
  queryFields: { name: (b) => b.name, platform: (b) => b.platform, backuptype: (b) => b.backupType },
};

export const restorePointKind: EntityKind<RestorePoint> = {
  collection: 'restorePoints',
  refType: 'RestorePointReference',
  entityType: 'RestorePoint',
  listElement: 'RestorePoints',
  queryType: 'RestorePoint',
  items: (index) => index.estate.restorePoints,
  relations: (hrefs, p, index) => [
    { rel: 'Up', type: 'BackupReference', href: hrefs.api(`backups/${p.backupId}`), name: index.backupById.get(p.backupId)?.name },
    { rel: 'Down', type: 'VmRestorePointReferenceList', href: hrefs.api(`restorePoints/${p.id}/vmRestorePoints`) },
  ],
  fields: (p) => [
    field('CreationTimeUTC', p.creationTimeUtc),
    field('Algorithm', p.algorithm),
    field('PointType', p.algorithm === 'Full' ? 'Full' : 'Increment'),
  ],
  queryFields: { name: (p) => p.name, algorithm: (p) => p.algorithm },
};

export const vmRestorePointKind: EntityKind<VmRestorePoint> = {
  collection: 'vmRestorePoints',
  refType: 'VmRestorePointReference',
  entityType: 'VmRestorePoint',
  listElement: 'VmRestorePoints',
  queryType: 'VmRestorePoint',
  items: (index) => index.estate.vmRestorePoints,
  relations: (hrefs, v, index) => [
    {
      rel: 'Up',
      type: 'RestorePointReference',
      href: hrefs.api(`restorePoints/${v.restorePointId}`),
      name: index.restorePointById.get(v.restorePointId)?.name,
    },
  ],
  actions: (hrefs, v) => [action(hrefs, `vmRestorePoints/${v.id}`, 'Restore', 'restore', 'RestoreSpec')],
  actionOperations: { restore: 'RestoreVm' },
  fields: (v) => [
    field('CreationTimeUTC', v.creationTimeUtc),
    field('VmName', v.vmName),
    field('Algorithm', v.algorithm),
    field('PointType', v.algorithm === 'Full' ? 'Full' : 'Increment'),
    field('HierarchyObjRef', v.hierarchyObjRef),
  ],
  queryFields: { name: (v) => v.name, vmname: (v) => v.vmName },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = EntityKind<any>;

export const ENTITY_KINDS: AnyKind[] = [
  backupServerKind,
  managedServerKind,
  repositoryKind,
  jobKind,
  backupSessionKind,
  replicaSessionKind,
  backupKind,
  restorePointKind,
  vmRestorePointKind,
];
