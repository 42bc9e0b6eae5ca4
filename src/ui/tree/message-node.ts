import * as vscode from 'vscode';
import { ExplorerNode } from './node';

/** An informational leaf, e.g. an empty list. */
export class MessageNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('note');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly message: string,
  ) {
    super(parent);
  }

  protected createTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.message, vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('info');
    item.contextValue = 'message';
    return item;
  }
}
