// The History view: every request of this window (and, when kept, of earlier ones), per connection, newest first.
// Selecting an entry opens its response; Run Again sends it again (an action only through Run Action's confirmation).
// Its rows: history-items.ts.
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections';
import { uiParts } from '../parts';
import type { Activity, HistoryRecord } from './activity';

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

  /** Rendered by history-items.ts (loaded when the view, collapsed at first, is opened). */
  getTreeItem(node: HistoryNode): vscode.TreeItem {
    return uiParts().historyTreeItem(node, this.activity, this.connections);
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
}
