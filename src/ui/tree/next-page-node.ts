import * as vscode from 'vscode';
import type { Paging } from '../../api';
import { ExplorerNode } from './node';
import { tooltipText } from './labels';

/** The end of a paged list: selecting it appends the next page in place. */
export class NextPageNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('button');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly nextHref: string,
    readonly paging: Paging,
  ) {
    super(parent);
  }

  protected createTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Next page'), vscode.TreeItemCollapsibleState.None);
    const { page, pagesCount, offset, count, total } = this.paging;
    if (page !== undefined && pagesCount !== undefined) item.description = vscode.l10n.t('page {0} of {1}', page + 1, pagesCount);
    else if (total !== undefined && count !== undefined) item.description = vscode.l10n.t('{0} of {1} shown', (offset ?? 0) + count, total);
    item.tooltip = tooltipText(this.nextHref);
    item.iconPath = new vscode.ThemeIcon('fold-down');
    item.contextValue = 'nextPage';
    item.command = { command: 'veeamApiExplorer.nextPage', title: vscode.l10n.t('Next Page'), arguments: [this] };
    return item;
  }
}
