// Connection definitions live in the `veeamApiExplorer.connections` setting (user scope, synced, so never a secret);
// passwords live in SecretStorage under a key made from the connection id.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { allKinds, type ApiKind, type ConnectionDefinition, type Representation } from '../api';
import type { Host } from './host';
import { affectsUs, connectionEntries, setConnectionEntries, SETTING, settingId } from './settings';


/** What a user gives to add a connection; the id is made here. */
export type ConnectionDraft = Omit<ConnectionDefinition, 'id'> & { id?: string };

export class ConnectionStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the setting (or veeamApiExplorer.allowHttp) changes, from here or from the user editing settings.json. */
  readonly onDidChange = this.changed.event;
  private secretStorageBroken = false;
  private readonly reportedMalformed = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
    private readonly host: Pick<Host, 'showWarningMessage'>,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        // veeamApiExplorer.allowHttp decides whether an http:// connection may log on, which its row shows.
        if (affectsUs(e, SETTING.connections, SETTING.allowHttp)) this.changed.fire();
      }),
    );
  }

  /** Every well-formed definition in the setting; malformed entries are logged and skipped. */
  all(): ConnectionDefinition[] {
    const result: ConnectionDefinition[] = [];
    for (const item of connectionEntries()) {
      const def = asDefinition(item);
      if (def) result.push(def);
      else this.reportMalformed(item);
    }
    return result;
  }

  get(id: string): ConnectionDefinition | undefined {
    return this.all().find((c) => c.id === id);
  }

  /** Adds a definition, and its password unless the user chose not to store it. */
  async add(draft: ConnectionDraft, password?: string): Promise<ConnectionDefinition> {
    const def = clean({ ...draft, id: draft.id ?? randomUUID() });
    await this.write([...this.all().filter((c) => c.id !== def.id), def]);
    if (password !== undefined && def.storePassword !== false) await this.storePassword(def.id, password);
    return def;
  }

  /** Replaces a definition. A password given is stored; choosing not to store deletes the stored one. */
  async update(def: ConnectionDefinition, password?: string): Promise<ConnectionDefinition> {
    const next = clean(def);
    await this.write(this.all().map((c) => (c.id === def.id ? next : c)));
    if (next.storePassword === false) await this.deletePassword(def.id);
    else if (password !== undefined) await this.storePassword(def.id, password);
    return next;
  }

  async remove(id: string): Promise<void> {
    await this.write(this.all().filter((c) => c.id !== id));
    await this.deletePassword(id);
  }

  /** The stored password, or undefined (not stored, not wanted, or SecretStorage unavailable). */
  async storedPassword(def: ConnectionDefinition): Promise<string | undefined> {
    if (def.storePassword === false || this.secretStorageBroken) return undefined;
    try {
      return await this.secrets.get(secretKey(def.id));
    } catch (err) {
      this.reportBrokenSecretStorage(err);
      return undefined;
    }
  }

  async storePassword(id: string, password: string): Promise<void> {
    if (this.secretStorageBroken) return;
    try {
      await this.secrets.store(secretKey(id), password);
    } catch (err) {
      this.reportBrokenSecretStorage(err);
    }
  }

  async deletePassword(id: string): Promise<void> {
    try {
      await this.secrets.delete(secretKey(id));
    } catch (err) {
      this.log.warn(`Could not delete the stored password of connection ${id}: ${String(err)}`);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private reportMalformed(item: unknown): void {
    const text = JSON.stringify(item);
    if (this.reportedMalformed.has(text)) return;
    this.reportedMalformed.add(text);
    this.log.warn(`Ignoring an entry of ${settingId(SETTING.connections)} without id, kind (${allKinds().map((k) => k.kind).join(', ')}), name or url: ${text}`);
  }

  private async write(list: ConnectionDefinition[]): Promise<void> {
    await setConnectionEntries(list);
  }

  /** Headless Linux and code-server often have no keyring: say so once, then ask for passwords at each logon. */
  private reportBrokenSecretStorage(err: unknown): void {
    if (this.secretStorageBroken) return;
    this.secretStorageBroken = true;
    this.log.error(`SecretStorage is not available: ${err instanceof Error ? err.message : String(err)}`);
    void this.host.showWarningMessage(
      vscode.l10n.t(
        'Passwords cannot be stored on this system (no keyring is available to VS Code). Veeam API Explorer will ask for the password at each Log On.',
      ),
      {},
    );
  }
}

/** The SecretStorage key of a connection's password. */
export function secretKey(connectionId: string): string {
  return `veeamApiExplorer.password.${connectionId}`;
}

const REPRESENTATIONS: readonly Representation[] = ['xml', 'json'];

function asDefinition(item: unknown): ConnectionDefinition | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const o = item as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === 'string' && (o[k] as string).trim() ? (o[k] as string) : undefined);
  const id = str('id');
  const kind = str('kind') as ApiKind | undefined;
  const name = str('name');
  const url = str('url');
  if (!id || !kind || !allKinds().some((k) => k.kind === kind) || !name || !url) return undefined;
  const representation = str('representation') as Representation | undefined;
  return clean({
    id,
    kind,
    name,
    url,
    username: str('username') ?? '',
    storePassword: o.storePassword === false ? false : undefined,
    representation: representation && REPRESENTATIONS.includes(representation) ? representation : undefined,
    apiVersion: str('apiVersion')?.trim(),
    caFile: str('caFile'),
    trustedFingerprint: str('trustedFingerprint'),
    proxy: o.proxy === 'direct' ? 'direct' : undefined,
    // Only "confirm" (the default) runs actions: any other value set, a misspelt "off" too, makes it read-only.
    actions: o.actions === undefined || o.actions === 'confirm' ? undefined : 'off',
  });
}

/** Only the keys that are set, in a stable order, so settings.json stays tidy. */
function clean(def: ConnectionDefinition): ConnectionDefinition {
  const out: Record<string, unknown> = {};
  const order: Array<keyof ConnectionDefinition> = ['id', 'kind', 'name', 'url', 'username', 'storePassword', 'representation', 'apiVersion', 'caFile', 'trustedFingerprint', 'proxy', 'actions'];
  for (const key of order) {
    const value = def[key];
    if (value === undefined || value === null || value === '') continue;
    if (key === 'storePassword' && value !== false) continue;
    if (key === 'representation' && value === 'xml') continue;
    if (key === 'proxy' && value !== 'direct') continue;
    if (key === 'actions' && value !== 'off') continue;
    out[key] = value;
  }
  if (out.username === undefined) out.username = '';
  return out as unknown as ConnectionDefinition;
}
