import * as vscode from 'vscode';
import type { Paging } from '../../api';
import { tooltipText, urlText } from './labels';
import type { LoadMoreState } from './load-more';
import { ExplorerNode } from './node';
import type { OutlineEntry } from './outline';

/** What the rows after a list's last row come from. */
export type MoreRows =
  /**
   * "Show more": the rest of a long list the server sent whole, shown a page at a time (setting
   * `veeamApiExplorer.tree.pageSize`), so 10,000 items cost 500 rows until the user asks for more. Nothing is fetched.
   */
  | { kind: 'shown'; entries: readonly OutlineEntry[]; shown: number; pageOnly: boolean }
  /** "Next page": the server's next page of a paged list (EM). */
  | { kind: 'nextPage'; href: string; paging: Paging }
  /** "Load more": the next page of an offset-paged list with a total (VSPC). */
  | { kind: 'loadMore'; state: Extract<LoadMoreState, { kind: 'more' }> };

/** The last row of a list with more to show: selecting it (the showMore command) puts the next rows in its place. */
export class MoreRowsNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('button');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly more: MoreRows,
  ) {
    super(parent);
  }

  /** The URL of the next page when the rows come from the server; undefined when they were fetched already. */
  get nextHref(): string | undefined {
    return this.more.kind === 'nextPage' ? this.more.href : this.more.kind === 'loadMore' ? this.more.state.href : undefined;
  }

  protected createTreeItem(): vscode.TreeItem {
    const more = this.more;
    const item = new vscode.TreeItem('', vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon(more.kind === 'shown' ? 'ellipsis' : 'fold-down');
    switch (more.kind) {
      case 'shown': {
        const total = more.entries.length;
        item.label = vscode.l10n.t('Show more ({0} of {1} shown)', more.shown, total);
        item.tooltip = vscode.l10n.t('{0} of {1} entries of this response are shown; select to show the next {2}. Nothing is fetched again.', more.shown, total, Math.min(total - more.shown, more.shown));
        item.contextValue = 'showMore';
        item.command = this.command(vscode.l10n.t('Show More'));
        break;
      }
      case 'nextPage': {
        item.label = vscode.l10n.t('Next page');
        const { page, pagesCount, offset, count, total } = more.paging;
        if (page !== undefined && pagesCount !== undefined) item.description = vscode.l10n.t('page {0} of {1}', page + 1, pagesCount);
        else if (total !== undefined && count !== undefined) item.description = vscode.l10n.t('{0} of {1} shown', (offset ?? 0) + count, total);
        item.tooltip = tooltipText(more.href);
        item.contextValue = 'nextPage';
        item.command = this.command(vscode.l10n.t('Next Page'));
        break;
      }
      case 'loadMore': {
        const { loaded, total, href } = more.state;
        item.label = vscode.l10n.t('Load more ({0} of {1})', loaded, total);
        item.tooltip = new vscode.MarkdownString().appendText(vscode.l10n.t('{0} of {1} items loaded; select to load the next page.', loaded, total)).appendMarkdown('\n\n').appendText(urlText(href));
        item.contextValue = 'loadMore';
        item.command = this.command(vscode.l10n.t('Load More'));
        break;
      }
    }
    return item;
  }

  private command(title: string): vscode.Command {
    return { command: 'veeamApiExplorer.showMore', title, arguments: [this] };
  }
}
