import * as vscode from 'vscode';
import type { Link } from '../../api';
import { labelText, markdownCode, readable, urlText } from './labels';
import { ExplorerNode } from './node';

/** An action link (Start, Stop, Delete, …): shown so the user knows it exists, never sent from the explorer. */
export class ActionNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('action, not run from here');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly link: Link,
  ) {
    super(parent);
  }

  override get copyableHref(): string {
    return this.link.href;
  }

  protected createTreeItem(): vscode.TreeItem {
    const label = labelText(this.link.name && this.link.rel === 'Create' ? `${readable(this.link.rel)} ${this.link.name}` : readable(this.link.rel));
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.description = vscode.l10n.t('action');
    item.tooltip = new vscode.MarkdownString()
      .appendText(vscode.l10n.t('Action link: the explorer only reads, so it never sends this.'))
      .appendMarkdown(`\n\nRel ${markdownCode(this.link.rel)}${this.link.type ? ` · Type ${markdownCode(this.link.type)}` : ''}\n\n`)
      .appendText(urlText(this.link.href));
    item.iconPath = new vscode.ThemeIcon('zap', new vscode.ThemeColor('disabledForeground'));
    item.contextValue = 'action';
    return item;
  }
}
