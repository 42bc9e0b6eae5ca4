import * as vscode from 'vscode';
import { withNameFilter } from '../../api';
import { LinkNode } from './link-node';

/**
 * A VSPC collection: its items by name, "Load more" at the end, and a name filter the server applies
 * (the `filter` query parameter, so it narrows all pages, not only the loaded ones).
 */
export class CollectionNode extends LinkNode {
  private filterText?: string;

  /** The text item names must contain, if filtered. */
  get nameFilter(): string | undefined {
    return this.filterText;
  }

  /** The collection's URL with the current filter (the link's own URL when unfiltered). */
  override get href(): string {
    return this.filterText ? withNameFilter(this.link.href, this.filterText) : this.link.href;
  }

  /** Filters by name (no text: clears the filter); the next expansion reads the first page again. */
  setNameFilter(text: string | undefined): void {
    const clean = text?.trim() || undefined;
    if (clean === this.filterText) return;
    this.filterText = clean;
    this.invalidate();
  }

  protected override createTreeItem(): vscode.TreeItem {
    const item = super.createTreeItem();
    item.iconPath = new vscode.ThemeIcon(this.filterText ? 'filter-filled' : 'list-unordered');
    if (this.filterText) {
      item.description = vscode.l10n.t('name contains "{0}"', this.filterText);
      (item.tooltip as vscode.MarkdownString).appendMarkdown('\n\n').appendText(vscode.l10n.t('Filtered by the server: name contains "{0}"', this.filterText));
    }
    item.contextValue = `collection+href${this.filterText ? '+filtered' : ''}`;
    return item;
  }
}
