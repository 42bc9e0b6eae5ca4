import * as vscode from 'vscode';
import { MESSAGES, type ApiError, type Param, type Wording } from '../api';

/** A Wording of api/ in the user's language: its English template (src/api/messages.ts) through vscode.l10n. */
export function wordText(wording: Wording): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(wording.params ?? {}) as Array<[string, Param]>) {
    params[name] = typeof value === 'object' ? wordText(value) : value;
  }
  return vscode.l10n.t(MESSAGES[wording.code] ?? wording.code, params);
}

/** What an error says and what the user can do about it, in the user's language; `detail` is both in one line. */
export function wordError(err: ApiError): { message: string; hint?: string; detail: string } {
  const message = wordText(err.wording);
  const hint = err.hintWording && wordText(err.hintWording);
  return { message, hint, detail: hint ? vscode.l10n.t('{0} {1}', message, hint) : message };
}
