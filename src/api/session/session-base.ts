import { ApiError, AuthError, CancelledError, HttpStatusError, NetworkError, ProtocolError } from '../errors';
import { HttpTransport } from '../transport/http';
import { bodyText, header, withRaw } from '../transport/body';
import { InFlight } from './in-flight';

export { bodyText, header, withRaw };
import type { Fetched, LogonInfo, RawResponse, SessionState, TransportOptions } from '../session';
import { readHref } from '../resource';

/** Tokens remembered per session for redaction: a long session renews every hour; older ones are long expired. */
const ISSUED_KEPT = 64;

/** State, listeners and the credential-free transport for foreign links: what EM and VSPC sessions share. */
export abstract class SessionBase {
  private currentState: SessionState = 'loggedOff';
  private readonly listeners = new Set<(state: SessionState) => void>();
  protected readonly http: HttpTransport;
  /** Default verification, no credentials: for links that point to another origin. */
  private foreignHttp?: HttpTransport;
  /** GETs of the same URL at the same time are one request. */
  protected readonly inFlight = new InFlight<Fetched>();
  /** Every token the server issued to this session, newest last (bounded): what must never be shown. */
  private readonly issued: string[] = [];

  constructor(
    readonly origin: string,
    protected readonly transport: TransportOptions,
  ) {
    this.http = new HttpTransport(transport);
  }

  get state(): SessionState {
    return this.currentState;
  }

  /** The tokens this session was issued, current and past (the last `ISSUED_KEPT`): for redaction, never for display. */
  secrets(): readonly string[] {
    return this.issued;
  }

  /** Remembers tokens the server issued, so whatever echoes them can be redacted. */
  protected keepSecrets(...values: Array<string | undefined>): void {
    for (const value of values) {
      if (!value || this.issued.includes(value)) continue;
      this.issued.push(value);
      if (this.issued.length > ISSUED_KEPT) this.issued.shift();
    }
  }

  onStateChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  protected setState(state: SessionState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const l of [...this.listeners]) l(state);
  }

  private pendingLogon?: Promise<LogonInfo>;
  private readonly logons = new InFlight<LogonInfo>();
  /** Set when the server refused a session right after a new logon: what requests are told until the user logs on. */
  private refusal?: { message: string; hint?: string };

  /** Log on (or return the current logon): the user's own request, so also after the server refused a new session. */
  logon(signal?: AbortSignal): Promise<LogonInfo> {
    this.refusal = undefined;
    return this.currentLogon(signal);
  }

  /** The current logon, or a new one shared by everyone who needs it. */
  protected abstract currentLogon(signal?: AbortSignal): Promise<LogonInfo>;

  /**
   * The logon a request needs: refused at once after the server refused a brand-new session, so a server that turns
   * every session away costs one new logon per expiry, not one per request. `logon()` (the user) or `logoff()` ends that.
   */
  protected requestLogon(signal: AbortSignal | undefined, url?: string): Promise<LogonInfo> {
    const refused = this.refusedError(url);
    return refused ? Promise.reject(refused) : this.currentLogon(signal);
  }

  /** The error a request gets while the server refuses new sessions; undefined otherwise. */
  protected refusedError(url?: string): AuthError | undefined {
    return this.refusal && new AuthError('expired', this.refusal.message, this.refusal.hint, url, 401);
  }

  /** The server refused a session right after a new logon: requests get this error, and no logon, until the user logs on. */
  protected refuse(err: AuthError): void {
    this.refusal = { message: err.message, hint: err.hint };
  }

  /** The user logged off: the next request may log on again. */
  protected clearRefusal(): void {
    this.refusal = undefined;
  }

  /** True while a logon runs (everyone who needs the session waits for it). */
  protected get loggingOn(): boolean {
    return this.pendingLogon !== undefined;
  }

  /**
   * One logon at a time: whoever needs a session while `doLogon` runs waits for the same one, and it is
   * cancelled only when every one of them cancels; a failure forgets everything.
   */
  protected sharedLogon(signal: AbortSignal | undefined, doLogon: (signal: AbortSignal) => Promise<LogonInfo>): Promise<LogonInfo> {
    return this.logons.run('logon', signal, (shared) => {
      this.setState('loggingOn');
      const pending: Promise<LogonInfo> = doLogon(shared).then(
        (info) => {
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

  /** Drops the credentials and the logon, and says the session is logged off. */
  protected abstract forget(): void;

  /** True when the URL belongs to this session's origin (scheme, host and port). */
  protected isOwnOrigin(href: string): boolean {
    return sameOrigin(href, this.origin);
  }

  /** GET a URL of another origin: never with this session's credentials. */
  protected fetchForeign(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<RawResponse> {
    // A pinned certificate belongs to this connection's server only; a CA bundle is a wider trust choice and applies.
    this.foreignHttp ??= new HttpTransport({ ...this.transport, fingerprint: undefined });
    return this.foreignHttp.send({ method: 'GET', url, headers, signal });
  }

  async dispose(): Promise<void> {
    this.listeners.clear();
    await Promise.all([this.http.close(), this.foreignHttp?.close()]);
  }
}

export function sameOrigin(href: string, origin: string): boolean {
  try {
    return new URL(href).origin === origin;
  } catch {
    return false;
  }
}

/** Only absolute http(s) URLs are fetched: a `javascript:`, `file:` or relative href is refused. */
export function checkHref(href: string): string {
  const read = readHref(href);
  if ('url' in read) return read.url;
  const shown = href.slice(0, 200);
  const message =
    read.refused === 'control'
      ? `The link “${shown}” holds control characters; it was not followed.`
      : read.refused === 'relative'
        ? `The link “${shown}” is not an absolute URL; it was not followed.`
        : `The link “${shown}” uses ${read.scheme} and was not followed.`;
  throw new ProtocolError(message, undefined, href);
}

/** True when the body is an HTML page (a proxy's error page, a login portal) rather than API data. */
export function isHtml(raw: RawResponse): boolean {
  if (raw.contentType && /text\/html/i.test(raw.contentType)) return true;
  return /^\s*<(!doctype html|html)/i.test(raw.body.subarray(0, 512).toString('utf8'));
}

/**
 * Refuses an HTML page (a proxy's error page, a login portal) and a body labelled as something else than the API
 * sends (`accepted` matches the Content-Type; none is let through); `expected` names what the API sends.
 */
export function checkContentType(raw: RawResponse, accepted: RegExp, expected: string): void {
  if (isHtml(raw)) {
    throw withRaw(new ProtocolError(`${raw.url} answered ${raw.status} with an HTML page, not ${expected}.`, 'A proxy or another web service may be answering on this address.', raw.url), raw);
  }
  const type = raw.contentType?.split(';')[0].trim();
  if (!type || accepted.test(type)) return;
  throw withRaw(
    new ProtocolError(`${raw.url} answered ${raw.status} with Content-Type “${type.slice(0, 100)}”, not ${expected}.`, 'A proxy or another web service may be answering on this address; the raw response shows what it sent.', raw.url),
    raw,
  );
}

/** A parser's error for a response: it names the HTTP status (unless it already says what was answered) and carries the response. */
export function parseFailure(err: unknown, raw: RawResponse): unknown {
  if (!(err instanceof ApiError)) return err;
  if (err instanceof ProtocolError && !err.message.includes(`answered ${raw.status}`)) {
    return withRaw(new ProtocolError(`${err.message} (HTTP ${raw.status})`, err.hint, raw.url, { cause: err }), raw);
  }
  return withRaw(err, raw);
}

/** A 3xx: never followed (it would take the credentials along); a move to another origin is said to be one. */
export function redirectError(raw: RawResponse, origin: string): HttpStatusError {
  const location = header(raw, 'location');
  let target: string | undefined;
  try {
    target = location ? new URL(location, raw.url).href : undefined;
  } catch {
    target = undefined;
  }
  const message = !target
    ? `${raw.url} redirected (${raw.status}) ${location ? `to “${location.slice(0, 200)}”, which is not a valid URL` : 'without saying where to'}; it was not followed.`
    : sameOrigin(target, origin)
      ? `${raw.url} redirected (${raw.status}) to ${target}; redirects are not followed, so the credentials are never sent again on the server’s say-so.`
      : `${raw.url} redirected (${raw.status}) to another origin, ${target}; it was not followed, and no credentials were sent there.`;
  const hint = target && !sameOrigin(target, origin) ? 'If the server has really moved, change the connection’s URL; otherwise a proxy or portal may be redirecting.' : 'Use the address the server redirects to in the connection.';
  return withRaw(new HttpStatusError(raw.status, message, hint, raw.url), raw);
}

/** Waits, or ends at once with a CancelledError when the signal aborts. */
export function delay(ms: number, signal: AbortSignal | undefined, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError(url));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError(url));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Attempts and the wait before each retry, for a new logon after the server dropped the session. */
const RESTART_ATTEMPTS = 3;
const RESTART_BACKOFF_MS = [500, 1500];

/**
 * A new logon after the server dropped the session meets a server that may be restarting: a refused or reset
 * connection, or 502/503/504, is tried again twice, 0.5 s then 1.5 s later. Anything else fails at once.
 */
export async function retryWhileRestarting<T>(attempt: () => Promise<T>, signal: AbortSignal | undefined, log?: (line: string) => void): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const transient = err instanceof NetworkError || (err instanceof HttpStatusError && err.status >= 502 && err.status <= 504);
      if (!transient || n >= RESTART_ATTEMPTS) throw err;
      const wait = RESTART_BACKOFF_MS[n - 1];
      log?.(`Logging on again failed (${(err as ApiError).message}); attempt ${n + 1} of ${RESTART_ATTEMPTS} in ${wait / 1000} s.`);
      await delay(wait, signal, err.url ?? '');
    }
  }
}

/** What a parser needs of a response (the rest stays on this thread). */
export function parseInput(raw: RawResponse): Pick<RawResponse, 'body' | 'url' | 'status' | 'contentType'> {
  return { body: raw.body, url: raw.url, status: raw.status, contentType: raw.contentType };
}
