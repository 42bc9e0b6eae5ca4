// The explorer as tools for Copilot Chat (VS Code language model tools, `languageModelTools` in package.json): read
// only. Each tool names what it reads (a connection and a URL of its own server) before anything is sent, so the call
// is confirmed the first time per connection and whenever it would log on; the logon is the explorer's own (Log On,
// its password prompt and certificate question). Results are small, sanitised and redacted (result-text.ts).
// Registered at activation; what a call does (calls.ts and the tools) loads with the first call (ui-parts.ts).
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../api';
import type { ExplorerServices } from '../commands/services';
import { uiParts, uiPartsIfLoaded } from '../parts';
import type { Responses } from '../responses';
import type { ToolConfirmations } from './confirmations';

/** What the tools work with. */
export interface ToolContext {
  services: ExplorerServices;
  responses: Responses;
}

/** What a call reads: the connection, the URL (for the confirmation), and the words for it. */
export interface ToolTarget {
  def: ConnectionDefinition;
  /** What the confirmation and the progress name (`https://…/api/jobs`). */
  what: string;
}

/** One tool: what a call reads (checked before anything is sent), and the call itself once it may read. */
export interface ToolSpec<T> {
  readonly name: string;
  /** What the call reads; undefined: it reads no server. Throws ToolInputError for a call that is refused. */
  target(input: T, ctx: ToolContext): ToolTarget | undefined;
  /** The result text; the connection (if any) is logged on. */
  run(input: T, ctx: ToolContext, signal: AbortSignal): Promise<string>;
}

/** The tools' names, as in package.json (a unit test checks that calls.ts has a tool of each name and no other). */
export const TOOL_NAMES = ['veeam_listConnections', 'veeam_get', 'veeam_findItems', 'veeam_describe'] as const;

/** The registered tools, and a way for the extension's tests to ask what a call would show before it runs. */
export class LanguageModelTools implements vscode.Disposable {
  private made: ToolConfirmations | undefined;
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly ctx: ToolContext) {
    this.registrations = [ctx.services.sessions.onDidEndSession((id) => uiPartsIfLoaded()?.forgetToolDocuments(id))];
    this.registrations.push(...TOOL_NAMES.map((name) =>
      vscode.lm.registerTool<unknown>(name, {
        prepareInvocation: (options) => this.prepare(name, options.input),
        invoke: async (options, token) =>
          new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(await uiParts().invokeTool(name, options.input, token, this.ctx, this.confirmations))]),
      }),
    ));
  }

  /** What the user said yes to in this window (made with the first call, or the first test that asks). */
  get confirmations(): ToolConfirmations {
    return (this.made ??= uiParts().newToolConfirmations());
  }

  /** What VS Code shows before the call (the same as `prepareInvocation`), by the tool's name. */
  prepareByName(name: string, input: unknown): vscode.PreparedToolInvocation | undefined {
    return (TOOL_NAMES as readonly string[]).includes(name) ? this.prepare(name, input) : undefined;
  }

  private prepare(name: string, input: unknown): vscode.PreparedToolInvocation | undefined {
    return uiParts().prepareTool(name, input, this.ctx, this.confirmations);
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
  }
}
