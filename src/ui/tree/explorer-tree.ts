import * as vscode from 'vscode';
import { readAhead, withNameFilter, type Fetched, type Link, type Resource } from '../../api';
import { actionShapeOf, type ActionShape } from '../actions/action-shape';
import type { ConnectionStore } from '../connections';
import type { Host } from '../host';
import { withCancellableProgress } from '../progress';
import type { Responses } from '../responses';
import type { SessionRegistry } from '../sessions';
import { ConnectionNode } from './connection-node';
import { EmbeddedNode } from './embedded-node';
import { CollectionNode } from './collection-node';
import { FieldNode } from './field-node';
import { GroupNode } from './group-node';
import { HrefNode } from './href-node';
import { LeafNode } from './leaf-node';
import { LinkNode } from './link-node';
import { MoreRowsNode } from './more-rows-node';
import type { ExplorerNode, NodeContext } from './node';
import { outline, type OutlineEntry } from './outline';
import { QueryServiceNode } from './query-service-node';
import { ResourceNode } from './resource-node';
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
    private readonly responses: Responses,
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
    if (node.href) this.responses.forget(node.connectionId, node.href);
    // Pages appended by "Next page" / "Load more" are read again too when they are loaded again.
    if (node instanceof HrefNode) for (const page of node.appendedPages) this.responses.forget(node.connectionId, page);
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
    if (info?.root.href) this.responses.remember(connectionId, info.root.href, { resource: info.root, raw: info.raw });
    const node = this.connectionNodes.get(connectionId);
    if (!node) return;
    node.invalidate();
    this.changed.fire(node);
  }

  /** NodeContext: GET with progress in the view, the response cached for the raw document. */
  withNameFilter(connectionId: string, href: string, text: string | undefined): string {
    const def = this.connections.get(connectionId);
    return def ? withNameFilter(def.kind, href, text) : href;
  }

  async fetch(connectionId: string, href: string, what = href): Promise<Fetched> {
    const fetched = await this.responses.get(connectionId, href, (get) =>
      withCancellableProgress(this.host, vscode.l10n.t('Reading {0} from {1}…', what, this.connections.get(connectionId)?.name ?? ''), get, { inView: true }),
    );
    // A long list's items are made when first shown: the first page of them a few at a time, not in one long task.
    await readAhead(fetched.resource.children, 0, treePageSize() + 1);
    return fetched;
  }

  /** NodeContext: one node per outline entry, the first page of them (then a "Show more" item). */
  childrenOf(parent: ExplorerNode, connectionId: string, resource: Resource, pageOnly = false): ExplorerNode[] {
    return this.pageOfNodes(parent, connectionId, outline(resource), 0, pageOnly);
  }

  /**
   * The rows a "Show more", "Next page" or "Load more" row stands for (and the row for the rest, if the list goes on):
   * from what was fetched, or from the next page, read as any GET of the tree is.
   */
  async rowsAfter(item: MoreRowsNode): Promise<ExplorerNode[]> {
    const parent = item.parent!;
    const { more } = item;
    if (more.kind === 'shown') {
      await readAhead(more.entries, more.shown, more.shown + treePageSize() + 1);
      return this.pageOfNodes(parent, item.connectionId, more.entries, more.shown, more.pageOnly);
    }
    const what = parent instanceof HrefNode ? vscode.l10n.t('the next page of {0}', parent.documentTitle) : undefined;
    const fetched = await this.fetch(item.connectionId, item.nextHref!, what);
    return this.childrenOf(parent, item.connectionId, fetched.resource, true);
  }

  private pageOfNodes(parent: ExplorerNode, connectionId: string, entries: readonly OutlineEntry[], start: number, pageOnly: boolean): ExplorerNode[] {
    const size = treePageSize();
    // A list one row longer than a page shows that row rather than a "Show more" for it.
    const end = entries.length - start > size + 1 ? start + size : entries.length;
    const nodes = this.nodesFor(parent, connectionId, entries.slice(start, end), pageOnly);
    if (end < entries.length) nodes.push(new MoreRowsNode(parent, connectionId, { kind: 'shown', entries, shown: end, pageOnly }));
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
          nodes.push(new MoreRowsNode(parent, connectionId, { kind: 'nextPage', href: entry.href, paging: entry.paging }));
          break;
        case 'loadMore':
          nodes.push(
            entry.state.kind === 'more'
              ? new MoreRowsNode(parent, connectionId, { kind: 'loadMore', state: entry.state })
              : new LeafNode(parent, connectionId, { kind: 'message', text: vscode.l10n.t('{0} of {1} loaded: filter by name to see the others', entry.state.loaded, entry.state.total) }),
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
          if (!pageOnly) nodes.push(new LeafNode(parent, connectionId, { kind: 'actionLink', link: entry.link, shape: this.actionShape(connectionId, entry.link) }));
          break;
      }
    }
    return nodes;
  }

  /** What an action row shows: its method, whether it takes a body, whether its connection is read-only. */
  private actionShape(connectionId: string, link: Link): ActionShape {
    const def = this.connections.get(connectionId);
    return def ? actionShapeOf(def, link) : { method: undefined, readOnly: true };
  }

  /**
   * After an action changed the server, what the tree read of the connection may be out of date: its cached responses
   * are forgotten (the logon's own answer kept) and `nodes` (the action's object and its list) read again.
   */
  refreshAfterAction(connectionId: string, nodes: readonly ExplorerNode[]): void {
    this.responses.clear(connectionId);
    const info = this.sessions.logonInfo(connectionId);
    if (info?.root.href) this.responses.remember(connectionId, info.root.href, { resource: info.root, raw: info.raw });
    for (const node of nodes) this.refresh(node);
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

