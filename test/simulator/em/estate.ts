import { createHash } from 'node:crypto';
import { ESTATE_EPOCH } from '../core/estate';

/**
 * The simulated backup estate: plain data, deterministic for a given size so tests and
 * benchmarks see the same names and ids on every run.
 */
export interface BackupServer {
  id: string;
  name: string;
  description: string;
  port: number;
  version: string;
}

export interface Repository {
  id: string;
  name: string;
  serverId: string;
  kind: string;
  capacity: number;
  freeSpace: number;
}

export interface ManagedServer {
  id: string;
  name: string;
  serverId: string;
  description: string;
  managedServerType: string;
}

export type JobType = 'Backup' | 'Replica' | 'BackupCopy';
export type Platform = 'VMware' | 'HyperV';

export interface Job {
  id: string;
  name: string;
  serverId: string;
  repositoryId: string;
  jobType: JobType;
  platform: Platform;
  description: string;
  scheduleConfigured: boolean;
  scheduleEnabled: boolean;
  nextRun: string | undefined;
  /** Time of day the job runs, e.g. `22:00:00`. */
  runTime: string;
  days: string[];
}

export interface JobSession {
  id: string;
  jobId: string;
  name: string;
  creationTimeUtc: string;
  endTimeUtc: string | undefined;
  state: 'Stopped' | 'Working';
  result: 'Success' | 'Warning' | 'Failed' | 'None';
  progress: number;
  isRetry: boolean;
}

export interface Backup {
  id: string;
  jobId: string;
  name: string;
  repositoryId: string;
  platform: Platform;
  backupType: string;
  creationTimeUtc: string;
}

export interface RestorePoint {
  id: string;
  backupId: string;
  name: string;
  creationTimeUtc: string;
  algorithm: 'Full' | 'Incremental';
}

export interface VmRestorePoint {
  id: string;
  restorePointId: string;
  vmName: string;
  name: string;
  creationTimeUtc: string;
  algorithm: 'Full' | 'Incremental';
  hierarchyObjRef: string;
}

export interface Estate {
  backupServers: BackupServer[];
  repositories: Repository[];
  managedServers: ManagedServer[];
  jobs: Job[];
  jobSessions: JobSession[];
  backups: Backup[];
  restorePoints: RestorePoint[];
  vmRestorePoints: VmRestorePoint[];
}

/** A stable GUID for (kind, index): the same estate size always yields the same ids. */
export function stableGuid(kind: string, index: number | string): string {
  const hex = createHash('sha1').update(`${kind}:${index}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const WORKLOADS = [
  'SQL Cluster',
  'Exchange DAG',
  'File Server',
  'Domain Controllers',
  'ERP Application',
  'Web Farm',
  'R&D <Lab> "Nightly"',
  'CRM Database',
  'VDI Golden Images',
  'Print Services',
  'Jump Hosts',
  'Monitoring Stack',
];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];
const ALL_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const HOUR = 3_600_000;
const GIB = 1024 ** 3;

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Jobs beyond this many get no sessions or backups, so that a huge estate stays quick to build. */
const DETAILED_JOBS = 200;

export function buildEstate(jobCount = 12): Estate {
  const serverCount = jobCount <= 0 ? 1 : Math.max(2, Math.min(20, Math.ceil(jobCount / 500)));
  const backupServers: BackupServer[] = [];
  const repositories: Repository[] = [];
  const managedServers: ManagedServer[] = [];
  for (let s = 0; s < serverCount; s++) {
    const serverName = `vbr${String(s + 1).padStart(2, '0')}.lab.local`;
    const id = stableGuid('backupServer', s);
    backupServers.push({
      id,
      name: serverName,
      description: s === 0 ? 'Head office backup server' : `Site ${s + 1} backup server`,
      port: 9392,
      version: '12.3.1.1139',
    });
    repositories.push(
      {
        id: stableGuid('repository', `${s}:0`),
        name: 'Default Backup Repository',
        serverId: id,
        kind: 'WinLocal',
        capacity: 2048 * GIB,
        freeSpace: (1024 - 37 * s) * GIB,
      },
      {
        id: stableGuid('repository', `${s}:1`),
        name: `Hardened Linux Repo ${s + 1}`,
        serverId: id,
        kind: 'LinuxLocal',
        capacity: 16384 * GIB,
        freeSpace: (9000 - 120 * s) * GIB,
      },
    );
    managedServers.push(
      {
        id: stableGuid('managedServer', `${s}:0`),
        name: `vcsa${s + 1}.lab.local`,
        serverId: id,
        description: 'vCenter Server',
        managedServerType: 'VC',
      },
      {
        id: stableGuid('managedServer', `${s}:1`),
        name: `hv${s + 1}.lab.local`,
        serverId: id,
        description: 'Hyper-V host',
        managedServerType: 'HvServer',
      },
      {
        id: stableGuid('managedServer', `${s}:2`),
        name: `repo${s + 1}.lab.local`,
        serverId: id,
        description: 'Linux repository host',
        managedServerType: 'Linux',
      },
    );
  }

  const jobs: Job[] = [];
  const jobSessions: JobSession[] = [];
  const backups: Backup[] = [];
  const restorePoints: RestorePoint[] = [];
  const vmRestorePoints: VmRestorePoint[] = [];
  for (let i = 0; i < jobCount; i++) {
    const server = backupServers[i % serverCount];
    const repositoryIndex = (i % serverCount) * 2 + (i % 3 === 0 ? 1 : 0);
    const jobType: JobType = i % 5 === 3 ? 'Replica' : i % 7 === 6 ? 'BackupCopy' : 'Backup';
    const platform: Platform = i % 4 === 2 ? 'HyperV' : 'VMware';
    const workload = WORKLOADS[i % WORKLOADS.length];
    const round = Math.floor(i / WORKLOADS.length);
    const suffix = jobType === 'Replica' ? 'Replication' : jobType === 'BackupCopy' ? 'Backup Copy' : 'Backup';
    const name = `${workload} ${suffix}${round > 0 ? ` ${round + 1}` : ''}`;
    const scheduleConfigured = i % 6 !== 5;
    const scheduleEnabled = scheduleConfigured && i % 9 !== 8;
    const hour = 18 + (i % 6);
    const runTime = `${String(hour).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}:00`;
    const job: Job = {
      id: stableGuid('job', i),
      name,
      serverId: server.id,
      repositoryId: repositories[repositoryIndex].id,
      jobType,
      platform,
      description: `${suffix} of ${workload} (${platform === 'HyperV' ? 'Hyper-V' : 'vSphere'})`,
      scheduleConfigured,
      scheduleEnabled,
      nextRun: scheduleEnabled ? iso(ESTATE_EPOCH + 24 * HOUR + (hour - 22) * HOUR) : undefined,
      runTime,
      days: i % 2 === 0 ? ALL_DAYS : WEEKDAYS,
    };
    jobs.push(job);
    if (i >= DETAILED_JOBS) continue;

    for (let n = 0; n < 3; n++) {
      const start = ESTATE_EPOCH - (n + 1) * 24 * HOUR + (i % 60) * 60_000;
      const result = n === 1 && i % 4 === 1 ? 'Warning' : n === 2 && i % 5 === 2 ? 'Failed' : 'Success';
      jobSessions.push({
        id: stableGuid('jobSession', `${i}:${n}`),
        jobId: job.id,
        name: `${name}@${iso(start).replace('T', ' ').replace('Z', '')}`,
        creationTimeUtc: iso(start),
        endTimeUtc: iso(start + (20 + (i % 40)) * 60_000),
        state: 'Stopped',
        result,
        progress: 100,
        isRetry: false,
      });
    }
    if (jobType === 'Replica') continue;

    const backup: Backup = {
      id: stableGuid('backup', i),
      jobId: job.id,
      name,
      repositoryId: job.repositoryId,
      platform,
      backupType: jobType === 'BackupCopy' ? 'BackupCopy' : 'Backup',
      creationTimeUtc: iso(ESTATE_EPOCH - 30 * 24 * HOUR + i * 60_000),
    };
    backups.push(backup);
    for (let p = 0; p < 3; p++) {
      const created = ESTATE_EPOCH - (p + 1) * 24 * HOUR + (i % 60) * 60_000;
      const point: RestorePoint = {
        id: stableGuid('restorePoint', `${i}:${p}`),
        backupId: backup.id,
        name: `${name}@${iso(created)}`,
        creationTimeUtc: iso(created),
        algorithm: p === 2 ? 'Full' : 'Incremental',
      };
      restorePoints.push(point);
      for (let v = 0; v < 2; v++) {
        const vmName = `${workload.split(' ')[0].toLowerCase().replace(/[^a-z0-9]/g, '')}-vm${String(i * 2 + v + 1).padStart(3, '0')}`;
        vmRestorePoints.push({
          id: stableGuid('vmRestorePoint', `${i}:${p}:${v}`),
          restorePointId: point.id,
          vmName,
          name: `${vmName}@${iso(created)}`,
          creationTimeUtc: iso(created),
          algorithm: point.algorithm,
          hierarchyObjRef: `urn:${platform}:Vm:${server.id}.vm-${1000 + i * 2 + v}`,
        });
      }
    }
  }
  return { backupServers, repositories, managedServers, jobs, jobSessions, backups, restorePoints, vmRestorePoints };
}
