import * as vscode from 'vscode';
import type { Link } from '../../api';
import { HrefNode } from './href-node';
import { linkLabel, markdownCode, markdownText, readable, urlText } from './labels';
import type { ExplorerNode, NodeContext } from './node';

/** A Down or Alternate link: expanding it GETs the link's Href. */
export class LinkNode extends HrefNode {
  protected readonly spokenKind: string;

  constructor(
    parent: ExplorerNode,
    connectionId: string,
    readonly link: Link,
    context: NodeContext,
  ) {
    super(parent, connectionId, link.href, context);
    this.spokenKind = link.rel === 'Alternate' ? vscode.l10n.t('alternate link') : vscode.l10n.t('link');
  }

  protected override get inferred(): boolean {
    return this.link.inferred === true;
  }

  get label(): string {
    // An Alternate link names the same thing in another form: its type says which ("Job" under a JobReference).
    return this.link.rel === 'Alternate' && this.link.type ? readable(this.link.type) : linkLabel(this.link);
  }

  get documentTitle(): string {
    const name = this.link.name ?? this.label;
    return this.link.type && this.link.type !== name ? `${name} (${this.link.type})` : name;
  }

  protected createTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    // The Veeam type is in the tooltip: in the row it would crowd out the labels.
    if (this.link.rel === 'Alternate') item.description = vscode.l10n.t('alternate');
    item.tooltip = new vscode.MarkdownString()
      .appendMarkdown(`**${markdownText(this.label)}**\n\n`)
      .appendMarkdown(`Rel ${markdownCode(this.link.rel)}${this.link.type ? ` · Type ${markdownCode(this.link.type)}` : ''}\n\n`)
      .appendText(urlText(this.link.href));
    const list = /List$|References$|Collection$/.test(this.link.type ?? '');
    item.iconPath = new vscode.ThemeIcon(this.link.rel === 'Alternate' ? 'references' : list ? 'list-unordered' : 'link');
    item.contextValue = `link.${this.link.rel.toLowerCase()}+href`;
    this.markExternal(item);
    if (this.absent) this.markAbsent(item);
    return item;
  }

  /** A collection this server does not have: greyed, empty, and said so. */
  protected markAbsent(item: vscode.TreeItem): void {
    const note = vscode.l10n.t('not on this server');
    item.description = [item.description, note].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground'));
    item.tooltip = vscode.l10n.t('{0}: the server answered 404. This path comes from the API map, and this server’s API revision does not have it.', this.label);
  }
}
