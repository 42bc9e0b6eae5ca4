// The guided input of Add and Edit Connection: kind, name, URL, username, password, whether to store it.
// Back goes one step back; Escape leaves without saving anything, and Add remembers what was typed for next time.
import * as vscode from 'vscode';
import type { ApiKind, ConnectionDefinition } from '../api';
import { completeConnectionUrl, DEFAULT_PATH, DEFAULT_PORT, type UrlProblem } from './connection-url';

export interface ConnectionAnswers {
  kind: ApiKind;
  name: string;
  url: string;
  username: string;
  /** Undefined: keep the stored password (Edit) or none given. */
  password?: string;
  storePassword: boolean;
}

const BACK = Symbol('back');
type StepResult<T> = T | typeof BACK | undefined;

let unfinishedAdd: Partial<ConnectionAnswers> | undefined;

export function urlProblemText(problem: UrlProblem): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('Enter the URL of the server.');
    case 'notHttps':
      return vscode.l10n.t('Use https: the password and the session token must not travel unencrypted.');
    case 'credentials':
      return vscode.l10n.t('Leave the user name and password out of the URL; the next steps ask for them.');
    case 'query':
      return vscode.l10n.t('The URL must not have a query or fragment.');
    default:
      return vscode.l10n.t('This is not a valid URL.');
  }
}

/** Runs the guided input; `existing` pre-fills it for Edit. Undefined when the user escaped. */
export async function askForConnection(existing?: ConnectionDefinition): Promise<ConnectionAnswers | undefined> {
  const editing = !!existing;
  const draft: Partial<ConnectionAnswers> = existing
    ? { kind: existing.kind, name: existing.name, url: existing.url, username: existing.username, storePassword: existing.storePassword !== false }
    : { ...unfinishedAdd };
  const title = editing ? vscode.l10n.t('Edit Connection {0}', existing.name) : vscode.l10n.t('Add Connection');
  const total = 6;

  const steps: Array<() => Promise<StepResult<'next'>>> = [
    async () => {
      const picked = await pick(title, 1, total, vscode.l10n.t('Which Veeam product?'), [
        { label: 'Enterprise Manager', description: vscode.l10n.t('Veeam Backup Enterprise Manager REST API, port {0}', DEFAULT_PORT.em), value: 'em' as ApiKind },
        { label: 'Service Provider Console', description: vscode.l10n.t('Veeam Service Provider Console REST API v3, port {0}', DEFAULT_PORT.vspc), value: 'vspc' as ApiKind },
      ], draft.kind, false);
      if (picked === BACK || picked === undefined) return picked;
      draft.kind = picked;
      return 'next';
    },
    async () => {
      const value = await input({ title, step: 2, total, prompt: vscode.l10n.t('A name for this connection, as the tree shows it'), value: draft.name ?? '', validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')) });
      if (value === BACK || value === undefined) return value;
      draft.name = value.trim();
      return 'next';
    },
    async () => {
      const kind = draft.kind ?? 'em';
      const value = await input({
        title,
        step: 3,
        total,
        prompt: vscode.l10n.t('Server URL (https; port {0} and path {1} are added when omitted)', DEFAULT_PORT[kind], DEFAULT_PATH[kind]),
        placeholder: `https://server.example.com:${DEFAULT_PORT[kind]}${DEFAULT_PATH[kind]}`,
        value: draft.url ?? '',
        validate: (v) => {
          const check = completeConnectionUrl(kind, v);
          return check.ok ? undefined : urlProblemText(check.problem);
        },
      });
      if (value === BACK || value === undefined) return value;
      const check = completeConnectionUrl(kind, value);
      if (check.ok) draft.url = check.url;
      return 'next';
    },
    async () => {
      const value = await input({ title, step: 4, total, prompt: vscode.l10n.t('User name (DOMAIN\\user or user@domain)'), value: draft.username ?? '', validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a user name.')) });
      if (value === BACK || value === undefined) return value;
      draft.username = value.trim();
      return 'next';
    },
    async () => {
      const value = await input({
        title,
        step: 5,
        total,
        prompt: editing ? vscode.l10n.t('Password (leave empty to keep the current one)') : vscode.l10n.t('Password (leave empty to be asked at each Log On)'),
        value: '',
        password: true,
      });
      if (value === BACK || value === undefined) return value;
      draft.password = value === '' ? undefined : value;
      return 'next';
    },
    async () => {
      const picked = await pick(title, 6, total, vscode.l10n.t('Store the password?'), [
        { label: vscode.l10n.t('Store the password'), description: vscode.l10n.t("in VS Code's secret storage (the system keychain), never in settings"), value: true },
        { label: vscode.l10n.t('Do not store the password'), description: vscode.l10n.t('Log On asks for it each time'), value: false },
      ], draft.storePassword ?? true, true);
      if (picked === BACK || picked === undefined) return picked;
      draft.storePassword = picked;
      return 'next';
    },
  ];

  for (let i = 0; i < steps.length; ) {
    const result = await steps[i]();
    if (result === undefined) {
      if (!editing) unfinishedAdd = { ...draft, password: undefined };
      return undefined;
    }
    i = result === BACK ? Math.max(0, i - 1) : i + 1;
  }
  if (!editing) unfinishedAdd = undefined;
  return draft as ConnectionAnswers;
}

interface PickItem<T> extends vscode.QuickPickItem {
  value: T;
}

function pick<T>(title: string, step: number, total: number, placeholder: string, items: PickItem<T>[], active: T | undefined, back: boolean): Promise<StepResult<T>> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<PickItem<T>>();
    Object.assign(qp, { title, step, totalSteps: total, placeholder, items, ignoreFocusOut: true });
    qp.buttons = step > 1 || back ? [vscode.QuickInputButtons.Back] : [];
    const current = items.find((i) => i.value === active);
    if (current) qp.activeItems = [current];
    let done = false;
    const finish = (value: StepResult<T>) => {
      if (done) return;
      done = true;
      resolve(value);
      qp.dispose();
    };
    qp.onDidTriggerButton(() => finish(BACK));
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.value));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

function input(options: { title: string; step: number; total: number; prompt: string; value: string; placeholder?: string; password?: boolean; validate?: (v: string) => string | undefined }): Promise<StepResult<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    Object.assign(box, { title: options.title, step: options.step, totalSteps: options.total, prompt: options.prompt, value: options.value, placeholder: options.placeholder, password: !!options.password, ignoreFocusOut: true });
    box.buttons = [vscode.QuickInputButtons.Back];
    let done = false;
    const finish = (value: StepResult<string>) => {
      if (done) return;
      done = true;
      resolve(value);
      box.dispose();
    };
    box.onDidChangeValue((v) => (box.validationMessage = v && options.validate ? options.validate(v) : undefined));
    box.onDidTriggerButton(() => finish(BACK));
    box.onDidAccept(() => {
      const problem = options.validate?.(box.value);
      if (problem) box.validationMessage = problem;
      else finish(box.value);
    });
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}
