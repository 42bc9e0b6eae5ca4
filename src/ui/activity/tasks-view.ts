// The Tasks view: the actions of this window, newest first, each with the documents it has (its answer, the latest
// reading of the work it started, VSPC's result). Its rows: tasks-items.ts.
import * as vscode from 'vscode';
import type { RawResponse } from '../../api';
import type { ConnectionStore } from '../connections';
import { uiParts } from '../parts';
import type { Activity, TaskRecord } from './activity';

export const TASKS_VIEW_ID = 'veeamApiExplorer.tasks';

/** The documents of a task: the action's answer, the task/session document (latest or final), VSPC's result. */
export type TaskDocumentKind = 'response' | 'task' | 'result';

export class TaskNode {
  readonly kind = 'task';
  constructor(readonly record: TaskRecord) {}
}

export class TaskDocumentNode {
  readonly kind = 'document';
  constructor(
    readonly record: TaskRecord,
    readonly document: TaskDocumentKind,
  ) {}

  /** The document as it is now (the task document is the latest reading until the work ends). */
  get raw(): RawResponse | undefined {
    return taskDocument(this.record, this.document);
  }

  /** The title of its editor tab. */
  get title(): string {
    return `${this.record.title} · ${documentLabel(this.record, this.document)}`;
  }
}

export type TasksNode = TaskNode | TaskDocumentNode;

/** A task's document of that kind, if it has one. */
export function taskDocument(record: TaskRecord, kind: TaskDocumentKind): RawResponse | undefined {
  switch (kind) {
    case 'response':
      return record.response;
    case 'task':
      return record.outcome?.raw ?? record.progress?.raw;
    case 'result':
      return record.outcome?.result;
  }
}

export const DOCUMENTS: readonly TaskDocumentKind[] = ['response', 'task', 'result'];

export class TasksTree implements vscode.TreeDataProvider<TasksNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TasksNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  /** The same node object for a task as long as it is listed (VS Code keeps its expansion by id). */
  private readonly nodes = new Map<number, TaskNode>();

  constructor(
    private readonly activity: Activity,
    private readonly connections: ConnectionStore,
  ) {
    this.subscriptions.push(
      activity.onDidChangeTasks(() => this.changed.fire(undefined)),
      connections.onDidChange(() => this.changed.fire(undefined)),
    );
  }

  getChildren(node?: TasksNode): TasksNode[] {
    if (!node) {
      const records = this.activity.tasks();
      const listed = new Set(records.map((r) => r.id));
      for (const id of this.nodes.keys()) if (!listed.has(id)) this.nodes.delete(id);
      return records.map((record) => {
        let found = this.nodes.get(record.id);
        if (!found) this.nodes.set(record.id, (found = new TaskNode(record)));
        return found;
      });
    }
    if (node instanceof TaskNode) return DOCUMENTS.filter((kind) => taskDocument(node.record, kind)).map((kind) => new TaskDocumentNode(node.record, kind));
    return [];
  }

  getParent(node: TasksNode): TasksNode | undefined {
    return node instanceof TaskDocumentNode ? this.nodes.get(node.record.id) : undefined;
  }

  /** Rendered by tasks-items.ts (loaded when the view, collapsed at first, is opened). */
  getTreeItem(node: TasksNode): vscode.TreeItem {
    return uiParts().taskTreeItem(node, this.connections);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

export function documentLabel(record: TaskRecord, kind: TaskDocumentKind): string {
  switch (kind) {
    case 'response':
      return vscode.l10n.t('Response');
    case 'task':
      return record.outcome ? vscode.l10n.t('Final Task Document') : vscode.l10n.t('Latest Task Document');
    case 'result':
      return vscode.l10n.t('Result');
  }
}
