// Every command of the extension, registered at activation; the handlers load with the first command run
// (./commands/table.ts, in ui-parts: see parts.ts).
import * as vscode from 'vscode';
import type { ExplorerServices } from './commands/services';
import { uiParts } from './parts';

export type { ExplorerServices } from './commands/services';

/** The ids of ./commands/table.ts (a unit test checks that both list the same). */
export const COMMAND_IDS = [
  'veeamApiExplorer.addConnection',
  'veeamApiExplorer.editConnection',
  'veeamApiExplorer.removeConnection',
  'veeamApiExplorer.logOn',
  'veeamApiExplorer.logOff',
  'veeamApiExplorer.refresh',
  'veeamApiExplorer.refreshNode',
  'veeamApiExplorer.retry',
  'veeamApiExplorer.showMore',
  'veeamApiExplorer.raiseSizeLimit',
  'veeamApiExplorer.newQuery',
  'veeamApiExplorer.openRawResponse',
  'veeamApiExplorer.refreshRawResponse',
  'veeamApiExplorer.toggleRawHeaders',
  'veeamApiExplorer.copyHref',
  'veeamApiExplorer.copyAsCurl',
  'veeamApiExplorer.switchRepresentation',
  'veeamApiExplorer.filterByName',
  'veeamApiExplorer.clearFilter',
  'veeamApiExplorer.runAction',
  'veeamApiExplorer.sendRequest',
  'veeamApiExplorer.runRequest',
  'veeamApiExplorer.generateScript',
  'veeamApiExplorer.generateScript.powershell',
  'veeamApiExplorer.generateScript.python',
  'veeamApiExplorer.generateScript.bash',
  'veeamApiExplorer.openTaskDocument',
  'veeamApiExplorer.openHistoryEntry',
  'veeamApiExplorer.runAgain',
  'veeamApiExplorer.clearHistory',
] as const;

/** Registers every command; an error a handler throws is shown to the user and rethrown to the caller. */
export function registerCommands(services: ExplorerServices): vscode.Disposable[] {
  return COMMAND_IDS.map((id) => vscode.commands.registerCommand(id, (...args: unknown[]) => uiParts().runCommand(id, services, args)));
}
