// Every command of the extension: id → handler. The same handler serves the palette (no argument: it asks)
// and the tree (the node as argument); the handlers live in this folder, one file per command or small group.
// Loaded with the first command (ui-parts.ts); ../commands.ts registers the ids at activation.
import * as vscode from 'vscode';
import { clearHistory, openHistoryEntry, openTaskDocument, runAgain } from './activity';
import { addConnection } from './add-connection';
import { copyAsCurl, copyHref } from './copy';
import { editConnection } from './edit-connection';
import { clearFilter, filterByName } from './filter';
import { generateScriptCommand, generateScriptFor } from './generate-script';
import { logOff } from './log-off';
import { logOn } from './log-on';
import { newQuery } from './new-query';
import { openRawResponse, refreshRawResponse, toggleRawHeaders } from './raw-response';
import { refreshNode, refreshView, retry } from './refresh';
import { removeConnection } from './remove-connection';
import { runAction, runRequest, sendRequest } from './run-action';
import type { ExplorerServices } from './services';
import { showMore } from './show-more';
import { switchRepresentation } from './switch-representation';
import { showError } from '../error-display';
import { SETTING, settingId } from '../settings';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (services: ExplorerServices, ...args: any[]) => unknown;

const COMMANDS: Record<string, Handler> = {
  'veeamApiExplorer.addConnection': addConnection,
  'veeamApiExplorer.editConnection': editConnection,
  'veeamApiExplorer.removeConnection': removeConnection,
  'veeamApiExplorer.logOn': logOn,
  'veeamApiExplorer.logOff': logOff,
  'veeamApiExplorer.refresh': refreshView,
  'veeamApiExplorer.refreshNode': refreshNode,
  'veeamApiExplorer.retry': retry,
  'veeamApiExplorer.showMore': showMore,
  'veeamApiExplorer.raiseSizeLimit': () => vscode.commands.executeCommand('workbench.action.openSettings', settingId(SETTING.maxResponseSizeMB)),
  'veeamApiExplorer.newQuery': newQuery,
  'veeamApiExplorer.openRawResponse': openRawResponse,
  'veeamApiExplorer.refreshRawResponse': refreshRawResponse,
  'veeamApiExplorer.toggleRawHeaders': toggleRawHeaders,
  'veeamApiExplorer.copyHref': copyHref,
  'veeamApiExplorer.copyAsCurl': copyAsCurl,
  'veeamApiExplorer.switchRepresentation': switchRepresentation,
  'veeamApiExplorer.filterByName': filterByName,
  'veeamApiExplorer.clearFilter': clearFilter,
  'veeamApiExplorer.runAction': runAction,
  'veeamApiExplorer.sendRequest': sendRequest,
  'veeamApiExplorer.runRequest': runRequest,
  'veeamApiExplorer.generateScript': (services: ExplorerServices) => generateScriptCommand(services),
  'veeamApiExplorer.generateScript.powershell': generateScriptFor('powershell'),
  'veeamApiExplorer.generateScript.python': generateScriptFor('python'),
  'veeamApiExplorer.generateScript.bash': generateScriptFor('bash'),
  'veeamApiExplorer.openTaskDocument': openTaskDocument,
  'veeamApiExplorer.openHistoryEntry': openHistoryEntry,
  'veeamApiExplorer.runAgain': runAgain,
  'veeamApiExplorer.clearHistory': clearHistory,
};

/** Runs a command's handler; an error it throws is shown to the user and rethrown to the caller. */
export async function runCommand(id: string, services: ExplorerServices, args: unknown[]): Promise<unknown> {
  const handler = Object.hasOwn(COMMANDS, id) ? COMMANDS[id] : undefined;
  if (!handler) throw new Error(`no handler for the command ${id}`);
  try {
    return await handler(services, ...args);
  } catch (err) {
    void showError(err, services);
    throw err;
  }
}

/** The ids of the commands (a unit test checks that ../commands.ts registers these and no other). */
export const COMMAND_IDS: readonly string[] = Object.keys(COMMANDS);
