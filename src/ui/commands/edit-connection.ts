import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../api';
import { askForConnection, urlProblemText } from '../connection-input';
import { completeConnectionUrl } from '../../api';
import { ExplorerNode } from '../tree/node';
import { resolveConnection, type ConnectionArgument } from './connection-target';
import type { ExplorerServices } from './services';

/** `{ id, ...changes }` applies the changes without the guided input (scripts and tests). */
export type EditConnectionArguments = Partial<ConnectionDefinition> & { id: string; password?: string };

export async function editConnection(services: ExplorerServices, arg?: ConnectionArgument | EditConnectionArguments): Promise<ConnectionDefinition | undefined> {
  const def = await resolveConnection(services, arg, vscode.l10n.t('Which connection do you want to edit?'));
  if (!def) return undefined;
  let next: ConnectionDefinition;
  let password: string | undefined;
  if (isChanges(arg)) {
    const { password: given, ...changes } = arg;
    next = { ...def, ...changes, id: def.id };
    password = given;
  } else {
    const answers = await askForConnection(def);
    if (!answers) return undefined;
    next = { ...def, kind: answers.kind, name: answers.name, url: answers.url, username: answers.username, storePassword: answers.storePassword ? undefined : false };
    password = answers.password;
    // Another server: a certificate trusted for the old one says nothing about the new one.
    if (new URL(next.url).host !== new URL(def.url).host) next.trustedFingerprint = undefined;
  }
  const url = completeConnectionUrl(next.kind, next.url);
  if (!url.ok) throw new Error(urlProblemText(url.problem));
  next.url = url.url;
  const saved = await services.connections.update(next, password);
  if (password !== undefined && saved.storePassword === false) services.sessions.providePassword(saved.id, password);
  services.log.info(`Edited connection ${saved.name}`);
  return saved;
}

function isChanges(arg: unknown): arg is EditConnectionArguments {
  return !!arg && typeof arg === 'object' && !(arg instanceof ExplorerNode) && typeof (arg as { id?: unknown }).id === 'string' && Object.keys(arg).length > 1;
}
