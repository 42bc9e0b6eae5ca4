// Shared by the extension's suites: the extension's test API, the EM simulator's control endpoints, tree walking.
// Not a suite itself (no `.test.ts`): each suite bundle includes it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../../src/api';
import type { ExplorerTestApi } from '../../../src/extension';
import type { InputStep, GuidedPrompts, PickStep } from '../../../src/ui/guided-input';
import type { Host } from '../../../src/ui/host';
import type { ExplorerNode } from '../../../src/ui/tree/node';

export const EXTENSION_ID = 'veeam-api-explorer.veeam-api-explorer';

/** An environment variable the runner sets, failing with how to run the suites when it is not. */
export function required(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is not set: run the suites with npm run test:host`);
  return value;
}

/** What the runner describes, by name: each property reads its environment variable when asked (`required`). */
export function runnerEnv<K extends string>(variables: Record<K, string>): Readonly<Record<K, string>> {
  const described = {} as Record<K, string>;
  for (const [key, name] of Object.entries(variables) as Array<[K, string]>) Object.defineProperty(described, key, { get: () => required(name), enumerable: true });
  return described;
}

/** The simulator as the runner describes it. */
export const em = {
  get url() {
    return required('VEEAM_TEST_EM_URL');
  },
  get user() {
    return required('VEEAM_TEST_EM_USER');
  },
  get password() {
    return required('VEEAM_TEST_EM_PASSWORD');
  },
  get fingerprint() {
    return required('VEEAM_TEST_EM_FINGERPRINT');
  },
  get caFile() {
    return required('VEEAM_TEST_EM_CA_PEM_FILE');
  },
};

export async function explorer(): Promise<ExplorerTestApi> {
  const extension = vscode.extensions.getExtension<ExplorerTestApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension.activate();
}

export interface SimulatorRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
}

/** A call to the EM simulator's control API (`/__simulator/...`), trusting its certificate. */
export function simulator(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  return simulatorControl(em.url, method, path, body);
}

/** A call to the control API of the simulator at `baseUrl` (the simulators of one start share one certificate). */
export function simulatorControl(baseUrl: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, caFile = em.caFile): Promise<unknown> {
  const url = new URL(`/__simulator/${path}`, baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method, ca: fs.readFileSync(caFile, 'utf8'), headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`simulator ${method} ${path}: ${res.statusCode} ${text}`));
          else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export const requests = () => simulator('GET', 'requests') as Promise<SimulatorRequest[]>;

export async function resetSimulator(): Promise<void> {
  await simulator('DELETE', 'faults');
  await simulator('DELETE', 'requests');
}

let counter = 0;

/** What the Add/Edit Connection guided input is answered with; a step left out keeps what it shows (Edit's current value). */
export type GuidedAnswers = Partial<Pick<ConnectionDefinition, 'kind' | 'name' | 'url' | 'username' | 'apiVersion'> & { password: string; storePassword: boolean }>;

/**
 * The guided input answered as a person would type it: each step by its number, a typed value its step refuses
 * fails the command with the step's own message (a person could not go on either).
 */
export function guidedAnswers(answers: GuidedAnswers): GuidedPrompts {
  // Step 7, the API revision, is asked of Veeam Backup & Replication connections only.
  const typed: Record<number, string | undefined> = { 2: answers.name, 3: answers.url, 4: answers.username, 5: answers.password, 7: answers.apiVersion };
  return {
    async pick<T>(step: PickStep<T>) {
      const wanted = step.step === 1 ? answers.kind : answers.storePassword;
      const value = (wanted ?? step.active) as T | undefined;
      assert.ok(step.items.some((i) => i.value === value), `step ${step.step} has no item ${String(value)}`);
      return value;
    },
    async input(step: InputStep) {
      const value = typed[step.step] ?? step.value;
      const problem = step.validate?.(value);
      if (problem) throw new Error(problem);
      return value;
    },
  };
}

/**
 * Adds a connection through the command, its guided input answered (the simulator's EM by default), then sets what the
 * guided input does not ask (CA file, trusted fingerprint, proxy) on the definition: trusted by the CA file unless
 * told otherwise.
 */
export async function addConnection(extra: GuidedAnswers & Partial<ConnectionDefinition> = {}): Promise<ConnectionDefinition> {
  const api = await explorer();
  const { kind = 'em', name = `Simulator ${++counter}`, url = em.url, username = em.user, password, storePassword, apiVersion, ...rest } = { password: em.password, ...extra };
  const added = await answering({ guided: guidedAnswers({ kind, name, url, username, password, storePassword: storePassword !== false, apiVersion }) }, () =>
    Promise.resolve(vscode.commands.executeCommand<ConnectionDefinition>('veeamApiExplorer.addConnection')),
  );
  assert.ok(added, 'addConnection returned no definition');
  const settings: Partial<ConnectionDefinition> = { caFile: em.caFile, ...rest };
  return api.connections.update({ ...added, ...settings, id: added.id });
}

/** The command's answer when its questions are answered with `answers` (the modal's first button for a confirmation). */
export async function confirming<T>(command: string, ...args: unknown[]): Promise<T | undefined> {
  return answering({ showWarningMessage: async (_message, _options, ...items) => items[0] }, () => Promise.resolve(vscode.commands.executeCommand<T>(command, ...args)));
}

/** Log On, typing `password` if the connection asks for one. */
export async function logOnTyping<T>(connectionId: string, password: string): Promise<T | undefined> {
  return answering({ showInputBox: async () => password }, () => Promise.resolve(vscode.commands.executeCommand<T>('veeamApiExplorer.logOn', connectionId)));
}

/** Logs every session off and removes every connection (confirming each removal). */
export async function removeAllConnections(): Promise<void> {
  const api = await explorer();
  for (const def of api.connections.all()) await confirming('veeamApiExplorer.removeConnection', def.id);
}

export async function children(node?: ExplorerNode): Promise<ExplorerNode[]> {
  const api = await explorer();
  return api.tree.getChildren(node);
}

export function item(node: ExplorerNode): vscode.TreeItem {
  return node.getTreeItem();
}

export function labelOf(node: ExplorerNode): string {
  const label = item(node).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

export function contextOf(node: ExplorerNode): string {
  return item(node).contextValue ?? '';
}

/** The child with that label, failing with the labels there are. */
export async function child(node: ExplorerNode | undefined, label: string | RegExp): Promise<ExplorerNode> {
  const list = await children(node);
  const found = list.find((n) => (typeof label === 'string' ? labelOf(n) === label : label.test(labelOf(n))));
  assert.ok(found, `no child ${label} under ${node ? labelOf(node) : 'the root'}; there are: ${list.map(labelOf).join(', ')}`);
  return found;
}

export async function connectionNode(def: ConnectionDefinition): Promise<ExplorerNode> {
  return child(undefined, def.name);
}

/** Adds a connection, logs on through the command, and returns its node. */
export async function loggedOnConnection(extra: Record<string, unknown> = {}): Promise<{ def: ConnectionDefinition; node: ExplorerNode }> {
  const def = await addConnection(extra);
  const info = await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id);
  assert.ok(info, 'Log On failed (see the extension log)');
  return { def, node: await connectionNode(def) };
}

/** Runs `work` with the extension's questions answered by `answers` instead of a person; the real ones come back after. */
export async function answering<T>(answers: Partial<Host>, work: () => Promise<T>): Promise<T> {
  const { host } = await explorer();
  const saved = { ...host };
  Object.assign(host, answers);
  try {
    return await work();
  } finally {
    Object.assign(host, saved);
  }
}

/** Every file below the extension host's log folder that belongs to this extension's log channel. */
function logFiles(logUri: vscode.Uri): string[] {
  // <logs>/<window>/exthost/<extension id> is logUri; the channel's file is below <logs>/<window>/exthost.
  const exthost = path.dirname(logUri.fsPath);
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/Veeam API Explorer/.test(entry.name) || full.startsWith(logUri.fsPath)) found.push(full);
    }
  };
  visit(exthost);
  return found;
}

/** The log files and their text, once the text matches `last` (read again every 100 ms, for up to 20 s). */
export async function logOnceItHolds(logUri: vscode.Uri, last: RegExp): Promise<{ files: string[]; text: string }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const files = logFiles(logUri);
    const text = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    if (last.test(text)) return { files, text };
    assert.ok(Date.now() < deadline, `the log (${files.join(', ') || 'no file'}) did not show ${last} within 20 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The description a tree row shows. */
export const description = (node: ExplorerNode): string => String(item(node).description ?? '');

/** The items of a list and its trailing "Load more" item, if any. */
export async function page(node: ExplorerNode): Promise<{ items: ExplorerNode[]; more?: ExplorerNode }> {
  const list = await children(node);
  const more = list.find((n) => contextOf(n) === 'loadMore');
  return { items: list.filter((n) => n !== more), more };
}
