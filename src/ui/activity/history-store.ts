// The request history in the workspace's storage folder, when `veeamApiExplorer.history.persist` is on: written a
// moment after it changes (at most every WRITE_DELAY_MS), read back at activation. Nothing is written without a
// workspace, or while the setting is off; turning it off deletes the file. What the file holds: history-file.ts (loaded
// with the first read or write, ui-parts.ts: the setting is off unless the user turned it on).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Exchange, Secret } from '../../api';
import type { ConnectionStore } from '../connections';
import { affectsUs, persistHistory, SETTING } from '../settings';
import type { Activity } from './activity';
import { uiParts } from '../parts';
import type { ReadExchange } from './history-file';

export const HISTORY_FILE_NAME = 'request-history.json';
/** The pause between a change and its write; changes meanwhile are written together. */
const WRITE_DELAY_MS = 2000;

export class HistoryStore implements vscode.Disposable {
  /** The file, when there is a workspace (its storage folder is on this machine's disk); else nothing is kept. */
  readonly file: string | undefined;
  /** Settles once the file was read back at activation, with how many entries it gave. */
  readonly loaded: Promise<number>;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly activity: Activity,
    storageUri: vscode.Uri | undefined,
    private readonly connections: ConnectionStore,
    private readonly secretsOf: (connectionId: string) => readonly Secret[],
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.file = storageUri?.scheme === 'file' ? path.join(storageUri.fsPath, HISTORY_FILE_NAME) : undefined;
    this.subscriptions.push(
      activity.onDidChangeHistory(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!affectsUs(e, SETTING.persistHistory)) return;
        if (persistHistory()) this.schedule();
        else void this.forget();
      }),
      // A removed connection's requests are forgotten, in memory and on disk.
      connections.onDidChange(() => {
        for (const id of activity.historyConnections()) if (!connections.get(id)) activity.clearHistory(id);
      }),
    );
    this.loaded = this.load();
  }

  /**
   * Reads the file back into the history when the setting is on (entries of connections that no longer exist are left
   * out); deletes it when the setting is off. A file that cannot be read, is too large or is not the history's format
   * is ignored. Returns how many entries were read.
   */
  async load(): Promise<number> {
    if (!this.file) return 0;
    if (!persistHistory()) {
      await this.forget();
      return 0;
    }
    let text: string;
    try {
      const stat = await fs.promises.stat(this.file);
      if (!stat.isFile() || stat.size > uiParts().MAX_HISTORY_FILE_BYTES) return 0;
      text = await fs.promises.readFile(this.file, 'utf8');
    } catch {
      return 0;
    }
    try {
      const known = new Map<string, ReadExchange[]>();
      for (const [id, entries] of uiParts().readHistoryFile(text)) if (this.connections.get(id)) known.set(id, entries);
      this.activity.restore(known);
      return [...known.values()].reduce((n, list) => n + list.length, 0);
    } catch (err) {
      this.log.warn(`request history: not read back: ${String(err)}`);
      return 0;
    }
  }

  /** Writes what is pending now (and waits for a write under way). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }
    await this.writing;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    // The window closes: what is pending is written at once.
    if (this.timer && this.file && persistHistory()) {
      clearTimeout(this.timer);
      this.timer = undefined;
      try {
        this.writeTextNow(this.text());
      } catch (err) {
        this.log.warn(`request history: ${String(err)}`);
      }
    }
  }

  private schedule(): void {
    if (!this.file || this.timer || !persistHistory()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }, WRITE_DELAY_MS);
  }

  private async write(): Promise<void> {
    if (!this.file || !persistHistory()) return;
    try {
      const text = this.text();
      if (text === undefined) await fs.promises.rm(this.file, { force: true });
      else await this.writeText(text);
    } catch (err) {
      this.log.warn(`request history: ${String(err)}`);
    }
  }

  /** The file's text, undefined when the history is empty. */
  private text(): string | undefined {
    const byConnection = new Map<string, Exchange[]>();
    for (const id of this.activity.historyConnections()) {
      const list = this.activity.history(id);
      if (list.length && this.connections.get(id)) byConnection.set(id, [...list]);
    }
    return byConnection.size ? uiParts().writeHistoryFile(byConnection, this.secretsOf) : undefined;
  }

  /** Written beside, then renamed over the file: a reader never sees half of it. Readable by this user only. */
  private async writeText(text: string): Promise<void> {
    const file = this.file!;
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(temporary, text, { encoding: 'utf8', mode: 0o600 });
    await fs.promises.rename(temporary, file);
  }

  /** As writeText, at once: the window is closing. */
  private writeTextNow(text: string | undefined): void {
    const file = this.file!;
    if (text === undefined) {
      fs.rmSync(file, { force: true });
      return;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text, { encoding: 'utf8', mode: 0o600 });
    fs.renameSync(temporary, file);
  }

  /** The setting was turned off (or is off): nothing pending is written, and the file is deleted. */
  private async forget(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const file = this.file;
    if (!file) return;
    this.writing = this.writing.then(() => fs.promises.rm(file, { force: true })).catch((err) => this.log.warn(`request history: ${String(err)}`));
    await this.writing;
  }
}
