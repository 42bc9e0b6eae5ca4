import { randomBytes } from 'node:crypto';
import { ApiError, AuthError, CancelledError, HttpStatusError, ProtocolError } from '../../errors';
import type { Resource } from '../../resource';
import type {
  ApiSession,
  ConnectionDefinition,
  Fetched,
  LogonInfo,
  PasswordProvider,
  RawResponse,
  TransportOptions,
} from '../../session';
import { checkContentType, checkHref, delay, parseFailure, parseInput, header, isHtml, redirectError, retryWhileRestarting, SessionBase, withRaw } from '../../session/session-base';
import { apiUrl, VspcNavigation } from './navigation';
import { VSPC_COLLECTIONS, type VspcCollection } from './navigation-map';
import { OPENAPI_DOCUMENT_PATHS, type OpenApiReading } from './openapi';
import { readRetryAfter, readVspcErrorMessage } from './parser';

/** What a Service Provider Console session needs of the shared body parser. */
export interface VspcBodyParser {
  parse(
    job: { kind: 'vspc'; raw: ReturnType<typeof parseInput>; baseUrl: string; collections: readonly VspcCollection[]; revision: string },
    signal?: AbortSignal,
  ): Promise<Resource>;
  readOpenApi(input: { body: Uint8Array; known: readonly VspcCollection[] }, url: string, signal?: AbortSignal): Promise<OpenApiReading>;
}

/** Refresh this long before the access token expires (a quarter of a short lifetime), so no request meets an expired one. */
const REFRESH_MARGIN_MS = 60_000;
/** 429 answers waited out per request, at most; each wait at most this long. */
const MAX_THROTTLE_RETRIES = 3;
const MAX_THROTTLE_WAIT_S = 60;
/** A 429 that does not say how long to wait (no `retryAfter`, no Retry-After header) is waited out this long. */
const DEFAULT_THROTTLE_WAIT_S = 5;
/** What a request is told when the server refused tokens right after renewing them. */
const REFUSED = 'Service Provider Console refused the session right after renewing it, so it is not logging on again by itself.';

interface Tokens {
  access: string;
  refresh?: string;
  expiresAt: number;
  lifetimeMs: number;
  /** Which logon flow issued them: refresh the same way. */
  flow: 'oauth' | 'legacy';
}

/** Where the Service Provider Console's REST API listens unless set up otherwise. */
export const VSPC_URL_DEFAULTS = { port: 1280, path: '/api/v3/' } as const;

/** `vspc.example` or `https://vspc.example:1280/api/v3/companies` → `https://vspc.example:1280/api/v3/`. */
export function vspcBaseUrl(url: string): string {
  const u = new URL(url.includes('://') ? url : `https://${url}`);
  if (!u.port && u.protocol === 'https:' && !/^https:\/\/[^/]+:443(\/|$)/.test(url)) u.port = String(VSPC_URL_DEFAULTS.port);
  const at = u.pathname.indexOf('/api/v3');
  u.pathname = at >= 0 ? `${u.pathname.slice(0, at)}${VSPC_URL_DEFAULTS.path}` : VSPC_URL_DEFAULTS.path;
  u.search = '';
  u.hash = '';
  return u.href;
}

/**
 * A Service Provider Console session: OAuth tokens in memory, refreshed before expiry and on 401 (one refresh at a
 * time), a fresh logon when the refresh token is refused; `/authentication/usernamepassword` for servers without `/token`.
 */
export class VspcSession extends SessionBase implements ApiSession {
  readonly kind = 'vspc' as const;
  readonly baseUrl: string;
  /** The shipped map, or the one made from the server's own OpenAPI document once it has been read. */
  private navigation: VspcNavigation;
  private navigationFromServer = false;
  private tokens?: Tokens;
  private info?: LogonInfo;
  private pendingRenewal?: Promise<void>;

  constructor(
    private readonly def: ConnectionDefinition,
    transport: TransportOptions,
    private readonly password: PasswordProvider,
    /** The body parser the registry gives every session (it parses large bodies off this thread). */
    private readonly bodyParser: VspcBodyParser,
    navigation = new VspcNavigation(),
  ) {
    const baseUrl = vspcBaseUrl(def.url);
    super(new URL(baseUrl).origin, transport);
    this.baseUrl = baseUrl;
    this.navigation = navigation;
  }

  get logonInfo(): LogonInfo | undefined {
    return this.info;
  }

  protected currentLogon(signal?: AbortSignal): Promise<LogonInfo> {
    if (this.info && this.tokens) return Promise.resolve(this.info);
    return this.sharedLogon(signal, (shared) => this.doLogon(shared));
  }

  private async doLogon(signal?: AbortSignal): Promise<LogonInfo> {
    const password = await this.password();
    if (password === undefined) {
      throw new AuthError('no-password', `No password was given for ${this.def.username}.`, 'Log on again and enter the password.', this.baseUrl);
    }
    if (signal?.aborted) throw new CancelledError(this.baseUrl);
    const tokens = await this.requestTokens(password, signal);
    this.tokens = tokens;
    let user: Resource;
    let me: RawResponse;
    try {
      me = await this.send('GET', apiUrl(this.baseUrl, '/users/me'), signal);
      if (me.status !== 200) throw this.statusError(me, 'Reading the logged-on user');
      user = await this.parse(me, signal);
      if (!this.navigationFromServer) await this.readServerDocument(signal);
    } catch (err) {
      // The server issued tokens to a logon that failed: revoke them rather than forget them.
      await this.revoke(tokens.access);
      throw err;
    }
    const root: Resource = this.navigation.root(this.baseUrl);
    root.fields = user.fields;
    this.info = {
      userName: fieldValue(user, 'userName') ?? fieldValue(user, 'login') ?? this.def.username,
      apiVersion: `v3 (${this.navigation.revision})`,
      root,
      raw: me,
    };
    return this.info;
  }

  /** The server's own OpenAPI document, when it publishes one, replaces the shipped navigation map. */
  private async readServerDocument(signal?: AbortSignal): Promise<void> {
    for (const path of OPENAPI_DOCUMENT_PATHS) {
      const url = new URL(path, this.origin).href;
      try {
        const raw = await this.send('GET', url, signal);
        if (raw.status !== 200 || isHtml(raw)) continue;
        // Bounded and linear; on the parser thread when large (a document of megabytes is too long a task for this one).
        const { collections, revision, refused } = await this.bodyParser.readOpenApi({ body: raw.body, known: VSPC_COLLECTIONS }, raw.url, signal);
        if (refused) {
          this.transport.log?.(`The API document at ${url} ${refused}; the tree follows the map shipped with the extension.`);
          return;
        }
        if (!collections) continue;
        this.navigation = new VspcNavigation(collections, revision ?? this.navigation.revision);
        this.navigationFromServer = true;
        this.transport.log?.(`${this.origin} publishes its API document (${collections.length} collections): the tree follows it.`);
        return;
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        // No document there (or not one we can read): the shipped map serves.
      }
    }
  }

  /** POST /token with the password; falls back to the older /authentication/usernamepassword when there is none. */
  private async requestTokens(password: string, signal?: AbortSignal): Promise<Tokens> {
    const form = new URLSearchParams({ grant_type: 'password', username: this.def.username, password });
    const tokenUrl = apiUrl(this.baseUrl, '/token');
    const raw = await this.http.send({
      method: 'POST',
      url: tokenUrl,
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      signal,
    });
    if (raw.status === 404 || raw.status === 405) {
      this.transport.log?.(`${this.origin} has no /token endpoint; using /authentication/usernamepassword.`);
      return this.legacyLogon(password, signal);
    }
    return this.readTokens(raw, 'oauth', tokenUrl);
  }

  private async legacyLogon(password: string, signal?: AbortSignal): Promise<Tokens> {
    const url = apiUrl(this.baseUrl, '/authentication/usernamepassword');
    const { body, contentType } = multipart({ username: this.def.username, password });
    const raw = await this.http.send({ method: 'POST', url, headers: { Accept: 'application/json', 'Content-Type': contentType }, body, signal });
    return this.readTokens(raw, 'legacy', url);
  }

  /** Reads an OAuth body (`access_token`…) or a legacy envelope (`data[0].accessToken`…). */
  private readTokens(raw: RawResponse, flow: Tokens['flow'], url: string): Tokens {
    const server = readVspcErrorMessage(raw.body.toString('utf8'));
    if (raw.status === 400 || raw.status === 401 || raw.status === 403) {
      throw withRaw(
        new AuthError(
          'credentials',
          `Service Provider Console refused the logon of ${this.def.username}${server ? `: ${server}` : '.'}`,
          'Check the user name (DOMAIN\\user for Windows accounts) and the password, and that the account may use the REST API.',
          url,
          raw.status,
        ),
        raw,
      );
    }
    if (raw.status !== 200 && raw.status !== 201) throw this.statusError(raw, 'Logon');
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw withRaw(new ProtocolError(`The logon answer from ${url} is not JSON.`, undefined, url), raw);
    }
    const data = Array.isArray(body.data) ? body.data[0] : body.data;
    const src = (data && typeof data === 'object' ? data : body) as Record<string, unknown>;
    const access = str(src.access_token) ?? str(src.accessToken);
    const refresh = str(src.refresh_token) ?? str(src.refreshToken);
    const mfa = str(src.mfa_token) ?? str(src.mfaToken);
    this.keepSecrets(access, refresh, mfa, str(src.encrypted_code));
    if (!access && mfa) {
      throw withRaw(
        new AuthError('mfa', `${this.def.username} has multi-factor authentication enabled, which this extension does not support yet.`, 'Use an account without MFA for the REST API (a dedicated API user is good practice).', url),
        raw,
      );
    }
    if (!access) throw withRaw(new ProtocolError(`The logon answer from ${url} holds no access token.`, undefined, url), raw);
    const expiresIn = Number(src.expires_in);
    const expiration = str(src.expirationTime) ? Date.parse(str(src.expirationTime)!) : NaN;
    const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : Number.isFinite(expiration) ? expiration : Date.now() + 3600_000;
    return { access, refresh, expiresAt, lifetimeMs: Math.max(0, expiresAt - Date.now()), flow };
  }

  /** GET a URL: the same URL asked for again while it runs shares the one request. */
  async get(href: string, signal?: AbortSignal): Promise<Fetched> {
    const url = checkHref(href);
    return this.inFlight.run(url, signal, (shared) => this.fetch(url, shared));
  }

  private async fetch(url: string, signal: AbortSignal): Promise<Fetched> {
    if (!this.isOwnOrigin(url)) return this.finish(await this.fetchForeign(url, { Accept: 'application/json' }, signal), signal);
    await this.requestLogon(signal, url);
    let raw = await this.authorized(url, signal);
    for (let attempt = 1; raw.status === 429 && attempt <= MAX_THROTTLE_RETRIES; attempt++) {
      const wait = Math.min(MAX_THROTTLE_WAIT_S, Math.max(1, readRetryAfter(raw.body.toString('utf8'), header(raw, 'retry-after')) ?? DEFAULT_THROTTLE_WAIT_S));
      this.transport.log?.(`Throttled by ${this.origin} (429); waiting ${wait} s before retry ${attempt} of ${MAX_THROTTLE_RETRIES}.`);
      this.transport.notice?.({ code: 'throttled', seconds: wait });
      await delay(wait * 1000, signal, url);
      raw = await this.authorized(url, signal);
    }
    return this.finish(raw, signal);
  }

  /** A GET with a valid access token: refreshed ahead of expiry, renewed once on 401. */
  private async authorized(url: string, signal?: AbortSignal): Promise<RawResponse> {
    const margin = this.tokens ? Math.min(REFRESH_MARGIN_MS, this.tokens.lifetimeMs / 4) : 0;
    if (this.tokens && this.tokens.expiresAt - Date.now() < margin) await this.renew(this.tokens.access, signal, url);
    const used = await this.accessToken(signal, url);
    const raw = await this.send('GET', url, signal, used);
    if (raw.status !== 401) return raw;
    this.transport.log?.(`Access token refused by ${this.origin}; renewing it.`);
    await this.renew(used, signal, url);
    const renewed = await this.accessToken(signal, url);
    const retried = await this.send('GET', url, signal, renewed);
    if (retried.status === 401) throw withRaw(await this.refused(renewed, url), retried);
    return retried;
  }

  /**
   * Tokens refused right after they were renewed: the server turns them away, and 401 does not mean "expired" here.
   * Whoever sees it first stops the renewals and logons (until the user logs on) and tries to revoke the tokens.
   */
  private async refused(access: string, url: string): Promise<AuthError> {
    const err = new AuthError('expired', REFUSED, 'Log on again to retry; if it keeps happening, check the account\u2019s role and any proxy in the way.', url, 401);
    if (this.tokens?.access !== access) return err;
    this.refuse(err);
    this.forget();
    this.transport.log?.(`${this.origin} refused its tokens right after renewing them; no more logons until Log On.`);
    await this.revoke(access);
    return err;
  }

  private async accessToken(signal: AbortSignal | undefined, url: string): Promise<string> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.pendingRenewal) await this.pendingRenewal.catch(() => undefined);
      if (!this.tokens) await this.requestLogon(signal, url);
      if (this.tokens) return this.tokens.access;
    }
    throw new AuthError('expired', `Could not keep a session with ${this.origin}.`, 'Log on again.');
  }

  /** One renewal at a time: refresh the tokens, or log on afresh when the refresh token is refused. */
  private renew(expiredAccess: string, signal: AbortSignal | undefined, url: string): Promise<void> {
    if (this.tokens && this.tokens.access !== expiredAccess) return Promise.resolve();
    const refused = this.refusedError(url);
    if (refused) return Promise.reject(refused);
    this.pendingRenewal ??= this.refreshOrLogon(signal).finally(() => {
      this.pendingRenewal = undefined;
    });
    return this.pendingRenewal;
  }

  private async refreshOrLogon(signal?: AbortSignal): Promise<void> {
    const current = this.tokens;
    if (current?.refresh) {
      try {
        this.tokens = await this.refreshTokens(current, signal);
        this.transport.log?.(`Tokens refreshed for ${this.origin}.`);
        return;
      } catch (err) {
        if (err instanceof ApiError && (err.kind === 'cancelled' || err.kind === 'network' || err.kind === 'timeout' || err.kind === 'tls')) throw err;
        this.transport.log?.(`Refresh refused by ${this.origin}; logging on again.`);
      }
    }
    const password = await this.password();
    if (password === undefined) {
      this.forget();
      throw new AuthError('no-password', 'The session expired and no password was given to log on again.', 'Log on again.', this.baseUrl);
    }
    try {
      this.tokens = await retryWhileRestarting(() => this.requestTokens(password, signal), signal, this.transport.log);
    } catch (err) {
      this.forget();
      throw err;
    }
  }

  private async refreshTokens(tokens: Tokens, signal?: AbortSignal): Promise<Tokens> {
    if (tokens.flow === 'oauth') {
      const url = apiUrl(this.baseUrl, '/token');
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh! }).toString();
      const raw = await this.http.send({ method: 'POST', url, headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }, body, signal });
      return this.readTokens(raw, 'oauth', url);
    }
    const url = apiUrl(this.baseUrl, '/authentication/refresh');
    const { body, contentType } = multipart({ refreshToken: tokens.refresh! });
    const raw = await this.http.send({ method: 'POST', url, headers: { Accept: 'application/json', 'Content-Type': contentType }, body, signal });
    return this.readTokens(raw, 'legacy', url);
  }

  /** A request with the bearer token (only ever to this session's origin). */
  private send(method: string, url: string, signal?: AbortSignal, access = this.tokens?.access): Promise<RawResponse> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (access && this.isOwnOrigin(url)) headers.Authorization = `Bearer ${access}`;
    return this.http.send({ method, url, headers, signal });
  }

  private async finish(raw: RawResponse, signal?: AbortSignal): Promise<Fetched> {
    if (raw.status === 403) {
      const server = readVspcErrorMessage(raw.body.toString('utf8'));
      throw withRaw(new AuthError('forbidden', `Forbidden: ${server ?? 'your role does not allow this.'}`, 'Ask for a role that allows it.', raw.url, 403), raw);
    }
    if (raw.status >= 300) throw this.statusError(raw);
    return { resource: await this.parse(raw, signal), raw };
  }

  private async parse(raw: RawResponse, signal?: AbortSignal): Promise<Resource> {
    checkContentType(raw, /json/i, 'Service Provider Console JSON');
    try {
      const { collections, revision } = this.navigation;
      return await this.bodyParser.parse({ kind: 'vspc', raw: parseInput(raw), baseUrl: this.baseUrl, collections, revision }, signal);
    } catch (err) {
      throw parseFailure(err, raw);
    }
  }

  private statusError(raw: RawResponse, what?: string): ApiError {
    const label = what ?? raw.url;
    if (raw.status >= 300 && raw.status < 400) return redirectError(raw, this.origin);
    if (isHtml(raw)) {
      return withRaw(new HttpStatusError(raw.status, `${label} answered ${raw.status} ${raw.statusText} with an HTML page, not Service Provider Console JSON.`, 'A proxy or another web service may be answering on this address.', raw.url), raw);
    }
    const server = readVspcErrorMessage(raw.body.toString('utf8'));
    const hint = raw.status === 520 ? 'The server failed (VSPC reports every server error as 520); its log may say more.' : raw.status === 404 ? 'The resource does not exist, or this server\u2019s API revision does not have it.' : raw.status === 429 ? 'The server is throttling requests; try again in a minute.' : undefined;
    const message = server ? `${label}: ${raw.status} ${raw.statusText} — ${server}` : `${label} answered ${raw.status} ${raw.statusText}.`.replace(' .', '.');
    return withRaw(new HttpStatusError(raw.status, message, hint, raw.url, server), raw);
  }

  /** Revokes this session's tokens (see `revoke`). Never throws. */
  async logoff(signal?: AbortSignal): Promise<void> {
    const access = this.tokens?.access;
    this.clearRefusal();
    this.forget();
    if (access) await this.revoke(access, signal);
  }

  /**
   * Revokes the tokens of the identity this session logged on with: GET /users/me, the user's identities, then
   * DELETE /users/{instanceUid}/tokens?userLoginId={id}. Never throws.
   *
   * Without `userLoginId` that DELETE revokes every token of the user: every other window, command-line run, tool and
   * browser signed in as that user would be logged out too. So when the identity cannot be known (its id is not
   * readable, or no single identity matches) nothing is revoked: the tokens are forgotten here and stay valid on the
   * server until they expire (the access token within the hour), and the log says so. Veeam's API has no way to revoke
   * one token: the identity's other sessions (the same account signed in elsewhere with its password) end too.
   */
  private async revoke(access: string, signal?: AbortSignal): Promise<void> {
    const leave = (why: string) => this.transport.log?.(`Log off from ${this.origin}: ${why}; the token was forgotten here and stays valid until it expires.`);
    try {
      const me = await this.send('GET', apiUrl(this.baseUrl, '/users/me'), signal, access);
      const uid = me.status === 200 ? str(jsonObject(jsonBody(me)?.data)?.instanceUid) : undefined;
      if (!uid) return leave(`reading the logged-on user answered ${me.status}`);
      const identity = await this.identityOf(uid, access, signal);
      if (typeof identity !== 'number') return leave(identity.unknown);
      const del = await this.send('DELETE', apiUrl(this.baseUrl, `/users/${encodeURIComponent(uid)}/tokens?userLoginId=${identity}`), signal, access);
      if (del.status >= 300) leave(`revoking the tokens answered ${del.status}`);
    } catch (err) {
      leave(`it failed (${(err as Error).message})`);
    }
  }

  /**
   * The id of the identity (`userLoginId`) this session logged on with. Neither /users/me nor the token answer names
   * it, so it is read from the user's identities (GET /users/{uid}/logins): the one identity enabled for the REST API
   * whose identifier is the user name this session logged on with. Anything else is "unknown".
   */
  private async identityOf(uid: string, access: string, signal?: AbortSignal): Promise<number | { unknown: string }> {
    const raw = await this.send('GET', apiUrl(this.baseUrl, `/users/${encodeURIComponent(uid)}/logins`), signal, access);
    if (raw.status !== 200) return { unknown: `the user\u2019s identities could not be read (${raw.status}), so which one this session is cannot be known` };
    const body = jsonBody(raw);
    const list = Array.isArray(body?.data) ? (body.data as unknown[]) : undefined;
    if (!list) return { unknown: 'the user\u2019s identities are not a list' };
    const total = jsonObject(jsonObject(body?.meta)?.pagingInfo)?.total;
    if (typeof total === 'number' && total > list.length) return { unknown: 'the user has more identities than one page lists' };
    const name = this.def.username.trim().toLowerCase();
    const matches = list.map(jsonObject).filter((login): login is Record<string, unknown> => {
      if (!login || str(login.identifierInProvider)?.toLowerCase() !== name) return false;
      if (login.status !== undefined && String(login.status).toLowerCase() !== 'enabled') return false;
      return !Array.isArray(login.scopes) || login.scopes.some((scope) => String(scope).toLowerCase() === 'rest');
    });
    if (matches.length !== 1) return { unknown: `${matches.length === 0 ? 'no' : matches.length} identities of the user match the user name it logged on with` };
    const id = matches[0].id;
    // int64 in the document: a number past 2^53 has lost digits in JSON.parse and would name another identity.
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return { unknown: 'the identity has no usable id' };
    return id;
  }

  protected forget(): void {
    this.tokens = undefined;
    this.info = undefined;
    this.setState('loggedOff');
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function jsonObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The response body as a JSON object, or undefined when it is not one. */
function jsonBody(raw: RawResponse): Record<string, unknown> | undefined {
  try {
    return jsonObject(JSON.parse(raw.body.toString('utf8')));
  } catch {
    return undefined;
  }
}

function fieldValue(resource: Resource, name: string): string | undefined {
  return resource.fields.find((f) => f.name === name)?.value;
}

/** A multipart/form-data body of plain text fields. */
function multipart(fields: Record<string, string>): { body: string; contentType: string } {
  const boundary = `----veeam-api-explorer-${randomBytes(12).toString('hex')}`;
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return { body: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

