// The Tasks view's rows (tasks-view.ts lists them): loaded with the view's first row (ui-parts.ts). Server text is
// sanitised before it is shown.
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections';
import { labelText, tooltipText, urlText } from '../tree/labels';
import type { TaskRecord, TaskRecordState } from './activity';
import { DOCUMENTS, documentLabel, TaskNode, taskDocument, type TaskDocumentNode, type TasksNode } from './tasks-view';
import { timeText } from './words';

/** The row of a task or of one of its documents. */
export function taskTreeItem(node: TasksNode, connections: ConnectionStore): vscode.TreeItem {
  return node instanceof TaskNode ? taskItem(node.record, connections) : documentItem(node);
}

function taskItem(record: TaskRecord, connections: ConnectionStore): vscode.TreeItem {
  const hasDocuments = DOCUMENTS.some((kind) => taskDocument(record, kind));
  const item = new vscode.TreeItem(labelText(record.title), hasDocuments ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.id = `task:${record.id}`;
  item.description = taskDescription(record);
  item.iconPath = stateIcon(record.state);
  item.contextValue = `task.${record.state}${DOCUMENTS.filter((kind) => taskDocument(record, kind)).map((kind) => `+${kind}`).join('')}`;
  const connection = connections.get(record.connectionId)?.name ?? vscode.l10n.t('a removed connection');
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
