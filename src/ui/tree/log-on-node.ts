import * as vscode from 'vscode';
import { ExplorerNode } from './node';

/** Shown under a logged-off connection: expanding must not log on by surprise, so this asks. */
export class LogOnNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('button');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
  ) {
    super(parent);
  }

  protected createTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Log on…'), vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('sign-in');
    item.contextValue = 'logOn';
    item.command = { command: 'veeamApiExplorer.logOn', title: vscode.l10n.t('Log On'), arguments: [this.parent] };
    return item;
  }
}
