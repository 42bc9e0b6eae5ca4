import { Element, LinkSpec, child, el, field, links, list, nullSlot } from './model';
import { EstateIndex, Hrefs } from './kinds';

/** EM's logon versions, oldest first; `latest` means the last one. */
export const API_VERSIONS = ['v1_5', 'v1_6', 'v1_7'];

export function enterpriseManager(hrefs: Hrefs): Element {
  return el(
    'EnterpriseManager',
    [],
    [
      links([
        { rel: 'Down', type: 'LogonSessionList', href: hrefs.api('logonSessions') },
        { rel: 'Create', type: 'LogonSession', href: hrefs.api('sessionMngr/?v=latest') },
      ]),
      child(
        el(
          'SupportedVersions',
          [],
          [
            list(
              'SupportedVersions',
              API_VERSIONS.map((v) =>
                el('SupportedVersion', [['Name', v]], [links([{ rel: 'Create', type: 'LogonSession', href: hrefs.api(`sessionMngr/?v=${v}`) }])]),
              ),
            ),
          ],
        ),
      ),
    ],
  );
}

/**
 * The Down links of a logon session. `listElement` names the entity list served for
 * `?format=Entity` by collections that the simulated estate leaves empty.
 */
export interface SessionLink {
  path: string;
  type: string;
  name?: string;
  listElement?: string;
}

export const SESSION_LINKS: SessionLink[] = [
  { path: 'backupServers', type: 'BackupServerReferenceList' },
  { path: 'managedServers', type: 'ManagedServerReferenceList' },
  { path: 'jobs', type: 'JobReferenceList' },
  { path: 'failoverPlans', type: 'FailoverPlanReferenceList', listElement: 'FailoverPlans' },
  { path: 'hierarchyRoots', type: 'HierarchyRootReferenceList', listElement: 'HierarchyRoots' },
  { path: 'repositories', type: 'RepositoryReferenceList' },
  { path: 'backups', type: 'BackupReferenceList' },
  { path: 'restorePoints', type: 'RestorePointReferenceList' },
  { path: 'vmRestorePoints', type: 'VmRestorePointReferenceList' },
  { path: 'vAppRestorePoints', type: 'VAppRestorePointReferenceList', listElement: 'VAppRestorePoints' },
  { path: 'replicas', type: 'ReplicaReferenceList', listElement: 'Replicas' },
  { path: 'vmReplicaPoints', type: 'VmReplicaPointReferenceList', listElement: 'VmReplicaPoints' },
  { path: 'catalog/vms', type: 'CatalogVmReferenceList', listElement: 'CatalogVms' },
  { path: 'backupSessions', type: 'BackupJobSessionReferenceList' },
  { path: 'backupTaskSessions', type: 'BackupTaskSessionReferenceList', listElement: 'BackupTaskSessions' },
  { path: 'replicaSessions', type: 'ReplicaJobSessionReferenceList' },
  { path: 'replicaTaskSessions', type: 'ReplicaTaskSessionReferenceList', listElement: 'ReplicaTaskSessions' },
  { path: 'restoreSessions', type: 'RestoreSessionReferenceList', listElement: 'RestoreSessions' },
  { path: 'reports/summary', type: 'Report', name: 'Summary' },
  { path: 'query', type: 'QueryService' },
  { path: 'security/roles', type: 'EnterpriseRoleReferenceList', listElement: 'EnterpriseRoles' },
  { path: 'security/accounts', type: 'EnterpriseAccountReferenceList', listElement: 'EnterpriseAccounts' },
  { path: 'wanAccelerators', type: 'WanAcceleratorReferenceList', listElement: 'WanAccelerators' },
  { path: 'cloud/tenants', type: 'CloudTenantReferenceList', listElement: 'CloudTenants' },
  { path: 'cloud/gateways', type: 'CloudGatewayReferenceList', listElement: 'CloudGateways' },
  { path: 'cloud/gatewayPools', type: 'CloudGatewayPoolReferenceList', listElement: 'CloudGatewayPools' },
  { path: 'cloud/hardwarePlans', type: 'CloudHardwarePlanReferenceList', listElement: 'CloudHardwarePlans' },
  { path: 'backupFiles', type: 'BackupFileReferenceList', listElement: 'BackupFiles' },
  { path: 'agents/backups', type: 'AgentBackupReferenceList', listElement: 'AgentBackups' },
  { path: 'agents/jobs', type: 'AgentJobReferenceList', listElement: 'AgentJobs' },
  { path: 'agents/restorePoints', type: 'AgentRestorePointReferenceList', listElement: 'AgentRestorePoints' },
  { path: 'agents/discoveredComputers', type: 'DiscoveredComputerReferenceList', listElement: 'DiscoveredComputers' },
  { path: 'agents/protectionGroups', type: 'ProtectionGroupReferenceList', listElement: 'ProtectionGroups' },
  { path: 'nas/jobs', type: 'NASJobReferenceList', listElement: 'NASJobs' },
  { path: 'nas/backups', type: 'NASBackupReferenceList', listElement: 'NASBackups' },
  { path: 'nas/restorePoints', type: 'NASRestorePointReferenceList', listElement: 'NASRestorePoints' },
  { path: 'nas/backupSessions', type: 'NASBackupSessionReferenceList', listElement: 'NASBackupSessions' },
  { path: 'nas/backupTaskSessions', type: 'NASBackupTaskSessionReferenceList', listElement: 'NASBackupTaskSessions' },
  { path: 'vCloud/orgConfigs', type: 'VCloudOrganizationConfigReferenceList', listElement: 'VCloudOrganizationConfigs' },
];

export interface LogonSessionData {
  id: string;
  userName: string;
  /** A tenant session links only to the cloud service. */
  tenant?: boolean;
}

export function logonSession(hrefs: Hrefs, session: LogonSessionData): Element {
  const href = hrefs.api(`logonSessions/${session.id}`);
  const sessionLinks: LinkSpec[] = [
    { rel: 'Up', type: 'EnterpriseManager', href: hrefs.api('') },
    ...(session.tenant
      ? [{ rel: 'Down', type: 'CloudConnectService', href: hrefs.api('cloud') }]
      : SESSION_LINKS.map((l) => ({ rel: 'Down', type: l.type, name: l.name, href: hrefs.api(l.path) }))),
    { rel: 'Delete', type: 'LogonSession', href },
  ];
  return el(
    'LogonSession',
    [
      ['Type', 'LogonSession'],
      ['Href', href],
    ],
    [links(sessionLinks), field('UserName', session.userName), field('SessionId', session.id)],
  );
}

/** The entry point of a tenant session (its content is not documented; kept minimal). */
export function cloudConnectService(hrefs: Hrefs): Element {
  return el(
    'CloudConnectService',
    [
      ['Type', 'CloudConnectService'],
      ['Href', hrefs.api('cloud')],
    ],
    [links([{ rel: 'Up', type: 'EnterpriseManager', href: hrefs.api('') }])],
  );
}

export function logonSessionList(hrefs: Hrefs, sessions: LogonSessionData[]): Element {
  return el('LogonSessions', [], [list('LogonSessions', sessions.map((s) => logonSession(hrefs, s)))]);
}

/** An empty reference list, for the collections the estate does not populate. */
export function emptyReferences(): Element {
  return el('EntityReferences', [], [list('Refs', [])]);
}

export function emptyEntities(listElement: string): Element {
  return el(listElement, [], [list(listElement, [])]);
}

export interface TaskData {
  id: string;
  operation: string;
  state: 'Running' | 'Finished';
  /** `Result Success` once Finished. */
  success: boolean;
  message: string;
  /** Href path (under /api/) of the resource the task acted on. */
  targetPath: string;
}

export function task(hrefs: Hrefs, t: TaskData): Element {
  const href = hrefs.api(`tasks/${t.id}`);
  const taskLinks: LinkSpec[] = [{ rel: 'Delete', type: 'Task', href }];
  if (t.state === 'Finished') taskLinks.push({ rel: 'Related', href: hrefs.api(t.targetPath) });
  return el(
    'Task',
    [
      ['Type', 'Task'],
      ['Href', href],
    ],
    [
      links(taskLinks),
      field('TaskId', t.id),
      field('State', t.state),
      field('Operation', t.operation),
      t.state === 'Finished'
        ? child(el('Result', [['Success', t.success]], [field('Message', t.message)]))
        : nullSlot('Result'),
    ],
  );
}

export function taskList(hrefs: Hrefs, tasks: TaskData[]): Element {
  return el('Tasks', [], [list('Tasks', tasks.map((t) => task(hrefs, t)))]);
}

const REPORT_FRAMES = [
  { path: 'overview', type: 'OverviewReportFrame' },
  { path: 'vms_overview', type: 'VmsOverviewReportFrame' },
  { path: 'job_statistics', type: 'JobStatisticsReportFrame' },
  { path: 'processed_vms', type: 'ProcessedVmsReportFrame' },
  { path: 'repository', type: 'RepositoryReportFrame' },
];

export function summaryReport(hrefs: Hrefs): Element {
  return el(
    'SummaryReport',
    [
      ['Type', 'SummaryReport'],
      ['Href', hrefs.api('reports/summary')],
    ],
    [
      links([
        { rel: 'Up', type: 'EnterpriseManager', href: hrefs.api('') },
        ...REPORT_FRAMES.map((f) => ({ rel: 'Down', type: f.type, href: hrefs.api(`reports/summary/${f.path}`) })),
      ]),
    ],
  );
}

/** One frame of the summary report, computed from the estate; undefined for an unknown frame. */
export function reportFrame(hrefs: Hrefs, frame: string, index: EstateIndex): Element | undefined {
  const spec = REPORT_FRAMES.find((f) => f.path.toLowerCase() === frame.toLowerCase());
  if (!spec) return undefined;
  const { estate } = index;
  const attrs: Array<[string, string]> = [
    ['Type', spec.type],
    ['Href', hrefs.api(`reports/summary/${spec.path}`)],
  ];
  const up = links([{ rel: 'Up', type: 'SummaryReport', href: hrefs.api('reports/summary') }]);
  const scheduled = estate.jobs.filter((j) => j.scheduleEnabled);
  const sessions = estate.jobSessions;
  const count = (result: string) => sessions.filter((s) => s.result === result).length;
  switch (spec.path) {
    case 'overview':
      return el(spec.type, attrs, [
        up,
        field('BackupServers', estate.backupServers.length),
        field('ProxyServers', estate.backupServers.length * 2),
        field('RepositoryServers', estate.repositories.length),
        field('RunningJobs', 0),
        field('ScheduledJobs', scheduled.length),
        field('SuccessfulVmLastestStates', estate.vmRestorePoints.length - count('Failed')),
        field('WarningVmLastestStates', count('Warning')),
        field('FailedVmLastestStates', count('Failed')),
      ]);
    case 'vms_overview': {
      const vms = new Set(estate.vmRestorePoints.map((v) => v.vmName)).size;
      return el(spec.type, attrs, [
        up,
        field('ProtectedVms', vms),
        field('BackedUpVms', vms),
        field('ReplicatedVms', estate.jobs.filter((j) => j.jobType === 'Replica').length * 2),
        field('RestorePoints', estate.restorePoints.length),
        field('FullBackupPointsSize', estate.restorePoints.filter((p) => p.algorithm === 'Full').length * 53_687_091_200),
        field('IncrementalBackupPointsSize', estate.restorePoints.filter((p) => p.algorithm === 'Incremental').length * 4_294_967_296),
        field('ReplicaRestorePointsSize', 0),
        field('SourceVmsSize', vms * 107_374_182_400),
        field('SuccessBackupPercents', sessions.length ? Math.round((count('Success') * 100) / sessions.length) : 100),
        field('ProtectedVmsReportLink', hrefs.api('reports/summary/vms_overview')),
      ]);
    }
    case 'job_statistics':
      return el(spec.type, attrs, [
        up,
        field('RunningJobs', 0),
        field('ScheduledJobs', scheduled.length),
        field('ScheduledBackupJobs', scheduled.filter((j) => j.jobType !== 'Replica').length),
        field('ScheduledReplicaJobs', scheduled.filter((j) => j.jobType === 'Replica').length),
        field('TotalJobRuns', sessions.length),
        field('SuccessfulJobRuns', count('Success')),
        field('WarningsJobRuns', count('Warning')),
        field('FailedJobRuns', count('Failed')),
        field('MaxJobDuration', 3540),
        field('MaxBackupJobDuration', 3540),
        field('MaxReplicaJobDuration', 2820),
        field('MaxDurationBackupJobName', estate.jobs.find((j) => j.jobType === 'Backup')?.name),
        field('MaxDurationReplicaJobName', estate.jobs.find((j) => j.jobType === 'Replica')?.name),
        field('BackupJobStatusReportLink', hrefs.api('reports/summary/job_statistics')),
      ]);
    case 'processed_vms':
      return el(spec.type, attrs, [
        up,
        list(
          'Day',
          [6, 5, 4, 3, 2, 1, 0].map((d) =>
            el('Day', [
              ['Timestamp', new Date(Date.UTC(2026, 10, 20 - d)).toISOString().replace('.000Z', 'Z')],
              ['ReplicatedVms', estate.jobs.filter((j) => j.jobType === 'Replica').length * 2],
              ['BackupedVms', estate.backups.length * 2 - (d % 3)],
            ]),
          ),
        ),
      ]);
    default:
      return el(spec.type, [...attrs, ['CapacityPlanningReportLink', hrefs.api('reports/summary/repository')]], [
        up,
        list(
          'Period',
          estate.repositories.map((r) =>
            el('Period', [], [field('Name', r.name), field('Capacity', r.capacity), field('FreeSpace', r.freeSpace), field('BackupSize', r.capacity - r.freeSpace)]),
          ),
        ),
      ]);
  }
}
