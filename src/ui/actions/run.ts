// Running a confirmed action: send it (under a progress with Cancel), follow the task it started to its end (a
// cancellable progress with state and percent), say how it ended with Open Result, read the affected rows again, and
// record each step in the Tasks (services.activity).
import * as vscode from 'vscode';
import {
  AuthError,
  HttpStatusError,
  redactText,
  toApiError,
  type ActionRequest,
  type ActionResult,
  type ApiError,
  type ConnectionDefinition,
  type RawResponse,
  type TaskOutcome,
  type TaskProgress,
  type TrackedTask,
} from '../../api';
import type { TaskRecord } from '../activity/activity';
import type { ExplorerServices } from '../commands/services';
import { showError } from '../error-display';
import { withCancellableProgress } from '../progress';
import { labelText } from '../tree/labels';
import { wordError } from '../wording';
import { actionTitle, type PreparedAction } from './prepared-action';

/** Longest server message a notification shows. */
const MAX_MESSAGE = 500;

type RunServices = Pick<ExplorerServices, 'sessions' | 'activity' | 'host' | 'log' | 'tree' | 'documents'>;

/** Sends a confirmed action and follows what it started to its end; the record in the Tasks says how it went. */
export async function runConfirmed(services: RunServices, def: ConnectionDefinition, action: PreparedAction, request: ActionRequest): Promise<TaskRecord> {
  const { activity, sessions, host, log } = services;
  const title = actionTitle(action);
  const record = activity.addTask({ connectionId: def.id, title, request });
  log.info(`${def.name}: ${request.method} ${request.url} (${title})`);
  let result: ActionResult;
  try {
    result = await withCancellableProgress(host, vscode.l10n.t('Sending {0} to {1}…', title, labelText(def.name)), (signal) => sessions.send(def.id, request, signal));
  } catch (err) {
    const error = toApiError(err);
    if (error.kind === 'cancelled') {
      // The request may have reached the server: say so rather than that nothing happened.
      activity.updateTask(record, { state: 'stopped', error: vscode.l10n.t('Stopped waiting for the answer: the request may have reached the server.'), endedAt: new Date() });
      void host.showWarningMessage(vscode.l10n.t('Stopped waiting for the answer to {0}: the request may have reached {1}.', title, labelText(def.name)), {});
      refreshAffected(services, action);
      return record;
    }
    failed(services, def, record, title, error);
    return record;
  }
  activity.updateTask(record, { response: result.raw });
  if (!result.task) {
    activity.updateTask(record, { state: 'done', endedAt: new Date() });
    refreshAffected(services, action);
    const { status, statusText } = result.raw;
    const said = vscode.l10n.t('{0} on {1}: the server answered {2}.', title, labelText(def.name), `${status} ${labelText(statusText, 100)}`.trim());
    offerResult(services, def, 'info', said, result.raw, title);
    return record;
  }
  activity.updateTask(record, { state: 'running' });
  await follow(services, def, action, record, result.task);
  return record;
}

/** Follows the task under a cancellable progress; Cancel stops the waiting and asks the server to cancel where it can. */
async function follow(services: RunServices, def: ConnectionDefinition, action: PreparedAction, record: TaskRecord, task: TrackedTask): Promise<void> {
  const { activity, sessions, host } = services;
  const title = record.title;
  const controller = new AbortController();
  const operation = task.operation?.trim() ? labelText(task.operation.trim(), 100) : title;
  let outcome: TaskOutcome;
  try {
    outcome = await host.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('{0} on {1}', operation, labelText(def.name)), cancellable: true },
      async (progress, token) => {
        const cancelled = token.onCancellationRequested(() => controller.abort());
        if (token.isCancellationRequested) controller.abort();
        let shown = 0;
        try {
          return await sessions.follow(def.id, task, {
            signal: controller.signal,
            onProgress: (reading) => {
              activity.updateTask(record, { state: 'running', progress: reading });
              // The bar moves by what the percent grew since the last reading.
              const percent = reading.percent === undefined ? undefined : Math.max(0, Math.min(100, reading.percent));
              const increment = percent !== undefined && percent > shown ? percent - shown : undefined;
              if (increment) shown += increment;
              progress.report({ message: progressText(reading), increment });
            },
          });
        } finally {
          cancelled.dispose();
        }
      },
    );
  } catch (err) {
    const error = toApiError(err);
    if (controller.signal.aborted && error.kind === 'cancelled') await stopFollowing(services, def, action, record, task);
    else failed(services, def, record, title, error);
    return;
  }
  activity.updateTask(record, { state: outcome.state, progress: outcome, outcome, endedAt: new Date() });
  refreshAffected(services, action);
  const message = serverMessage(services, def, outcome.message);
  const connection = labelText(def.name);
  switch (outcome.state) {
    case 'succeeded':
      offerResult(services, def, 'info', withMessage(vscode.l10n.t('{0} on {1} succeeded.', title, connection), message), outcome.raw, title);
      break;
    case 'failed':
      offerResult(services, def, 'error', withMessage(vscode.l10n.t('{0} on {1} failed.', title, connection), message), outcome.raw, title);
      break;
    case 'canceled':
      offerResult(services, def, 'warning', withMessage(vscode.l10n.t('{0} on {1} was canceled.', title, connection), message), outcome.raw, title);
      break;
  }
}

/** After Cancel: the server's own cancel where its API has one, else only the waiting stops (and the user is told). */
async function stopFollowing(services: RunServices, def: ConnectionDefinition, action: PreparedAction, record: TaskRecord, task: TrackedTask): Promise<void> {
  const { activity, sessions, host } = services;
  const connection = labelText(def.name);
  let asked = false;
  if (task.cancel) {
    try {
      asked = await withCancellableProgress(host, vscode.l10n.t('Asking {0} to cancel {1}…', connection, record.title), (signal) => sessions.cancel(def.id, task, signal), { noticeAfterMs: 400 });
    } catch (err) {
      failed(services, def, record, record.title, toApiError(err), vscode.l10n.t('Cancelling {0} failed: it may still run on {1}.', record.title, connection));
      refreshAffected(services, action);
      return;
    }
  }
  if (asked) {
    activity.updateTask(record, { state: 'canceled', endedAt: new Date() });
    void host.showInformationMessage(vscode.l10n.t('Asked {0} to cancel {1}.', connection, record.title));
  } else {
    activity.updateTask(record, { state: 'stopped', endedAt: new Date() });
    void host.showInformationMessage(vscode.l10n.t('Stopped waiting for {0}: the work goes on on {1}, whose API has no way to cancel it.', record.title, connection));
  }
  refreshAffected(services, action);
}

/** An error of the action (or of reading its task): in the Tasks, and shown; a 403 says the role cannot run it. */
function failed(services: RunServices, def: ConnectionDefinition, record: TaskRecord, title: string, error: ApiError, lead?: string): void {
  const worded = wordError(error);
  services.activity.updateTask(record, { state: 'error', error: worded.detail, response: error.raw ?? record.response, endedAt: new Date() });
  if (error.kind === 'cancelled') return;
  if (isForbidden(error)) {
    services.log.error(`${def.name}: ${title}: ${error.detail}`);
    const said = vscode.l10n.t('{0} refused {1}: the role of this account cannot run it. {2}', labelText(def.name), title, worded.detail);
    if (error.raw) offerResult(services, def, 'error', said, error.raw, title);
    else void services.host.showErrorMessage(said);
    return;
  }
  if (lead) {
    services.log.error(`${def.name}: ${lead} ${error.detail}`);
    void services.host.showErrorMessage(vscode.l10n.t('{0} {1}', lead, worded.detail));
    return;
  }
  showError(error, services, def);
}

function isForbidden(error: ApiError): boolean {
  return (error instanceof AuthError && (error.reason === 'forbidden' || error.status === 403)) || (error instanceof HttpStatusError && error.status === 403);
}

/** A notification with Open Result, which opens the document as received (read-only, secrets redacted). */
function offerResult(services: RunServices, def: ConnectionDefinition, level: 'info' | 'warning' | 'error', message: string, raw: RawResponse, title: string): void {
  const open = vscode.l10n.t('Open Result');
  const shown =
    level === 'info'
      ? services.host.showInformationMessage(message, open)
      : level === 'warning'
        ? services.host.showWarningMessage(message, {}, open)
        : services.host.showErrorMessage(message, open);
  void shown.then((choice) => {
    if (choice !== open) return;
    services.documents.openStored(def.id, raw, vscode.l10n.t('{0} result', title)).catch((err: unknown) => showError(err, services, def));
  });
}

/** The server's message made safe for one line of a notification: the connection's secrets redacted, controls shown. */
function serverMessage(services: RunServices, def: ConnectionDefinition, message: string | undefined): string | undefined {
  if (!message?.trim()) return undefined;
  return labelText(redactText(message.trim(), services.sessions.secretsOf(def.id)), MAX_MESSAGE);
}

function withMessage(text: string, message: string | undefined): string {
  return message ? vscode.l10n.t('{0} {1}', text, message) : text;
}

/** "Running · 40 %": the server's word for its state (safe for a label), and the percent when it gives one. */
function progressText(reading: TaskProgress): string {
  const status = labelText(reading.status || reading.state, 60);
  return reading.percent === undefined ? status : vscode.l10n.t('{0} · {1} %', status, Math.round(reading.percent));
}

/** Reads again the rows the action changed (its item and list), once it ended or was left to the server. */
function refreshAffected(services: RunServices, action: PreparedAction): void {
  if (action.affected.length) services.tree.refreshAfterAction(action.connectionId, action.affected);
}
