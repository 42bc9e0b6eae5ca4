import * as vscode from 'vscode';
import type { LoadMoreState } from './load-more';
import { ExplorerNode } from './node';
import { urlText } from './labels';

/** The end of an offset-paged list (VSPC): selecting it appends the next page's items to the same list. */
export class LoadMoreNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('button');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly state: Extract<LoadMoreState, { kind: 'more' }>,
  ) {
    super(parent);
  }

  /** The URL of the next page (the nextPage command reads it). */
  get nextHref(): string {
    return this.state.href;
  }

  protected createTreeItem(): vscode.TreeItem {
    const { loaded, total } = this.state;
    const item = new vscode.TreeItem(vscode.l10n.t('Load more ({0} of {1})', loaded, total), vscode.TreeItemCollapsibleState.None);
    item.tooltip = new vscode.MarkdownString().appendText(vscode.l10n.t('{0} of {1} items loaded; select to load the next page.', loaded, total)).appendMarkdown('\n\n').appendText(urlText(this.state.href));
    item.iconPath = new vscode.ThemeIcon('fold-down');
    item.contextValue = 'loadMore';
    item.command = { command: 'veeamApiExplorer.nextPage', title: vscode.l10n.t('Load More'), arguments: [this] };
    return item;
  }
}
