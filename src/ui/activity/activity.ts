// What this window did: the actions it ran (the Tasks view) and every request it sent (the History view).
// In memory; the history may be kept in the workspace's storage folder (see persistence), never with a secret.
import * as vscode from 'vscode';
import type { ActionRequest, Exchange, RawResponse, TaskOutcome, TaskProgress } from '../../api';

/** Requests kept per connection. */
export const HISTORY_LIMIT = 500;

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

/** One request of the history. */
export interface HistoryRecord extends Exchange {
  readonly id: number;
  readonly connectionId: string;
}

/** The actions and requests of this window, per connection, bounded. */
export class Activity implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a task or the history changed. */
  readonly onDidChange = this.changed.event;
  private readonly taskList: TaskRecord[] = [];
  private readonly historyByConnection = new Map<string, HistoryRecord[]>();
  private nextId = 1;

  /** A new action, listed first. */
  addTask(init: Pick<TaskRecord, 'connectionId' | 'title' | 'request'>): TaskRecord {
    const record: TaskRecord = { ...init, id: this.nextId++, startedAt: new Date(), state: 'sending' };
    this.taskList.unshift(record);
    this.changed.fire();
    return record;
  }

  /** Changes a task (its state, progress, outcome) and tells the views. */
  updateTask(record: TaskRecord, patch: Partial<Omit<TaskRecord, 'id' | 'connectionId' | 'title' | 'request' | 'startedAt'>>): void {
    Object.assign(record, patch);
    this.changed.fire();
  }

  tasks(): readonly TaskRecord[] {
    return this.taskList;
  }

  /** Records one exchange of a connection's session (the last HISTORY_LIMIT are kept). */
  record(connectionId: string, exchange: Exchange): HistoryRecord {
    const entry: HistoryRecord = { ...exchange, id: this.nextId++, connectionId };
    let list = this.historyByConnection.get(connectionId);
    if (!list) this.historyByConnection.set(connectionId, (list = []));
    list.push(entry);
    if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
    this.changed.fire();
    return entry;
  }

  /** A connection's requests, oldest first; without an id, every connection's, in time order. */
  history(connectionId?: string): readonly HistoryRecord[] {
    if (connectionId !== undefined) return this.historyByConnection.get(connectionId) ?? [];
    return [...this.historyByConnection.values()].flat().sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
