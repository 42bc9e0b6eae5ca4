import * as vscode from 'vscode';
import { representationOf, type Fetched, type Resource } from '../../api';
import type { ConnectionStore } from '../connections';
import type { Host } from '../host';
import { withCancellableProgress } from '../progress';
import type { ResponseCache } from '../response-cache';
import type { SessionRegistry } from '../sessions';
import { ActionNode } from './action-node';
import { ConnectionNode } from './connection-node';
import { EmbeddedNode } from './embedded-node';
import { CollectionNode } from './collection-node';
import { FieldNode } from './field-node';
import { GroupNode } from './group-node';
import { HrefNode } from './href-node';
import { LoadMoreNode } from './load-more-node';
import { MessageNode } from './message-node';
import { LinkNode } from './link-node';
import { NextPageNode } from './next-page-node';
import type { ExplorerNode, NodeContext } from './node';
import { outline, type OutlineEntry } from './outline';
import { QueryServiceNode } from './query-service-node';
import { ResourceNode } from './resource-node';
import { ShowMoreNode } from './show-more-node';
import { treePageSize } from '../settings';


/** The Connections view: connections at the top, then whatever their sessions' links lead to. */
export class ExplorerTree implements vscode.TreeDataProvider<ExplorerNode>, NodeContext, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ExplorerNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly connectionNodes = new Map<string, ConnectionNode>();
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly connections: ConnectionStore,
    private readonly sessions: SessionRegistry,
    private readonly responses: ResponseCache,
    private readonly host: Pick<Host, 'withProgress'>,
  ) {
    this.subscriptions.push(
      connections.onDidChange(() => this.changed.fire(undefined)),
      sessions.onDidChangeState((id) => {
        const node = this.connectionNodes.get(id);
        if (node) this.changed.fire(node);
      }),
      // Logged off, or the definition changed: the subtree belonged to a session that is gone.
      sessions.onDidEndSession((id) => this.resetConnection(id)),
    );
  }

  getTreeItem(node: ExplorerNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: ExplorerNode): Promise<ExplorerNode[]> | ExplorerNode[] {
    return node ? node.getChildren() : this.connectionRoots();
  }

  getParent(node: ExplorerNode): ExplorerNode | undefined {
    return node.parent;
  }

  /** The node of a connection (the same object for as long as the connection exists). */
  connectionNode(connectionId: string): ConnectionNode | undefined {
    this.connectionRoots();
    return this.connectionNodes.get(connectionId);
  }

  /** Refresh one node (its cached response and children are dropped), or the whole view. */
  refresh(node?: ExplorerNode): void {
    if (!node) {
      this.responses.clear();
      for (const id of this.connectionNodes.keys()) this.resetConnection(id);
      this.changed.fire(undefined);
      return;
    }
    if (node instanceof ConnectionNode) return this.resetConnection(node.connectionId);
    if (node.href) this.responses.delete(this.keyOf(node.connectionId, node.href));
    // Pages appended by "Next page" / "Load more" are read again too when they are loaded again.
    if (node instanceof HrefNode) for (const page of node.appendedPages) this.responses.delete(this.keyOf(node.connectionId, page));
    node.invalidate();
    this.changed.fire(node);
  }

  /** Redraw a node whose children changed in place (a page appended). */
  notifyChanged(node: ExplorerNode): void {
    this.changed.fire(node);
  }

  /** Rebuild a connection's subtree from its session (after Log On, Log Off or a change of representation). */
  resetConnection(connectionId: string): void {
    this.responses.clear(connectionId);
    // The logon's own answer (201, with the session headers) is what "Open Raw Response" on the connection shows.
    const info = this.sessions.logonInfo(connectionId);
    if (info?.root.href) this.responses.set(this.keyOf(connectionId, info.root.href), { resource: info.root, raw: info.raw });
    const node = this.connectionNodes.get(connectionId);
    if (!node) return;
    node.invalidate();
    this.changed.fire(node);
  }

  /** NodeContext: GET with progress in the view, the response cached for the raw document. */
  async fetch(connectionId: string, href: string, what = href): Promise<Fetched> {
    const key = this.keyOf(connectionId, href);
    const cached = this.responses.get(key);
    if (cached) return cached;
    const name = this.connections.get(connectionId)?.name ?? '';
    const fetched = await withCancellableProgress(
      this.host,
      vscode.l10n.t('Reading {0} from {1}…', what, name),
      (signal) => this.sessions.get(connectionId, href, signal),
      { inView: true },
    );
    this.responses.set(key, fetched);
    return fetched;
  }

  /** NodeContext: one node per outline entry, the first page of them (then a "Show more" item). */
  childrenOf(parent: ExplorerNode, connectionId: string, resource: Resource, pageOnly = false): ExplorerNode[] {
    return this.pageOfNodes(parent, connectionId, outline(resource), 0, pageOnly);
  }

  /** The rows a "Show more" item stood for, and the next "Show more" if the list goes on. */
  showMore(item: ShowMoreNode): ExplorerNode[] {
    return this.pageOfNodes(item.parent!, item.connectionId, item.entries, item.shown, item.pageOnly);
  }

  private pageOfNodes(parent: ExplorerNode, connectionId: string, entries: readonly OutlineEntry[], start: number, pageOnly: boolean): ExplorerNode[] {
    const size = treePageSize();
    // A list one row longer than a page shows that row rather than a "Show more" for it.
    const end = entries.length - start > size + 1 ? start + size : entries.length;
    const nodes = this.nodesFor(parent, connectionId, entries.slice(start, end), pageOnly);
    if (end < entries.length) nodes.push(new ShowMoreNode(parent, connectionId, entries, end, pageOnly));
    return nodes;
  }

  private nodesFor(parent: ExplorerNode, connectionId: string, entries: readonly OutlineEntry[], pageOnly: boolean): ExplorerNode[] {
    const nodes: ExplorerNode[] = [];
    for (const entry of entries) {
      switch (entry.kind) {
        case 'resource': {
          const child = entry.resource;
          nodes.push(child.href ? new ResourceNode(parent, connectionId, { ...child, href: child.href }, this) : new EmbeddedNode(parent, connectionId, child, this));
          break;
        }
        case 'nextPage':
          nodes.push(new NextPageNode(parent, connectionId, entry.href, entry.paging));
          break;
        case 'loadMore':
          nodes.push(
            entry.state.kind === 'more'
              ? new LoadMoreNode(parent, connectionId, entry.state)
              : new MessageNode(parent, connectionId, vscode.l10n.t('{0} of {1} loaded: filter by name to see the others', entry.state.loaded, entry.state.total)),
          );
          break;
        case 'group':
          if (!pageOnly) nodes.push(new GroupNode(parent, connectionId, entry.name, entry.links, this));
          break;
        case 'link':
          if (pageOnly) break;
          if (entry.link.type === 'QueryService') nodes.push(new QueryServiceNode(parent, connectionId, entry.link, this));
          else if (entry.link.filterable) nodes.push(new CollectionNode(parent, connectionId, entry.link, this));
          else nodes.push(new LinkNode(parent, connectionId, entry.link, this));
          break;
        case 'field':
          if (!pageOnly) nodes.push(new FieldNode(parent, connectionId, entry.field));
          break;
        case 'action':
          if (!pageOnly) nodes.push(new ActionNode(parent, connectionId, entry.link));
          break;
      }
    }
    return nodes;
  }

  /** NodeContext: the host of an href that is not on the connection's server. */
  externalHost(connectionId: string, href: string): string | undefined {
    const home = this.sessions.logonInfo(connectionId)?.root.href ?? this.connections.get(connectionId)?.url;
    try {
      const target = new URL(href);
      return home && target.origin !== new URL(home).origin ? target.host : undefined;
    } catch {
      return undefined;
    }
  }

  /** The cache key of a connection's href in its current representation. */
  keyOf(connectionId: string, href: string) {
    return { connectionId, href, representation: representationOf(this.connections.get(connectionId) ?? { kind: 'em' }) };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private connectionRoots(): ConnectionNode[] {
    const defs = this.connections.all();
    const ids = new Set(defs.map((d) => d.id));
    for (const id of [...this.connectionNodes.keys()]) if (!ids.has(id)) this.connectionNodes.delete(id);
    return defs.map((def) => {
      let node = this.connectionNodes.get(def.id);
      if (node) node.definition = def;
      else this.connectionNodes.set(def.id, (node = new ConnectionNode(def, this.sessions, this)));
      return node;
    });
  }
}

