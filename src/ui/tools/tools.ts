// The explorer as tools for Copilot Chat (VS Code language model tools, `languageModelTools` in package.json): read
// only. Each tool names what it reads (a connection and a URL of its own server) before anything is sent, so the call
// is confirmed the first time per connection and whenever it would log on; the logon is the explorer's own (Log On,
// its password prompt and certificate question). Results are small, sanitised and redacted (result-text.ts).
import * as vscode from 'vscode';
import { ApiError, CancelledError, type ConnectionDefinition } from '../../api';
import type { ExplorerServices } from '../commands/services';
import { logOn } from '../commands/log-on';
import type { Responses } from '../responses';
import { ToolConfirmations } from './confirmations';
import { describeTool, readDocuments } from './describe-tool';
import { findItemsTool } from './find-items-tool';
import { getTool } from './get-tool';
import { listConnectionsTool } from './list-connections-tool';
import { ResultText, line } from './result-text';
import { ToolInputError } from './target';

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const TOOLS: ReadonlyArray<ToolSpec<any>> = [listConnectionsTool, getTool, findItemsTool, describeTool];

/** The registered tools, and a way for the extension's tests to ask what a call would show before it runs. */
export class LanguageModelTools implements vscode.Disposable {
  readonly confirmations = new ToolConfirmations();
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly ctx: ToolContext) {
    this.registrations = [ctx.services.sessions.onDidEndSession((id) => readDocuments.delete(id))];
    this.registrations.push(...TOOLS.map((spec) =>
      vscode.lm.registerTool<unknown>(spec.name, {
        prepareInvocation: (options) => this.prepare(spec, options.input),
        invoke: async (options, token) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(await this.invoke(spec, options.input, token))]),
      }),
    ));
  }

  /** What VS Code shows before the call (the same as `prepareInvocation`), by the tool's name. */
  prepareByName(name: string, input: unknown): vscode.PreparedToolInvocation | undefined {
    const spec = TOOLS.find((t) => t.name === name);
    return spec && this.prepare(spec, input);
  }

  private prepare(spec: ToolSpec<unknown>, input: unknown): vscode.PreparedToolInvocation | undefined {
    let target: ToolTarget | undefined;
    try {
      target = spec.target(input ?? {}, this.ctx);
    } catch (err) {
      // Refused before anything is sent: nothing to confirm; the call says why.
      if (err instanceof ToolInputError) return undefined;
      throw err;
    }
    if (!target) return undefined;
    return this.confirmations.prepare(target.def, target.what, this.ctx.services.sessions.state(target.def.id));
  }

  private async invoke(spec: ToolSpec<unknown>, input: unknown, token: vscode.CancellationToken): Promise<string> {
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    try {
      const target = spec.target(input ?? {}, this.ctx);
      if (target) {
        const mayLogOn = this.confirmations.accepted(target.def);
        const notLoggedOn = await this.loggedOn(target.def, mayLogOn);
        if (notLoggedOn) return notLoggedOn;
      }
      return await spec.run(input ?? {}, this.ctx, controller.signal);
    } catch (err) {
      if (err instanceof ToolInputError) throw new Error(err.message);
      if (err instanceof CancelledError || token.isCancellationRequested) throw new vscode.CancellationError();
      throw err;
    } finally {
      listener.dispose();
    }
  }

  /** Undefined once the connection is logged on; else what the model is told (the logon failed or was not allowed). */
  private async loggedOn(def: ConnectionDefinition, mayLogOn: boolean): Promise<string | undefined> {
    const { sessions } = this.ctx.services;
    if (sessions.state(def.id) === 'loggedOn') return undefined;
    if (!mayLogOn) return `Connection ${JSON.stringify(line(def.name))} is not logged on, and logging on needs the user's confirmation: call the tool again, and the user will be asked.`;
    const info = await logOn(this.ctx.services, def.id);
    if (info) return undefined;
    const reason = sessions.endReason(def.id);
    return `Connection ${JSON.stringify(line(def.name))} could not be logged on${reason ? `: ${line(reason, 600)}` : ' (the user gave no password, or cancelled)'}. Nothing was read. The user can log on from the Veeam API Explorer view and ask again.`;
  }

  dispose(): void {
    for (const r of this.registrations) r.dispose();
  }
}

/**
 * What the model is told of a failed request: the status and the server's message for an HTTP error, else the error's
 * own words (English, redacted).
 */
export function failureText(def: ConnectionDefinition, what: string, err: unknown, ctx: ToolContext): string {
  if (!(err instanceof ApiError)) throw err;
  if (err instanceof CancelledError) throw err;
  const out = new ResultText(ctx.services.sessions.secretsOf(def.id));
  out.always(`GET ${line(what, 2000)} on connection ${JSON.stringify(line(def.name))} failed.`);
  if (err.raw) out.always(`Status: ${err.raw.status} ${line(err.raw.statusText, 80)}.`);
  out.always(`Error: ${line(err.message, 1000)}`);
  if (err.hint) out.always(`Hint: ${line(err.hint, 600)}`);
  return out.toString();
}
