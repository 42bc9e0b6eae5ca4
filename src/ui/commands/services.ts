import type * as vscode from 'vscode';
import type { Activity } from '../activity/activity';
import type { RequestDocuments } from '../actions/request-documents';
import type { ConnectionStore } from '../connections';
import type { RawResponseDocuments } from '../documents';
import type { Host } from '../host';
import type { SessionRegistry } from '../sessions';
import type { ExplorerNode } from '../tree/node';
import type { ExplorerTree } from '../tree/explorer-tree';

/** What command handlers work with; built once in activate(). */
export interface ExplorerServices {
  connections: ConnectionStore;
  sessions: SessionRegistry;
  tree: ExplorerTree;
  treeView: vscode.TreeView<ExplorerNode>;
  documents: RawResponseDocuments;
  log: vscode.LogOutputChannel;
  host: Host;
  /** The actions and requests of this window (Tasks and History views). */
  activity: Activity;
  /** The request documents of actions that take a body (which action each belongs to). */
  requests: RequestDocuments;
}
