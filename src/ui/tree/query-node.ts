import * as vscode from 'vscode';
import { HrefNode } from './href-node';
import type { ExplorerNode, NodeContext } from './node';
import { urlText } from './labels';

/** A query the user ran against the query service: expanding it GETs the result, page by page. */
export class QueryNode extends HrefNode {
  protected readonly spokenKind = vscode.l10n.t('query');

  constructor(
    parent: ExplorerNode,
    connectionId: string,
    href: string,
    /** The query string as the user typed it, e.g. `type=Job&pageSize=20`. */
    readonly query: string,
    context: NodeContext,
  ) {
    super(parent, connectionId, href, context);
  }

  get documentTitle(): string {
    return vscode.l10n.t('Query {0}', this.query);
  }

  protected createTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.query, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = vscode.l10n.t('query');
    item.tooltip = urlText(this.href);
    item.iconPath = new vscode.ThemeIcon('search');
    item.contextValue = 'query+href';
    return item;
  }
}
