// The History view: every request of this window (and, when kept, of earlier ones), per connection, newest first.
// Selecting an entry opens its response; Run Again sends it again (an action only through Run Action's confirmation).
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections';
import { labelText, tooltipText, urlText } from '../tree/labels';
import type { Activity, HistoryRecord } from './activity';
import { durationText, sizeText, timeText } from './words';

export const HISTORY_VIEW_ID = 'veeamApiExplorer.history';

/** A connection's requests. */
export class HistoryConnectionNode {
  readonly kind = 'connection';
  constructor(readonly connectionId: string) {}
}

/** One request. */
export class HistoryEntryNode {
  readonly kind = 'entry';
  constructor(
    readonly parent: HistoryConnectionNode,
    readonly entry: HistoryRecord,
  ) {}

  get connectionId(): string {
    return this.entry.connectionId;
  }
}

export type HistoryNode = HistoryConnectionNode | HistoryEntryNode;

/** What an entry is, for menus: a GET runs again at once; an action through Run Action; a logon not at all. */
export function entryKind(entry: HistoryRecord): 'get' | 'action' | 'credentials' {
  if (entry.credentials) return 'credentials';
  return entry.method === 'GET' ? 'get' : 'action';
}

/** `/api/jobs?format=Entity`: the URL's path and query (the whole URL when it does not parse). */
export function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

/** A pause after a burst of requests before the view is redrawn. */
const REDRAW_DELAY_MS = 100;

export class HistoryTree implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  private readonly groups = new Map<string, HistoryConnectionNode>();
  private redraw: NodeJS.Timeout | undefined;

  constructor(
    private readonly activity: Activity,
    private readonly connections: ConnectionStore,
  ) {
    this.subscriptions.push(
      activity.onDidChangeHistory(() => this.scheduleRedraw()),
      connections.onDidChange(() => this.scheduleRedraw()),
      { dispose: () => clearTimeout(this.redraw) },
    );
  }

  /** The connections with requests, in the Connections view's order; under one, its requests newest first. */
  getChildren(node?: HistoryNode): HistoryNode[] {
    if (!node) {
      const withHistory = new Set(this.activity.historyConnections().filter((id) => this.activity.history(id).length));
      const ids = this.connections
        .all()
        .map((def) => def.id)
        .filter((id) => withHistory.has(id));
      for (const id of this.groups.keys()) if (!ids.includes(id)) this.groups.delete(id);
      return ids.map((id) => {
        let group = this.groups.get(id);
        if (!group) this.groups.set(id, (group = new HistoryConnectionNode(id)));
        return group;
      });
    }
    if (node instanceof HistoryConnectionNode) return [...this.activity.history(node.connectionId)].reverse().map((entry) => new HistoryEntryNode(node, entry));
    return [];
  }

  getParent(node: HistoryNode): HistoryNode | undefined {
    return node instanceof HistoryEntryNode ? node.parent : undefined;
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    return node instanceof HistoryConnectionNode ? this.connectionItem(node) : entryItem(node);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private scheduleRedraw(): void {
    if (this.redraw) return;
    this.redraw = setTimeout(() => {
      this.redraw = undefined;
      this.changed.fire(undefined);
    }, REDRAW_DELAY_MS);
  }

  private connectionItem(node: HistoryConnectionNode): vscode.TreeItem {
    const name = labelText(this.connections.get(node.connectionId)?.name ?? node.connectionId);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `history:${node.connectionId}`;
    const count = this.activity.history(node.connectionId).length;
    item.description = count === 1 ? vscode.l10n.t('1 request') : vscode.l10n.t('{0} requests', count);
    item.iconPath = new vscode.ThemeIcon('history');
    item.contextValue = 'historyConnection';
    item.accessibilityInformation = { label: [name, item.description, vscode.l10n.t('connection')].join(', ') };
    return item;
  }
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
