// When a tool call asks the user first. VS Code shows `confirmationMessages` (in the chat, or as a dialog outside one)
// and calls `invoke` only once the user continued: so an `invoke` is the user's yes. The first read of each connection
// in this window is asked about, and every call that would log a connection on (the logon and its password prompt are
// the explorer's own, after the user said yes; never the model's).
import * as vscode from 'vscode';
import { kindOf, type ConnectionDefinition, type SessionState } from '../../api';
import { labelText, markdownCode } from '../tree/labels';
import { wordText } from '../wording';
import { originOf } from './target';

export class ToolConfirmations {
  /** `connection id + origin` the user let the tools read in this window. */
  private readonly confirmed = new Set<string>();
  /** Connections whose last confirmation said the call would log them on: that call may. */
  private readonly logonAsked = new Set<string>();

  /**
   * What VS Code shows before a call that reads `what` of the connection: a confirmation the first time, and whenever
   * the connection is not logged on (the call would log on); else only what is running.
   */
  prepare(def: ConnectionDefinition, what: string, state: SessionState): vscode.PreparedToolInvocation {
    const invocationMessage = new vscode.MarkdownString(vscode.l10n.t('Reading {0} from {1}…', markdownCode(what, 2000), markdownCode(def.name)));
    const loggedOn = state === 'loggedOn';
    if (loggedOn && this.confirmed.has(keyOf(def))) return { invocationMessage };
    if (loggedOn) this.logonAsked.delete(def.id);
    else this.logonAsked.add(def.id);
    const product = wordText(kindOf(def.kind).product);
    const message = new vscode.MarkdownString();
    message.appendMarkdown(vscode.l10n.t('The chat asks to send {0} to the connection {1} ({2}, {3}).', markdownCode(`GET ${what}`, 2000), markdownCode(def.name), product, markdownCode(originOf(def))));
    if (!loggedOn) {
      message.appendMarkdown('\n\n');
      message.appendMarkdown(
        vscode.l10n.t(
          'The connection is not logged on: continuing logs on to it as {0}, with the stored password or one the explorer asks you for (the chat never sees it).',
          markdownCode(def.username),
        ),
      );
    }
    message.appendMarkdown('\n\n');
    message.appendMarkdown(vscode.l10n.t('The Veeam tools only read (GET). Once you continue, this connection\u2019s reads are not asked about again in this window while it stays logged on.'));
    return { invocationMessage, confirmationMessages: { title: vscode.l10n.t('Read from {0}?', labelText(def.name)), message } };
  }

  /**
   * A call is running: the user continued (or VS Code was told to allow it without asking), so the connection's reads
   * are confirmed. True when the call may log the connection on (its confirmation said so).
   */
  accepted(def: ConnectionDefinition): boolean {
    this.confirmed.add(keyOf(def));
    return this.logonAsked.delete(def.id);
  }

  /** Forgets every confirmation: the next read of each connection is asked about again. */
  reset(): void {
    this.confirmed.clear();
    this.logonAsked.clear();
  }
}

/** A confirmation belongs to a connection and the server it reads: editing the URL asks again. */
function keyOf(def: ConnectionDefinition): string {
  return `${def.id} ${originOf(def)}`;
}

/** The tools' confirmations of a window (tools.ts makes them with the first call). */
export function newToolConfirmations(): ToolConfirmations {
  return new ToolConfirmations();
}
