// The Tasks and History views and the history's storage, built once in activate().
import * as vscode from 'vscode';
import type { ConnectionStore } from '../connections';
import type { SessionRegistry } from '../sessions';
import type { Activity } from './activity';
import { HistoryStore } from './history-store';
import { HISTORY_VIEW_ID, HistoryTree, type HistoryNode } from './history-view';
import { TASKS_VIEW_ID, TasksTree, type TasksNode } from './tasks-view';

export interface ActivityViews {
  tasks: TasksTree;
  tasksView: vscode.TreeView<TasksNode>;
  history: HistoryTree;
  historyView: vscode.TreeView<HistoryNode>;
  /** The history in the workspace's storage folder (when `veeamApiExplorer.history.persist` is on). */
  store: HistoryStore;
  disposables: vscode.Disposable[];
}

export function createActivityViews(
  activity: Activity,
  connections: ConnectionStore,
  sessions: SessionRegistry,
  storageUri: vscode.Uri | undefined,
  log: vscode.LogOutputChannel,
): ActivityViews {
  const tasks = new TasksTree(activity, connections);
  const history = new HistoryTree(activity, connections);
  const tasksView = vscode.window.createTreeView<TasksNode>(TASKS_VIEW_ID, { treeDataProvider: tasks });
  const historyView = vscode.window.createTreeView<HistoryNode>(HISTORY_VIEW_ID, { treeDataProvider: history, showCollapseAll: true });
  const store = new HistoryStore(activity, storageUri, connections, (id) => sessions.secretsOf(id), log);
  return { tasks, tasksView, history, historyView, store, disposables: [store, tasks, tasksView, history, historyView] };
}
