import * as vscode from 'vscode';
import type { Resource } from '../../api';
import { HrefNode } from './href-node';
import { markdownCode, resourceLabel, urlText } from './labels';
import type { ExplorerNode, NodeContext } from './node';

/** A child reference or entity that has its own Href: expanding it GETs that Href. */
export class ResourceNode extends HrefNode {
  protected readonly spokenKind = vscode.l10n.t('item');

  constructor(
    parent: ExplorerNode,
    connectionId: string,
    readonly resource: Resource & { href: string },
    context: NodeContext,
  ) {
    super(parent, connectionId, resource.href, context);
  }

  get label(): string {
    return resourceLabel(this.resource);
  }

  get documentTitle(): string {
    return this.resource.type && this.resource.name ? `${this.resource.name} (${this.resource.type})` : this.label;
  }

  protected createTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Collapsed);
    const tooltip = new vscode.MarkdownString().appendText(this.label).appendMarkdown('\n\n');
    if (this.resource.type) tooltip.appendMarkdown(`Type ${markdownCode(this.resource.type)}\n\n`);
    if (this.resource.uid) tooltip.appendMarkdown(`UID ${markdownCode(this.resource.uid)}\n\n`);
    tooltip.appendText(urlText(this.href));
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(/Reference$/.test(this.resource.type ?? '') ? 'symbol-reference' : 'symbol-object');
    item.contextValue = 'resource+href';
    this.markExternal(item);
    return item;
  }
}
