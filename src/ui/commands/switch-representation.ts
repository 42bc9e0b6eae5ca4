import * as vscode from 'vscode';
import { representationOf, type Representation } from '../../api';
import { logOn } from './log-on';
import { resolveConnection, type ConnectionArgument } from './connection-target';
import type { ExplorerServices } from './services';

/** Switches an EM connection between XML and JSON; a logged-on connection logs on again. */
export async function switchRepresentation(services: ExplorerServices, arg?: ConnectionArgument): Promise<Representation | undefined> {
  const { connections, sessions, log } = services;
  const def = await resolveConnection(services, arg, vscode.l10n.t('Which connection should switch between XML and JSON?'), (d) => d.kind === 'em');
  if (!def) return undefined;
  const current = representationOf(def);
  const wanted: Representation = current === 'xml' ? 'json' : 'xml';
  const wasLoggedOn = sessions.state(def.id) === 'loggedOn';
  // The session reads the representation when it is made: the changed definition makes a new one.
  await sessions.logOff(def.id, AbortSignal.timeout(5000)).catch((err) => log.warn(`${def.name}: log off failed: ${String(err)}`));
  await connections.update({ ...def, representation: wanted });
  log.info(`${def.name}: representation ${wanted.toUpperCase()}`);
  if (wasLoggedOn) await logOn(services, def.id);
  return wanted;
}
