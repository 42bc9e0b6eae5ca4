import * as vscode from 'vscode';
import { showError } from '../error-display';
import { withCancellableProgress } from '../progress';
import { resolveConnection, type ConnectionArgument } from './connection-target';
import type { ExplorerServices } from './services';

/** Deletes the session on the server; the connection then shows "Log on…" again. */
export async function logOff(services: ExplorerServices, arg?: ConnectionArgument): Promise<void> {
  const { connections, sessions, log } = services;
  const def = await resolveConnection(services, arg, vscode.l10n.t('Which connection do you want to log off?'), (d) => sessions.state(d.id) !== 'loggedOff');
  if (!def) return;
  try {
    await withCancellableProgress(services.host, vscode.l10n.t('Logging off {0}…', def.name), (signal) => sessions.logOff(def.id, signal));
    log.info(`${def.name}: logged off`);
  } catch (err) {
    showError(err, services, def);
  }
}
