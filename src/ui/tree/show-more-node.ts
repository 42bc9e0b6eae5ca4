import * as vscode from 'vscode';
import { ExplorerNode } from './node';
import type { OutlineEntry } from './outline';

/**
 * The end of a long list the server sent whole: the tree shows it a page at a time (setting
 * `veeamApiExplorer.tree.pageSize`), so 10,000 items cost 500 rows until the user asks for more. Nothing is fetched.
 */
export class ShowMoreNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('button');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    /** Every entry of the list; those from `shown` on are not rows yet. */
    readonly entries: readonly OutlineEntry[],
    readonly shown: number,
    readonly pageOnly: boolean,
  ) {
    super(parent);
  }

  protected createTreeItem(): vscode.TreeItem {
    const total = this.entries.length;
    const item = new vscode.TreeItem(vscode.l10n.t('Show more ({0} of {1} shown)', this.shown, total), vscode.TreeItemCollapsibleState.None);
    item.tooltip = vscode.l10n.t('{0} of {1} entries of this response are shown; select to show the next {2}. Nothing is fetched again.', this.shown, total, Math.min(total - this.shown, this.shown));
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'showMore';
    item.command = { command: 'veeamApiExplorer.showMore', title: vscode.l10n.t('Show More'), arguments: [this] };
    return item;
  }
}

/** A node whose children can grow in place (a "Show more", "Next page" or "Load more" item replaced by what it stood for). */
export interface GrowingNode {
  replaceChild(item: ExplorerNode, nodes: ExplorerNode[]): Promise<void>;
}

export function isGrowingNode(node: unknown): node is ExplorerNode & GrowingNode {
  return node instanceof ExplorerNode && typeof (node as Partial<GrowingNode>).replaceChild === 'function';
}

/** `children` with `nodes` in the place of `item`; undefined when `item` is not among them. */
export function replacedChild(children: readonly ExplorerNode[], item: ExplorerNode, nodes: readonly ExplorerNode[]): ExplorerNode[] | undefined {
  const at = children.indexOf(item);
  return at < 0 ? undefined : [...children.slice(0, at), ...nodes, ...children.slice(at + 1)];
}
