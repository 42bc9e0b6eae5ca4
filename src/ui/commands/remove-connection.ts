import * as vscode from 'vscode';
import { resolveConnection, type ConnectionArgument } from './connection-target';
import type { ExplorerServices } from './services';

/** Removes a connection and its stored password once the user confirms; its session is logged off first. */
export async function removeConnection(services: ExplorerServices, arg?: ConnectionArgument): Promise<boolean> {
  const def = await resolveConnection(services, arg, vscode.l10n.t('Which connection do you want to remove?'));
  if (!def) return false;
  const remove = vscode.l10n.t('Remove');
  const choice = await services.host.showWarningMessage(
    vscode.l10n.t('Remove the connection "{0}"?', def.name),
    { modal: true, detail: vscode.l10n.t('Its stored password is deleted too. Nothing changes on the server.') },
    remove,
  );
  if (choice !== remove) return false;
  await services.sessions.logOff(def.id, AbortSignal.timeout(5000)).catch((err) => services.log.warn(`${def.name}: log off failed: ${String(err)}`));
  await services.connections.remove(def.id);
  services.log.info(`Removed connection ${def.name}`);
  return true;
}
