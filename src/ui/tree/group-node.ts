import * as vscode from 'vscode';
import type { Link } from '../../api';
import { ExplorerNode, replacedChild, type NodeContext } from './node';
import { labelText } from './labels';

/** A heading over links of one area of an API (VSPC: "Organizations", "Infrastructure"…): sends nothing itself. */
export class GroupNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('group');
  private children?: ExplorerNode[];

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly name: string,
    /** Sorted by label; filed under this group, so their own `group` is not looked at again. */
    readonly links: readonly Link[],
    private readonly context: NodeContext,
  ) {
    super(parent);
  }

  protected createTreeItem(): vscode.TreeItem {
    const name = labelText(this.name);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = String(this.links.length);
    item.tooltip = vscode.l10n.t('{0}: {1} collections', name, this.links.length);
    item.iconPath = new vscode.ThemeIcon('folder');
    item.contextValue = 'group';
    item.accessibilityInformation = { label: vscode.l10n.t('{0}, group of {1}', name, this.links.length) };
    return item;
  }

  override async getChildren(): Promise<ExplorerNode[]> {
    // The same nodes each time, so what was loaded or filtered below stays when the group is collapsed and expanded.
    this.children ??= this.context.childrenOf(this, this.connectionId, {
      links: this.links.map(({ group, ...link }) => (void group, link)),
      fields: [],
      children: [],
    });
    return this.children;
  }

  /** Puts `nodes` where `item` was (the "Show more" item of a group with more collections than a page). */
  override async replaceChild(item: ExplorerNode, nodes: ExplorerNode[]): Promise<void> {
    const replaced = replacedChild(await this.getChildren(), item, nodes);
    if (replaced) this.children = replaced;
  }
}
