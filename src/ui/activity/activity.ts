// What this window did: the actions it ran (the Tasks view) and every request it sent (the History view).
// In memory; the history may be kept in the workspace's storage folder (see history-store.ts), never with a secret.
import * as vscode from 'vscode';
import type { ActionRequest, Exchange, RawResponse, TaskOutcome, TaskProgress } from '../../api';
import { appendBounded, HISTORY_LIMIT, keepBodiesWithin } from './history-entry';

export { HISTORY_LIMIT } from './history-entry';

/** Where an action stands, as the Tasks view shows it. */
export type TaskRecordState =
  /** Sent, the answer not in yet. */
  | 'sending'
  /** The work it started runs; `progress` is the latest reading. */
  | 'running'
  /** Ended on the server (`outcome` says how). */
  | 'succeeded'
  | 'failed'
  | 'canceled'
  /** Answered, and it started nothing to follow. */
  | 'done'
  /** The user stopped waiting; the work goes on on the server (its API has no cancel). */
  | 'stopped'
  /** The request, or reading its work, failed (`error`). */
  | 'error';

/** One action of this window. Server text in it is raw: sanitise before showing. */
export interface TaskRecord {
  readonly id: number;
  readonly connectionId: string;
  /** What the confirmation named ("Start Job 'SQL Cluster Backup'"), already sanitised for a label. */
  readonly title: string;
  readonly request: ActionRequest;
  readonly startedAt: Date;
  state: TaskRecordState;
  /** The action's own answer. */
  response?: RawResponse;
  progress?: TaskProgress;
  outcome?: TaskOutcome;
  endedAt?: Date;
  /** The error, worded for the user. */
  error?: string;
}

/**
 * One request of the history, redacted when it was recorded (see SessionRegistry). Its response may be let go to
 * keep memory bounded (`responseDropped`); one read back from the storage folder is `restored`.
 */
export interface HistoryRecord extends Exchange {
  readonly id: number;
  readonly connectionId: string;
  responseDropped?: boolean;
  /** Read back from the workspace's storage folder (an earlier window's request). */
  restored?: boolean;
  /** Its request had a body, which was not kept (read back from the storage folder, where bodies are never written). */
  requestBodyOmitted?: boolean;
}

/** Tasks kept: the oldest finished ones go first. */
const TASK_LIMIT = 100;

/** The actions and requests of this window, per connection, bounded. */
export class Activity implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a task or the history changed. */
  readonly onDidChange = this.changed.event;
  private readonly historyChanged = new vscode.EventEmitter<void>();
  /** Fires when the history changed (recorded, restored or cleared). */
  readonly onDidChangeHistory = this.historyChanged.event;
  private readonly tasksChanged = new vscode.EventEmitter<void>();
  /** Fires when a task was added or changed. */
  readonly onDidChangeTasks = this.tasksChanged.event;
  private readonly taskList: TaskRecord[] = [];
  private readonly historyByConnection = new Map<string, HistoryRecord[]>();
  private nextId = 1;

  /** A new action, listed first. */
  addTask(init: Pick<TaskRecord, 'connectionId' | 'title' | 'request'>): TaskRecord {
    const record: TaskRecord = { ...init, id: this.nextId++, startedAt: new Date(), state: 'sending' };
    this.taskList.unshift(record);
    if (this.taskList.length > TASK_LIMIT) {
      let oldest = this.taskList.length - 1;
      for (let i = oldest; i > 0; i--) {
        if (this.taskList[i].state !== 'sending' && this.taskList[i].state !== 'running') {
          oldest = i;
          break;
        }
      }
      this.taskList.splice(oldest, 1);
    }
    this.fireTasks();
    return record;
  }

  /** Changes a task (its state, progress, outcome) and tells the views. */
  updateTask(record: TaskRecord, patch: Partial<Omit<TaskRecord, 'id' | 'connectionId' | 'title' | 'request' | 'startedAt'>>): void {
    Object.assign(record, patch);
    this.fireTasks();
  }

  tasks(): readonly TaskRecord[] {
    return this.taskList;
  }

  task(id: number): TaskRecord | undefined {
    return this.taskList.find((t) => t.id === id);
  }

  /**
   * Records one exchange of a connection's session (the last HISTORY_LIMIT are kept). The caller has redacted it
   * (SessionRegistry does, with the connection's secrets).
   */
  record(connectionId: string, exchange: Exchange): HistoryRecord {
    const entry: HistoryRecord = { ...exchange, id: this.nextId++, connectionId };
    appendBounded(this.listOf(connectionId), entry, HISTORY_LIMIT);
    keepBodiesWithin(this.newestFirst());
    this.fireHistory();
    return entry;
  }

  /** Puts entries read back from the storage folder before what this window recorded, within the bounds. */
  restore(read: ReadonlyMap<string, ReadonlyArray<Exchange & { requestBodyOmitted?: boolean }>>): void {
    if (!read.size) return;
    for (const [connectionId, exchanges] of read) {
      const list = this.listOf(connectionId);
      const restored = exchanges.map((e): HistoryRecord => ({ ...e, id: this.nextId++, connectionId, restored: true }));
      list.unshift(...restored);
      if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
    }
    keepBodiesWithin(this.newestFirst());
    this.fireHistory();
  }

  /** A connection's requests, oldest first; without an id, every connection's, in time order. */
  history(connectionId?: string): readonly HistoryRecord[] {
    if (connectionId !== undefined) return this.historyByConnection.get(connectionId) ?? [];
    return [...this.historyByConnection.values()].flat().sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  }

  /** The connections that have a history. */
  historyConnections(): string[] {
    return [...this.historyByConnection.keys()];
  }

  historyEntry(id: number): HistoryRecord | undefined {
    for (const list of this.historyByConnection.values()) {
      const found = list.find((e) => e.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** Forgets one connection's history (it was removed), or every connection's. */
  clearHistory(connectionId?: string): void {
    if (connectionId === undefined) {
      if (!this.historyByConnection.size) return;
      this.historyByConnection.clear();
    } else if (!this.historyByConnection.delete(connectionId)) {
      return;
    }
    this.fireHistory();
  }

  dispose(): void {
    this.changed.dispose();
    this.historyChanged.dispose();
    this.tasksChanged.dispose();
  }

  private listOf(connectionId: string): HistoryRecord[] {
    let list = this.historyByConnection.get(connectionId);
    if (!list) this.historyByConnection.set(connectionId, (list = []));
    return list;
  }

  /** Every entry, newest first (each list is oldest first). */
  private *newestFirst(): Iterable<HistoryRecord> {
    const lists = [...this.historyByConnection.values()];
    const at = lists.map((l) => l.length - 1);
    for (;;) {
      let best = -1;
      for (let i = 0; i < lists.length; i++) {
        if (at[i] >= 0 && (best < 0 || newer(lists[i][at[i]], lists[best][at[best]]))) best = i;
      }
      if (best < 0) return;
      yield lists[best][at[best]--];
    }
  }

  private fireTasks(): void {
    this.tasksChanged.fire();
    this.changed.fire();
  }

  private fireHistory(): void {
    this.historyChanged.fire();
    this.changed.fire();
  }
}

function newer(a: HistoryRecord, b: HistoryRecord): boolean {
  return a.at.getTime() > b.at.getTime() || (a.at.getTime() === b.at.getTime() && a.id > b.id);
}
