import * as vscode from 'vscode';
import type { Link } from '../../api';
import { labelText, linkLabel, urlText } from './labels';
import { LeafNode } from './leaf-node';
import { ExplorerNode, type NodeContext } from './node';
import { QueryNode } from './query-node';

/**
 * EM's query service (`/api/query`): a GET without a `type` is refused, so instead of fetching it on expansion
 * it offers "New query…" and lists the queries run from it, each paged with "Next page".
 */
export class QueryServiceNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('query service');
  private readonly queries: QueryNode[] = [];

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    readonly link: Link,
    private readonly context: NodeContext,
  ) {
    super(parent);
  }

  protected createTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(linkLabel(this.link), vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.link.type ? labelText(this.link.type) : undefined;
    item.tooltip = new vscode.MarkdownString()
      .appendText(vscode.l10n.t('Query service: run queries such as type=Job&format=Entities&filter=jobtype==backup&pageSize=20'))
      .appendMarkdown('\n\n')
      .appendText(urlText(this.link.href));
    item.iconPath = new vscode.ThemeIcon('search');
    item.contextValue = 'queryService';
    return item;
  }

  override async getChildren(): Promise<ExplorerNode[]> {
    return [new LeafNode(this, this.connectionId, { kind: 'newQuery' }), ...this.queries];
  }

  /** Adds a query (`type=Job&pageSize=20`) below the service, or returns the one already there. */
  addQuery(query: string): QueryNode {
    const existing = this.queries.find((q) => q.query === query);
    if (existing) return existing;
    const url = new URL(this.link.href);
    url.search = query;
    const node = new QueryNode(this, this.connectionId, url.href, query, this.context);
    this.queries.push(node);
    return node;
  }
}
