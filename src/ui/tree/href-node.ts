import * as vscode from 'vscode';
import { HttpStatusError, toApiError, type Resource } from '../../api';
import { LeafNode } from './leaf-node';
import { ExplorerNode, replacedChild, type NodeContext } from './node';

/** A node that stands for a URL: expanding it GETs the URL and shows what came back. Children are kept until refreshed. */
export abstract class HrefNode extends ExplorerNode {
  private children?: Promise<ExplorerNode[]>;
  private pages: string[] = [];
  /** The server answered 404 for a path the client inferred from its API map: this server does not have it. */
  protected absent = false;

  constructor(
    parent: ExplorerNode,
    readonly connectionId: string,
    private readonly url: string,
    protected readonly context: NodeContext,
  ) {
    super(parent);
  }

  override get href(): string {
    return this.url;
  }

  /** The host when the href is on another server than the connection's (it is fetched without credentials). */
  get externalHost(): string | undefined {
    return this.context.externalHost(this.connectionId, this.url);
  }

  /** Marks a row whose href is on another server: its description says so, its icon is the external-link one. */
  protected markExternal(item: vscode.TreeItem): void {
    const host = this.externalHost;
    if (!host) return;
    item.description = [item.description, vscode.l10n.t('external: {0}', host)].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('link-external');
    const note = vscode.l10n.t('On another server ({0}): fetched without this connection’s credentials.', host);
    if (item.tooltip instanceof vscode.MarkdownString) item.tooltip.appendMarkdown('\n\n').appendText(note);
    else item.tooltip = [item.tooltip, note].filter(Boolean).join('\n\n');
  }

  /** Name and type, for the title of the raw response document. */
  abstract readonly documentTitle: string;

  override getChildren(): Promise<ExplorerNode[]> {
    return (this.children ??= this.load());
  }

  override invalidate(): void {
    this.children = undefined;
    this.pages = [];
    this.absent = false;
  }

  /** True when the href comes from the client's map of the API rather than from the server (see `Link.inferred`). */
  protected get inferred(): boolean {
    return false;
  }

  /** The URLs of the pages appended after the first (a refresh of this node forgets their cached responses too). */
  get appendedPages(): readonly string[] {
    return this.pages;
  }

  /** Puts `nodes` where `item` was; a page read for them is remembered (a refresh of this node forgets it too). */
  override async replaceChild(item: ExplorerNode, nodes: ExplorerNode[], page?: string): Promise<void> {
    const replaced = replacedChild(await this.getChildren(), item, nodes);
    if (!replaced) return;
    if (page) this.pages.push(page);
    this.children = Promise.resolve(replaced);
  }

  /** Called with the first page each time the node loads: subclasses may learn from it (a list's total). */
  protected loaded(resource: Resource): void {
    void resource;
  }

  private async load(): Promise<ExplorerNode[]> {
    const href = this.href;
    try {
      const fetched = await this.context.fetch(this.connectionId, href, this.documentTitle);
      this.loaded(fetched.resource);
      const nodes = this.context.childrenOf(this, this.connectionId, fetched.resource);
      return nodes.length ? nodes : [new LeafNode(this, this.connectionId, { kind: 'message', text: vscode.l10n.t('No items') })];
    } catch (err) {
      const error = toApiError(err, href);
      if (this.inferred && error instanceof HttpStatusError && error.status === 404) {
        // Not an error: this server's API revision has no such collection. The row greys out; Refresh asks again.
        this.absent = true;
        this.context.notifyChanged(this);
        return [new LeafNode(this, this.connectionId, { kind: 'message', text: vscode.l10n.t('Not on this server: its API revision does not have this collection') })];
      }
      // Not cached: expanding again (or Retry) tries again.
      this.children = undefined;
      return [new LeafNode(this, this.connectionId, { kind: 'error', failed: this, error })];
    }
  }
}
