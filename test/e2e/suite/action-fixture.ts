// Shared by the action suites: the three simulators' request logs and faults, the action rows of their trees, and a
// host that answers the confirmation and records every message, question and progress the extension shows.
// Not a suite itself (no `.test.ts`).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../../src/api';
import type { Host } from '../../../src/ui/host';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { addConnection, answering, child, children, contextOf, em, labelOf, page, runnerEnv, simulatorControl, type GuidedAnswers, type SimulatorRequest } from './explorer-fixture';

const env = runnerEnv({
  vspcUrl: 'VEEAM_TEST_VSPC_URL',
  vspcUser: 'VEEAM_TEST_VSPC_USER',
  vspcPassword: 'VEEAM_TEST_VSPC_PASSWORD',
  vbrUrl: 'VEEAM_TEST_VBR_URL',
  vbrUser: 'VEEAM_TEST_VBR_USER',
  vbrPassword: 'VEEAM_TEST_VBR_PASSWORD',
  vbrViewerUser: 'VEEAM_TEST_VBR_VIEWER_USER',
  vbrViewerPassword: 'VEEAM_TEST_VBR_VIEWER_PASSWORD',
});

export type Kind = 'em' | 'vspc' | 'vbr';

/** One simulator: its URL, its request log and faults (its control API). */
export interface Simulated {
  kind: Kind;
  url: string;
  requests(): Promise<SimulatorRequest[]>;
  /** What it received other than GET (logons left out: they are the connection's, not an action's). */
  actions(): Promise<SimulatorRequest[]>;
  clear(): Promise<void>;
  fault(fault: Record<string, unknown>): Promise<void>;
}

function simulated(kind: Kind, url: () => string): Simulated {
  const control = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => simulatorControl(url(), method, path, body);
  const requests = () => control('GET', 'requests') as Promise<SimulatorRequest[]>;
  return {
    kind,
    get url() {
      return url();
    },
    requests,
    actions: async () => (await requests()).filter((r) => r.method !== 'GET' && !isLogon(r)),
    clear: async () => {
      await control('DELETE', 'faults');
      await control('DELETE', 'requests');
    },
    fault: async (fault) => void (await control('POST', 'faults', fault)),
  };
}

/** A logon, renewal or logoff: what a connection sends for itself. */
export function isLogon(r: SimulatorRequest): boolean {
  return /\/sessionMngr\/|\/logonSessions\/|\/api\/v3\/token|\/authentication\/|\/users\/[^/]+\/tokens|\/oauth2\//.test(r.path);
}

export const sims: Record<Kind, Simulated> = {
  em: simulated('em', () => em.url),
  vspc: simulated('vspc', () => env.vspcUrl),
  vbr: simulated('vbr', () => env.vbrUrl),
};

/** Adds a connection of that kind to its simulator (trusted by the simulators' certificate). */
export function addKindConnection(kind: Kind, name: string, extra: GuidedAnswers & Partial<ConnectionDefinition> = {}): Promise<ConnectionDefinition> {
  switch (kind) {
    case 'em':
      return addConnection({ name, ...extra });
    case 'vspc':
      return addConnection({ kind, name, url: env.vspcUrl, username: env.vspcUser, password: env.vspcPassword, caFile: undefined, trustedFingerprint: em.fingerprint, ...extra });
    case 'vbr':
      // A revision of 13 other than the newest: the extension reads a server's document once per revision in a process,
      // and vbr.test.ts (after these suites) checks that its first logon, with the newest, reads it.
      return addConnection({ kind, name, url: env.vbrUrl, username: env.vbrUser, password: env.vbrPassword, caFile: undefined, trustedFingerprint: em.fingerprint, apiVersion: '1.3-rev0', ...extra });
  }
}

export const vbrViewer = {
  get user() {
    return env.vbrViewerUser;
  },
  get password() {
    return env.vbrViewerPassword;
  },
};

/** The n-th job of a connection's tree and its action row labelled `label` (EM: under the job's Job entity). */
export async function jobAction(kind: Kind, root: ExplorerNode, n: number, label: string): Promise<{ job: ExplorerNode; action: ExplorerNode; name: string }> {
  let job: ExplorerNode;
  let holder: ExplorerNode;
  if (kind === 'em') {
    job = (await children(await child(root, 'Jobs')))[n];
    const entity = (await children(job)).find((c) => contextOf(c) === 'link.alternate+href');
    assert.ok(entity, `${labelOf(job)} has no Job entity`);
    holder = entity;
  } else {
    const list = kind === 'vbr' ? await child(await child(root, 'Jobs'), 'Jobs') : await child(await child(root, 'Backup Server Jobs'), 'Jobs');
    job = (await page(list)).items[n];
    holder = job;
  }
  assert.ok(job, `no job ${n}`);
  const rows = await children(holder);
  const action = rows.find((c) => contextOf(c).startsWith('action') && labelOf(c) === label);
  assert.ok(action, `${labelOf(job)} has no action ${label}: ${rows.map((r) => `${labelOf(r)} (${contextOf(r)})`).join(', ')}`);
  return { job, action, name: labelOf(job) };
}

/** What the extension showed and asked while a command ran. */
export interface Observed {
  /** Modal questions: the confirmation. */
  confirmations: { message: string; detail: string; items: string[] }[];
  /** Notifications (information, warning, error), with their buttons. */
  notes: { level: 'info' | 'warning' | 'error'; message: string; items: string[] }[];
  /** Every progress: its title, what it reported, whether the test cancelled it. */
  progress: { title: string; cancellable: boolean; reports: { message?: string; increment?: number }[]; cancelled: boolean }[];
}

export interface Answers {
  /** The confirmation's button (true) or Cancel (false, the default). */
  confirm?: boolean;
  /** Press Open Result where a notification offers it. */
  openResult?: boolean;
  /** Cancel the progress that follows the task as soon as it shows. */
  cancelFollowing?: boolean;
}

/** Runs a command with the extension's questions answered as `answers` say; what it showed is returned with its result. */
export async function observing<T>(answers: Answers, work: () => Thenable<T>): Promise<{ result: T; seen: Observed }> {
  const seen: Observed = { confirmations: [], notes: [], progress: [] };
  const press = (items: string[]) => (answers.openResult && items.includes('Open Result') ? 'Open Result' : undefined);
  const host: Partial<Host> = {
    showWarningMessage: async (message, options, ...items) => {
      if (options.modal) {
        seen.confirmations.push({ message, detail: options.detail ?? '', items });
        return answers.confirm ? items[0] : undefined;
      }
      seen.notes.push({ level: 'warning', message, items });
      return press(items);
    },
    showInformationMessage: async (message, ...items) => {
      seen.notes.push({ level: 'info', message, items });
      return press(items);
    },
    showErrorMessage: async (message, ...items) => {
      seen.notes.push({ level: 'error', message, items });
      return press(items);
    },
    withProgress: async (options, task) => {
      const entry = { title: options.title ?? '', cancellable: options.cancellable === true, reports: [] as { message?: string; increment?: number }[], cancelled: false };
      seen.progress.push(entry);
      const source = new vscode.CancellationTokenSource();
      // The following's progress (not the send's "Sending…", nor the cancel's "Asking…").
      if (answers.cancelFollowing && options.location === vscode.ProgressLocation.Notification && options.cancellable && !/^(Sending|Asking) /.test(entry.title)) {
        entry.cancelled = true;
        source.cancel();
      }
      try {
        return await task({ report: (value) => void entry.reports.push(value) }, source.token);
      } finally {
        source.dispose();
      }
    },
  };
  const result = await answering(host, () => Promise.resolve(work()));
  return { result, seen };
}

/** Runs a command (an action row's Run Action…, Send Request, Run Request) with the questions answered. */
export function running<T>(answers: Answers, command: string, ...args: unknown[]): Promise<{ result: T | undefined; seen: Observed }> {
  return observing(answers, () => vscode.commands.executeCommand<T>(command, ...args));
}

/** The editor Open Result opened, once its text is accepted (Open Result opens it after the notification's answer). */
export async function resultEditor(accept: (text: string) => boolean, what: string): Promise<vscode.TextEditor> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const editor = vscode.window.visibleTextEditors.find((e) => /result/i.test(decodeURIComponent(e.document.uri.path)) && accept(e.document.getText()));
    if (editor) return editor;
    const shown = vscode.window.visibleTextEditors.map((e) => e.document.uri.toString()).join(', ');
    assert.ok(Date.now() < deadline, `Open Result showed no ${what} (editors: ${shown || 'none'})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for a state (no fixed sleeps): `check` again every 100 ms, failing with `what` after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < deadline, what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** `METHOD path` of each request, for messages. */
export const listed = (sent: SimulatorRequest[]) => sent.map((r) => `${r.method} ${r.path}`).join(', ') || 'nothing';
