// The code activation does not run: the commands' handlers, the Copilot tools' calls, the rows of the Tasks and
// History views (collapsed until the user opens them) and the history file's reader and writer (its setting is off
// unless turned on). The extension's build puts this module in a file of its own (dist/ui-parts.js), loaded the first
// time one of them is needed (parts.ts); the modules it shares with the extension's bundle are that bundle's own, not
// copies (scripts/build.mjs).
export { runCommand } from './commands/table';
export { forgetToolDocuments, invokeTool, prepareTool } from './tools/calls';
export { newToolConfirmations } from './tools/confirmations';
export { taskTreeItem } from './activity/tasks-items';
export { historyTreeItem } from './activity/history-items';
export { MAX_HISTORY_FILE_BYTES, readHistoryFile, writeHistoryFile } from './activity/history-file';
