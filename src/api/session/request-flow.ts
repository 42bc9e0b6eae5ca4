// The one request flow every Veeam API kind shares: a `Session` holds the state and the credential, and asks its kind
// (a `KindStrategy`, kinds/<kind>/) only what differs between APIs: how to log on, renew and log off, and how its
// bodies and error bodies read.
import { ApiError, AuthError, CancelledError, NetworkError, ProtocolError, TimeoutError } from '../errors';
import { say, type Wording } from '../messages';
import type { Resource } from '../resource';
import { linksOfResource, type LinkNeed, type ScannedLinks } from '../links/walk-links';
import type { ActionRequest, ActionResult, ApiKind, ApiSession, Fetched, FollowOptions, LogonInfo, PasswordProvider, RawResponse, SessionState, TaskOutcome, TrackedTask, TransportOptions } from '../types';
import { followTask } from './actions';
import { recorded } from './history';
import { SHARED_BODY_BYTES as OFF_THREAD_BYTES, withRaw } from '../transport/body';
import { HttpTransport } from '../transport/http';
import { InFlight } from './in-flight';
import { checkContentType, checkHref, parseFailure, refuseStatus, sameOrigin, statusError } from './responses';
import { delay, retryWhileRestarting } from './retry';
import type { Credential, KindContext, KindRequest, KindStrategy } from './strategy';

/** Tokens remembered per session for redaction: a long session renews every hour; older ones are long expired. */
const ISSUED_KEPT = 64;
/** Renew this long before a credential expires (a quarter of a short lifetime), so no request meets an expired one. */
const RENEW_MARGIN_MS = 60_000;
/** 429 answers waited out per request, at most; each wait at most this long. */
const MAX_THROTTLE_RETRIES = 3;
const MAX_THROTTLE_WAIT_S = 60;
/** A 429 that does not say how long to wait is waited out this long. */
const DEFAULT_THROTTLE_WAIT_S = 5;
const ACTION_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Sends of an idempotent action (VSPC's `x-request-id`) after network failures, and the wait before each. */
const IDEMPOTENT_RETRY_WAITS_MS = [1000, 2000];

/** A walk's GET (Session.walkGet): the response as received, and the links the walk follows in it. */
export interface WalkFetched {
  raw: RawResponse;
  links: ScannedLinks;
}

/** A request of the flow: `action` marks one the user sent (history keeps its body); `idempotent` may be sent again. */
type FlowRequest = KindRequest & { action?: boolean; idempotent?: boolean };

/**
 * A logged-on conversation with one server, for any kind: one logon at a time, GETs of the same URL shared, the
 * credential renewed ahead of expiry and on 401 (one renewal in flight), a 429 waited out when the kind says so,
 * credentials only ever to the session's own origin, and every session the server issued ended on logoff.
 */
export class Session<C extends Credential = Credential> implements ApiSession {
  readonly kind: ApiKind;
  readonly origin: string;
  private readonly originSlash: string;
  private currentState: SessionState = 'loggedOff';
  private readonly listeners = new Set<(state: SessionState) => void>();
  private readonly http: HttpTransport;
  /** Default verification, no credentials: for links that point to another origin. */
  private foreignHttp?: HttpTransport;
  /** GETs of the same URL at the same time are one request. */
  private readonly inFlight = new InFlight<Fetched>();
  /** The same for a walk's GETs (walkGet). */
  private readonly walkInFlight = new InFlight<WalkFetched>();
  private readonly logons = new InFlight<LogonInfo>();
  /** Every token the server issued to this session, newest last (bounded): what must never be shown. */
  private readonly issued: string[] = [];
  private credential?: C;
  private info?: LogonInfo;
  private pendingLogon?: Promise<LogonInfo>;
  private pendingRenewal?: Promise<void>;
  /**
   * Credentials dropped after a 401 while a whole new logon replaced them. Usually gone on the server already; if the
   * new one is refused too, the 401s did not mean that, and these are ended with it.
   */
  private replaced: C[] = [];
  /** Set when the server refused a credential right after it was issued: what requests are told until the user logs on. */
  private refusal?: { message: Wording; hint?: Wording };
  /** What the kind may use of this session. */
  private readonly context: KindContext;

  constructor(
    private readonly strategy: KindStrategy<C>,
    private readonly transport: TransportOptions,
    password: PasswordProvider,
    def: KindContext['def'],
  ) {
    this.kind = strategy.kind;
    this.origin = new URL(strategy.baseUrl).origin;
    this.originSlash = `${this.origin}/`;
    this.http = new HttpTransport(transport);
    this.context = {
      def,
      origin: this.origin,
      log: (line) => this.log(line),
      password,
      send: (request, signal, credential) => this.exchange(request, signal, credential),
      keepSecrets: (...values) => this.keepSecrets(...values),
      isOwnOrigin: (url) => this.isOwnOrigin(url),
      parse: (raw, signal) => this.parse(raw, signal),
      statusError: (raw, what) => this.statusError(raw, what),
    };
  }

  get state(): SessionState {
    return this.currentState;
  }

  get logonInfo(): LogonInfo | undefined {
    return this.info;
  }

  /** The tokens this session was issued, current and past (the last `ISSUED_KEPT`): for redaction, never for display. */
  secrets(): readonly string[] {
    return this.issued;
  }

  onStateChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Log on (or return the current logon): the user's own request, so also after the server refused a new session. */
  logon(signal?: AbortSignal): Promise<LogonInfo> {
    this.refusal = undefined;
    return this.currentLogon(signal);
  }

  /** GET a URL: the same URL asked for again while it runs shares the one request. */
  async get(href: string, signal?: AbortSignal): Promise<Fetched> {
    const url = checkHref(href);
    return this.inFlight.run(`${this.strategy.accept} ${url}`, signal, (shared) => this.fetch(url, shared));
  }

  /**
   * GET a URL for a walk: the response and the links the walk follows in it (see links/), read without the body's
   * model when the kind can; else from the full parser. Everything else as `get`: origin rules, renewal, 429s, the
   * status and content checks, cancellation, the history.
   */
  async walkGet(href: string, need: LinkNeed, signal?: AbortSignal): Promise<WalkFetched> {
    const url = checkHref(href);
    return this.walkInFlight.run(`${need} ${this.strategy.accept} ${url}`, signal, async (shared) => {
      const raw = await this.receive(url, shared);
      checkContentType(raw, this.strategy.bodies.accepted, this.strategy.bodies.expected);
      // A large body of which only the next page is wanted: read on the parser thread, a list as a plan (its items
      // found, none read), rather than decoded and scanned whole on this one.
      if (need === 'next' && raw.body.length >= OFF_THREAD_BYTES) return { raw, links: linksOfResource(await this.parseChecked(raw, shared), need) };
      let links: ScannedLinks | undefined;
      try {
        links = this.strategy.links?.(raw, need);
      } catch {
        // Not text, or anything else the scan does not read: the parser says what is wrong with it.
        links = undefined;
      }
      return { raw, links: links ?? linksOfResource(await this.parseChecked(raw, shared), need) };
    });
  }

  /** One action, deliberately: see ApiSession.send. */
  async send(request: ActionRequest, signal?: AbortSignal): Promise<ActionResult> {
    if (!ACTION_METHODS.has(request.method)) throw new ProtocolError(say('action.not-a-method', { method: String(request.method) }), undefined, request.url);
    const url = checkHref(request.url);
    if (!this.isOwnOrigin(url)) throw new ProtocolError(say('action.foreign-origin', { url, origin: this.origin }), undefined, url);
    const actions = this.strategy.actions;
    // One set per user action: each send of it (after a 401, a 429 or a network failure) carries the same id.
    const headers: Record<string, string> = { ...actions?.idempotencyHeaders?.() };
    const body = request.body ? request.body : undefined;
    if (body !== undefined) headers['Content-Type'] = request.contentType ?? this.strategy.accept;
    const idempotent = actions?.idempotencyHeaders !== undefined;
    await this.requestLogon(signal, url);
    let raw: RawResponse;
    try {
      raw = await this.deliver({ method: request.method, url, headers, body, action: true, idempotent }, signal);
    } catch (err) {
      if (!idempotent && (err instanceof NetworkError || err instanceof TimeoutError)) {
        const Kind = err instanceof NetworkError ? NetworkError : TimeoutError;
        throw new Kind(err.wording, say('action.not-sent-again'), url, { cause: err });
      }
      throw err;
    }
    this.refuseStatus(raw);
    let resource: Resource | undefined;
    if (raw.body.length > 0) {
      try {
        resource = await this.parse(raw, signal);
      } catch (err) {
        // The action ran: an answer that does not parse is still its answer, shown raw.
        if (err instanceof CancelledError) throw err;
        this.log(`The answer to ${request.method} ${url} did not parse: ${(err as Error).message}`);
      }
    }
    return { raw, resource, task: actions?.trackedTask(raw, resource) };
  }

  /** Reads a task until it ends: see ApiSession.follow. */
  follow(task: TrackedTask, options?: FollowOptions): Promise<TaskOutcome> {
    const actions = this.strategy.actions;
    if (!actions) return Promise.reject(new ProtocolError(say('action.no-following'), undefined, task.url));
    return followTask(
      {
        origin: this.origin,
        actions,
        get: (url, signal) => this.get(url, signal),
        isOwnOrigin: (url) => this.isOwnOrigin(url),
        errorMessage: (body) => this.strategy.errorMessage(body),
        log: (line) => this.log(line),
      },
      task,
      options,
    );
  }

  /** The server-side cancel of a task, when its API has one. */
  async cancel(task: TrackedTask, signal?: AbortSignal): Promise<boolean> {
    if (!task.cancel) return false;
    await this.send({ method: task.cancel.method, url: task.cancel.url }, signal);
    return true;
  }

  /** The server's own OpenAPI document: see ApiSession.apiDocument. */
  async apiDocument(signal?: AbortSignal): Promise<RawResponse | undefined> {
    await this.requestLogon(signal, this.strategy.baseUrl);
    const url = this.strategy.apiDocumentUrl;
    if (!url || !this.isOwnOrigin(url)) return undefined;
    const raw = await this.deliver({ method: 'GET', url }, signal);
    this.refuseStatus(raw);
    return raw;
  }

  /** Ends every session the server issued to this one, and forgets the credential. Never throws. */
  async logoff(signal?: AbortSignal): Promise<void> {
    const held = [...this.replaced];
    if (this.credential) held.push(this.credential);
    this.replaced = [];
    this.refusal = undefined;
    this.forget();
    if (held.length) await this.strategy.logoff(this.context, held, signal);
  }

  async dispose(): Promise<void> {
    this.listeners.clear();
    await Promise.all([this.http.close(), this.foreignHttp?.close()]);
  }

  private async fetch(url: string, signal: AbortSignal | undefined): Promise<Fetched> {
    const raw = await this.receive(url, signal);
    return { resource: await this.parse(raw, signal), raw };
  }

  /** A GET's response, its status checked and its body not empty; to another origin without the credentials. */
  private async receive(url: string, signal: AbortSignal | undefined): Promise<RawResponse> {
    let raw: RawResponse;
    if (!this.isOwnOrigin(url)) {
      // Never send the credential to another origin: fetch it as an anonymous request.
      raw = await this.fetchForeign(url, { Accept: this.strategy.accept }, signal);
    } else {
      // Logged on (the usual case): no wait for the logon.
      if (!this.info || !this.credential || this.refusal) await this.requestLogon(signal, url);
      raw = await this.deliver({ method: 'GET', url }, signal);
    }
    this.refuseStatus(raw);
    if (raw.status === 204 || raw.body.length === 0) {
      throw withRaw(new ProtocolError(say('response.empty', { url: raw.url, status: raw.status }), undefined, raw.url), raw);
    }
    return raw;
  }

  /** A request to the session's own origin with a valid credential, its 429s waited out when the kind says how long. */
  private async deliver(request: FlowRequest, signal: AbortSignal | undefined): Promise<RawResponse> {
    const { url } = request;
    let { raw, used } = await this.authorized(request, signal);
    for (let attempt = 1; raw.status === 429 && this.strategy.throttleSeconds && attempt <= MAX_THROTTLE_RETRIES; attempt++) {
      const wait = Math.min(MAX_THROTTLE_WAIT_S, Math.max(1, this.strategy.throttleSeconds(raw) ?? DEFAULT_THROTTLE_WAIT_S));
      this.log(`Throttled by ${this.origin} (429); waiting ${wait} s before retry ${attempt} of ${MAX_THROTTLE_RETRIES}.`);
      this.transport.notice?.({ code: 'throttled', seconds: wait });
      await delay(wait * 1000, signal, url);
      ({ raw, used } = await this.authorized(request, signal));
    }
    // The current credential works: the ones it replaced were really gone.
    if (used === this.credential) this.replaced = [];
    return raw;
  }

  /** A request with a valid credential: renewed ahead of expiry, and once on 401 (a refused request did not run). */
  private async authorized(request: FlowRequest, signal: AbortSignal | undefined): Promise<{ raw: RawResponse; used: C }> {
    const { url } = request;
    const current = this.credential;
    if (current?.expiresAt !== undefined) {
      const margin = Math.min(RENEW_MARGIN_MS, (current.lifetimeMs ?? 0) / 4);
      if (current.expiresAt - Date.now() < margin) await this.renew(current, signal, url);
    }
    // The current credential when nothing renews it (the usual case), without a wait.
    const used = this.credential && !this.pendingRenewal ? this.credential : await this.usableCredential(signal, url);
    const raw = await this.attempt(request, signal, used);
    if (raw.status !== 401) return { raw, used };
    // Expired or ended on the server: one renewal (shared with whoever else hit it) and one retry.
    this.log(`${this.origin} refused the session (401); renewing it.`);
    await this.renew(used, signal, url);
    const renewed = await this.usableCredential(signal, url);
    const retried = await this.attempt(request, signal, renewed);
    if (retried.status === 401) throw withRaw(await this.refused(renewed, url), retried);
    return { raw: retried, used: renewed };
  }

  /** One send; an idempotent action is sent again after a network failure (with the same headers, so it runs once). */
  private async attempt(request: FlowRequest, signal: AbortSignal | undefined, credential: C): Promise<RawResponse> {
    // Sent once (every GET): the exchange's own promise, without a try around it.
    if (!request.idempotent) return this.exchange(request, signal, credential, request.action ? 'action' : 'get');
    for (let n = 0; ; n++) {
      try {
        return await this.exchange(request, signal, credential, request.action ? 'action' : 'get');
      } catch (err) {
        const wait = IDEMPOTENT_RETRY_WAITS_MS[n];
        if (!request.idempotent || wait === undefined || !(err instanceof NetworkError || err instanceof TimeoutError) || signal?.aborted) throw err;
        this.log(`${request.method} ${request.url} failed (${err.message}); sending it again with the same request id in ${wait / 1000} s.`);
        await delay(wait, signal, request.url);
      }
    }
  }

  private async usableCredential(signal: AbortSignal | undefined, url: string): Promise<C> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.pendingRenewal) await this.pendingRenewal.catch(() => undefined);
      if (!this.credential) await this.requestLogon(signal, url);
      if (this.credential) return this.credential;
    }
    throw new AuthError('expired', say('session.not-kept', { origin: this.origin }), say('hint.log-on-again'));
  }

  /** One renewal at a time, unless someone already replaced the expired credential. */
  private renew(expired: C, signal: AbortSignal | undefined, url: string): Promise<void> {
    if (this.credential && this.credential !== expired) return Promise.resolve();
    const refused = this.refusedError(url);
    if (refused) return Promise.reject(refused);
    this.pendingRenewal ??= this.renewal(expired, signal, url).finally(() => {
      this.pendingRenewal = undefined;
    });
    return this.pendingRenewal;
  }

  /** A refresh when the kind has one; else new credentials from the password, or a whole new logon. */
  private async renewal(expired: C, signal: AbortSignal | undefined, url: string): Promise<void> {
    const { strategy, context } = this;
    if (strategy.refresh && this.credential === expired) {
      try {
        await this.adopt(await strategy.refresh(context, expired, signal), expired, url);
        this.log(`Session renewed for ${this.origin}.`);
        return;
      } catch (err) {
        if (err instanceof ApiError && (err.kind === 'cancelled' || err.kind === 'network' || err.kind === 'timeout' || err.kind === 'tls')) throw err;
        this.log(`${this.origin} refused the renewal; logging on again.`);
      }
    }
    if (strategy.relogon) {
      const password = await context.password();
      if (password === undefined) {
        this.forget();
        throw new AuthError('no-password', say('session.expired-no-password'), say('hint.log-on-again'), strategy.baseUrl);
      }
      let renewed: C;
      try {
        renewed = await retryWhileRestarting(() => strategy.relogon!(context, password, signal), signal, this.transport.log);
      } catch (err) {
        if (this.credential === expired) this.forget();
        throw err;
      }
      await this.adopt(renewed, expired, url);
      return;
    }
    if (this.credential === expired && !this.pendingLogon) {
      this.replaced.push(expired);
      this.credential = undefined;
      this.info = undefined;
    }
    await retryWhileRestarting(() => this.requestLogon(signal, url), signal, this.transport.log);
  }

  /**
   * Takes a renewed credential in place of the expired one, unless the session was logged off (or logged on afresh)
   * while it was being renewed: then the server is told to end it at once, and the request is over.
   */
  private async adopt(renewed: C, expired: C, url: string): Promise<void> {
    if (this.credential === expired) {
      this.credential = renewed;
      return;
    }
    await this.strategy.logoff(this.context, [renewed]);
    throw new CancelledError(url);
  }

  /**
   * A credential refused right after it was renewed: the server turns sessions away, and 401 does not mean "expired"
   * here. Whoever sees it first stops the logons (until the user logs on) and ends every session this one replaced.
   */
  private async refused(credential: C, url: string): Promise<AuthError> {
    const err = new AuthError('expired', this.strategy.refused.message, this.strategy.refused.hint, url, 401);
    if (this.credential !== credential) return err;
    const held = [...this.replaced, credential];
    this.replaced = [];
    this.refusal = { message: err.wording, hint: err.hintWording };
    this.forget();
    this.log(`${this.origin} refused a session right after issuing it; no more logons until Log On. Ending the ${held.length} session(s) it issued.`);
    await this.strategy.logoff(this.context, held);
    return err;
  }

  /** The current logon, or a new one shared by everyone who needs it. */
  private currentLogon(signal?: AbortSignal): Promise<LogonInfo> {
    if (this.info && this.credential) return Promise.resolve(this.info);
    return this.sharedLogon(signal);
  }

  /**
   * The logon a request needs: refused at once after the server refused a brand-new session, so a server that turns
   * every session away costs one new logon per expiry, not one per request. `logon()` (the user) or `logoff()` ends that.
   */
  private requestLogon(signal: AbortSignal | undefined, url?: string): Promise<LogonInfo> {
    const refused = this.refusedError(url);
    return refused ? Promise.reject(refused) : this.currentLogon(signal);
  }

  /** The error a request gets while the server refuses new sessions; undefined otherwise. */
  private refusedError(url?: string): AuthError | undefined {
    return this.refusal && new AuthError('expired', this.refusal.message, this.refusal.hint, url, 401);
  }

  /**
   * One logon at a time: whoever needs a session while it runs waits for the same one, and it is cancelled only when
   * every one of them cancels; a failure forgets everything.
   */
  private sharedLogon(signal: AbortSignal | undefined): Promise<LogonInfo> {
    return this.logons.run('logon', signal, (shared) => {
      this.setState('loggingOn');
      // A kind's logon takes a signal; one nobody can cancel when no caller can (logons are few).
      const pending: Promise<LogonInfo> = this.newLogon(shared ?? new AbortController().signal).then(
        ({ credential, info }) => {
          this.credential = credential;
          this.info = info;
          if (this.pendingLogon === pending) this.pendingLogon = undefined;
          this.setState('loggedOn');
          return info;
        },
        (err: unknown) => {
          // A logon everyone gave up on must not undo one that started since.
          if (this.pendingLogon !== pending) throw err;
          this.pendingLogon = undefined;
          this.forget();
          throw err;
        },
      );
      this.pendingLogon = pending;
      return pending;
    });
  }

  /** The kind's own logon; or a credential from the password (`relogon`) and what the tree shows first (`describe`). */
  private async newLogon(signal: AbortSignal): Promise<{ credential: C; info: LogonInfo }> {
    const { strategy, context } = this;
    if (strategy.logon) return strategy.logon(context, signal);
    if (!strategy.relogon || !strategy.describe) throw new Error(`The ${strategy.kind} kind has no way to log on.`);
    const password = await context.password();
    if (password === undefined) {
      throw new AuthError('no-password', say('logon.no-password', { user: context.def.username }), say('hint.enter-password'), strategy.baseUrl);
    }
    if (signal.aborted) throw new CancelledError(strategy.baseUrl);
    const credential = await strategy.relogon(context, password, signal);
    try {
      return { credential, info: await strategy.describe(context, credential, signal) };
    } catch (err) {
      // The server issued a credential to a logon that failed: end it rather than forget it.
      await strategy.logoff(context, [credential]);
      throw err;
    }
  }

  /** Drops the credential and the logon, and says the session is logged off. */
  private forget(): void {
    this.credential = undefined;
    this.info = undefined;
    this.setState('loggedOff');
  }

  private setState(state: SessionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const l of [...this.listeners]) l(state);
  }

  /** Remembers tokens the server issued, so whatever echoes them can be redacted. */
  private keepSecrets(...values: Array<string | undefined>): void {
    for (const value of values) {
      if (!value || this.issued.includes(value)) continue;
      this.issued.push(value);
      if (this.issued.length > ISSUED_KEPT) this.issued.shift();
    }
  }

  /** True when the URL belongs to this session's origin (scheme, host and port). */
  private isOwnOrigin(href: string): boolean {
    // A URL that starts with the origin and a slash has that origin (the origin is normalised: lower case, no default
    // port); any other is parsed.
    return href.startsWith(this.originSlash) || sameOrigin(href, this.origin);
  }

  /**
   * A request through this session's transport; the credential's headers only to its own origin. `what` says what the
   * history keeps: a GET's or an action's answer (and an action's body), or, for a logon, renewal or logoff, no body.
   */
  private exchange(request: KindRequest, signal?: AbortSignal, credential?: Credential, what: 'credentials' | 'get' | 'action' = 'credentials'): Promise<RawResponse> {
    const headers: Record<string, string> = { Accept: this.strategy.accept, ...request.headers };
    if (this.isOwnOrigin(request.url)) {
      Object.assign(headers, this.strategy.requestHeaders?.());
      if (credential) Object.assign(headers, credential.headers);
    }
    const sent = this.http.send({ method: request.method, url: request.url, headers, body: request.body, signal });
    return recorded(this.transport, sent, request, what);
  }

  /** GET a URL of another origin: never with this session's credentials. */
  private fetchForeign(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<RawResponse> {
    // A pinned certificate belongs to this connection's server only; a CA bundle is a wider trust choice and applies.
    this.foreignHttp ??= new HttpTransport({ ...this.transport, fingerprint: undefined });
    return recorded(this.transport, this.foreignHttp.send({ method: 'GET', url, headers, signal }), { method: 'GET', url }, 'get');
  }

  private async parse(raw: RawResponse, signal?: AbortSignal): Promise<Resource> {
    checkContentType(raw, this.strategy.bodies.accepted, this.strategy.bodies.expected);
    return this.parseChecked(raw, signal);
  }

  /** The kind's parse of a body whose content type was checked; a failure names the status and carries the response. */
  private async parseChecked(raw: RawResponse, signal?: AbortSignal): Promise<Resource> {
    try {
      return await this.strategy.parse(raw, signal);
    } catch (err) {
      throw parseFailure(err, raw);
    }
  }

  private statusError(raw: RawResponse, what?: Wording): ApiError {
    return statusError(this.strategy, this.origin, raw, what);
  }

  /** A 403 or any status from 300 on, as the error it is (carrying the response). */
  private refuseStatus(raw: RawResponse): void {
    refuseStatus(this.strategy, this.origin, raw);
  }

  private log(line: string): void {
    this.transport.log?.(line);
  }
}
