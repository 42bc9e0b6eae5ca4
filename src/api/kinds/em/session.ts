import { ApiError, AuthError, CancelledError, HttpStatusError, ProtocolError } from '../../errors';
import type { Resource } from '../../resource';
import { checkContentType, checkHref, header, isHtml, parseFailure, parseInput, redirectError, retryWhileRestarting, SessionBase, withRaw } from '../../session/session-base';
import type {
  ApiSession,
  ConnectionDefinition,
  Fetched,
  LogonInfo,
  PasswordProvider,
  RawResponse,
  Representation,
  TransportOptions,
} from '../../session';
import { readEmErrorMessage } from './parser';

/** What an Enterprise Manager session needs of the shared body parser. */
export interface EmBodyParser {
  parse(job: { kind: 'em'; raw: ReturnType<typeof parseInput> }, signal?: AbortSignal): Promise<Resource>;
}

const SESSION_HEADER = 'X-RestSvcSessionId';
const ROLE_HINT =
  'Check the user name and password. If they are right, the account may have no Enterprise Manager role: ' +
  'give it Portal Administrator, Portal User or Restore Operator in Enterprise Manager (Configuration → Roles).';
/** What a request is told when EM refused a brand-new session (and the session stops logging on by itself). */
const REFUSED = 'Enterprise Manager refused the session right after a new logon, so it is not logging on again by itself.';
const REFUSED_HINT = 'Log on again to retry. If it happens again, a proxy may be in the way, or the account may have lost its Enterprise Manager role.';

/** A logon session the client holds or held: its token and the URL that deletes it. */
interface HeldSession {
  token: string;
  href?: string;
}

/** Where Enterprise Manager's REST API listens unless set up otherwise. */
export const EM_URL_DEFAULTS = { port: 9398, path: '/api/' } as const;

/** `https://host` or `https://host:9398/api` → `https://host:9398/api/` (EM's default port and path). */
export function emBaseUrl(url: string): string {
  const u = new URL(url.includes('://') ? url : `https://${url}`);
  if (!u.port && u.protocol === 'https:' && !/^https:\/\/[^/]+:443(\/|$)/.test(url)) u.port = String(EM_URL_DEFAULTS.port);
  // The API root (where logon starts) is /api/, whatever resource the URL points to.
  const at = u.pathname.indexOf('/api');
  u.pathname = at > 0 ? `${u.pathname.slice(0, at)}${EM_URL_DEFAULTS.path}` : EM_URL_DEFAULTS.path;
  u.search = '';
  u.hash = '';
  return u.href;
}

/** An Enterprise Manager logon session: X-RestSvcSessionId token in memory, one re-logon on expiry. */
export class EmSession extends SessionBase implements ApiSession {
  readonly kind = 'em' as const;
  private readonly baseUrl: string;
  private readonly accept: string;
  private token?: string;
  private info?: LogonInfo;
  /**
   * Sessions dropped after a 401 while a new logon replaced them. Usually gone on the server already; if the new
   * session is refused too, the 401s did not mean that, and these are deleted with it.
   */
  private replaced: HeldSession[] = [];

  constructor(
    private readonly def: ConnectionDefinition,
    transport: TransportOptions,
    private readonly password: PasswordProvider,
    /** The body parser the registry gives every session (it parses large bodies off this thread). */
    private readonly bodyParser: EmBodyParser,
  ) {
    const baseUrl = emBaseUrl(def.url);
    super(new URL(baseUrl).origin, transport);
    this.baseUrl = baseUrl;
    this.accept = acceptHeader(def.representation);
  }

  get logonInfo(): LogonInfo | undefined {
    return this.info;
  }

  protected currentLogon(signal?: AbortSignal): Promise<LogonInfo> {
    if (this.info && this.token) return Promise.resolve(this.info);
    return this.sharedLogon(signal, (shared) => this.doLogon(shared));
  }

  private async doLogon(signal?: AbortSignal): Promise<LogonInfo> {
    // The documented flow: the root lists the Create link of the logon session.
    const rootRaw = await this.http.send({ method: 'GET', url: this.baseUrl, headers: { Accept: this.accept }, signal });
    let createHref = `${this.origin}/api/sessionMngr/?v=latest`;
    let supported: string[] = [];
    if (rootRaw.status === 200) {
      const root = await this.parse(rootRaw, signal);
      const create = root.links.find((l) => l.rel === 'Create' && (l.type === 'LogonSession' || /sessionMngr/i.test(l.href)));
      if (create && this.isOwnOrigin(create.href)) createHref = create.href;
      supported = supportedVersions(root);
    } else {
      throw this.statusError(rootRaw, 'The Enterprise Manager API root');
    }
    const password = await this.password();
    if (password === undefined) {
      throw new AuthError('no-password', `No password was given for ${this.def.username}.`, 'Log on again and enter the password.', createHref);
    }
    if (signal?.aborted) throw new CancelledError(createHref);
    const basic = Buffer.from(`${this.def.username}:${password}`, 'utf8').toString('base64');
    const raw = await this.http.send({
      method: 'POST',
      url: createHref,
      headers: { Accept: this.accept, Authorization: `Basic ${basic}`, 'Content-Length': '0' },
      signal,
    });
    if (raw.status === 401) {
      throw withRaw(
        new AuthError('credentials', `Enterprise Manager refused the logon of ${this.def.username}.`, ROLE_HINT, createHref, 401),
        raw,
      );
    }
    if (raw.status === 403) {
      throw withRaw(
        new AuthError('role', `${this.def.username} may not use the Enterprise Manager REST API.`, ROLE_HINT, createHref, 403),
        raw,
      );
    }
    if (raw.status !== 201 && raw.status !== 200) throw this.statusError(raw, 'Logon');
    const token = header(raw, 'x-restsvcsessionid');
    this.keepSecrets(token);
    if (!token) {
      throw withRaw(new ProtocolError(`The logon answered ${raw.status} without an ${SESSION_HEADER} header.`, 'A proxy may be stripping headers.', createHref), raw);
    }
    let root: Resource;
    try {
      root = await this.parse(raw, signal);
    } catch (err) {
      // The server opened a session the client cannot use: delete it. Its Href is in the body that could not be
      // read; the documented Location header names the same /api/logonSessions/{id}.
      await this.dropSession({ token, href: this.logonSessionHref(header(raw, 'location'), createHref) });
      throw err;
    }
    const version = new URL(createHref).searchParams.get('v') ?? undefined;
    this.token = token;
    this.info = {
      userName: fieldValue(root, 'UserName') ?? this.def.username,
      apiVersion: version === 'latest' || !version ? supported[supported.length - 1] ?? version : version,
      root,
      raw,
    };
    return this.info;
  }

  /** GET a URL: the same URL asked for again while it runs shares the one request. */
  async get(href: string, signal?: AbortSignal): Promise<Fetched> {
    const url = checkHref(href);
    return this.inFlight.run(`${this.accept} ${url}`, signal, (shared) => this.fetch(url, shared));
  }

  private async fetch(url: string, signal: AbortSignal): Promise<Fetched> {
    if (!this.isOwnOrigin(url)) {
      // Never send the session to another origin: fetch it as an anonymous request.
      return this.finish(await this.fetchForeign(url, { Accept: this.accept }, signal), signal);
    }
    let token = await this.currentToken(signal, url);
    let raw = await this.http.send({ method: 'GET', url, headers: { Accept: this.accept, [SESSION_HEADER]: token }, signal });
    if (raw.status === 401) {
      // Expired or deleted on the server: one re-logon (shared with whoever else hit it) and one retry.
      this.transport.log?.(`Session expired on ${this.origin}; logging on again.`);
      await this.relogon(token, signal, url);
      token = await this.currentToken(signal, url);
      raw = await this.http.send({ method: 'GET', url, headers: { Accept: this.accept, [SESSION_HEADER]: token }, signal });
      if (raw.status === 401) throw withRaw(await this.refused(token, url), raw);
    }
    // The current session works: the ones it replaced were really gone.
    if (token === this.token) this.replaced = [];
    return this.finish(raw, signal);
  }

  private async currentToken(signal: AbortSignal | undefined, url: string): Promise<string> {
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.requestLogon(signal, url);
      if (this.token) return this.token;
    }
    throw new AuthError('expired', `Could not keep a session with ${this.origin}.`, 'Log on again.');
  }

  /** Re-logon unless someone already replaced the expired token. */
  private async relogon(expiredToken: string, signal: AbortSignal | undefined, url: string): Promise<void> {
    if (this.token === expiredToken && !this.loggingOn) {
      this.replaced.push({ token: expiredToken, href: this.sessionHref() });
      this.token = undefined;
      this.info = undefined;
    }
    await retryWhileRestarting(() => this.requestLogon(signal, url), signal, this.transport.log);
  }

  /**
   * A session refused right after its logon: the server turns sessions away, and 401 does not mean "expired" here.
   * Whoever sees it first stops the logons (until the user logs on) and deletes every session this one replaced.
   */
  private async refused(token: string, url: string): Promise<AuthError> {
    const err = new AuthError('expired', REFUSED, REFUSED_HINT, url, 401);
    if (this.token !== token) return err;
    const held = [...this.replaced, { token, href: this.sessionHref() }];
    this.replaced = [];
    this.refuse(err);
    this.forget();
    this.transport.log?.(`${this.origin} refused a new session right after the logon; no more logons until Log On. Deleting the ${held.length} session(s) opened.`);
    await Promise.all(held.map((session) => this.dropSession(session)));
    return err;
  }

  /** Where this session's logon session is deleted: its Delete link, or its own Href. */
  private sessionHref(): string | undefined {
    return this.info?.root.links.find((l) => l.rel === 'Delete')?.href ?? this.info?.root.href;
  }

  /** The logon session a Location header names, when it is one of this origin's `/api/logonSessions/{id}`. */
  private logonSessionHref(location: string | undefined, base: string): string | undefined {
    if (!location) return undefined;
    try {
      const href = new URL(location, base).href;
      return this.isOwnOrigin(href) && /\/logonSessions\/[^/?#]+\/?$/i.test(new URL(href).pathname) ? href : undefined;
    } catch {
      return undefined;
    }
  }

  /** DELETE a logon session the client no longer uses. Never throws: what cannot be deleted idles out on the server. */
  private async dropSession(session: HeldSession, signal?: AbortSignal): Promise<void> {
    const idles = 'the server ends it after 15 minutes without use';
    if (!session.href || !this.isOwnOrigin(session.href)) {
      this.transport.log?.(`A logon session on ${this.origin} could not be named, so it could not be deleted; ${idles}.`);
      return;
    }
    try {
      const raw = await this.http.send({ method: 'DELETE', url: session.href, headers: { Accept: this.accept, [SESSION_HEADER]: session.token }, signal });
      if (raw.status >= 300 && raw.status !== 401 && raw.status !== 404) this.transport.log?.(`Deleting the logon session on ${this.origin} answered ${raw.status}; ${idles}.`);
    } catch (err) {
      // The session is forgotten locally either way.
      this.transport.log?.(`Log off from ${this.origin} failed: ${(err as Error).message}; ${idles}.`);
    }
  }

  private async finish(raw: RawResponse, signal?: AbortSignal): Promise<Fetched> {
    if (raw.status === 403) {
      const server = readEmErrorMessage(raw.body.toString('utf8'));
      throw withRaw(
        new AuthError('forbidden', `Forbidden: ${server ?? 'your Enterprise Manager role does not allow this.'}`, 'Ask for a role that allows it (Portal Administrator sees everything).', raw.url, 403),
        raw,
      );
    }
    if (raw.status >= 300) throw this.statusError(raw);
    if (raw.status === 204 || raw.body.length === 0) {
      throw withRaw(new ProtocolError(`${raw.url} answered ${raw.status} with an empty body.`, undefined, raw.url), raw);
    }
    return { resource: await this.parse(raw, signal), raw };
  }

  private async parse(raw: RawResponse, signal?: AbortSignal): Promise<Resource> {
    checkContentType(raw, /xml|json/i, 'Enterprise Manager XML or JSON');
    try {
      return await this.bodyParser.parse({ kind: 'em', raw: parseInput(raw) }, signal);
    } catch (err) {
      throw parseFailure(err, raw);
    }
  }

  private statusError(raw: RawResponse, what?: string): ApiError {
    const body = raw.body.toString('utf8');
    const server = readEmErrorMessage(body);
    if (raw.status >= 300 && raw.status < 400) return redirectError(raw, this.origin);
    if (isHtml(raw)) {
      return withRaw(
        new HttpStatusError(raw.status, `${what ?? raw.url} answered ${raw.status} ${raw.statusText} with an HTML page, not Enterprise Manager XML or JSON.`, 'A proxy or another web service may be answering on this address.', raw.url),
        raw,
      );
    }
    const label = what ?? raw.url;
    const message = server ? `${label}: ${raw.status} ${raw.statusText} — ${server}` : `${label} answered ${raw.status} ${raw.statusText}.`.replace(' .', '.');
    return withRaw(new HttpStatusError(raw.status, message, statusHint(raw.status), raw.url, server), raw);
  }

  async logoff(signal?: AbortSignal): Promise<void> {
    const held: HeldSession[] = [...this.replaced];
    if (this.token) held.push({ token: this.token, href: this.sessionHref() });
    this.replaced = [];
    this.clearRefusal();
    this.forget();
    await Promise.all(held.map((session) => this.dropSession(session, signal)));
  }

  protected forget(): void {
    this.token = undefined;
    this.info = undefined;
    this.setState('loggedOff');
  }

}

function acceptHeader(representation: Representation | undefined): string {
  return representation === 'json' ? 'application/json' : 'application/xml';
}

function statusHint(status: number): string | undefined {
  if (status === 404) return 'The resource does not exist (any more), or this Enterprise Manager version does not have it.';
  if (status === 405) return 'The resource does not allow this method.';
  if (status === 503) return 'The Enterprise Manager service is unavailable; try again later.';
  if (status >= 500) return 'The server failed; its log may say more.';
  return undefined;
}

function fieldValue(resource: Resource, name: string): string | undefined {
  return resource.fields.find((f) => f.name === name)?.value;
}

function supportedVersions(root: Resource): string[] {
  const holder = root.fields.find((f) => f.name === 'SupportedVersions');
  const names: string[] = [];
  const visit = (fields: readonly { name: string; value?: string; children?: unknown[] }[] | undefined) => {
    for (const f of fields ?? []) {
      if (f.name === 'Name' && f.value && /^v\d+_\d+$/.test(f.value)) names.push(f.value);
      visit(f.children as typeof fields);
    }
  };
  visit(holder?.children);
  return names.sort((a, b) => versionNumber(a) - versionNumber(b));
}

function versionNumber(v: string): number {
  const [, major, minor] = /^v(\d+)_(\d+)$/.exec(v) ?? [];
  return Number(major) * 1000 + Number(minor);
}
