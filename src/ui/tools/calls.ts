// What a Copilot tool call does: what VS Code shows before it (prepare) and the call itself (invoke). Loaded with the
// first call (ui-parts.ts); tools.ts registers the tools at activation.
import * as vscode from 'vscode';
import { ApiError, CancelledError, type ConnectionDefinition } from '../../api';
import { logOn } from '../commands/log-on';
import type { ToolConfirmations } from './confirmations';
import { describeTool, readDocuments } from './describe-tool';
import { findItemsTool } from './find-items-tool';
import { getTool } from './get-tool';
import { listConnectionsTool } from './list-connections-tool';
import { ResultText, line } from './result-text';
import { ToolInputError } from './target';
import type { ToolContext, ToolSpec, ToolTarget } from './tools';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const TOOLS: ReadonlyArray<ToolSpec<any>> = [listConnectionsTool, getTool, findItemsTool, describeTool];

/** The tools' names (a unit test checks that tools.ts registers these and no other). */
export const TOOL_SPEC_NAMES: readonly string[] = TOOLS.map((t) => t.name);

function specNamed(name: string): ToolSpec<unknown> {
  const spec = TOOLS.find((t) => t.name === name);
  if (!spec) throw new Error(`no tool ${name}`);
  return spec;
}

/** A session ended: its API description, read by the describe tool, is read again next time. */
export function forgetToolDocuments(connectionId: string): void {
  readDocuments.delete(connectionId);
}

/** What VS Code shows before the call (`prepareInvocation`). */
export function prepareTool(name: string, input: unknown, ctx: ToolContext, confirmations: ToolConfirmations): vscode.PreparedToolInvocation | undefined {
  const spec = specNamed(name);
  let target: ToolTarget | undefined;
  try {
    target = spec.target(input ?? {}, ctx);
  } catch (err) {
    // Refused before anything is sent: nothing to confirm; the call says why.
    if (err instanceof ToolInputError) return undefined;
    throw err;
  }
  if (!target) return undefined;
  return confirmations.prepare(target.def, target.what, ctx.services.sessions.state(target.def.id));
}

/** The call (`invoke`): the result text for the model. */
export async function invokeTool(name: string, input: unknown, token: vscode.CancellationToken, ctx: ToolContext, confirmations: ToolConfirmations): Promise<string> {
  const spec = specNamed(name);
  const controller = new AbortController();
  const listener = token.onCancellationRequested(() => controller.abort());
  try {
    const target = spec.target(input ?? {}, ctx);
    if (target) {
      const mayLogOn = confirmations.accepted(target.def);
      const notLoggedOn = await loggedOn(target.def, mayLogOn, ctx);
      if (notLoggedOn) return notLoggedOn;
    }
    return await spec.run(input ?? {}, ctx, controller.signal);
  } catch (err) {
    if (err instanceof ToolInputError) throw new Error(err.message);
    if (err instanceof CancelledError || token.isCancellationRequested) throw new vscode.CancellationError();
    throw err;
  } finally {
    listener.dispose();
  }
}

/** Undefined once the connection is logged on; else what the model is told (the logon failed or was not allowed). */
async function loggedOn(def: ConnectionDefinition, mayLogOn: boolean, ctx: ToolContext): Promise<string | undefined> {
  const { sessions } = ctx.services;
  if (sessions.state(def.id) === 'loggedOn') return undefined;
  if (!mayLogOn) return `Connection ${JSON.stringify(line(def.name))} is not logged on, and logging on needs the user's confirmation: call the tool again, and the user will be asked.`;
  const info = await logOn(ctx.services, def.id);
  if (info) return undefined;
  const reason = sessions.endReason(def.id);
  return `Connection ${JSON.stringify(line(def.name))} could not be logged on${reason ? `: ${line(reason, 600)}` : ' (the user gave no password, or cancelled)'}. Nothing was read. The user can log on from the Veeam API Explorer view and ask again.`;
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
