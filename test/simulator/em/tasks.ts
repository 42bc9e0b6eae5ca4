// The work an EM action starts, and how it runs: a Task that is Running for a while and then Finished, with
// success or failure, and — for a job's Start and Retry — the job session that the job runs meanwhile.
import { randomUUID } from 'node:crypto';
import type { Job, JobSession } from './estate';
import type { TaskData } from './representations';

export interface TaskRecord extends TaskData {
  userName: string;
  /** When the action was accepted (ms since the epoch). */
  startedAt: number;
  /** How long it runs before it is Finished. 0: finished at the next request (not in the 202 that started it). */
  durationMs: number;
  /** Set by an `action-fails` fault: the task finishes with `Success="false"` and this message. */
  failure?: string;
  /** The job session a Start or Retry runs (in the estate's job sessions, first). */
  session?: JobSession;
}

/** What runs on an EM simulator: its tasks, and a generation that changes whenever something they touch does. */
export interface TaskState {
  tasks: Map<string, TaskRecord>;
  nextTaskNumber: number;
  /** Bumped when a task or a job session changes: the server's rendering cache keys on it. */
  generation: number;
}

/** Operations whose task runs a new job session. */
const RUNS_A_SESSION = new Set(['StartJob', 'RetryJob']);

/**
 * Brings every running task up to `now`: those whose time is up finish (their job session stops with the task's
 * result); the others' job sessions show their progress. Bumps the generation when anything is running or changed.
 */
export function advanceTasks(state: TaskState, now: number): void {
  let changed = false;
  for (const task of state.tasks.values()) {
    if (task.state !== 'Running') continue;
    changed = true;
    if (now - task.startedAt >= task.durationMs) finish(task, now);
    else if (task.session) task.session.progress = Math.floor(((now - task.startedAt) / task.durationMs) * 100);
  }
  if (changed) state.generation++;
}

function finish(task: TaskRecord, now: number): void {
  task.state = 'Finished';
  task.success = task.failure === undefined;
  if (task.failure !== undefined) task.message = task.failure;
  const session = task.session;
  if (session && session.state === 'Working') {
    session.state = 'Stopped';
    session.result = task.failure === undefined ? 'Success' : 'Failed';
    session.progress = 100;
    session.endTimeUtc = new Date(now).toISOString();
  }
}

/**
 * Cancels a running task (its DELETE): the task is gone and the job session it runs stops with `Warning` (the
 * simulator's choice; EM's docs give the task a Delete link and say nothing of what deleting a running one does).
 */
export function cancelTask(state: TaskState, task: TaskRecord, now: number): void {
  const session = task.session;
  if (task.state === 'Running' && session && session.state === 'Working') {
    session.state = 'Stopped';
    session.result = 'Warning';
    session.endTimeUtc = new Date(now).toISOString();
  }
  state.tasks.delete(task.id);
  state.generation++;
}

export interface StartedAction {
  operation: string;
  /** The object it acts on, as `collection/id` under /api/. */
  targetPath: string;
  targetName: string;
  /** The job, when the target is one. */
  job?: Job;
  userName: string;
  durationMs: number;
  failure?: string;
  now: number;
}

/** A new task; a Start or Retry of a job also puts a Working job session first among the estate's sessions. */
export function startTask(state: TaskState, jobSessions: JobSession[], a: StartedAction): TaskRecord {
  const id = `task-${state.nextTaskNumber++}`;
  const record: TaskRecord = {
    id,
    operation: a.operation,
    state: 'Running',
    success: true,
    message: a.job ? `Job "${a.targetName}" triggered to ${verb(a.operation)}.` : `${a.operation} of '${a.targetName}' completed.`,
    targetPath: a.targetPath,
    userName: a.userName,
    startedAt: a.now,
    durationMs: a.durationMs,
    failure: a.failure,
  };
  if (a.job) {
    if (RUNS_A_SESSION.has(a.operation)) {
      const creation = new Date(a.now).toISOString();
      record.session = {
        id: randomUUID(),
        jobId: a.job.id,
        name: `${a.job.name}@${creation.replace('T', ' ').replace('Z', '')}`,
        creationTimeUtc: creation,
        endTimeUtc: undefined,
        state: 'Working',
        result: 'None',
        progress: 0,
        isRetry: a.operation === 'RetryJob',
      };
      jobSessions.unshift(record.session);
    } else if (a.operation === 'StopJob') {
      // Stop ends the job's running sessions (those an earlier Start or Retry began).
      for (const running of state.tasks.values()) {
        if (running.state === 'Running' && running.session?.jobId === a.job.id) cancelTask(state, running, a.now);
      }
    }
  }
  state.tasks.set(id, record);
  state.generation++;
  return record;
}

function verb(operation: string): string {
  switch (operation) {
    case 'StartJob':
      return 'start';
    case 'StopJob':
      return 'stop';
    case 'RetryJob':
      return 'retry';
    default:
      return operation.replace(/Job$/, '').toLowerCase();
  }
}
