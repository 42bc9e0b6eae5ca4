// Every setting of the extension, one named getter (or setter) each, and VS Code's proxy settings: the only code
// that reads the configuration.
// Each is read when it is needed, so a change applies from the next use on (affectsUs tells a listener which changed).
import * as vscode from 'vscode';
import type { ProxySettings } from '../api';

const SECTION = 'veeamApiExplorer';

/** The names of our settings, as `package.json` contributes them (`veeamApiExplorer.<name>`). */
export const SETTING = {
  connections: 'connections',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  maxResponseSizeMB: 'maxResponseSizeMB',
  treePageSize: 'tree.pageSize',
  showHeaders: 'rawResponse.showHeaders',
  allowHttp: 'allowHttp',
  persistHistory: 'history.persist',
} as const;

export type SettingName = (typeof SETTING)[keyof typeof SETTING];

/** The full id of a setting, as the Settings editor and messages name it. */
export function settingId(name: SettingName): string {
  return `${SECTION}.${name}`;
}

/** True when the change touches one of these settings. */
export function affectsUs(event: vscode.ConfigurationChangeEvent, ...names: SettingName[]): boolean {
  return names.some((name) => event.affectsConfiguration(settingId(name)));
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(SECTION);
}

/** The raw entries of `veeamApiExplorer.connections` (the connection store checks each). */
export function connectionEntries(): unknown[] {
  const value = config().get<unknown>(SETTING.connections);
  return Array.isArray(value) ? value : [];
}

export async function setConnectionEntries(entries: unknown[]): Promise<void> {
  await config().update(SETTING.connections, entries, vscode.ConfigurationTarget.Global);
}

/** Per-request timeout (connect, headers, a pause in the body), seconds, at least 1. */
export function requestTimeoutSeconds(): number {
  return Math.max(1, config().get<number>(SETTING.requestTimeoutSeconds, 30));
}

/** The largest response body read, bytes (the setting is in MB, at least 1). */
export function maxResponseBytes(): number {
  return Math.max(1, config().get<number>(SETTING.maxResponseSizeMB, 50)) * 1024 * 1024;
}

/** Rows a list shows before its "Show more" item, at least 10. */
export function treePageSize(): number {
  const value = config().get<number>(SETTING.treePageSize, 500);
  return Number.isFinite(value) ? Math.max(10, Math.floor(value)) : 500;
}

/** Whether raw documents show the status line and headers above the body. */
export function showHeaders(): boolean {
  return config().get<boolean>(SETTING.showHeaders, false) === true;
}

export async function setShowHeaders(show: boolean): Promise<void> {
  await config().update(SETTING.showHeaders, show, vscode.ConfigurationTarget.Global);
}

/** The user's opt-in to logons over http:// (default false; application scope, so a workspace cannot turn it on). */
export function allowHttp(): boolean {
  return config().get<boolean>(SETTING.allowHttp, false) === true;
}

/** Whether the request history is kept in the workspace's storage folder (default false). */
export function persistHistory(): boolean {
  return config().get<boolean>(SETTING.persistHistory, false) === true;
}

/**
 * VS Code's proxy settings (`http.proxy`, `http.noProxy`, `http.proxyStrictSSL`, `http.proxyAuthorization`);
 * what is not set falls back to `HTTPS_PROXY`/`NO_PROXY`. `http.proxySupport: off` means no proxy for extensions.
 */
export function proxySettings(): ProxySettings | 'direct' {
  const http = vscode.workspace.getConfiguration('http');
  if (http.get<string>('proxySupport') === 'off') return 'direct';
  const url = http.get<string>('proxy')?.trim() || undefined;
  const noProxy = (http.get<string[]>('noProxy') ?? []).map((h) => h.trim()).filter(Boolean);
  const authorization = http.get<string | null>('proxyAuthorization') || undefined;
  return {
    url,
    noProxy: noProxy.length ? noProxy : undefined,
    strictSSL: http.get<boolean>('proxyStrictSSL', true),
    authorization,
    source: url ? 'http.proxy' : undefined,
  };
}
