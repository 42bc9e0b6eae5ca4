import * as vscode from 'vscode';
import type { Fetched, Resource } from '../../api';

/** What nodes need from the tree that holds them; kept narrow so node classes don't import each other. */
export interface NodeContext {
  /** GET an href of a connection (progress in the view, cancellable), reusing a cached response. */
  fetch(connectionId: string, href: string, what?: string): Promise<Fetched>;
  /** The nodes a resource shows as children; `pageOnly` keeps only its items and the next-page item. */
  childrenOf(parent: ExplorerNode, connectionId: string, resource: Resource, pageOnly?: boolean): ExplorerNode[];
  /** Redraw a node whose own row changed (e.g. a count learnt from its first page). */
  notifyChanged(node: ExplorerNode): void;
  /** The host of an href on another origin than its connection's server (fetched without credentials); undefined for the server's own. */
  externalHost(connectionId: string, href: string): string | undefined;
  /** A collection's URL filtered by name, as the connection's kind of server filters (unchanged if it cannot). */
  withNameFilter(connectionId: string, href: string, text: string | undefined): string;
}

/** Base of every node kind: one tree item, optional children, and a label screen readers can use. */
export abstract class ExplorerNode {
  constructor(readonly parent: ExplorerNode | undefined) {}

  /** The connection the node belongs to. */
  abstract readonly connectionId: string;

  /** The URL the node reads (raw response, refresh, copy as curl); undefined for leaves. */
  get href(): string | undefined {
    return undefined;
  }

  /** The URL Copy Href copies: also actions' URLs, which are never sent. */
  get copyableHref(): string | undefined {
    return this.href;
  }

  /** What kind of thing this is, spoken after the label ("link", "field", "action, not run from here"). */
  protected abstract readonly spokenKind: string;

  protected abstract createTreeItem(): vscode.TreeItem;

  getTreeItem(): vscode.TreeItem {
    const item = this.createTreeItem();
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    const description = typeof item.description === 'string' ? item.description : undefined;
    item.accessibilityInformation ??= { label: [label, description, this.spokenKind].filter(Boolean).join(', ') };
    return item;
  }

  async getChildren(): Promise<ExplorerNode[]> {
    return [];
  }

  /** Forget loaded children so the next expansion fetches again. */
  invalidate(): void {}

  /**
   * Puts `rows` where `item` (its "Show more", "Next page" or "Load more" row) was; `page` is the URL they were read
   * from, when they were. A node without such rows has nothing to replace.
   */
  async replaceChild(item: ExplorerNode, rows: ExplorerNode[], page?: string): Promise<void> {
    void item, rows, page;
  }
}

/** `children` with `nodes` in the place of `item`; undefined when `item` is not among them. */
export function replacedChild(children: readonly ExplorerNode[], item: ExplorerNode, nodes: readonly ExplorerNode[]): ExplorerNode[] | undefined {
  const at = children.indexOf(item);
  return at < 0 ? undefined : [...children.slice(0, at), ...nodes, ...children.slice(at + 1)];
}
