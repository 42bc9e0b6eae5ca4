// Wires the extension together; the behaviour lives in ui/ (VS Code) and api/ (the Veeam protocols).
import * as vscode from 'vscode';
import { Activity } from './ui/activity/activity';
import { RequestDocuments } from './ui/actions/request-documents';
import { createActivityViews, type ActivityViews } from './ui/activity/views';
import { registerCommands } from './ui/commands';
import { ConnectionStore } from './ui/connections';
import { RAW_SCHEME, RawResponseDocuments } from './ui/documents';
import { createHost, type Host } from './ui/host';
import { VIEW_ID } from './ui/progress';
import { Responses } from './ui/responses';
import { SessionRegistry } from './ui/sessions';
import { ExplorerTree } from './ui/tree/explorer-tree';
import { LanguageModelTools } from './ui/tools/tools';
import type { ExplorerNode } from './ui/tree/node';

/**
 * What activate() returns to the extension's own tests, and to nothing else (see activate):
 * the connection store, the session registry, the tree (its getChildren() is what the view shows), the view itself
 * (reveal, selection), the raw-response documents and the host that asks the user questions.
 */
export interface ExplorerTestApi {
  connections: ConnectionStore;
  sessions: SessionRegistry;
  tree: ExplorerTree;
  view: vscode.TreeView<ExplorerNode>;
  documents: RawResponseDocuments;
  /** Everything shown to or asked of the user (messages, questions, guided input, progress, status bar): tests answer and observe it by replacing its members. */
  host: Host;
  /** The actions and requests of this window. */
  activity: Activity;
  /** The Tasks and History views and the history's storage. */
  activityViews: ActivityViews;
  /** The extension's log folder; the log channel's file is written beside it (a test reads it back to look for secrets). */
  logUri: vscode.Uri;
  /** Copilot Chat's tools: what a call would ask the user before it runs (`prepareByName`), and their confirmations. */
  tools: LanguageModelTools;
}

let sessions: SessionRegistry | undefined;

/**
 * Builds the extension. The test API goes only to a host that runs the extension's tests (`ExtensionMode.Test`: VS Code
 * sets it when it was started with both a development path and a tests path, as `npm run test:host` and
 * `npm run test:electron` do). Anywhere else, any other extension could take it from `getExtension(…).exports` and
 * read the stored passwords through it, or answer the password prompts.
 */
export function activate(context: vscode.ExtensionContext): ExplorerTestApi | undefined {
  const log = vscode.window.createOutputChannel('Veeam API Explorer', { log: true });
  const host = createHost();
  const activity = new Activity();
  const connections = new ConnectionStore(context.secrets, log, host);
  sessions = new SessionRegistry(connections, log, host, activity);
  const responses = new Responses(connections, sessions);
  const tree = new ExplorerTree(connections, sessions, responses, host);
  const treeView = vscode.window.createTreeView<ExplorerNode>(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const documents = new RawResponseDocuments(connections, sessions, responses);
  const requests = new RequestDocuments(connections);
  const activityViews = createActivityViews(activity, connections, sessions, context.storageUri, log);

  context.subscriptions.push(
    log,
    activity,
    connections,
    sessions,
    tree,
    treeView,
    documents,
    vscode.workspace.registerFileSystemProvider(RAW_SCHEME, documents, { isReadonly: true, isCaseSensitive: true }),
    ...activityViews.disposables,
    ...requests.register(),
    ...registerCommands({ connections, sessions, tree, treeView, documents, log, host, activity, requests }),
  );
  // Copilot Chat's tools (read only): languageModelTools in package.json.
  const tools = new LanguageModelTools({ services: { connections, sessions, tree, treeView, documents, log, host, activity, requests }, responses });
  context.subscriptions.push(tools);
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return { connections, sessions, tree, view: treeView, documents, host, activity, activityViews, logUri: context.logUri, tools };
}

/** Closing the window logs every session off, without holding the window for more than a few seconds. */
export async function deactivate(): Promise<void> {
  await sessions?.logOffAll(3000);
}
