import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../api';
import type { Host } from './host';

/** Asks for a connection's password (when it is not stored, or SecretStorage is unavailable). */
export async function askForPassword(host: Host, def: ConnectionDefinition): Promise<string | undefined> {
  return host.showInputBox({
    title: vscode.l10n.t('Log on to {0}', def.name),
    prompt: vscode.l10n.t('Password of {0} at {1}', def.username, def.url),
    password: true,
    ignoreFocusOut: true,
  });
}
