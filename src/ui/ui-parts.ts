// The code activation does not run: the commands' handlers and the Copilot tools' calls. The extension's build puts
// this module in a file of its own (dist/ui-parts.js), loaded with the first command or tool call (parts.ts); the
// modules it shares with the extension's bundle are that bundle's own, not copies (scripts/build.mjs).
export { runCommand } from './commands/table';
export { forgetToolDocuments, invokeTool, prepareTool } from './tools/calls';
