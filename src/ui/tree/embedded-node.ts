import * as vscode from 'vscode';
import type { Resource } from '../../api';
import { labelText, resourceLabel } from './labels';
import { ExplorerNode, replacedChild, type NodeContext } from './node';

/** A child entity without an Href of its own: its links and fields came with the parent, so expanding sends nothing. */
export class EmbeddedNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('item');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly resource: Resource,
    private readonly context: NodeContext,
  ) {
    super(parent);
  }

  protected createTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(resourceLabel(this.resource), vscode.TreeItemCollapsibleState.Collapsed);
    item.description = labelText(this.resource.type ?? this.resource.element ?? '') || undefined;
    item.iconPath = new vscode.ThemeIcon('symbol-object');
    item.contextValue = 'resource';
    return item;
  }

  private children?: ExplorerNode[];

  override async getChildren(): Promise<ExplorerNode[]> {
    return (this.children ??= this.context.childrenOf(this, this.connectionId, this.resource));
  }

  /** Puts `nodes` where `item` was (a "Show more" item replaced by the rows it stood for). */
  override async replaceChild(item: ExplorerNode, nodes: ExplorerNode[]): Promise<void> {
    this.children = replacedChild(await this.getChildren(), item, nodes) ?? this.children;
  }
}
