import { ESTATE_EPOCH, hash128, stableGuid } from '../core/estate';

export { stableGuid };

/**
 * The simulated VSPC tenant estate: plain JSON records shaped like the items of VSPC REST API v3
 * (field names from the public OpenAPI document; the values are invented), deterministic for a
 * given size so tests see the same names and ids on every run.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Item = { [key: string]: Json } & { instanceUid: string };

export interface VspcEstate {
  about: { [key: string]: Json };
  /** The organization of the service provider itself: owner of the users and the provider's locations. */
  providerUid: string;
  resellers: Item[];
  companies: Item[];
  locations: Item[];
  backupServers: Item[];
  jobs: Item[];
  virtualMachines: Item[];
  activeAlarms: Item[];
}

/** Number of companies by default: collections then range from tens (resellers) to thousands (jobs, VMs). */
export const DEFAULT_VSPC_ITEMS = 250;

const HOUR = 3_600_000;
const GIB = 1024 ** 3;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A stable number in [0, 1) for (kind, index). */
function chance(kind: string, index: number): number {
  return hash128(`vspc:${kind}:${index}`)[0] / 0x1_0000_0000;
}

function pick<T>(values: readonly T[], kind: string, index: number): T {
  return values[Math.floor(chance(kind, index) * values.length)];
}

const uid = (kind: string, index: number | string) => stableGuid(`vspc-${kind}`, index);

const COMPANY_STEMS = [
  'Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell',
  'Cyberdyne', 'Wonka', 'Gringotts', 'Oscorp', 'Nakatomi', 'Dunder Mifflin', 'Pied Piper', 'Aperture',
  'Black Mesa', 'Monarch', 'Duff', 'Krusty', 'Sterling', 'Prestige',
];
const COMPANY_SUFFIXES = [
  'Industries', 'Logistics', 'Health', 'Labs', 'Foods', 'Legal', 'Retail', 'Energy', 'Media',
  'Holdings', 'Insurance', 'Manufacturing',
];
const RESELLER_NAMES = [
  'Northwind IT Partners', 'Contoso Cloud Services', 'Fabrikam Managed Backup', 'Tailspin Hosting',
  'Adventure Works MSP', 'Litware Systems', 'Proseware Data', 'Wide World Cloud',
];
const CITIES = ['Berlin', 'Prague', 'Columbus', 'Lyon', 'Toronto', 'Sydney', 'Milan', 'Oslo', 'Austin', 'Lisbon'];
const COMPANY_STATUSES = ['Active', 'Active', 'Active', 'Active', 'Active', 'Active', 'Disabled', 'Expired'] as const;
const JOB_TYPES = ['BackupVm', 'BackupVm', 'BackupVm', 'ReplicationVm', 'SimpleBackupCopyPolicy', 'BackupAgentJob', 'FileShare'] as const;
const JOB_STATUSES = ['Success', 'Success', 'Success', 'Success', 'Warning', 'Failed', 'Running', 'None'] as const;
const WORKLOADS = ['SQL', 'Exchange', 'File Server', 'Domain Controllers', 'ERP', 'Web Farm', 'CRM', 'VDI', 'Print', 'Jump Hosts'];
const VM_ROLES = ['sql', 'web', 'app', 'dc', 'fs', 'exch', 'erp', 'vdi', 'mon', 'jump'];
const ALARM_TEMPLATES = [
  { name: 'Job state', area: 'Infrastructure', objectType: 'BackupServerJob', message: 'Job finished with error: not enough space on the target repository.' },
  { name: 'Backup server connection', area: 'Infrastructure', objectType: 'BackupServer', message: 'Connection to the backup server has been lost.' },
  { name: 'Repository free space', area: 'Infrastructure', objectType: 'BackupRepository', message: 'Free space on the repository is below 10%.' },
  { name: 'VM without backup', area: 'Protection', objectType: 'VirtualMachine', message: 'The VM has no restore point newer than 24 hours.' },
  { name: 'Company quota', area: 'Company', objectType: 'Company', message: 'The company has used 95% of its storage quota.' },
] as const;

function companyName(i: number): string {
  // The first few are distinct well-known names; a name with markup and non-ASCII characters checks
  // escaping; the rest are combinations, numbered once the combinations run out.
  if (i === 7) return 'Müller & Söhne "Bau" <GmbH>';
  const stem = COMPANY_STEMS[i % COMPANY_STEMS.length];
  const suffix = COMPANY_SUFFIXES[Math.floor(i / COMPANY_STEMS.length) % COMPANY_SUFFIXES.length];
  const round = Math.floor(i / (COMPANY_STEMS.length * COMPANY_SUFFIXES.length));
  return `${stem} ${suffix}${round > 0 ? ` ${round + 1}` : ''}`;
}

export function buildVspcEstate(size = DEFAULT_VSPC_ITEMS): VspcEstate {
  const companyCount = Math.max(1, Math.floor(size));
  const resellerCount = Math.max(2, Math.min(RESELLER_NAMES.length * 4, Math.ceil(companyCount / 40)));
  const serverCount = Math.max(2, Math.ceil(companyCount / 10));
  const jobCount = companyCount * WORKLOADS.length;
  const vmCount = companyCount * 12;
  const alarmCount = companyCount * 2;
  const providerUid = uid('provider', 0);

  const about = {
    installationUid: uid('installation', 0),
    installationDate: iso(ESTATE_EPOCH - 400 * 24 * HOUR),
    serverVersion: '8.1.0.21377',
    actualVspcVersion: '8.1',
    windowsVersion: 'Microsoft Windows Server 2022 Standard',
    serverName: 'vspc-sim.lab.local',
  };

  const resellers: Item[] = [];
  for (let r = 0; r < resellerCount; r++) {
    const base = RESELLER_NAMES[r % RESELLER_NAMES.length];
    resellers.push({
      instanceUid: uid('reseller', r),
      proPartnerId: `PP-${100200 + r}`,
      name: r < RESELLER_NAMES.length ? base : `${base} ${Math.floor(r / RESELLER_NAMES.length) + 1}`,
      status: r === resellerCount - 1 && resellerCount > 2 ? 'Disabled' : 'Active',
      permissions: r % 2 === 0 ? ['REST', 'ManageCompanies', 'Alarms'] : ['ManageCompanies'],
      quota: {
        companiesQuota: r % 3 === 0 ? null : 50 + r * 5,
        storageQuota: (10 + r) * 1024 * GIB,
        isStorageQuotaUnlimited: r % 3 === 0,
        serverAgentsQuota: r % 2 === 0 ? null : 200,
        workstationAgentsQuota: null,
      },
    });
  }

  const companies: Item[] = [];
  for (let c = 0; c < companyCount; c++) {
    const name = companyName(c);
    const reseller = c % 5 === 0 ? undefined : resellers[c % resellerCount];
    const city = pick(CITIES, 'company-city', c);
    companies.push({
      instanceUid: uid('company', c),
      name,
      status: pick(COMPANY_STATUSES, 'company-status', c),
      resellerUid: reseller ? reseller.instanceUid : null,
      subscriptionPlanUid: c % 4 === 0 ? null : uid('plan', c % 6),
      isAlarmDetectEnabled: c % 7 !== 0,
      permissions: c % 3 === 0 ? ['REST'] : c % 3 === 1 ? ['REST', 'ManageBackupAgents'] : [],
      loginUrl: c % 10 === 0 ? `https://portal.example.com/login/${c}` : null,
      subscription: {
        planName: c % 4 === 0 ? null : `Plan ${['Bronze', 'Silver', 'Gold', 'Platinum', 'Trial', 'Custom'][c % 6]}`,
        currency: pick(['EUR', 'USD', 'GBP', 'CZK'], 'company-currency', c),
        isTrial: c % 6 === 4,
        startDate: iso(ESTATE_EPOCH - (30 + (c % 700)) * 24 * HOUR),
      },
      companyServices: {
        isBackupAgentManagementEnabled: c % 2 === 0,
        isBackupServerManagementEnabled: c % 3 !== 2,
        isVBPublicCloudManagementEnabled: c % 5 === 1,
        backupResources: c % 4 === 3 ? [] : [
          { siteUid: uid('site', 0), repositoryName: `Cloud Repository ${1 + (c % 3)}`, storageQuota: (100 + (c % 20) * 50) * GIB, usedSpace: Math.floor(chance('company-used', c) * 100 * GIB) },
        ],
      },
      contact: {
        email: `it@${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.example`,
        phone: `+1-555-${String(1000 + c).padStart(4, '0')}`,
        city,
        country: city === 'Columbus' || city === 'Austin' ? 'United States' : 'Various',
      },
    });
  }

  const locations: Item[] = [];
  const locationOf = new Map<string, string>();
  const addLocation = (organizationUid: string, name: string, index: number, type: 'Default' | 'Custom') => {
    const instanceUid = uid('location', index);
    if (!locationOf.has(organizationUid)) locationOf.set(organizationUid, instanceUid);
    locations.push({ instanceUid, organizationUid, name, type, quotaGb: type === 'Default' ? null : 500 + (index % 10) * 100 });
  };
  let locationIndex = 0;
  addLocation(providerUid, 'Headquarters', locationIndex++, 'Default');
  addLocation(providerUid, 'Secondary Datacenter', locationIndex++, 'Custom');
  for (const reseller of resellers) addLocation(reseller.instanceUid, `${reseller.name as string} Office`, locationIndex++, 'Default');
  companies.forEach((company, c) => {
    addLocation(company.instanceUid, `${company.name as string} Main Site`, locationIndex++, 'Default');
    if (c % 3 === 0) addLocation(company.instanceUid, `${company.name as string} Branch ${pick(CITIES, 'branch', c)}`, locationIndex++, 'Custom');
  });

  const backupServers: Item[] = [];
  for (let s = 0; s < serverCount; s++) {
    // The provider runs the first two servers (Cloud Connect); each other server belongs to one company.
    const owner = s < 2 ? providerUid : companies[(s * 7) % companyCount].instanceUid;
    const health = chance('server-status', s);
    backupServers.push({
      instanceUid: uid('backupServer', s),
      name: s < 2 ? `vbr-cc-${String(s + 1).padStart(2, '0')}.lab.local` : `vbr-${String(s + 1).padStart(3, '0')}.tenant.local`,
      organizationUid: owner,
      locationUid: locationOf.get(owner) ?? locations[0].instanceUid,
      managementAgentUid: uid('managementAgent', s),
      version: s % 4 === 3 ? '12.1.2.172' : '12.3.0.310',
      displayVersion: s % 4 === 3 ? '12.1.2.172' : '12.3.0.310',
      installationUid: uid('vbrInstallation', s),
      backupServerRoleType: s < 2 ? 'CloudConnect' : 'Client',
      status: health < 0.8 ? 'Healthy' : health < 0.93 ? 'Warning' : 'Error',
    });
  }

  const jobs: Item[] = [];
  for (let j = 0; j < jobCount; j++) {
    const server = backupServers[j % serverCount];
    // Ten jobs per company, one per workload: names stay unique.
    const company = companies[Math.floor(j / WORKLOADS.length) % companyCount];
    const type = pick(JOB_TYPES, 'job-type', j);
    const status = pick(JOB_STATUSES, 'job-status', j);
    const lastRun = ESTATE_EPOCH - Math.floor(chance('job-run', j) * 48) * HOUR;
    const duration = 120 + Math.floor(chance('job-duration', j) * 7000);
    const running = status === 'Running';
    const taskCount = type === 'BackupVm' || type === 'ReplicationVm' ? 1 + (j % 3) : 0;
    jobs.push({
      instanceUid: uid('job', j),
      uniqueUid: uid('jobUnique', j),
      name: `${company.name as string} ${WORKLOADS[j % WORKLOADS.length]} ${type === 'ReplicationVm' ? 'Replica' : 'Backup'}`,
      description: j % 9 === 0 ? '' : `Created by the simulator for ${company.name as string}.`,
      createdBy: j % 2 === 0 ? 'LAB\\backup-admin' : 'vspc-automation',
      creationTime: iso(ESTATE_EPOCH - (20 + (j % 500)) * 24 * HOUR),
      backupServerUid: server.instanceUid,
      locationUid: server.locationUid,
      siteUid: server.backupServerRoleType === 'CloudConnect' ? uid('site', 0) : null,
      organizationUid: server.organizationUid,
      mappedOrganizationUid: company.instanceUid,
      type,
      status,
      lastRun: status === 'None' ? null : iso(lastRun),
      lastEndTime: status === 'None' || running ? null : iso(lastRun + duration * 1000),
      lastDuration: status === 'None' || running ? null : duration,
      processingRate: status === 'None' ? null : Math.round(chance('job-rate', j) * 500 * 10) / 10,
      avgDuration: status === 'None' ? null : duration + 30,
      transferredData: status === 'None' ? null : Math.floor(chance('job-data', j) * 50 * GIB),
      backupChainSize: type === 'BackupVm' ? Math.floor(chance('job-chain', j) * 900 * GIB) : null,
      bottleneck: pick(['Source', 'Proxy', 'Network', 'Target', 'None'], 'job-bottleneck', j),
      isEnabled: j % 11 !== 0,
      scheduleType: pick(['Daily', 'Periodically', 'Monthly', 'Continuously', 'NotScheduled'], 'job-schedule', j),
      failureMessage: status === 'Failed' ? 'Error: Not enough storage space on the target.\r\nProcessing finished with errors.' : null,
      targetType: server.backupServerRoleType === 'CloudConnect' ? 'Cloud' : 'Local',
      destination: `Repository ${1 + (j % 4)}`,
      retentionLimit: 7 + (j % 24),
      retentionLimitType: j % 4 === 0 ? 'Days' : 'RestorePoints',
      isGfsOptionEnabled: j % 5 === 0,
      lastSessionTasks: Array.from({ length: taskCount }, (_, t) => ({
        objectName: `${VM_ROLES[(j + t) % VM_ROLES.length]}-${String(j % 1000).padStart(3, '0')}`,
        objectUid: uid('taskObject', `${j}-${t}`),
        status: t === 0 ? status : 'Success',
        totalObjects: 1,
        processedObjects: running && t === taskCount - 1 ? 0 : 1,
      })),
    });
  }

  const virtualMachines: Item[] = [];
  for (let v = 0; v < vmCount; v++) {
    const job = jobs[v % jobCount];
    const company = companies[v % companyCount];
    const role = VM_ROLES[v % VM_ROLES.length];
    const points = job.status === 'None' ? 0 : 1 + Math.floor(chance('vm-points', v) * 30);
    const used = Math.floor((20 + chance('vm-size', v) * 480) * GIB);
    virtualMachines.push({
      instanceUid: uid('vm', v),
      name: `${role}-${String(v + 1).padStart(4, '0')}`,
      organizationUid: company.instanceUid,
      backupServerUid: job.backupServerUid,
      jobUid: job.instanceUid,
      hierarchyRef: `vm-${1000 + v}`,
      objectUid: uid('vmObject', v),
      platformType: v % 4 === 3 ? 'HyperV' : 'VSphere',
      restorePoints: points,
      latestRestorePointDate: points === 0 ? null : iso(ESTATE_EPOCH - Math.floor(chance('vm-latest', v) * 72) * HOUR),
      provisionedSourceSize: used * 2,
      usedSourceSize: used,
      totalRestorePointSize: points === 0 ? 0 : Math.floor(used * (0.4 + points * 0.05)),
      malwareState: v % 97 === 0 ? 'Suspicious' : 'Clean',
      destinations: points === 0 ? [] : [{ targetType: job.targetType, name: job.destination, restorePoints: points }],
    });
  }

  const activeAlarms: Item[] = [];
  for (let a = 0; a < alarmCount; a++) {
    const template = ALARM_TEMPLATES[a % ALARM_TEMPLATES.length];
    const company = companies[(a * 3) % companyCount];
    const server = backupServers[a % serverCount];
    const status = pick(['Error', 'Error', 'Warning', 'Warning', 'Resolved', 'Acknowledged', 'Info'], 'alarm-status', a);
    const objectName =
      template.objectType === 'Company' ? (company.name as string)
      : template.objectType === 'BackupServer' ? (server.name as string)
      : template.objectType === 'VirtualMachine' ? (virtualMachines[a % vmCount].name as string)
      : template.objectType === 'BackupServerJob' ? (jobs[a % jobCount].name as string)
      : `Repository ${1 + (a % 4)}`;
    activeAlarms.push({
      instanceUid: uid('alarm', a),
      alarmTemplateUid: uid('alarmTemplate', a % ALARM_TEMPLATES.length),
      alarmName: template.name,
      repeatCount: 1 + Math.floor(chance('alarm-repeat', a) * 20),
      area: template.area,
      object: {
        instanceUid: uid('alarmObject', a),
        type: template.objectType,
        organizationUid: company.instanceUid,
        locationUid: locationOf.get(company.instanceUid) ?? null,
        managementAgentUid: server.managementAgentUid,
        computerName: server.name,
        objectName,
      },
      lastActivation: {
        instanceUid: uid('alarmActivation', a),
        time: iso(ESTATE_EPOCH - Math.floor(chance('alarm-time', a) * 240) * HOUR),
        status,
        message: template.message,
        remark: status === 'Acknowledged' ? 'Looking into it.' : null,
      },
    });
  }

  return { about, providerUid, resellers, companies, locations, backupServers, jobs, virtualMachines, activeAlarms };
}
