import * as vscode from 'vscode';
import type { Field } from '../../api';
import { fieldLabel } from './outline';
import { ExplorerNode } from './node';
import { tooltipText } from './labels';

/** A field of a resource: `Name: value`, or a group of nested fields. */
export class FieldNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('field');

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly field: Field,
  ) {
    super(parent);
  }

  protected createTreeItem(): vscode.TreeItem {
    const nested = !!this.field.children?.length;
    const item = new vscode.TreeItem(fieldLabel(this.field), nested ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    if (nested) item.description = `(${this.field.children!.length})`;
    else item.tooltip = tooltipText(`${this.field.name}\n${this.field.value ?? ''}`);
    item.iconPath = new vscode.ThemeIcon(nested ? 'symbol-namespace' : 'symbol-field');
    item.contextValue = nested ? 'field.group' : 'field';
    return item;
  }

  override async getChildren(): Promise<ExplorerNode[]> {
    return (this.field.children ?? []).map((f) => new FieldNode(this, this.connectionId, f));
  }
}
