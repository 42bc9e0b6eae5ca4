// Raw responses as read-only `veeam-api:` documents. The URI carries everything needed to fetch again
// (connection, href, representation) so the provider keeps no state of its own beyond the shared response cache.
import * as vscode from 'vscode';
import { redactBytes, representationOf, type BodyLanguage, type Fetched, type Representation, type Secret } from '../api';
import type { ConnectionStore } from './connections';
import { EXTENSION_OF, renderRawBytes } from './raw-text';
import type { Responses } from './responses';
import type { SessionRegistry } from './sessions';
import { fileNameOf } from './tree/labels';
import { affectsUs, SETTING, showHeaders } from './settings';

export const RAW_SCHEME = 'veeam-api';

export interface RawTarget {
  connectionId: string;
  href: string;
  representation: Representation;
}

/** `veeam-api:/<connection>/<title>.xml?connection=…&href=…&representation=…`: the ending picks the language. */
export function rawDocumentUri(target: RawTarget, connectionName: string, title: string, language: BodyLanguage): vscode.Uri {
  const query = new URLSearchParams({ connection: target.connectionId, href: target.href, representation: target.representation }).toString();
  return vscode.Uri.from({ scheme: RAW_SCHEME, path: `/${fileNameOf(connectionName)}/${fileNameOf(title)}${EXTENSION_OF[language]}`, query });
}

export function rawTargetOf(uri: vscode.Uri): RawTarget {
  const query = new URLSearchParams(uri.query);
  const connectionId = query.get('connection');
  const href = query.get('href');
  if (uri.scheme !== RAW_SCHEME || !connectionId || !href) throw vscode.FileSystemError.FileNotFound(uri);
  return { connectionId, href, representation: query.get('representation') === 'json' ? 'json' : 'xml' };
}


export class RawResponseDocuments implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  /** The last text rendered of each response (dropped with the response). */
  private readonly rendered = new WeakMap<Fetched, { headers: boolean; secrets: readonly Secret[]; text: { bytes: Uint8Array; language: BodyLanguage } }>();

  constructor(
    private readonly connections: ConnectionStore,
    private readonly sessions: SessionRegistry,
    private readonly responses: Responses,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsUs(e, SETTING.showHeaders)) this.fireChanged(this.openDocuments());
      }),
    );
  }

  /**
   * The response for a target: from the cache, or a new GET when it has none. Only an explicit command may log on
   * for it; a tab VS Code restores after a reload must not log on (or ask for a password) by surprise.
   */
  async response(target: RawTarget, signal?: AbortSignal, mayLogOn = true): Promise<Fetched> {
    const cached = this.responses.cached(target);
    if (cached) return cached;
    const def = this.connections.get(target.connectionId);
    if (!def) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('The connection of this document no longer exists.'));
    if (!mayLogOn && this.sessions.state(def.id) !== 'loggedOn') {
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('Log on to {0}, then refresh this response.', def.name));
    }
    return this.fetch(target, signal);
  }

  /** A new GET, replacing the cached response; open documents of it are told to reload. */
  async fetch(target: RawTarget, signal?: AbortSignal): Promise<Fetched> {
    const def = this.connections.get(target.connectionId);
    if (representationOf(def ?? { kind: 'em' }) !== target.representation) {
      // The session speaks the connection's current representation; a document of the other one can't be refetched.
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('This document was opened as {0}; open the raw response again.', target.representation.toUpperCase()));
    }
    return this.responses.fetch(target.connectionId, target.href, (get) => get(signal));
  }

  /** Refetch a document's response and reload it in its editor. */
  async refresh(uri: vscode.Uri, signal?: AbortSignal): Promise<void> {
    await this.fetch(rawTargetOf(uri), signal);
    this.fireChanged([uri]);
  }

  /**
   * The bytes of a document as the provider serves it (headers included when the setting says so). Opening a document
   * asks for them twice (stat, then readFile): the response is rendered once, and again only when it, the setting or
   * the secrets to redact changed.
   */
  async bytes(uri: vscode.Uri): Promise<{ bytes: Uint8Array; language: BodyLanguage; fetched: Fetched }> {
    const fetched = await this.response(rawTargetOf(uri), undefined, false);
    const secrets = this.sessions.secretsOf(rawTargetOf(uri).connectionId);
    const headers = showHeaders();
    const last = this.rendered.get(fetched);
    if (last && last.headers === headers && sameSecrets(last.secrets, secrets)) return { ...last.text, fetched };
    // A body that echoes a token or the password is shown with them redacted (the rest as received).
    const body = redactBytes(fetched.raw.body, secrets);
    const timing = (ms: number, at: string) => vscode.l10n.t('({0} ms, received {1})', ms, at);
    const text = renderRawBytes(body === fetched.raw.body ? fetched.raw : { ...fetched.raw, body }, headers, timing);
    this.rendered.set(fetched, { headers, secrets, text });
    return { ...text, fetched };
  }

  openDocuments(): vscode.Uri[] {
    return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === RAW_SCHEME).map((d) => d.uri);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { bytes, fetched } = await this.bytes(uri);
    const time = fetched.raw.receivedAt.getTime();
    return { type: vscode.FileType.File, ctime: time, mtime: time, size: bytes.length, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return (await this.bytes(uri)).bytes;
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private fireChanged(uris: vscode.Uri[]): void {
    if (uris.length) this.changed.fire(uris.map((uri) => ({ type: vscode.FileChangeType.Changed, uri })));
  }
}

function sameSecrets(a: readonly Secret[], b: readonly Secret[]): boolean {
  return a.length === b.length && a.every((secret, i) => JSON.stringify(secret) === JSON.stringify(b[i]));
}
