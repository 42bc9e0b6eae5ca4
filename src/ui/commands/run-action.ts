// Run Action… (an action row), Send Request (a request document's editor title and CodeLens) and Run Request (the
// History's Run Again of a request other than GET): each goes through the one confirmation, then is sent and followed.
import * as vscode from 'vscode';
import { checkActionBody, representationOf, type ActionRequest, type ConnectionDefinition } from '../../api';
import type { TaskRecord } from '../activity/activity';
import { isActionMethod, isReadOnly } from '../actions/action-shape';
import { confirmAction, confirmationOf } from '../actions/confirmation';
import { actionOfLeaf, actionOfRequest, type PreparedAction } from '../actions/prepared-action';
import { runConfirmed } from '../actions/run';
import { labelText } from '../tree/labels';
import { LeafNode } from '../tree/leaf-node';
import type { ExplorerNode } from '../tree/node';
import { wordText } from '../wording';
import { logOn } from './log-on';
import type { ExplorerServices } from './services';

/**
 * An action row's Run Action…: an action that takes a body opens its request document (Send Request sends it);
 * any other is confirmed, sent and followed. Resolves to the task's record (or the document's editor).
 */
export async function runAction(services: ExplorerServices, node?: ExplorerNode): Promise<TaskRecord | vscode.TextEditor | undefined> {
  const leaf = node ?? services.treeView.selection[0];
  if (!(leaf instanceof LeafNode) || !leaf.is('actionLink')) return undefined;
  const def = services.connections.get(leaf.connectionId);
  if (!def || refusedAsReadOnly(services, def)) return undefined;
  const action = actionOfLeaf(def, leaf);
  if (!action) {
    void services.host.showErrorMessage(vscode.l10n.t('The explorer does not send {0} requests.', labelText(leaf.leaf.link.method ?? '?', 20)));
    return undefined;
  }
  if (action.body) return services.requests.open({ ...action, body: action.body });
  return confirmAndRun(services, def, action, { method: action.method, url: action.url });
}

/** A request document's Send Request: checked (well-formed, required fields) before the confirmation. */
export async function sendRequest(services: ExplorerServices, uri?: vscode.Uri): Promise<TaskRecord | undefined> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!target) return undefined;
  const entry = services.requests.entryOf(target);
  if (!entry) {
    void services.host.showErrorMessage(vscode.l10n.t('This document is not the request of an action any more: run the action again from the tree.'));
    return undefined;
  }
  const { action } = entry;
  const def = services.connections.get(action.connectionId);
  if (!def) {
    void services.host.showErrorMessage(vscode.l10n.t('The connection of this request no longer exists.'));
    return undefined;
  }
  if (refusedAsReadOnly(services, def)) return undefined;
  const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString()) ?? (await vscode.workspace.openTextDocument(target));
  const text = document.getText();
  // An operation whose body is optional may go without one: an empty document is sent as no body.
  const withoutBody = text.trim() === '' && !action.body.required;
  if (!withoutBody) {
    const problems = checkActionBody(action.body, text);
    if (problems.length) {
      const listed = problems.map((p, i) => vscode.l10n.t('({0}) {1}', i + 1, labelText(wordText(p), 300))).join(' ');
      void services.host.showErrorMessage(vscode.l10n.t('The request was not sent: {0}', listed));
      return undefined;
    }
  }
  // Kept as sent (in memory): closing the document then asks nothing.
  if (document.isDirty) await document.save().then(undefined, () => false);
  const request: ActionRequest = withoutBody ? { method: action.method, url: action.url } : { method: action.method, url: action.url, body: text, contentType: action.body.contentType };
  return confirmAndRun(services, def, action, request);
}

/** What the History's Run Again passes for a request other than GET. */
export interface RunRequestArgument {
  connectionId: string;
  request: ActionRequest;
  /** How to name it (the History's own label); its method and URL when absent. */
  title?: string;
}

/** Runs a recorded request again, after the same confirmation as any action. */
export async function runRequest(services: ExplorerServices, arg?: RunRequestArgument): Promise<TaskRecord | undefined> {
  if (!isRunRequestArgument(arg)) return undefined;
  const def = services.connections.get(arg.connectionId);
  if (!def || refusedAsReadOnly(services, def)) return undefined;
  const { method, url, body, contentType } = arg.request;
  return confirmAndRun(services, def, actionOfRequest(def.id, arg.request, arg.title), { method, url, body, contentType });
}

function isRunRequestArgument(arg: unknown): arg is RunRequestArgument {
  if (!arg || typeof arg !== 'object') return false;
  const { connectionId, request, title } = arg as Partial<RunRequestArgument>;
  if (typeof connectionId !== 'string' || !request || typeof request !== 'object') return false;
  const { method, url, body, contentType } = request;
  return (
    isActionMethod(method) &&
    typeof url === 'string' &&
    (body === undefined || typeof body === 'string') &&
    (contentType === undefined || typeof contentType === 'string') &&
    (title === undefined || typeof title === 'string')
  );
}

/** The confirmation, then (logged on if it was not) the action sent and followed. Cancel sends nothing at all. */
async function confirmAndRun(services: ExplorerServices, def: ConnectionDefinition, action: PreparedAction, request: ActionRequest): Promise<TaskRecord | undefined> {
  const contentType = request.body === undefined ? undefined : (request.contentType ?? `application/${representationOf(def)}`);
  const confirmation = confirmationOf(def, action, request.body, contentType, services.sessions.secretsOf(def.id));
  if (!(await confirmAction(services.host, confirmation))) return undefined;
  // The connection may have changed while the question was open.
  const current = services.connections.get(def.id);
  if (!current || refusedAsReadOnly(services, current)) return undefined;
  let prepared = action;
  if (services.sessions.state(current.id) !== 'loggedOn') {
    if (!(await logOn(services, current.id))) return undefined;
    // Log On rebuilt the connection's rows: the ones the action came from are gone.
    prepared = { ...action, affected: [] };
  }
  return runConfirmed(services, current, prepared, request);
}

/** A read-only connection runs no action: said, and nothing sent. */
function refusedAsReadOnly(services: Pick<ExplorerServices, 'host'>, def: ConnectionDefinition): boolean {
  if (!isReadOnly(def)) return false;
  void services.host.showErrorMessage(vscode.l10n.t('{0} is a read-only connection (its "actions" setting is "off"): no action is sent to it.', labelText(def.name)));
  return true;
}
