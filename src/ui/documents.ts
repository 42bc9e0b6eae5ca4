// Raw responses as read-only `veeam-api:` documents. The URI carries everything needed to fetch again
// (connection, href, representation) so the provider keeps no state of its own beyond the shared response cache.
// Besides, a response kept elsewhere (a task's document, a history entry) opens as a stored document: its URI names
// one of the last STORED_KEPT responses the provider was given (`openStored`), rendered the same way.
import * as vscode from 'vscode';
import { redactBytes, representationOf, type BodyLanguage, type Fetched, type RawResponse, type Representation, type Secret } from '../api';
import type { ConnectionStore } from './connections';
import { EXTENSION_OF, rawLanguage, renderRawBytes } from './raw-text';
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

/** Stored responses kept for their documents: the last opened ones, within a body budget. */
const STORED_KEPT = 100;
const STORED_BYTES = 64 * 1024 * 1024;
/** The folder of stored documents below the connection's: raw documents of an href are one level up (menus tell them apart by it). */
const STORED_FOLDER = 'stored';

/** A response kept for a document, not read again. */
interface StoredResponse {
  readonly connectionId: string;
  readonly raw: RawResponse;
}

/** `veeam-api:/<connection>/stored/<title>.json?connection=…&stored=<key>`. */
function storedDocumentUri(connectionId: string, connectionName: string, key: string, title: string, language: BodyLanguage): vscode.Uri {
  const query = new URLSearchParams({ connection: connectionId, stored: key }).toString();
  return vscode.Uri.from({ scheme: RAW_SCHEME, path: `/${fileNameOf(connectionName)}/${STORED_FOLDER}/${fileNameOf(title)}${EXTENSION_OF[language]}`, query });
}

/** The key of a stored document, undefined for the document of an href. */
function storedKeyOf(uri: vscode.Uri): string | undefined {
  return uri.scheme === RAW_SCHEME ? (new URLSearchParams(uri.query).get('stored') ?? undefined) : undefined;
}

/** Whether a `veeam-api:` document shows a stored response (nothing to fetch again). */
export function isStoredDocument(uri: vscode.Uri): boolean {
  return storedKeyOf(uri) !== undefined;
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
  private readonly rendered = new WeakMap<object, { headers: boolean; secrets: readonly Secret[]; text: { bytes: Uint8Array; language: BodyLanguage } }>();
  /** Stored responses by key, the least recently opened first. */
  private readonly stored = new Map<string, StoredResponse>();
  /** The key each stored response was given, so opening it again shows the same document. */
  private readonly storedKeys = new WeakMap<RawResponse, string>();
  private nextStoredKey = 1;

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

  /** Refetch a document's response and reload it in its editor (a stored response is not read again). */
  async refresh(uri: vscode.Uri, signal?: AbortSignal): Promise<void> {
    if (isStoredDocument(uri)) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('This response was kept as it came; run the request again from the History view.'));
    await this.fetch(rawTargetOf(uri), signal);
    this.fireChanged([uri]);
  }

  /**
   * The bytes of a document as the provider serves it (headers included when the setting says so). Opening a document
   * asks for them twice (stat, then readFile): the response is rendered once, and again only when it, the setting or
   * the secrets to redact changed.
   */
  async bytes(uri: vscode.Uri): Promise<{ bytes: Uint8Array; language: BodyLanguage; raw: RawResponse }> {
    const { connectionId, raw, owner } = await this.responseOf(uri);
    const secrets = this.sessions.secretsOf(connectionId);
    const headers = showHeaders();
    const last = this.rendered.get(owner);
    if (last && last.headers === headers && sameSecrets(last.secrets, secrets)) return { ...last.text, raw };
    // A body that echoes a token or the password is shown with them redacted (the rest as received).
    const body = redactBytes(raw.body, secrets);
    const timing = (ms: number, at: string) => vscode.l10n.t('({0} ms, received {1})', ms, at);
    const text = renderRawBytes(body === raw.body ? raw : { ...raw, body }, headers, timing);
    this.rendered.set(owner, { headers, secrets, text });
    return { ...text, raw };
  }

  /**
   * Opens a response kept elsewhere (a task's document, a history entry) read-only, rendered as the others: the status
   * line and headers when the setting says so, the connection's secrets redacted, the body pretty. Its document stays
   * readable while it is among the last STORED_KEPT opened; the same response opens the same document.
   */
  async openStored(connectionId: string, raw: RawResponse, title: string): Promise<vscode.TextEditor> {
    let key = this.storedKeys.get(raw);
    if (key === undefined || this.stored.get(key)?.raw !== raw) {
      key = String(this.nextStoredKey++);
      this.storedKeys.set(raw, key);
    }
    this.keepStored(key, { connectionId, raw });
    const name = this.connections.get(connectionId)?.name ?? connectionId;
    const uri = storedDocumentUri(connectionId, name, key, title, rawLanguage(raw));
    const document = await vscode.workspace.openTextDocument(uri);
    await applyRawLanguage(document);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  /** Opens the document of a response just fetched for a target (reloading it when it is open already). */
  async openFetched(target: RawTarget, connectionName: string, title: string, fetched: Fetched): Promise<vscode.TextEditor> {
    const uri = rawDocumentUri(target, connectionName, title, rawLanguage(fetched.raw));
    if (this.openDocuments().some((open) => open.toString() === uri.toString())) this.fireChanged([uri]);
    const document = await vscode.workspace.openTextDocument(uri);
    await applyRawLanguage(document);
    return vscode.window.showTextDocument(document, { preview: true });
  }

  /** The response a document shows: stored, or the href's (cached, or fetched when the document may log on). */
  private async responseOf(uri: vscode.Uri): Promise<{ connectionId: string; raw: RawResponse; owner: object }> {
    const key = storedKeyOf(uri);
    if (key === undefined) {
      const target = rawTargetOf(uri);
      const fetched = await this.response(target, undefined, false);
      return { connectionId: target.connectionId, raw: fetched.raw, owner: fetched };
    }
    const stored = this.stored.get(key);
    if (!stored || stored.connectionId !== new URLSearchParams(uri.query).get('connection')) {
      throw vscode.FileSystemError.Unavailable(vscode.l10n.t('This response is no longer kept: open it again from the Tasks or History view.'));
    }
    return { connectionId: stored.connectionId, raw: stored.raw, owner: stored };
  }

  /** Keeps a stored response as the most recent, letting the oldest go beyond STORED_KEPT or STORED_BYTES. */
  private keepStored(key: string, entry: StoredResponse): void {
    const existing = this.stored.get(key);
    this.stored.delete(key);
    this.stored.set(key, existing?.raw === entry.raw && existing.connectionId === entry.connectionId ? existing : entry);
    let bytes = 0;
    for (const kept of this.stored.values()) bytes += kept.raw.body.length;
    for (const [oldKey, old] of this.stored) {
      if (oldKey === key || (this.stored.size <= STORED_KEPT && bytes <= STORED_BYTES)) break;
      this.stored.delete(oldKey);
      bytes -= old.raw.body.length;
    }
  }

  openDocuments(): vscode.Uri[] {
    return vscode.workspace.textDocuments.filter((d) => d.uri.scheme === RAW_SCHEME).map((d) => d.uri);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { bytes, raw } = await this.bytes(uri);
    const time = raw.receivedAt.getTime();
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

/** JSON under the header comment is JSON with Comments; without it, plain JSON again. */
export async function applyRawLanguage(document: vscode.TextDocument, headers = showHeaders()): Promise<void> {
  if (!document.uri.path.endsWith('.json')) return;
  const wanted = headers ? 'jsonc' : 'json';
  if (document.languageId !== wanted) await vscode.languages.setTextDocumentLanguage(document, wanted);
}

function sameSecrets(a: readonly Secret[], b: readonly Secret[]): boolean {
  return a.length === b.length && a.every((secret, i) => JSON.stringify(secret) === JSON.stringify(b[i]));
}
