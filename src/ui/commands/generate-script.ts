// Generate Script ▸ PowerShell / Python / Bash: the node's GET (every page of a collection) as a script that logs on
// as the kind does, reads the password at run time, trusts the certificate as the connection does, and always logs off.
// One generator (src/api/scripts/), shared with `veeam-api script`.
import * as vscode from 'vscode';
import type { ConnectionDefinition, ScriptLanguage, ScriptProblem } from '../../api';
import { scriptGenerator } from '../script-generator';
import { labelText } from '../tree/labels';
import { CollectionNode } from '../tree/collection-node';
import type { ExplorerNode } from '../tree/node';
import { resolveConnection } from './connection-target';
import type { ExplorerServices } from './services';

const LANGUAGES: ReadonlyArray<{ language: ScriptLanguage; label: string }> = [
  { language: 'powershell', label: 'PowerShell' },
  { language: 'python', label: 'Python' },
  { language: 'bash', label: 'Bash (curl)' },
];

/** The tree's Generate Script ▸ <language>: for the node it was run on. */
export function generateScriptFor(language: ScriptLanguage) {
  return (services: ExplorerServices, node?: ExplorerNode) => generateScriptCommand(services, node, language);
}

/**
 * From the tree: the node's URL. From the palette: a connection, a URL under it (its API root by default) and a
 * language. Opens the script in an untitled editor of its language; returns it (tests read it).
 */
export async function generateScriptCommand(services: ExplorerServices, node?: ExplorerNode, language?: ScriptLanguage): Promise<string | undefined> {
  const { host } = services;
  const target = node ?? (language ? services.treeView.selection[0] : undefined);
  const def = await resolveConnection(services, target, vscode.l10n.t('Generate a script for which connection?'));
  if (!def) return undefined;
  let url = target?.href;
  if (!url) {
    url = await host.showInputBox({
      title: vscode.l10n.t('Generate Script'),
      prompt: vscode.l10n.t('The URL the script reads (on {0})', def.name),
      value: def.url,
      ignoreFocusOut: true,
      validateInput: (value) => (sameOrigin(value, def.url) ? undefined : vscode.l10n.t('Give a URL on {0}.', new URL(def.url).host)),
    });
    if (!url) return undefined;
  }
  language ??= (await host.showQuickPick(LANGUAGES.map((l) => ({ label: l.label, language: l.language })), { placeHolder: vscode.l10n.t('Which language?') }))?.language;
  if (!language) return undefined;
  const insecure = await trustChoice(services, def);
  if (insecure === undefined) return undefined;
  const apiVersion = def.kind === 'vbr' ? (services.sessions.logonInfo(def.id)?.apiVersion ?? def.apiVersion) : undefined;
  const { generateScript, looksLikeCollection, ScriptTargetError } = scriptGenerator();
  let script;
  try {
    script = generateScript(language, {
      kind: def.kind,
      url,
      baseUrl: def.url,
      username: def.username,
      representation: def.representation,
      apiVersion,
      fingerprint: def.trustedFingerprint,
      caFile: def.caFile,
      insecure,
      collection: target instanceof CollectionNode || looksLikeCollection(def.kind, url),
      name: target ? labelOf(target) : undefined,
    });
  } catch (err) {
    if (!(err instanceof ScriptTargetError)) throw err;
    void host.showErrorMessage(problemText(err.problem, def));
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument({ language: script.languageId, content: script.text });
  await vscode.window.showTextDocument(document, { preview: false });
  return script.text;
}

/**
 * How the script trusts the server: as the connection does (its pinned certificate or CA file: nothing to ask), else
 * the system's CAs, unless the user picks "do not verify" and then confirms it in a second prompt. Undefined: cancelled.
 */
async function trustChoice({ host }: ExplorerServices, def: ConnectionDefinition): Promise<boolean | undefined> {
  if (def.trustedFingerprint || def.caFile) return false;
  const system = { label: vscode.l10n.t('Verify with the system’s trusted certificates'), detail: vscode.l10n.t('The connection trusts no certificate of its own; the script fails on a self-signed one.'), insecure: false };
  const none = { label: vscode.l10n.t('Do not verify the certificate…'), detail: vscode.l10n.t('Anyone between you and the server could read the password. Asks again.'), insecure: true };
  const picked = await host.showQuickPick([system, none], { placeHolder: vscode.l10n.t('How should the script check {0}’s certificate?', def.name) });
  if (!picked) return undefined;
  if (!picked.insecure) return false;
  const yes = vscode.l10n.t('Generate without Verification');
  const answer = await host.showWarningMessage(
    vscode.l10n.t('Generate a script that does not verify the server’s certificate?'),
    { modal: true, detail: vscode.l10n.t('Whoever can intercept the connection then gets the password the script sends. Pinning the certificate (Edit Connection, or trusting it at Log On) is safer.') },
    yes,
  );
  return answer === yes ? true : undefined;
}

function labelOf(node: ExplorerNode): string | undefined {
  const label = node.getTreeItem().label;
  const text = typeof label === 'string' ? label : label?.label;
  return text ? labelText(text) : undefined;
}

function sameOrigin(value: string, base: string): boolean {
  try {
    return new URL(value).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

function problemText(problem: ScriptProblem, def: ConnectionDefinition): string {
  switch (problem) {
    case 'url':
      return vscode.l10n.t('That is not a URL a script can read.');
    case 'not-https':
      return vscode.l10n.t('Scripts are generated for https:// connections only: the password must not travel in the clear.');
    case 'other-origin':
      return vscode.l10n.t('The URL is not on {0}; a script reads its own connection’s server only.', def.name);
    case 'fingerprint':
      return vscode.l10n.t('The connection’s trusted certificate fingerprint is not a SHA-256 fingerprint; edit the connection.');
    case 'api-version':
      return vscode.l10n.t('The connection’s API revision is not one a script can send; edit the connection.');
    case 'language':
      return vscode.l10n.t('There is no script generator for that language.');
  }
}
