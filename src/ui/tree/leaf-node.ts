import * as vscode from 'vscode';
import { wordError } from '../wording';
import { TooLargeError, type ApiError, type Link } from '../../api';
import { labelText, markdownCode, readable, tooltipText, urlText } from './labels';
import { ExplorerNode } from './node';

/**
 * What a leaf row is (as `PRCategoryActionType` in vscode-pull-request-github): a button that runs a command
 * (Log on…, New query…, an error's Retry), a note, or an action link shown but never sent.
 */
export type Leaf =
  | { kind: 'logOn' }
  | { kind: 'newQuery' }
  | { kind: 'message'; text: string }
  /** A failed expansion of `failed`, shown under it; selecting it loads `failed` again. */
  | { kind: 'error'; failed: ExplorerNode; error: ApiError }
  /** An action link (Start, Stop, Delete, …): shown so the user knows it exists, never sent from the explorer. */
  | { kind: 'actionLink'; link: Link };

/** A row without children: one class for every kind of leaf, its kind deciding label, icon, context value and command. */
export class LeafNode<L extends Leaf = Leaf> extends ExplorerNode {
  protected readonly spokenKind: string;

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly leaf: L,
  ) {
    super(parent);
    this.spokenKind = spokenKindOf(leaf);
  }

  override get copyableHref(): string | undefined {
    return this.leaf.kind === 'actionLink' ? this.leaf.link.href : undefined;
  }

  /** True for a leaf of that kind (narrowing what it carries). */
  is<K extends Leaf['kind']>(kind: K): this is LeafNode<Extract<Leaf, { kind: K }>> {
    return this.leaf.kind === kind;
  }

  protected createTreeItem(): vscode.TreeItem {
    const leaf: Leaf = this.leaf;
    switch (leaf.kind) {
      case 'logOn':
        // Under a logged-off connection: expanding must not log on by surprise, so this asks.
        return button(vscode.l10n.t('Log on…'), 'sign-in', 'logOn', { command: 'veeamApiExplorer.logOn', title: vscode.l10n.t('Log On'), arguments: [this.parent] });
      case 'newQuery':
        return button(vscode.l10n.t('New query…'), 'add', 'newQuery', { command: 'veeamApiExplorer.newQuery', title: vscode.l10n.t('New Query'), arguments: [this.parent] });
      case 'message': {
        const item = new vscode.TreeItem(leaf.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        item.contextValue = 'message';
        return item;
      }
      case 'error': {
        const { error } = leaf;
        const worded = wordError(error);
        const item = button(labelText(worded.message), 'error', `error.${error.kind}${error instanceof TooLargeError ? '.tooLarge' : ''}`, {
          command: 'veeamApiExplorer.retry',
          title: vscode.l10n.t('Retry'),
          arguments: [this],
        });
        item.description = worded.hint && labelText(worded.hint);
        item.tooltip = new vscode.MarkdownString().appendText(tooltipText(worded.detail)).appendMarkdown('\n\n').appendText(vscode.l10n.t('Select to retry.'));
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        return item;
      }
      case 'actionLink': {
        const { link } = leaf;
        const item = new vscode.TreeItem(labelText(link.name && link.rel === 'Create' ? `${readable(link.rel)} ${link.name}` : readable(link.rel)), vscode.TreeItemCollapsibleState.None);
        item.description = vscode.l10n.t('action');
        item.tooltip = new vscode.MarkdownString()
          .appendText(vscode.l10n.t('Action link: the explorer only reads, so it never sends this.'))
          .appendMarkdown(`\n\nRel ${markdownCode(link.rel)}${link.type ? ` · Type ${markdownCode(link.type)}` : ''}\n\n`)
          .appendText(urlText(link.href));
        item.iconPath = new vscode.ThemeIcon('zap', new vscode.ThemeColor('disabledForeground'));
        item.contextValue = 'action';
        return item;
      }
    }
  }
}

/** What a screen reader says a leaf is, after its label. */
const SPOKEN_KIND: Record<Leaf['kind'], () => string> = {
  logOn: () => vscode.l10n.t('button'),
  newQuery: () => vscode.l10n.t('button'),
  message: () => vscode.l10n.t('note'),
  error: () => vscode.l10n.t('error'),
  actionLink: () => vscode.l10n.t('action, not run from here'),
};

function spokenKindOf(leaf: Leaf): string {
  return SPOKEN_KIND[leaf.kind]();
}

function button(label: string, icon: string, contextValue: string, command: vscode.Command): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = contextValue;
  item.command = command;
  return item;
}
