import * as vscode from 'vscode';
import type { Resource } from '../../api';
import { LinkNode } from './link-node';

/**
 * A collection of a JSON API (VSPC, VBR): its items by name, "Load more" at the end, and a name filter the server
 * applies (VSPC's `filter`, VBR's `nameFilter` query parameter, so it narrows all pages, not only the loaded ones).
 */
export class CollectionNode extends LinkNode {
  private filterText?: string;
  /** How many items the list has (with the filter), once its first page was read. */
  private total?: number;

  /** The text item names must contain, if filtered. */
  get nameFilter(): string | undefined {
    return this.filterText;
  }

  /** The collection's URL with the current filter (the link's own URL when unfiltered). */
  override get href(): string {
    return this.filterText ? this.context.withNameFilter(this.connectionId, this.link.href, this.filterText) : this.link.href;
  }

  /** Filters by name (no text: clears the filter); the next expansion reads the first page again. */
  setNameFilter(text: string | undefined): void {
    const clean = text?.trim() || undefined;
    if (clean === this.filterText) return;
    this.filterText = clean;
    this.total = undefined;
    this.invalidate();
  }

  protected override loaded(resource: Resource): void {
    const total = resource.paging?.total ?? (resource.paging ? undefined : resource.children.length);
    if (total === this.total) return;
    this.total = total;
    this.context.notifyChanged(this);
  }

  protected override createTreeItem(): vscode.TreeItem {
    const item = super.createTreeItem();
    item.iconPath = new vscode.ThemeIcon(this.filterText ? 'filter-filled' : 'list-unordered');
    const count = this.total !== undefined ? String(this.total) : undefined;
    const filter = this.filterText ? vscode.l10n.t('name contains "{0}"', this.filterText) : undefined;
    item.description = [filter, count].filter(Boolean).join(' · ') || undefined;
    if (this.filterText) {
      (item.tooltip as vscode.MarkdownString).appendMarkdown('\n\n').appendText(vscode.l10n.t('Filtered by the server: name contains "{0}"', this.filterText));
    }
    item.contextValue = `collection+href${this.filterText ? '+filtered' : ''}`;
    if (this.absent) this.markAbsent(item);
    return item;
  }
}
