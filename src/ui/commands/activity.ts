// The Tasks and History views' commands: open a task's document or a request's response, run a request again,
// clear the history.
import * as vscode from 'vscode';
import { representationOf, type ActionMethod, type ActionRequest } from '../../api';
import { entryKind, HistoryEntryNode, pathOf } from '../activity/history-view';
import { TaskDocumentNode, taskDocument, TaskNode } from '../activity/tasks-view';
import type { RawTarget } from '../documents';
import { showError } from '../error-display';
import { withCancellableProgress } from '../progress';
import { labelText, lastPathWord, urlText } from '../tree/labels';
import type { ExplorerServices } from './services';

/** Run Action's command for a request given whole (the ui-actions part implements it, with its confirmation). */
export const RUN_REQUEST_COMMAND = 'veeamApiExplorer.runRequest';

/** What `veeamApiExplorer.runRequest` is given. */
export interface RunRequestArgs {
  connectionId: string;
  request: ActionRequest;
  /** How Run Action names it: the History's label. */
  title?: string;
}

const ACTION_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'] satisfies ActionMethod[];

/** A task's document (its answer, its task document, VSPC's result); on a task, the most telling one it has. */
export async function openTaskDocument(services: ExplorerServices, node?: TaskDocumentNode | TaskNode): Promise<vscode.TextEditor | undefined> {
  const document = node instanceof TaskNode ? (['result', 'task', 'response'] as const).map((kind) => new TaskDocumentNode(node.record, kind)).find((d) => d.raw) : node;
  if (!(document instanceof TaskDocumentNode)) return undefined;
  const raw = taskDocument(document.record, document.document);
  if (!raw) return undefined;
  return services.documents.openStored(document.record.connectionId, raw, document.title);
}

/** The response of a request of the history, as it came (read-only); says why when none is kept. */
export async function openHistoryEntry(services: ExplorerServices, node?: HistoryEntryNode): Promise<vscode.TextEditor | undefined> {
  if (!(node instanceof HistoryEntryNode)) return undefined;
  const { entry } = node;
  if (!entry.raw) {
    const why = entry.credentials
      ? vscode.l10n.t('A logon, renewal or logoff keeps no response: it holds the session token.')
      : entry.responseDropped
        ? vscode.l10n.t('This response is no longer kept: the history keeps only the newest responses in memory.')
        : entry.status === undefined
          ? vscode.l10n.t('This request got no answer.')
          : vscode.l10n.t('No response was kept for this request.');
    void services.host.showInformationMessage(why);
    return undefined;
  }
  return services.documents.openStored(entry.connectionId, entry.raw, `${entry.method} ${lastPathWord(entry.url) ?? vscode.l10n.t('response')}`);
}

/**
 * Sends a request of the history again. A GET goes through the connection's session as the tree's do (recorded too)
 * and opens its response; an action goes to Run Action with its method, URL and body, and so through its
 * confirmation; a logon is not sent again from here.
 */
export async function runAgain(services: ExplorerServices, node?: HistoryEntryNode): Promise<unknown> {
  if (!(node instanceof HistoryEntryNode)) return undefined;
  const { entry } = node;
  const def = services.connections.get(entry.connectionId);
  if (!def) {
    void services.host.showInformationMessage(vscode.l10n.t('The connection of this request no longer exists.'));
    return undefined;
  }
  switch (entryKind(entry)) {
    case 'credentials':
      void services.host.showInformationMessage(vscode.l10n.t('A logon, renewal or logoff is not sent again from the history: use Log On.'));
      return undefined;
    case 'get': {
      const target: RawTarget = { connectionId: def.id, href: entry.url, representation: representationOf(def) };
      try {
        const fetched = await withCancellableProgress(services.host, vscode.l10n.t('Reading {0}…', urlText(entry.url)), (signal) => services.documents.fetch(target, signal), { noticeAfterMs: 400 });
        return await services.documents.openFetched(target, def.name, lastPathWord(entry.url) ?? pathOf(entry.url), fetched);
      } catch (err) {
        showError(err, services, def);
        return undefined;
      }
    }
    case 'action': {
      if (!ACTION_METHODS.includes(entry.method)) return undefined;
      if (entry.requestBodyOmitted && entry.requestBody === undefined) {
        // Sent without it, it would not be the request it was: the user runs the action from its row instead.
        void services.host.showInformationMessage(vscode.l10n.t('The body of this request was not kept (it may have held a password): run the action again from the Connections view.'));
        return undefined;
      }
      if (!(await vscode.commands.getCommands(true)).includes(RUN_REQUEST_COMMAND)) {
        void services.host.showInformationMessage(vscode.l10n.t('Running an action again needs Run Action, which this version of the extension does not have.'));
        return undefined;
      }
      const request: ActionRequest = { method: entry.method as ActionMethod, url: entry.url };
      if (entry.requestBody !== undefined) request.body = entry.requestBody;
      if (entry.requestContentType !== undefined) request.contentType = entry.requestContentType;
      const args: RunRequestArgs = { connectionId: def.id, request, title: labelText(`${entry.method} ${pathOf(entry.url)}`) };
      return vscode.commands.executeCommand(RUN_REQUEST_COMMAND, args);
    }
  }
}

/** Forgets every request of the history (and the kept file, when the history is kept). */
export function clearHistory(services: ExplorerServices): void {
  services.activity.clearHistory();
}
