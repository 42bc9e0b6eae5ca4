import * as vscode from 'vscode';
import { ExplorerNode } from './node';

/** The first child of the query service: asks for a query and runs it. */
export class NewQueryNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('button');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
  ) {
    super(parent);
  }

  protected createTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('New query…'), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('add');
    item.contextValue = 'newQuery';
    item.command = { command: 'veeamApiExplorer.newQuery', title: vscode.l10n.t('New Query'), arguments: [this.parent] };
    return item;
  }
}
