// Request documents: the editable body of an action that takes one (JSON or XML, prefilled from the operation's
// schema), in memory under the `veeam-request:` scheme, with Send Request in the editor title and a CodeLens on its
// first line. Which action a document belongs to is kept here, in memory (document URI → connection, action, rows).
import * as vscode from 'vscode';
import type { ActionBody } from '../../api';
import type { ConnectionStore } from '../connections';
import { fileNameOf, labelText, urlText } from '../tree/labels';
import { actionTitle, type PreparedAction } from './prepared-action';

export const REQUEST_SCHEME = 'veeam-request';

/** Request documents kept; opening more forgets the oldest. */
const KEPT = 30;
/** Largest document the provider keeps (a Save of more is refused). */
const MAX_BYTES = 5 * 1024 * 1024;

/** The action a request document belongs to. */
export interface RequestEntry {
  action: PreparedAction & { body: ActionBody };
}

interface File {
  bytes: Uint8Array;
  mtime: number;
}

export class RequestDocuments implements vscode.FileSystemProvider, vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly files = new Map<string, File>();
  private readonly entries = new Map<string, RequestEntry>();
  private next = 1;

  constructor(private readonly connections: ConnectionStore) {}

  /** The file system and the CodeLens, registered for the scheme. */
  register(): vscode.Disposable[] {
    return [
      vscode.workspace.registerFileSystemProvider(REQUEST_SCHEME, this, { isCaseSensitive: true }),
      vscode.languages.registerCodeLensProvider({ scheme: REQUEST_SCHEME }, this),
      this,
    ];
  }

  /** Opens a new request document for an action that takes a body, prefilled with its template. */
  async open(action: PreparedAction & { body: ActionBody }): Promise<vscode.TextEditor> {
    const extension = /json/i.test(action.body.contentType) ? '.json' : '.xml';
    const uri = this.add(`${fileNameOf(actionTitle(action))}${extension}`, Buffer.from(action.body.template, 'utf8'));
    this.entries.set(uri.path, { action });
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview: false });
  }

  /** The action a request document belongs to; undefined for any other document (or one forgotten). */
  entryOf(uri: vscode.Uri): RequestEntry | undefined {
    return uri.scheme === REQUEST_SCHEME ? this.entries.get(uri.path) : undefined;
  }

  /** The CodeLens on line 1: "Send Request to <connection>: METHOD URL". */
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const entry = this.entryOf(document.uri);
    if (!entry) return [];
    const { action } = entry;
    const name = labelText(this.connections.get(action.connectionId)?.name ?? '?');
    const title = vscode.l10n.t('Send Request to {0}: {1} {2}', name, action.method, urlText(action.url, 300));
    return [new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title, command: 'veeamApiExplorer.sendRequest', arguments: [document.uri] })];
  }

  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.file(uri);
    return { type: vscode.FileType.File, ctime: file.mtime, mtime: file.mtime, size: file.bytes.length };
  }

  readFile(uri: vscode.Uri): Uint8Array {
    return this.file(uri).bytes;
  }

  /** Save: kept in memory for as long as the document is (never written to disk). */
  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    this.file(uri);
    if (content.length > MAX_BYTES) throw vscode.FileSystemError.NoPermissions(vscode.l10n.t('A request document holds at most {0} MB.', MAX_BYTES / 1024 / 1024));
    this.files.set(uri.path, { bytes: content, mtime: Date.now() });
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
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

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
    this.files.clear();
    this.entries.clear();
  }

  private add(name: string, bytes: Uint8Array): vscode.Uri {
    // A folder per document: two actions of the same name stay two documents.
    const uri = vscode.Uri.from({ scheme: REQUEST_SCHEME, path: `/${this.next++}/${name}` });
    this.files.set(uri.path, { bytes, mtime: Date.now() });
    for (const path of [...this.files.keys()].slice(0, Math.max(0, this.files.size - KEPT))) {
      this.files.delete(path);
      this.entries.delete(path);
    }
    return uri;
  }

  private file(uri: vscode.Uri): File {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file;
  }
}
