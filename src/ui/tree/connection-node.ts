import * as vscode from 'vscode';
import { DEFAULT_VBR_REVISION, kindOf, type ConnectionDefinition, type LogonInfo, type Resource, type SessionState } from '../../api';
import { cleartextRefusal, cleartextRefused } from '../cleartext';
import { LeafNode } from './leaf-node';
import { ExplorerNode, type NodeContext } from './node';
import { tooltipText } from './labels';

/** What a connection node shows of its session. */
export interface SessionStatus {
  state(connectionId: string): SessionState;
  logonInfo(connectionId: string): LogonInfo | undefined;
  /** Why the session ended when the user did not log off (a refused renewal, a failed logon), if it did. */
  endReason(connectionId: string): string | undefined;
}


/** A configured connection. Logged on, its children are the logon root's links; logged off, a "Log on…" item. */
export class ConnectionNode extends ExplorerNode {
  protected readonly spokenKind = vscode.l10n.t('connection');
  private children?: { root: Resource; nodes: ExplorerNode[] };

  constructor(
    public definition: ConnectionDefinition,
    private readonly status: SessionStatus,
    private readonly context: NodeContext,
  ) {
    super(undefined);
  }

  get connectionId(): string {
    return this.definition.id;
  }

  get state(): SessionState {
    return this.status.state(this.connectionId);
  }

  /**
   * What the row stands for while logged on, to copy or read raw: the answer the logon kept when a GET reads it again
   * (VSPC's logged-on user, VBR's server information: their root is the client's map, whose base URL the server answers
   * 404), else the logon root (EM's LogonSession).
   */
  override get href(): string | undefined {
    const info = this.status.logonInfo(this.connectionId);
    return info?.raw.method === 'GET' ? info.raw.url : info?.root.href;
  }

  get documentTitle(): string {
    const root = this.status.logonInfo(this.connectionId)?.root;
    return root?.type ?? this.definition.name;
  }

  protected createTreeItem(): vscode.TreeItem {
    const def = this.definition;
    const info = this.status.logonInfo(this.connectionId);
    const state = this.state;
    // http:// without the opt-in never logs on: the row says so before anyone tries.
    const refused = state === 'loggedOff' && cleartextRefused(def);
    const item = new vscode.TreeItem(def.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `connection:${def.id}`;
    const stateText =
      state === 'loggedOn' && info
        ? info.apiVersion
          ? // A VBR revision names itself (`1.2-rev1`); EM's `v1_7` and VSPC's `v3` read better as "API v1_7".
            def.kind === 'vbr'
            ? vscode.l10n.t('{0} · {1}', info.userName, info.apiVersion)
            : vscode.l10n.t('{0} · API {1}', info.userName, info.apiVersion)
          : info.userName
        : state === 'loggingOn'
          ? vscode.l10n.t('logging on…')
          : refused
            ? vscode.l10n.t('refused: http:// would send the password in clear')
            : this.status.endReason(this.connectionId)
              ? vscode.l10n.t('logged off (failed)')
              : vscode.l10n.t('logged off');
    const representation = def.representation === 'json' ? 'JSON' : undefined;
    item.description = [kindOf(def.kind).shortName, stateText, representation].filter(Boolean).join(' · ');
    const tooltip = new vscode.MarkdownString()
      .appendMarkdown(`**${kindOf(def.kind).shortName}** `)
      .appendText(def.url)
      .appendMarkdown('\n\n')
      .appendText(vscode.l10n.t('User: {0}', def.username || '—'));
    // Only Enterprise Manager speaks both; Service Provider Console answers in JSON.
    if (def.kind === 'em') tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Representation: {0}', def.representation === 'json' ? 'JSON' : 'XML'));
    if (def.kind === 'vbr') {
      const asked = def.apiVersion || DEFAULT_VBR_REVISION;
      const used = state === 'loggedOn' ? info?.apiVersion : undefined;
      tooltip.appendMarkdown('\n\n').appendText(
        used && used !== asked
          ? vscode.l10n.t('API revision: {0} (the server does not support {1})', used, asked)
          : vscode.l10n.t('API revision: {0}', used ?? asked),
      );
    }
    if (refused) tooltip.appendMarkdown('\n\n').appendText(cleartextRefusal(def).detail);
    const reason = state === 'loggedOff' && !refused ? this.status.endReason(this.connectionId) : undefined;
    if (reason) tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Logged off: {0}', tooltipText(reason)));
    if (def.trustedFingerprint) tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('Trusted certificate: {0}', def.trustedFingerprint));
    if (def.caFile) tooltip.appendMarkdown('\n\n').appendText(vscode.l10n.t('CA file: {0}', def.caFile));
    item.tooltip = tooltip;
    item.iconPath = new vscode.ThemeIcon(state === 'loggedOn' ? 'vm-running' : 'vm-outline');
    item.contextValue = `connection.${def.kind}.${state}${info?.root.href ? '+href' : ''}`;
    return item;
  }

  override async getChildren(): Promise<ExplorerNode[]> {
    // Kept across a transparent re-logon so expanded nodes stay expanded; rebuilt on an explicit Log On or Refresh.
    if (this.children && this.state !== 'loggedOff') return this.children.nodes;
    const info = this.status.logonInfo(this.connectionId);
    if (!info) return [new LeafNode(this, this.connectionId, { kind: 'logOn' })];
    this.children = { root: info.root, nodes: this.context.childrenOf(this, this.connectionId, info.root) };
    return this.children.nodes;
  }

  override invalidate(): void {
    this.children = undefined;
  }
}
