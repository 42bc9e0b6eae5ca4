// Every command of the extension: id → handler. The same handler serves the palette (no argument: it asks)
// and the tree (the node as argument); the handlers live in ./commands/, one file per command or small group.
import * as vscode from 'vscode';
import { clearHistory, openHistoryEntry, openTaskDocument, runAgain } from './commands/activity';
import { addConnection } from './commands/add-connection';
import { copyAsCurl, copyHref } from './commands/copy';
import { editConnection } from './commands/edit-connection';
import { clearFilter, filterByName } from './commands/filter';
import { generateScriptCommand, generateScriptFor } from './commands/generate-script';
import { logOff } from './commands/log-off';
import { logOn } from './commands/log-on';
import { newQuery } from './commands/new-query';
import { openRawResponse, refreshRawResponse, toggleRawHeaders } from './commands/raw-response';
import { refreshNode, refreshView, retry } from './commands/refresh';
import { removeConnection } from './commands/remove-connection';
import { runAction, runRequest, sendRequest } from './commands/run-action';
import type { ExplorerServices } from './commands/services';
import { showMore } from './commands/show-more';
import { switchRepresentation } from './commands/switch-representation';
import { showError } from './error-display';
import { SETTING, settingId } from './settings';

export type { ExplorerServices } from './commands/services';

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


/** Registers every command; an error a handler throws is shown to the user and rethrown to the caller. */
export function registerCommands(services: ExplorerServices): vscode.Disposable[] {
  return Object.entries(COMMANDS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await handler(services, ...args);
      } catch (err) {
        void showError(err, services);
        throw err;
      }
    }),
  );
}
