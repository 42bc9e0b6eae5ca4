import * as vscode from 'vscode';
import { toApiError, TooLargeError, type ConnectionDefinition } from '../api';
import type { Host } from './host';
import { wordError } from './wording';

/** Shows an error with what the user can do about it, without waiting for the user; cancellations are not errors. */
export function showError(err: unknown, { log, host }: { log: vscode.LogOutputChannel; host: Pick<Host, 'showErrorMessage'> }, connection?: ConnectionDefinition): void {
  const error = toApiError(err);
  if (error.kind === 'cancelled') return;
  log.error(`${connection ? `${connection.name}: ` : ''}${error.detail}`);
  const editConnection = vscode.l10n.t('Edit Connection');
  const showLog = vscode.l10n.t('Show Log');
  const raiseLimit = vscode.l10n.t('Raise the Limit');
  const fixable = connection && ['auth', 'tls', 'network', 'timeout', 'usage'].includes(error.kind);
  const buttons = error instanceof TooLargeError ? [raiseLimit, showLog] : fixable ? [editConnection, showLog] : [showLog];
  const { detail } = wordError(error);
  const message = connection ? vscode.l10n.t('{0}: {1}', connection.name, detail) : detail;
  void host.showErrorMessage(message, ...buttons).then((choice) => {
    if (choice === raiseLimit) void vscode.commands.executeCommand('veeamApiExplorer.raiseSizeLimit');
    else if (choice === editConnection && connection) void vscode.commands.executeCommand('veeamApiExplorer.editConnection', connection.id);
    else if (choice === showLog) log.show(true);
  });
}
