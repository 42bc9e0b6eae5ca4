import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../api';
import { completeConnectionUrl } from '../../api';
import { askForConnection, urlProblemText } from '../connection-input';
import { resolveConnection, type ConnectionArgument } from './connection-target';
import type { ExplorerServices } from './services';

/** Asks again for the connection's kind, name, URL, user, password and VBR revision, pre-filled with what it has, and saves it. */
export async function editConnection(services: ExplorerServices, arg?: ConnectionArgument): Promise<ConnectionDefinition | undefined> {
  const def = await resolveConnection(services, arg, vscode.l10n.t('Which connection do you want to edit?'));
  if (!def) return undefined;
  const answers = await askForConnection(def, services.host.guided);
  if (!answers) return undefined;
  const next: ConnectionDefinition = { ...def, kind: answers.kind, name: answers.name, url: answers.url, username: answers.username, storePassword: answers.storePassword ? undefined : false, apiVersion: answers.apiVersion };
  const { password } = answers;
  // Another server: a certificate trusted for the old one says nothing about the new one.
  if (new URL(next.url).host !== new URL(def.url).host) next.trustedFingerprint = undefined;
  const url = completeConnectionUrl(next.kind, next.url);
  if (!url.ok) throw new Error(urlProblemText(url.problem));
  next.url = url.url;
  const saved = await services.connections.update(next, password);
  if (password !== undefined && saved.storePassword === false) services.sessions.providePassword(saved.id, password);
  services.log.info(`Edited connection ${saved.name}`);
  return saved;
}
