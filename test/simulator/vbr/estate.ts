import { ESTATE_EPOCH as EPOCH, hash128, stableGuid } from '../core/estate';

/**
 * The simulated backup server: plain JSON records shaped like VBR REST models (field names from the published
 * 1.1-rev0 document, see FACTS.md; values invented), deterministic for a size so tests see the same names and ids.
 */
/** Jobs by default; sessions are about twice as many, task sessions and restore points more again. */
export const DEFAULT_VBR_JOBS = 300;

const HOUR = 3_600_000;

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Item = { [key: string]: Json } & { id: string };

export interface VbrEstate {
  serverInfo: { [key: string]: Json };
  jobs: Item[];
  jobStates: Item[];
  sessions: Item[];
  taskSessions: Item[];
  backups: Item[];
  backupObjects: Item[];
  restorePoints: Item[];
  repositories: Item[];
  repositoryStates: Item[];
  managedServers: Item[];
  proxies: Item[];
  credentials: Item[];
}

/** A stable number in [0, 1) for (kind, index). */
function chance(kind: string, index: number): number {
  return hash128(`vbr:${kind}:${index}`)[0] / 0x1_0000_0000;
}

function pick<T>(values: readonly T[], kind: string, index: number): T {
  return values[Math.floor(chance(kind, index) * values.length)];
}

const id = (kind: string, index: number) => stableGuid(`vbr-${kind}`, index);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const WORKLOADS = ['SQL', 'Exchange', 'File Server', 'Domain Controllers', 'ERP', 'Web Farm', 'CRM', 'VDI', 'Print', 'Jump Hosts', 'Linux Fleet', 'Kubernetes'];
const SITES = ['Berlin', 'Praha', 'Columbus', 'Lyon', 'Toronto', 'Sydney', 'Milano', 'Oslo', 'Austin', 'Lisboa'];
const JOB_TYPES = ['Backup', 'Backup', 'Backup', 'Backup', 'BackupCopy', 'Replica', 'EntraIDTenantBackup', 'FileBackup'] as const;
const RESULTS = ['Success', 'Success', 'Success', 'Success', 'Success', 'Warning', 'Failed', 'None'] as const;
const VM_ROLES = ['sql', 'web', 'app', 'dc', 'fs', 'exch', 'erp', 'vdi', 'mon', 'jump'];

/**
 * Names that check a client's escaping and text handling: markup, ampersands, both quotes, non-Latin scripts, an
 * emoji outside the BMP, right-to-left text. The others are combinations, unique.
 */
const SPECIAL_JOB_NAMES = [
  'Müller & Söhne "Bau" <b>Nightly</b>',
  "Répertoire d'été ☀️ 🚀 Backup",
  '日本語のバックアップ ジョブ',
  '<script>alert(1)</script> & friends',
  'Ολυμπία — Αντίγραφα',
  'نسخ احتياطي ليلي',
];

function jobName(i: number): string {
  if (i < SPECIAL_JOB_NAMES.length) return SPECIAL_JOB_NAMES[i];
  const n = i - SPECIAL_JOB_NAMES.length;
  return `${SITES[n % SITES.length]} ${WORKLOADS[Math.floor(n / SITES.length) % WORKLOADS.length]} Backup ${String(n + 1).padStart(3, '0')}`;
}

export function buildVbrEstate(jobCount = DEFAULT_VBR_JOBS): VbrEstate {
  const jobsN = Math.max(1, Math.floor(jobCount));

  const managedServers: Item[] = [];
  const serverTypes = ['ViHost', 'ViHost', 'WindowsHost', 'LinuxHost', 'LinuxHost', 'HvServer'] as const;
  for (let i = 0; i < 12; i++) {
    const type = serverTypes[i % serverTypes.length];
    const name = i === 0 ? 'vcenter01.lab.example' : i === 5 ? 'hyperv-ñandú.lab.example' : `${type === 'ViHost' ? 'esx' : type === 'HvServer' ? 'hv' : type === 'WindowsHost' ? 'win' : 'lnx'}${String(i).padStart(2, '0')}.lab.example`;
    managedServers.push({ id: id('server', i), name, description: i === 5 ? 'Hyper-V & "Cluster" <Süd>' : `Managed server ${i + 1}`, type: i === 0 ? 'ViHost' : type, status: i === 7 ? 'Unavailable' : 'Available', credentialsId: id('cred', i % 6), credentialsStorageType: 'Permanent' });
  }

  const credentials: Item[] = [];
  const credTypes = ['Standard', 'Standard', 'Linux', 'Standard', 'Linux', 'Standard'];
  for (let i = 0; i < 6; i++) {
    credentials.push({
      id: id('cred', i),
      type: credTypes[i],
      username: i === 3 ? 'LAB\\svc-Bäckup' : credTypes[i] === 'Linux' ? `root${i}` : `LAB\\svc-veeam${i}`,
      description: i === 3 ? 'Service account "Bäckup" <main> & co' : `Credentials record ${i + 1}`,
      creationTime: iso(EPOCH - (400 - i * 30) * 24 * HOUR),
    });
  }

  const repositories: Item[] = [];
  const repositoryStates: Item[] = [];
  const repoTypes = ['WinLocal', 'LinuxLocal', 'LinuxHardened', 'Nfs', 'Smb', 'AmazonS3', 'AzureBlob', 'WinLocal'] as const;
  for (let i = 0; i < repoTypes.length; i++) {
    const type = repoTypes[i];
    const name = i === 0 ? 'Default Backup Repository' : i === 4 ? 'NAS "Ablage" <2> & Archiv' : `${type} Repository ${i}`;
    const host = managedServers[(i % 5) + 1];
    const path = type === 'WinLocal' ? `D:\\Backups\\Repo${i}` : type === 'AmazonS3' || type === 'AzureBlob' ? null : `/mnt/backup/repo${i}`;
    const capacityGB = 2048 * (1 + Math.floor(chance('repo-cap', i) * 16));
    const freeGB = Math.round(capacityGB * (0.05 + chance('repo-free', i) * 0.8) * 100) / 100;
    repositories.push({ id: id('repo', i), name, description: `Repository for ${SITES[i % SITES.length]}`, type, hostId: host.id, repository: { path, maxTaskCount: 4 + (i % 4), readWriteRate: 0 }, mountServer: { mountServerId: host.id, writeCacheFolder: null, vPowerNFSEnabled: true } });
    repositoryStates.push({ id: id('repo', i), name, type, description: `Repository for ${SITES[i % SITES.length]}`, hostId: host.id, hostName: host.name as string, path, capacityGB, freeGB, usedSpaceGB: Math.round((capacityGB - freeGB) * 100) / 100 });
  }

  const proxies: Item[] = [];
  for (let i = 0; i < 6; i++) {
    const host = managedServers[(i % 4) + 1];
    proxies.push({ id: id('proxy', i), name: i === 0 ? 'VMware Backup Proxy' : `Proxy ${SITES[i]} ${i}`, description: i === 0 ? 'Created by Veeam Backup & Replication' : `Backup proxy on ${host.name as string}`, type: i < 4 ? 'ViProxy' : 'HvProxy', server: { hostId: host.id, transportMode: pick(['Auto', 'DirectAccess', 'VirtualAppliance', 'Network'], 'proxy-mode', i), failoverToNetwork: true, hostToProxyEncryption: false, maxTaskCount: 4 } });
  }

  const jobs: Item[] = [];
  const jobStates: Item[] = [];
  const sessions: Item[] = [];
  const taskSessions: Item[] = [];
  const backups: Item[] = [];
  const backupObjects: Item[] = [];
  const restorePoints: Item[] = [];
  let usn = 1000;

  for (let j = 0; j < jobsN; j++) {
    const jobId = id('job', j);
    const name = jobName(j);
    const type = pick(JOB_TYPES, 'job-type', j);
    const disabled = chance('job-disabled', j) < 0.08;
    const repo = repositories[j % repositories.length];
    const vmCount = 1 + Math.floor(chance('job-vms', j) * 4);
    const vms = Array.from({ length: vmCount }, (_, v) => ({ name: `${VM_ROLES[(j + v) % VM_ROLES.length]}-${String(j * 4 + v + 1).padStart(4, '0')}`, objectId: `vm-${1000 + j * 4 + v}` }));
    const description = j === 1 ? 'Crée par l’équipe & « testé »' : `Protects ${vmCount} VM${vmCount > 1 ? 's' : ''} of ${WORKLOADS[j % WORKLOADS.length]}`;
    jobs.push({
      id: jobId,
      name,
      description,
      type,
      isDisabled: disabled,
      isHighPriority: j % 17 === 0,
      virtualMachines: { includes: vms.map((vm) => ({ type: 'VirtualMachine', hostName: 'vcenter01.lab.example', name: vm.name, objectId: vm.objectId })), excludes: { vms: [], disks: [] } },
      storage: { backupRepositoryId: repo.id, backupProxies: { autoSelection: true, proxyIds: [] }, retentionPolicy: { type: 'Days', quantity: 7 + (j % 4) * 7 } },
      schedule: { runAutomatically: !disabled, daily: { isEnabled: true, localTime: `${String(18 + (j % 6)).padStart(2, '0')}:00`, dailyKind: 'Everyday' } },
    });

    // Sessions of this job: one or two earlier runs, oldest first, each with a task per VM.
    const runs = 1 + (chance('job-runs', j) < 0.7 ? 1 : 0);
    let lastSession: Item | undefined;
    for (let r = 0; r < runs; r++) {
      const s = sessions.length;
      const start = EPOCH - (runs - r) * 24 * HOUR - Math.floor(chance('sess-start', s) * 6 * HOUR);
      const result = disabled ? 'Success' : pick(RESULTS, 'sess-result', s);
      const end = start + (10 + Math.floor(chance('sess-len', s) * 110)) * 60_000;
      const session: Item = {
        id: id('session', s),
        name: `${name}`,
        activityId: id('activity', s),
        sessionType: type === 'BackupCopy' ? 'BackupCopyJob' : type === 'Replica' ? 'ReplicaJob' : 'BackupJob',
        creationTime: iso(start),
        endTime: iso(end),
        state: 'Stopped',
        progressPercent: 100,
        result: { result, message: result === 'Failed' ? `Processing ${vms[0].name} failed: the repository "${repo.name as string}" is out of space.` : result === 'Warning' ? 'Changed block tracking is disabled for one disk.' : '', isCanceled: false },
        resourceId: jobId,
        resourceReference: `/api/v1/jobs/${jobId}`,
        parentSessionId: null,
        usn: usn++,
      };
      sessions.push(session);
      lastSession = session;
      vms.forEach((vm, v) => {
        const t = taskSessions.length;
        taskSessions.push({
          id: id('task', t),
          type: 'Backup',
          sessionId: session.id,
          sessionType: session.sessionType,
          name: vm.name,
          creationTime: iso(start + v * 60_000),
          endTime: iso(end - (vmCount - v) * 30_000),
          state: 'Stopped',
          result: { result: v === 0 && result === 'Failed' ? 'Failed' : 'Success', message: '', isCanceled: false },
          progress: { progressPercent: 100, processedSize: 10_000_000_000 + t * 1_000_000, readSize: 8_000_000_000, transferredSize: 3_000_000_000, duration: '00:12:34' },
          usn: usn++,
        });
      });
    }
    const lastResult = (lastSession!.result as { result: string }).result;
    jobStates.push({
      id: jobId,
      name,
      type,
      description,
      status: disabled ? 'Disabled' : 'Inactive',
      lastRun: lastSession!.creationTime,
      lastResult,
      nextRun: disabled ? null : iso(EPOCH + (1 + (j % 6)) * HOUR),
      workload: type === 'FileBackup' ? 'FileShare' : type === 'EntraIDTenantBackup' ? 'EntraID' : 'Vm',
      repositoryId: repo.id,
      repositoryName: repo.name,
      objectsCount: vmCount,
      sessionId: lastSession!.id,
    });

    // One backup per job, an object per VM, a restore point per run and object.
    const backupId = id('backup', j);
    backups.push({ id: backupId, jobId, policyTag: null, name, platformName: 'VMware', platformId: '00000000-0000-0000-0000-000000000000', creationTime: sessions[sessions.length - runs].creationTime, repositoryId: repo.id });
    vms.forEach((vm, v) => {
      const o = backupObjects.length;
      const objectId = id('object', o);
      backupObjects.push({ id: objectId, name: vm.name, type: 'VM', platformName: 'VMware', platformId: '00000000-0000-0000-0000-000000000000', objectId: vm.objectId, path: `vcenter01.lab.example\\${SITES[j % SITES.length]}\\${vm.name}`, restorePointsCount: runs, backupId });
      for (let r = 0; r < runs; r++) {
        const p = restorePoints.length;
        const session = sessions[sessions.length - runs + r];
        restorePoints.push({ id: id('point', p), name: vm.name, platformName: 'VMware', platformId: '00000000-0000-0000-0000-000000000000', creationTime: session.creationTime, backupId, backupObjectId: objectId, allowedOperations: ['VmwareInstantRecoveryFcd', 'VmwareRestoreEntireVm', 'StartFlr'] });
      }
    });
  }

  return {
    serverInfo: { vbrId: id('installation', 0), name: 'vbr01.lab.example', buildVersion: '13.0.1.180', patches: [], databaseVendor: 'PostgreSql', sqlServerVersion: null, databaseSchemaVersion: '13.0.1.180', databaseContentVersion: '130100', platform: 'Windows' },
    jobs,
    jobStates,
    sessions,
    taskSessions,
    backups,
    backupObjects,
    restorePoints,
    repositories,
    repositoryStates,
    managedServers,
    proxies,
    credentials,
  };
}
