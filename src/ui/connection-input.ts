// The guided input of Add and Edit Connection: kind, name, URL, username, password, whether to store it, and for
// Veeam Backup & Replication the API revision.
// Back goes one step back; Escape leaves without saving anything, and Add remembers what was typed for next time.
import * as vscode from 'vscode';
import type { ApiKind, ConnectionDefinition } from '../api';
import { allKinds, completeConnectionUrl, DEFAULT_VBR_REVISION, isApiRevision, urlDefaults, type UrlProblem } from '../api';
import { BACK, quickInputPrompts, type GuidedPrompts, type StepResult } from './guided-input';
import { wordText } from './wording';

export interface ConnectionAnswers {
  kind: ApiKind;
  name: string;
  url: string;
  username: string;
  /** Undefined: keep the stored password (Edit) or none given. */
  password?: string;
  storePassword: boolean;
  /** VBR: the API revision (`1.2-rev1`); undefined: the newest this extension knows. */
  apiVersion?: string;
}

/** Whether the kind's requests name an API revision the user may choose (Veeam Backup & Replication's `x-api-version`). */
function asksForRevision(kind: ApiKind | undefined): boolean {
  return kind === 'vbr';
}

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
export async function askForConnection(existing?: ConnectionDefinition, prompts: GuidedPrompts = quickInputPrompts): Promise<ConnectionAnswers | undefined> {
  const editing = !!existing;
  const draft: Partial<ConnectionAnswers> = existing
    ? { kind: existing.kind, name: existing.name, url: existing.url, username: existing.username, storePassword: existing.storePassword !== false, apiVersion: existing.apiVersion }
    : { ...unfinishedAdd };
  const title = editing ? vscode.l10n.t('Edit Connection {0}', existing.name) : vscode.l10n.t('Add Connection');
  // The kind chosen decides whether a seventh step (the API revision) follows.
  let total = asksForRevision(draft.kind) ? 7 : 6;

  const steps: Array<() => Promise<StepResult<'next'>>> = [
    async () => {
      const picked = await prompts.pick<ApiKind>({
        title,
        step: 1,
        totalSteps: total,
        placeholder: vscode.l10n.t('Which Veeam product?'),
        items: allKinds().map((def) => ({
          label: wordText(def.product),
          description: vscode.l10n.t('{0} REST API, port {1}', def.shortName, def.urlDefaults.port),
          value: def.kind,
        })),
        active: draft.kind,
      });
      if (picked === BACK || picked === undefined) return picked;
      draft.kind = picked;
      total = asksForRevision(picked) ? 7 : 6;
      return 'next';
    },
    async () => {
      const value = await prompts.input({ title, step: 2, totalSteps: total, prompt: vscode.l10n.t('A name for this connection, as the tree shows it'), value: draft.name ?? '', validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')) });
      if (value === BACK || value === undefined) return value;
      draft.name = value.trim();
      return 'next';
    },
    async () => {
      const kind = draft.kind ?? 'em';
      const value = await prompts.input({
        title,
        step: 3,
        totalSteps: total,
        prompt: vscode.l10n.t('Server URL (https; port {0} and path {1} are added when omitted)', urlDefaults(kind).port, urlDefaults(kind).path),
        placeholder: `https://server.example.com:${urlDefaults(kind).port}${urlDefaults(kind).path}`,
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
      const value = await prompts.input({ title, step: 4, totalSteps: total, prompt: vscode.l10n.t('User name (DOMAIN\\user or user@domain)'), value: draft.username ?? '', validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a user name.')) });
      if (value === BACK || value === undefined) return value;
      draft.username = value.trim();
      return 'next';
    },
    async () => {
      const value = await prompts.input({
        title,
        step: 5,
        totalSteps: total,
        prompt: editing ? vscode.l10n.t('Password (leave empty to keep the current one)') : vscode.l10n.t('Password (leave empty to be asked at each Log On)'),
        value: '',
        password: true,
      });
      if (value === BACK || value === undefined) return value;
      draft.password = value === '' ? undefined : value;
      return 'next';
    },
    async () => {
      const picked = await prompts.pick<boolean>({
        title,
        step: 6,
        totalSteps: total,
        placeholder: vscode.l10n.t('Store the password?'),
        items: [
          { label: vscode.l10n.t('Store the password'), description: vscode.l10n.t("in VS Code's secret storage (the system keychain), never in settings"), value: true },
          { label: vscode.l10n.t('Do not store the password'), description: vscode.l10n.t('Log On asks for it each time'), value: false },
        ],
        active: draft.storePassword ?? true,
      });
      if (picked === BACK || picked === undefined) return picked;
      draft.storePassword = picked;
      return 'next';
    },
    async () => {
      if (!asksForRevision(draft.kind)) return 'next';
      const value = await prompts.input({
        title,
        step: 7,
        totalSteps: total,
        prompt: vscode.l10n.t('API revision, empty for the newest this extension knows: {0}', DEFAULT_VBR_REVISION),
        placeholder: DEFAULT_VBR_REVISION,
        value: draft.apiVersion ?? '',
        validate: (v) => (!v.trim() || isApiRevision(v.trim()) ? undefined : vscode.l10n.t('Write the revision as the server names it, e.g. {0}.', DEFAULT_VBR_REVISION)),
      });
      if (value === BACK || value === undefined) return value;
      draft.apiVersion = value.trim();
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
  if (!asksForRevision(draft.kind) || !draft.apiVersion) delete draft.apiVersion;
  return draft as ConnectionAnswers;
}
