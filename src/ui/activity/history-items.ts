// The History view's rows (history-view.ts lists them): loaded with the view's first row (ui-parts.ts). Server text
// is sanitised before it is shown.
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections';
import { labelText, tooltipText, urlText } from '../tree/labels';
import type { Activity, HistoryRecord } from './activity';
import { entryKind, HistoryConnectionNode, pathOf, type HistoryEntryNode, type HistoryNode } from './history-view';
import { durationText, sizeText, timeText } from './words';

/** The row of a connection or of one of its requests. */
export function historyTreeItem(node: HistoryNode, activity: Activity, connections: ConnectionStore): vscode.TreeItem {
  return node instanceof HistoryConnectionNode ? connectionItem(node, activity, connections) : entryItem(node);
}

function connectionItem(node: HistoryConnectionNode, activity: Activity, connections: ConnectionStore): vscode.TreeItem {
  const name = labelText(connections.get(node.connectionId)?.name ?? node.connectionId);
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `history:${node.connectionId}`;
  const count = activity.history(node.connectionId).length;
  item.description = count === 1 ? vscode.l10n.t('1 request') : vscode.l10n.t('{0} requests', count);
  item.iconPath = new vscode.ThemeIcon('history');
  item.contextValue = 'historyConnection';
  item.accessibilityInformation = { label: [name, item.description, vscode.l10n.t('connection')].join(', ') };
  return item;
}

/** `200 · 85 ms · 4.1 KB · 14:03:22`; without an answer, why. */
export function entryDescription(entry: HistoryRecord): string {
  const outcome = entry.status !== undefined ? String(entry.status) : vscode.l10n.t('no answer');
  const parts = [outcome, durationText(entry.durationMs)];
  if (entry.status !== undefined) parts.push(sizeText(entry.size));
  parts.push(timeText(entry.at));
  return parts.filter(Boolean).join(' · ');
}

function entryItem(node: HistoryEntryNode): vscode.TreeItem {
  const { entry } = node;
  const label = labelText(`${entry.method} ${pathOf(entry.url)}`);
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.id = `history:${entry.connectionId}:${entry.id}`;
  item.description = entryDescription(entry);
  const kind = entryKind(entry);
  item.contextValue = `historyEntry.${kind}${entry.raw ? '+response' : ''}`;
  item.iconPath = entryIcon(entry, kind);
  const tooltip = new vscode.MarkdownString();
  tooltip.appendText(`${entry.method} ${urlText(entry.url)}`).appendMarkdown('\n\n');
  if (entry.status !== undefined) {
    tooltip.appendText(labelText(`HTTP ${entry.status} ${entry.raw?.statusText ?? ''}`.trim()));
    if (entry.error) tooltip.appendMarkdown('\n\n').appendText(tooltipText(entry.error));
  } else {
    tooltip.appendText(vscode.l10n.t('No answer: {0}', tooltipText(entry.error ?? vscode.l10n.t('unknown'))));
  }
  tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Sent {0}, took {1}, {2} received', entry.at.toLocaleString(), durationText(entry.durationMs), sizeText(entry.size)));
  const notes = [
    kind === 'credentials' ? vscode.l10n.t('A logon, renewal or logoff: neither body is kept.') : undefined,
    entry.responseDropped ? vscode.l10n.t('Its response is no longer kept (the history keeps only the newest bodies in memory).') : undefined,
    entry.restored ? vscode.l10n.t('From an earlier window (kept in the workspace storage).') : undefined,
    entry.requestBodyOmitted ? vscode.l10n.t('Its request body was not kept.') : undefined,
    kind === 'action' ? vscode.l10n.t('Run Again asks for confirmation first, as Run Action does.') : undefined,
  ];
  for (const note of notes) if (note) tooltip.appendMarkdown('\n\n').appendText(note);
  item.tooltip = tooltip;
  if (entry.raw) item.command = { command: 'veeamApiExplorer.openHistoryEntry', title: vscode.l10n.t('Open Response'), arguments: [node] };
  const spoken = kind === 'credentials' ? vscode.l10n.t('logon request') : vscode.l10n.t('request');
  item.accessibilityInformation = { label: [label, item.description, spoken].join(', ') };
  return item;
}

function entryIcon(entry: HistoryRecord, kind: ReturnType<typeof entryKind>): vscode.ThemeIcon {
  if (entry.status === undefined) return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
  const color = entry.status >= 400 ? new vscode.ThemeColor('list.warningForeground') : undefined;
  if (kind === 'credentials') return new vscode.ThemeIcon('key', color);
  return new vscode.ThemeIcon(kind === 'action' ? 'zap' : 'arrow-down', color);
}
