import * as vscode from 'vscode';
import { wordError } from '../wording';
import { TooLargeError, type ApiError, type Link } from '../../api';
import { actionContextValue, type ActionShape } from '../actions/action-shape';
import { labelText, markdownCode, markdownText, readable, tooltipText, urlText } from './labels';
import { ExplorerNode } from './node';

/**
 * What a leaf row is (as `PRCategoryActionType` in vscode-pull-request-github): a button that runs a command
 * (Log on…, New query…, an error's Retry), a note, or an action link, sent only by Run Action… after a confirmation.
 */
export type Leaf =
  | { kind: 'logOn' }
  | { kind: 'newQuery' }
  | { kind: 'message'; text: string }
  /** A failed expansion of `failed`, shown under it; selecting it loads `failed` again. */
  | { kind: 'error'; failed: ExplorerNode; error: ApiError }
  /**
   * An action link (Start, Stop, Delete, …): selecting or expanding it sends nothing; only Run Action… does, after a
   * confirmation (never on a read-only connection).
   */
  | { kind: 'actionLink'; link: Link; shape: ActionShape };

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
        const { link, shape } = leaf;
        const item = new vscode.TreeItem(actionLabel(link), vscode.TreeItemCollapsibleState.None);
        const method = shape.method ?? labelText(link.method ?? '?', 20);
        item.description = shape.readOnly ? vscode.l10n.t('{0} · read-only connection', method) : method;
        const tooltip = new vscode.MarkdownString().appendMarkdown(`**${markdownText(actionLabel(link))}**\n\n`);
        if (shape.readOnly) tooltip.appendText(vscode.l10n.t('This connection is read-only (its "actions" setting is "off"): this action is never sent from it.'));
        else if (!shape.method) tooltip.appendText(vscode.l10n.t('The explorer does not send this method.'));
        else tooltip.appendText(vscode.l10n.t('Runs only through Run Action…, after a confirmation that shows what is sent. Selecting it sends nothing.'));
        tooltip.appendMarkdown(`\n\n${markdownCode(method)} `).appendText(urlText(link.href));
        tooltip.appendMarkdown(`\n\nRel ${markdownCode(link.rel)}${link.type ? ` · Type ${markdownCode(link.type)}` : ''}`);
        if (shape.body && !shape.readOnly) {
          tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Takes a body ({0}): a request document opens first.', labelText(shape.body.schemaName ?? shape.body.contentType, 100)));
        }
        item.tooltip = tooltip;
        const runnable = !shape.readOnly && shape.method !== undefined;
        item.iconPath = new vscode.ThemeIcon('zap', runnable ? undefined : new vscode.ThemeColor('disabledForeground'));
        item.contextValue = actionContextValue(shape);
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
  actionLink: () => vscode.l10n.t('action, run only with Run Action'),
};

function spokenKindOf(leaf: Leaf): string {
  if (leaf.kind === 'actionLink' && (leaf.shape.readOnly || !leaf.shape.method)) return vscode.l10n.t('action, not run from here');
  return SPOKEN_KIND[leaf.kind]();
}

/** An action's row label: its relation made readable (`Start`), EM's `Create` links with what they create. */
export function actionLabel(link: Link): string {
  return labelText(link.name && link.rel === 'Create' ? `${readable(link.rel)} ${link.name}` : readable(link.rel));
}

function button(label: string, icon: string, contextValue: string, command: vscode.Command): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = contextValue;
  item.command = command;
  return item;
}
