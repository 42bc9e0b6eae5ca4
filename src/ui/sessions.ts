// One ApiSession per connection, built from its definition and the transport settings; rebuilt when the definition changes.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import {
  ApiError,
  AuthError,
  createSession,
  redactError,
  redactText,
  type ActionRequest,
  type ActionResult,
  type ApiSession,
  type ConnectionDefinition,
  type Exchange,
  type Fetched,
  type FollowOptions,
  type LogonInfo,
  type RawResponse,
  type Secret,
  type SessionState,
  type TaskOutcome,
  type TrackedTask,
  type TransportOptions,
  type WaitNotice,
} from '../api';
import type { Activity } from './activity/activity';
import { redactExchange } from './activity/history-entry';
import { cleartextRefusal, cleartextRefused, cleartextWarning, usesHttp } from './cleartext';
import type { ConnectionStore } from './connections';
import type { Host } from './host';
import { askForPassword } from './password-prompt';
import { reportToRunningProgress } from './progress';
import { maxResponseBytes, proxySettings, requestTimeoutSeconds } from './settings';
import { wordError } from './wording';

interface Entry {
  def: ConnectionDefinition;
  session: ApiSession;
  unsubscribe: () => void;
}

/** Secrets remembered per connection for redaction, past sessions included: a bound, as their sessions are long gone. */
const SECRETS_KEPT = 64;

export class SessionRegistry implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly creating = new Map<string, Promise<Entry>>();
  /** A password the user just typed (Add Connection without storing, or a command argument): used by the next logon only. */
  private readonly oneTimePasswords = new Map<string, string>();
  /** A password typed at the prompt for a connection that wants it stored: stored once a logon with it succeeds. */
  private readonly typedPasswords = new Map<string, string>();
  /** The password the logon in progress was given, kept if it fails on the certificate (for the retry after trusting). */
  private readonly givenPasswords = new Map<string, string>();
  /**
   * Per connection, the passwords given to its logons and the tokens its ended sessions were issued (in memory only):
   * whatever a server echoes of them is redacted from messages, the log and raw documents, also after Log Off.
   */
  private readonly pastSecrets = new Map<string, { passwords: string[]; tokens: string[] }>();
  /** Connections whose password was kept for the retry after trusting a certificate. */
  private readonly keptForRetry = new Set<string>();
  /** The failure of a logon inside `loggingOn`: the end reason once the Log On as a whole is over without success. */
  private readonly pendingFailures = new Map<string, unknown>();
  /** Connections whose Log On waits for the user (the certificate question): they read "logging on". */
  private readonly awaitingUser = new Set<string>();
  /** Why a session ended without the user logging off (shown on the connection until the next logon). */
  private readonly endReasons = new Map<string, string>();
  private readonly stateChanged = new vscode.EventEmitter<string>();
  /** Fires with a connection id when its session logs on, expires, logs off or is replaced. */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly sessionEnded = new vscode.EventEmitter<string>();
  /** Fires with a connection id when its session is logged off or dropped (its definition changed). */
  readonly onDidEndSession = this.sessionEnded.event;
  private readonly subscriptions: vscode.Disposable[] = [this.stateChanged, this.sessionEnded];

  constructor(
    private readonly connections: ConnectionStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly host: Host,
    /** Where every exchange of every session is recorded (the request history). */
    private readonly activity?: Pick<Activity, 'record'>,
  ) {
    this.subscriptions.push(connections.onDidChange(() => this.dropChangedSessions()));
  }

  state(connectionId: string): SessionState {
    const state = this.entries.get(connectionId)?.session.state ?? 'loggedOff';
    return state === 'loggedOff' && this.awaitingUser.has(connectionId) ? 'loggingOn' : state;
  }

  /**
   * Runs a Log On that may stop to ask the user something (whether to trust a certificate): meanwhile the connection
   * reads "logging on", and a failure on the way is the connection's end reason only if the whole Log On fails.
   */
  async loggingOn<T>(connectionId: string, work: () => Promise<T>): Promise<T> {
    this.awaitingUser.add(connectionId);
    this.stateChanged.fire(connectionId);
    try {
      return await work();
    } finally {
      this.awaitingUser.delete(connectionId);
      // What a logon that failed on the certificate kept for its retry is not kept past this Log On.
      if (this.keptForRetry.delete(connectionId)) {
        this.oneTimePasswords.delete(connectionId);
        this.typedPasswords.delete(connectionId);
      }
      this.noteFailure(connectionId, this.pendingFailures.get(connectionId));
      this.pendingFailures.delete(connectionId);
      this.stateChanged.fire(connectionId);
    }
  }

  /**
   * A logon failed: its reason is shown on the connection, at once, or, while Log On waits for the user (inside
   * `loggingOn`), once the Log On as a whole is over without success.
   */
  failedLogOn(connectionId: string, err: unknown): void {
    if (this.awaitingUser.has(connectionId)) this.pendingFailures.set(connectionId, err);
    else this.noteFailure(connectionId, err);
  }

  logonInfo(connectionId: string): LogonInfo | undefined {
    const session = this.entries.get(connectionId)?.session;
    return session?.state === 'loggedOn' ? session.logonInfo : undefined;
  }

  endReason(connectionId: string): string | undefined {
    return this.endReasons.get(connectionId);
  }

  /** Use this password for the next logon of the connection instead of the stored one or asking. */
  providePassword(connectionId: string, password: string): void {
    this.oneTimePasswords.set(connectionId, password);
  }

  async logOn(connectionId: string, signal?: AbortSignal): Promise<LogonInfo> {
    const { session } = await this.entry(connectionId);
    return this.keepingTypedPassword(connectionId, () => session.logon(signal));
  }

  /** GET through the connection's session (logging on first if needed: the session re-logs on by itself on expiry). */
  async get(connectionId: string, href: string, signal?: AbortSignal): Promise<Fetched> {
    const { session } = await this.entry(connectionId);
    return this.keepingTypedPassword(connectionId, () => session.get(href, signal));
  }

  /** Sends one action through the connection's session (logging on first if needed): see ApiSession.send. */
  async send(connectionId: string, request: ActionRequest, signal?: AbortSignal): Promise<ActionResult> {
    const { session } = await this.entry(connectionId);
    return this.keepingTypedPassword(connectionId, () => session.send(request, signal));
  }

  /** Follows a task an action started to its end: see ApiSession.follow. */
  async follow(connectionId: string, task: TrackedTask, options?: FollowOptions): Promise<TaskOutcome> {
    const { session } = await this.entry(connectionId);
    return this.keepingTypedPassword(connectionId, () => session.follow(task, options));
  }

  /** Sends a task's server-side cancel; false when its API has none: see ApiSession.cancel. */
  async cancel(connectionId: string, task: TrackedTask, signal?: AbortSignal): Promise<boolean> {
    const { session } = await this.entry(connectionId);
    return this.keepingTypedPassword(connectionId, () => session.cancel(task, signal));
  }

  /** The server's own OpenAPI document (VSPC, VBR), read again from where the logon found it; undefined when there is none. */
  async apiDocument(connectionId: string, signal?: AbortSignal): Promise<RawResponse | undefined> {
    const { session } = await this.entry(connectionId);
    return this.keepingTypedPassword(connectionId, () => session.apiDocument(signal));
  }

  /** Runs work that may log on; a password typed for it is stored when the session is then logged on, dropped otherwise. */
  private async keepingTypedPassword<T>(connectionId: string, work: () => Promise<T>): Promise<T> {
    let certificateRefused = false;
    try {
      const result = await work();
      this.pendingFailures.delete(connectionId);
      if (this.endReasons.delete(connectionId)) this.stateChanged.fire(connectionId);
      return result;
    } catch (caught) {
      // A server's message may echo a token or the password: nothing shown or logged after this holds them.
      const err = redactError(caught, this.secretsOf(connectionId));
      certificateRefused = err instanceof ApiError && err.kind === 'tls';
      this.failedLogOn(connectionId, err);
      throw err;
    } finally {
      const given = this.givenPasswords.get(connectionId);
      this.givenPasswords.delete(connectionId);
      const state = this.entries.get(connectionId)?.session.state ?? 'loggedOff';
      if (certificateRefused && state === 'loggedOff' && this.awaitingUser.has(connectionId)) {
        // Refused on the certificate, not the password: the password the user gave serves the retry after trusting.
        if (given !== undefined) {
          this.oneTimePasswords.set(connectionId, given);
          this.keptForRetry.add(connectionId);
        }
      } else {
        const typed = this.typedPasswords.get(connectionId);
        if (typed !== undefined && state !== 'loggingOn') {
          this.typedPasswords.delete(connectionId);
          if (state === 'loggedOn') await this.connections.storePassword(connectionId, typed);
        }
      }
    }
  }

  /** A logon that left the connection logged off: its reason is shown on the connection (not the user's own cancel). */
  private noteFailure(connectionId: string, err: unknown): void {
    if (this.state(connectionId) !== 'loggedOff' || !(err instanceof ApiError) || err.kind === 'cancelled') return;
    if (err instanceof AuthError && err.reason === 'no-password') return;
    this.endReasons.set(connectionId, wordError(err).message);
    this.stateChanged.fire(connectionId);
  }

  /** Deletes the session on the server and forgets it; the next logon builds a new one from the current settings. */
  async logOff(connectionId: string, signal?: AbortSignal): Promise<void> {
    this.endReasons.delete(connectionId);
    const entry = this.entries.get(connectionId);
    if (!entry) return;
    this.entries.delete(connectionId);
    try {
      await entry.session.logoff(signal);
    } finally {
      await this.close(entry);
      this.stateChanged.fire(connectionId);
      this.sessionEnded.fire(connectionId);
    }
  }

  /** Logs every session off, giving up after `timeoutMs` (closing the window must not hang). */
  async logOffAll(timeoutMs: number): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      await Promise.allSettled([...this.entries.keys()].map((id) => this.logOff(id, controller.signal)));
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    for (const entry of this.entries.values()) void this.close(entry);
    this.entries.clear();
    for (const s of this.subscriptions) s.dispose();
  }

  private async entry(connectionId: string): Promise<Entry> {
    // The settings event may arrive after an update resolved: never use a session of an outdated definition.
    this.dropChangedSessions();
    const existing = this.entries.get(connectionId);
    if (existing) return existing;
    let pending = this.creating.get(connectionId);
    if (!pending) {
      pending = this.create(connectionId).finally(() => this.creating.delete(connectionId));
      this.creating.set(connectionId, pending);
    }
    return pending;
  }

  private async create(connectionId: string): Promise<Entry> {
    const def = this.connections.get(connectionId);
    if (!def) throw new ApiError('usage', vscode.l10n.t('This connection no longer exists.'));
    if (cleartextRefused(def)) throw cleartextRefusal(def);
    const transport = await this.transportFor(def);
    // Set on the object, not spread into a copy: its getters (maxBodyBytes) are read at each request.
    transport.onExchange = (exchange) => this.record(connectionId, exchange, session);
    const session = createSession(def, transport, () => this.passwordFor(connectionId));
    const unsubscribe = session.onStateChange((state) => {
      this.log.info(`${def.name}: ${state}`);
      if (state === 'loggedOn' && usesHttp(def)) this.log.warn(cleartextWarning(def));
      this.stateChanged.fire(connectionId);
    });
    const entry: Entry = { def, session, unsubscribe };
    this.entries.set(connectionId, entry);
    return entry;
  }

  private async transportFor(def: ConnectionDefinition): Promise<TransportOptions> {
    const timeoutSeconds = requestTimeoutSeconds();
    let ca: string | undefined;
    if (def.caFile) {
      const path = def.caFile.replace(/^~(?=$|[\\/])/, homedir());
      try {
        ca = await readFile(path, 'utf8');
      } catch (err) {
        throw new ApiError(
          'tls',
          vscode.l10n.t('Cannot read the CA file {0} of connection "{1}": {2}', path, def.name, (err as Error).message),
          vscode.l10n.t('Edit the connection and give the path of a PEM file.'),
        );
      }
    }
    return {
      timeoutMs: timeoutSeconds * 1000,
      // Read at each request: raising the limit after a "too large" error works without logging on again.
      get maxBodyBytes() {
        return maxResponseBytes();
      },
      ca,
      fingerprint: def.trustedFingerprint,
      proxy: def.proxy === 'direct' ? 'direct' : proxySettings(),
      log: (line) => this.log.info(this.redacted(def.id, line)),
      userAgent: 'veeam-api-explorer-vscode',
      notice: (notice) => this.notice(def, notice),
    };
  }

  /** On the progress of the task that waits, else in the status bar for a while; logged either way. */
  private notice(def: ConnectionDefinition, notice: WaitNotice): void {
    const message = vscode.l10n.t('The server asked to slow down; retrying in {0} s…', notice.seconds);
    this.log.warn(`${def.name}: ${message}`);
    if (!reportToRunningProgress(message)) {
      const showFor = Math.min(notice.seconds + 2, 120) * 1000;
      this.host.setStatusBarMessage(`$(watch) ${vscode.l10n.t('{0}: {1}', def.name, message)}`, showFor);
    }
  }

  private async passwordFor(connectionId: string): Promise<string | undefined> {
    const oneTime = this.oneTimePasswords.get(connectionId);
    if (oneTime !== undefined) {
      this.oneTimePasswords.delete(connectionId);
      return this.given(connectionId, oneTime);
    }
    const def = this.connections.get(connectionId);
    if (!def) return undefined;
    const stored = await this.connections.storedPassword(def);
    if (stored !== undefined) return this.given(connectionId, stored);
    const typed = await askForPassword(this.host, def);
    if (typed !== undefined && def.storePassword !== false) this.typedPasswords.set(connectionId, typed);
    return typed === undefined ? undefined : this.given(connectionId, typed);
  }

  private given(connectionId: string, password: string): string {
    this.givenPasswords.set(connectionId, password);
    this.remember(connectionId, 'passwords', [password]);
    return password;
  }

  /** Every secret of a connection in the forms redaction needs: its passwords with the user name, and every token. */
  secretsOf(connectionId: string): Secret[] {
    const user = this.entries.get(connectionId)?.def.username ?? this.connections.get(connectionId)?.username ?? '';
    const past = this.pastSecrets.get(connectionId);
    return [...(past?.passwords ?? []).map((password) => ({ user, password })), ...(past?.tokens ?? []), ...(this.entries.get(connectionId)?.session.secrets() ?? [])];
  }

  /** Keeps an exchange in the history, redacted with the connection's secrets and its session's (also once it ended). */
  private record(connectionId: string, exchange: Exchange, session: ApiSession): void {
    if (!this.activity) return;
    this.activity.record(connectionId, redactExchange(exchange, [...this.secretsOf(connectionId), ...session.secrets()]));
  }

  /** The text with every secret of the connection redacted. */
  private redacted(connectionId: string, text: string): string {
    return redactText(text, this.secretsOf(connectionId));
  }

  private remember(connectionId: string, kind: 'passwords' | 'tokens', values: readonly string[]): void {
    let past = this.pastSecrets.get(connectionId);
    if (!past) this.pastSecrets.set(connectionId, (past = { passwords: [], tokens: [] }));
    const list = past[kind];
    for (const value of values) if (!list.includes(value)) list.push(value);
    list.splice(0, Math.max(0, list.length - SECRETS_KEPT));
  }

  /** A session belongs to the definition it was built from: when that changes, log it off and start over. */
  private dropChangedSessions(): void {
    for (const [id, entry] of [...this.entries]) {
      const now = this.connections.get(id);
      // Also when http:// is no longer allowed (veeamApiExplorer.allowHttp turned off).
      if (now && sessionRelevant(now) === sessionRelevant(entry.def) && !cleartextRefused(now)) continue;
      this.entries.delete(id);
      void entry.session
        .logoff(AbortSignal.timeout(5000))
        .catch((err) => this.log.warn(this.redacted(id, `${entry.def.name}: log off failed: ${String(err)}`)))
        .finally(() => this.close(entry));
      this.stateChanged.fire(id);
      this.sessionEnded.fire(id);
    }
  }

  private async close(entry: Entry): Promise<void> {
    this.remember(entry.def.id, 'tokens', entry.session.secrets());
    entry.unsubscribe();
    try {
      await entry.session.dispose();
    } catch (err) {
      this.log.warn(this.redacted(entry.def.id, `${entry.def.name}: ${String(err)}`));
    }
  }
}

/** What a session is made from: a new name alone needs no new logon. */
function sessionRelevant(def: ConnectionDefinition): string {
  const { name, ...rest } = def;
  void name;
  return JSON.stringify(rest);
}
