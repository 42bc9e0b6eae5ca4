// The one question before an action is sent: a modal that names the object and the connection and shows exactly what
// goes out (connection, method, full URL, body). Nothing in the UI skips it; Cancel sends nothing.
import * as vscode from 'vscode';
import { redactText, type ConnectionDefinition, type Secret } from '../../api';
import type { Host } from '../host';
import { labelText, tooltipText, urlText } from '../tree/labels';
import { actionTitle, type PreparedAction } from './prepared-action';

/** Characters of a body the confirmation shows; a longer one is cut, and the confirmation says so. */
export const BODY_SHOWN = 2000;

/** What the modal says: its message (one line) and its detail (what is sent). */
export interface Confirmation {
  message: string;
  detail: string;
  /** The one button that sends it ("Run", "Delete" for a DELETE). */
  button: string;
}

export function confirmationOf(def: ConnectionDefinition, action: PreparedAction, body: string | undefined, contentType: string | undefined, secrets: readonly Secret[]): Confirmation {
  const connection = labelText(def.name);
  const message = vscode.l10n.t('{0} on {1}?', actionTitle(action), connection);
  const lines = [
    vscode.l10n.t('Connection: {0} ({1}, {2})', connection, def.kind.toUpperCase(), urlText(def.url, 300)),
    vscode.l10n.t('Method: {0}', action.method),
    vscode.l10n.t('URL: {0}', urlText(action.url)),
  ];
  if (body === undefined || body === '') lines.push(vscode.l10n.t('Body: none'));
  else {
    // What the user wrote, as it goes out; a secret of the connection (its password) is not shown even there.
    const text = redactText(body, secrets).replace(/\t/g, '  ');
    const cut = text.length > BODY_SHOWN;
    lines.push(contentType ? vscode.l10n.t('Body ({0}):', labelText(contentType, 100)) : vscode.l10n.t('Body:'));
    lines.push(tooltipText(text, BODY_SHOWN));
    if (cut) lines.push(vscode.l10n.t('(the first {0} of {1} characters are shown)', BODY_SHOWN, text.length));
  }
  const button = action.method === 'DELETE' ? vscode.l10n.t('Delete') : vscode.l10n.t('Run');
  return { message, detail: lines.join('\n'), button };
}

/** Asks; true only for the button that sends it (Cancel, Escape and closing the dialog send nothing). */
export async function confirmAction(host: Pick<Host, 'showWarningMessage'>, confirmation: Confirmation): Promise<boolean> {
  const choice = await host.showWarningMessage(confirmation.message, { modal: true, detail: confirmation.detail }, confirmation.button);
  return choice === confirmation.button;
}
