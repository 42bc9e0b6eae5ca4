import { ApiError, ProtocolError } from './errors';
import { HttpTransport } from './http';
import type { LogonInfo, RawResponse, SessionState, TransportOptions } from './session';

/** State, listeners and the credential-free transport for foreign links: what EM and VSPC sessions share. */
export abstract class SessionBase {
  private currentState: SessionState = 'loggedOff';
  private readonly listeners = new Set<(state: SessionState) => void>();
  protected readonly http: HttpTransport;
  /** Default verification, no credentials: for links that point to another origin. */
  private foreignHttp?: HttpTransport;

  constructor(
    readonly origin: string,
    protected readonly transport: TransportOptions,
  ) {
    this.http = new HttpTransport(transport);
  }

  get state(): SessionState {
    return this.currentState;
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

  /** True while a logon runs (everyone who needs the session waits for it). */
  protected get loggingOn(): boolean {
    return this.pendingLogon !== undefined;
  }

  /** One logon at a time: whoever needs a session while `doLogon` runs waits for the same one; a failure forgets everything. */
  protected sharedLogon(doLogon: () => Promise<LogonInfo>): Promise<LogonInfo> {
    if (!this.pendingLogon) {
      this.setState('loggingOn');
      this.pendingLogon = doLogon().then(
        (info) => {
          this.pendingLogon = undefined;
          this.setState('loggedOn');
          return info;
        },
        (err: unknown) => {
          this.pendingLogon = undefined;
          this.forget();
          throw err;
        },
      );
    }
    return this.pendingLogon;
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
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    throw new ProtocolError(`The link “${href.slice(0, 200)}” is not an absolute URL; it was not followed.`, undefined, href);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ProtocolError(`The link “${href.slice(0, 200)}” uses ${url.protocol} and was not followed.`, undefined, href);
  }
  return url.href;
}

/** The error, carrying the response that caused it (so the user can still view it raw). */
export function withRaw<E extends ApiError>(err: E, raw: RawResponse): E {
  err.raw = raw;
  return err;
}

/** A response header (names are lower-case in RawResponse). */
export function header(raw: RawResponse, name: string): string | undefined {
  return raw.headers.find(([n]) => n === name)?.[1];
}

/** True when the body is an HTML page (a proxy's error page, a login portal) rather than API data. */
export function isHtml(raw: RawResponse): boolean {
  if (raw.contentType && /text\/html/i.test(raw.contentType)) return true;
  return /^\s*<(!doctype html|html)/i.test(raw.body.subarray(0, 512).toString('utf8'));
}
