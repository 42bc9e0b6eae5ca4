import * as vscode from 'vscode';
import { TooLargeError, type ApiError } from '../../api';
import { ExplorerNode } from './node';
import { labelText, tooltipText } from './labels';
import { wordError } from '../wording';

/** A failed expansion, shown under the node that failed; Retry loads that node again. */
export class ErrorNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('error');

  constructor(
    /** The node whose expansion failed: Retry reloads it. */
    readonly failed: ExplorerNode,
    readonly error: ApiError,
  ) {
    super(failed);
  }

  get connectionId(): string {
    return this.failed.connectionId;
  }

  protected createTreeItem(): vscode.TreeItem {
    const worded = wordError(this.error);
    const item = new vscode.TreeItem(labelText(worded.message), vscode.TreeItemCollapsibleState.None);
    item.description = worded.hint && labelText(worded.hint);
    item.tooltip = new vscode.MarkdownString().appendText(tooltipText(worded.detail)).appendMarkdown('\n\n').appendText(vscode.l10n.t('Select to retry.'));
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.contextValue = `error.${this.error.kind}${this.error instanceof TooLargeError ? '.tooLarge' : ''}`;
    item.command = { command: 'veeamApiExplorer.retry', title: vscode.l10n.t('Retry'), arguments: [this] };
    return item;
  }
}
