// The Tasks view: the actions of this window, newest first, each with the documents it has (its answer, the latest
// reading of the work it started, VSPC's result). Server text is sanitised before it is shown.
import * as vscode from 'vscode';
import type { RawResponse } from '../../api';
import type { ConnectionStore } from '../connections';
import { labelText, tooltipText, urlText } from '../tree/labels';
import type { Activity, TaskRecord, TaskRecordState } from './activity';
import { timeText } from './words';

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

const DOCUMENTS: readonly TaskDocumentKind[] = ['response', 'task', 'result'];

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

  getTreeItem(node: TasksNode): vscode.TreeItem {
    return node instanceof TaskNode ? this.taskItem(node.record) : documentItem(node);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private taskItem(record: TaskRecord): vscode.TreeItem {
    const hasDocuments = DOCUMENTS.some((kind) => taskDocument(record, kind));
    const item = new vscode.TreeItem(labelText(record.title), hasDocuments ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `task:${record.id}`;
    item.description = taskDescription(record);
    item.iconPath = stateIcon(record.state);
    item.contextValue = `task.${record.state}${DOCUMENTS.filter((kind) => taskDocument(record, kind)).map((kind) => `+${kind}`).join('')}`;
    const connection = this.connections.get(record.connectionId)?.name ?? vscode.l10n.t('a removed connection');
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(labelText(record.title)).appendMarkdown('\n\n');
    tooltip.appendText(vscode.l10n.t('Connection: {0}', labelText(connection))).appendMarkdown('\n\n');
    tooltip.appendText(`${record.request.method} ${urlText(record.request.url)}`).appendMarkdown('\n\n');
    tooltip.appendText(vscode.l10n.t('State: {0}', stateWord(record.state)));
    const operation = record.outcome?.operation ?? record.progress?.operation;
    if (operation) tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Operation: {0}', labelText(operation)));
    const message = record.error ?? record.outcome?.message ?? record.progress?.message;
    if (message) tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Message: {0}', tooltipText(message)));
    tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Started {0}', timeText(record.startedAt)));
    if (record.endedAt) tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Ended {0}', timeText(record.endedAt)));
    item.tooltip = tooltip;
    item.accessibilityInformation = { label: [labelText(record.title), item.description, vscode.l10n.t('action')].filter(Boolean).join(', ') };
    return item;
  }
}

/** Running: the server's state and percent; ended: how, and when. */
export function taskDescription(record: TaskRecord): string {
  switch (record.state) {
    case 'sending':
      return vscode.l10n.t('sending…');
    case 'running': {
      const status = record.progress?.status ? labelText(record.progress.status, 40) : vscode.l10n.t('running');
      const percent = record.progress?.percent;
      return percent === undefined || !Number.isFinite(percent) ? status : vscode.l10n.t('{0} · {1}%', status, Math.round(percent));
    }
    default: {
      const result = stateWord(record.state);
      return record.endedAt ? vscode.l10n.t('{0} · {1}', result, timeText(record.endedAt)) : result;
    }
  }
}

function stateWord(state: TaskRecordState): string {
  switch (state) {
    case 'sending':
      return vscode.l10n.t('sending');
    case 'running':
      return vscode.l10n.t('running');
    case 'succeeded':
      return vscode.l10n.t('succeeded');
    case 'failed':
      return vscode.l10n.t('failed');
    case 'canceled':
      return vscode.l10n.t('canceled');
    case 'done':
      return vscode.l10n.t('done');
    case 'stopped':
      return vscode.l10n.t('stopped waiting (it goes on on the server)');
    case 'error':
      return vscode.l10n.t('error');
  }
}

function stateIcon(state: TaskRecordState): vscode.ThemeIcon {
  switch (state) {
    case 'sending':
      return new vscode.ThemeIcon('loading~spin');
    case 'running':
      return new vscode.ThemeIcon('sync~spin');
    case 'succeeded':
    case 'done':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed':
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'canceled':
      return new vscode.ThemeIcon('circle-slash');
    case 'stopped':
      return new vscode.ThemeIcon('debug-pause');
  }
}

function documentLabel(record: TaskRecord, kind: TaskDocumentKind): string {
  switch (kind) {
    case 'response':
      return vscode.l10n.t('Response');
    case 'task':
      return record.outcome ? vscode.l10n.t('Final Task Document') : vscode.l10n.t('Latest Task Document');
    case 'result':
      return vscode.l10n.t('Result');
  }
}

function documentItem(node: TaskDocumentNode): vscode.TreeItem {
  const label = documentLabel(node.record, node.document);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `task:${node.record.id}:${node.document}`;
  const raw = node.raw;
  item.description = raw ? labelText(`${raw.status} ${raw.statusText}`.trim(), 60) : undefined;
  item.iconPath = new vscode.ThemeIcon('go-to-file');
  item.contextValue = `taskDocument.${node.document}`;
  item.tooltip = raw ? `${raw.method} ${urlText(raw.url)}` : undefined;
  item.command = { command: 'veeamApiExplorer.openTaskDocument', title: vscode.l10n.t('Open'), arguments: [node] };
  item.accessibilityInformation = { label: [label, item.description, vscode.l10n.t('document')].filter(Boolean).join(', ') };
  return item;
}
