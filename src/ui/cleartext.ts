// Connections over http://: the password (Basic) and the session token or bearer token would cross the network in
// clear. The add and edit commands only make https:// URLs; a hand-edited setting can still say http://, and such a
// connection does not log on unless the user opted in with veeamApiExplorer.allowHttp (application scope: a
// workspace's settings cannot turn it on).
import * as vscode from 'vscode';
import { ApiError, type ConnectionDefinition } from '../api';

import { allowHttp, SETTING, settingId } from './settings';

export const ALLOW_HTTP_SETTING = settingId(SETTING.allowHttp);

/** True when the connection's URL is http:// (any case, surrounding blanks ignored). */
export function usesHttp(def: ConnectionDefinition): boolean {
  return /^\s*http:/i.test(def.url);
}

/** The user's opt-in to logons over http:// (default false). */
export function httpAllowed(): boolean {
  return allowHttp();
}

/** True when the connection may not log on: http:// without the opt-in. */
export function cleartextRefused(def: ConnectionDefinition): boolean {
  return usesHttp(def) && !httpAllowed();
}

/** Why a connection over http:// does not log on (kind `usage`: the user fixes it by editing the connection). */
export function cleartextRefusal(def: ConnectionDefinition): ApiError {
  return new ApiError(
    'usage',
    vscode.l10n.t('"{0}" uses http://, which would send the password and the session token across the network in clear; it does not log on.', def.name),
    vscode.l10n.t('Change its URL to https://. Only if the network between you and the server is trusted, set {0} to true.', ALLOW_HTTP_SETTING),
    def.url,
  );
}

/** The warning logged each time a session logs on over http:// (allowed by the opt-in). */
export function cleartextWarning(def: ConnectionDefinition): string {
  return `${def.name}: logged on over http:// (${ALLOW_HTTP_SETTING} is on): the password and the session token crossed the network unencrypted.`;
}
