import { VSPC_ACTIONS } from './actions';
import { scanJsonApiLinks } from '../../links/json-api-links';
import type { LinkNeed, ScannedLinks } from '../../links/walk-links';
import { bodyText } from '../../transport/body';
import { randomBytes } from 'node:crypto';
import { AuthError, ProtocolError } from '../../errors';
import { say, type Wording } from '../../messages';
import type { Resource } from '../../resource';
import type { ConnectionDefinition, LogonInfo, RawResponse } from '../../types';
import { parseInput } from '../../session/responses';
import { findServerDocument } from '../../session/server-document';
import { apiBaseUrl, type Credential, type KindContext, type KindDefinition, type KindStrategy } from '../../session/strategy';
import { header, withRaw } from '../../transport/body';
import { readJsonErrorMessage, readRetryAfter } from '../../openapi/json-body';
import { ApiNavigation, apiUrl, type ApiCollection } from '../../openapi/navigation';
import type { OpenApiReading } from '../../openapi/reader';
import { readNameFilter, withNameFilter } from './filter';
import { VSPC_API_REVISION, VSPC_COLLECTIONS, VSPC_DOCUMENT_PATHS, VSPC_STYLE } from './navigation-map';

/** What a Service Provider Console session needs of the shared body parser. */
export interface VspcBodyParser {
  parse(
    job: { kind: 'vspc'; raw: ReturnType<typeof parseInput>; baseUrl: string; collections: readonly ApiCollection[]; revision: string },
    signal?: AbortSignal,
  ): Promise<Resource>;
  readOpenApi(input: { body: Uint8Array; known: readonly ApiCollection[]; kind: 'vspc' }, url: string, signal?: AbortSignal): Promise<OpenApiReading>;
}

/** OAuth tokens (or the older flow's), refreshed the way they were issued. */
interface VspcCredential extends Credential {
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
  return apiBaseUrl(url, VSPC_URL_DEFAULTS);
}

/**
 * Service Provider Console: OAuth tokens from `/token` (`/authentication/usernamepassword` on servers without it),
 * refreshed with the refresh token, new ones from the password when it is refused; logoff revokes the identity's
 * tokens. The server's own OpenAPI document, read at logon, replaces the shipped map of the API.
 */
class VspcStrategy implements KindStrategy<VspcCredential> {
  readonly kind = 'vspc' as const;
  readonly baseUrl: string;
  readonly accept = 'application/json';
  readonly bodies = { accepted: /json/i, expected: say('vspc.bodies') };
  readonly forbidden = { message: say('vspc.forbidden'), hint: say('hint.role-to-allow') };
  readonly refused = { message: say('vspc.refused'), hint: say('hint.refused-retry') };
  readonly actions = VSPC_ACTIONS;
  /** The shipped map, or the one made from the server's own OpenAPI document once it has been read. */
  private navigation: ApiNavigation;
  private navigationFromServer = false;
  /** Where the server's own OpenAPI document was read, once it was. */
  apiDocumentUrl?: string;

  constructor(
    private readonly def: ConnectionDefinition,
    /** The body parser the registry gives every session (it parses large bodies off this thread). */
    private readonly bodyParser: VspcBodyParser,
    navigation = new ApiNavigation(VSPC_COLLECTIONS, VSPC_API_REVISION, VSPC_STYLE),
  ) {
    this.baseUrl = vspcBaseUrl(def.url);
    this.navigation = navigation;
  }

  /** The logged-on user (`/users/me`) and, once per session, the server's own API document. */
  async describe(ctx: KindContext, credential: VspcCredential, signal: AbortSignal): Promise<LogonInfo> {
    const me = await ctx.send({ method: 'GET', url: apiUrl(this.baseUrl, '/users/me') }, signal, credential);
    if (me.status !== 200) throw ctx.statusError(me, say('step.vspc-user'));
    const user = await ctx.parse(me, signal);
    if (!this.navigationFromServer) await this.readServerDocument(ctx, credential, signal);
    const root: Resource = this.navigation.root(this.baseUrl);
    root.fields = user.fields;
    return {
      userName: fieldValue(user, 'userName') ?? fieldValue(user, 'login') ?? this.def.username,
      apiVersion: `v3 (${this.navigation.revision})`,
      root,
      raw: me,
    };
  }


  /** The server's own OpenAPI document, when it publishes one, replaces the shipped navigation map. */
  private async readServerDocument(ctx: KindContext, credential: VspcCredential, signal: AbortSignal): Promise<void> {
    const urls = () => VSPC_DOCUMENT_PATHS.map((path) => new URL(path, ctx.origin).href);
    const read = (body: Uint8Array, url: string) => this.bodyParser.readOpenApi({ body, known: VSPC_COLLECTIONS, kind: 'vspc' }, url, signal);
    const found = await findServerDocument(ctx, urls, credential, read, signal);
    if (typeof found !== 'object') return;
    this.navigation = new ApiNavigation(found.collections, found.revision ?? this.navigation.revision, VSPC_STYLE);
    this.navigationFromServer = true;
    this.apiDocumentUrl = found.url;
  }


  /** POST /token with the password; falls back to the older /authentication/usernamepassword when there is none. */
  async relogon(ctx: KindContext, password: string, signal?: AbortSignal): Promise<VspcCredential> {
    const form = new URLSearchParams({ grant_type: 'password', username: this.def.username, password });
    const tokenUrl = apiUrl(this.baseUrl, '/token');
    const raw = await ctx.send({ method: 'POST', url: tokenUrl, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString() }, signal);
    if (raw.status === 404 || raw.status === 405) {
      ctx.log(`${ctx.origin} has no /token endpoint; using /authentication/usernamepassword.`);
      const url = apiUrl(this.baseUrl, '/authentication/usernamepassword');
      const { body, contentType } = multipart({ username: this.def.username, password });
      const legacy = await ctx.send({ method: 'POST', url, headers: { 'Content-Type': contentType }, body }, signal);
      return this.readTokens(ctx, legacy, 'legacy', url);
    }
    return this.readTokens(ctx, raw, 'oauth', tokenUrl);
  }

  async refresh(ctx: KindContext, tokens: VspcCredential, signal?: AbortSignal): Promise<VspcCredential> {
    if (!tokens.refresh) throw new AuthError('expired', say('session.no-refresh-token'), undefined, this.baseUrl);
    if (tokens.flow === 'oauth') {
      const url = apiUrl(this.baseUrl, '/token');
      const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh }).toString();
      const raw = await ctx.send({ method: 'POST', url, headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body }, signal);
      return this.readTokens(ctx, raw, 'oauth', url);
    }
    const url = apiUrl(this.baseUrl, '/authentication/refresh');
    const { body, contentType } = multipart({ refreshToken: tokens.refresh });
    const raw = await ctx.send({ method: 'POST', url, headers: { 'Content-Type': contentType }, body }, signal);
    return this.readTokens(ctx, raw, 'legacy', url);
  }

  /** Reads an OAuth body (`access_token`…) or a legacy envelope (`data[0].accessToken`…). */
  private readTokens(ctx: KindContext, raw: RawResponse, flow: VspcCredential['flow'], url: string): VspcCredential {
    const server = readJsonErrorMessage(raw.body.toString('utf8'));
    if (raw.status === 400 || raw.status === 401 || raw.status === 403) {
      throw withRaw(
        new AuthError(
          'credentials',
          server ? say('vspc.logon-refused-says', { user: this.def.username, server }) : say('vspc.logon-refused', { user: this.def.username }),
          say('hint.vspc-credentials'),
          url,
          raw.status,
        ),
        raw,
      );
    }
    if (raw.status !== 200 && raw.status !== 201) throw ctx.statusError(raw, say('step.logon'));
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw withRaw(new ProtocolError(say('logon.not-json', { url }), undefined, url), raw);
    }
    const data = Array.isArray(body.data) ? body.data[0] : body.data;
    const src = (data && typeof data === 'object' ? data : body) as Record<string, unknown>;
    const access = str(src.access_token) ?? str(src.accessToken);
    const refresh = str(src.refresh_token) ?? str(src.refreshToken);
    const mfa = str(src.mfa_token) ?? str(src.mfaToken);
    ctx.keepSecrets(access, refresh, mfa, str(src.encrypted_code));
    if (!access && mfa) {
      throw withRaw(
        new AuthError('mfa', say('vspc.mfa', { user: this.def.username }), say('hint.vspc-mfa'), url),
        raw,
      );
    }
    if (!access) throw withRaw(new ProtocolError(say('logon.no-access-token', { url }), undefined, url), raw);
    const expiresIn = Number(src.expires_in);
    const expiration = str(src.expirationTime) ? Date.parse(str(src.expirationTime)!) : NaN;
    const expiresAt = Number.isFinite(expiresIn) && expiresIn > 0 ? Date.now() + expiresIn * 1000 : Number.isFinite(expiration) ? expiration : Date.now() + 3600_000;
    return { access, refresh, expiresAt, lifetimeMs: Math.max(0, expiresAt - Date.now()), flow, headers: bearer(access).headers };
  }

  /** Revokes the newest tokens' identity (see `revoke`): one revocation ends every token this session was issued. */
  async logoff(ctx: KindContext, held: readonly VspcCredential[], signal?: AbortSignal): Promise<void> {
    const newest = held[held.length - 1];
    if (newest) await this.revoke(ctx, newest.access, signal);
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
  private async revoke(ctx: KindContext, access: string, signal?: AbortSignal): Promise<void> {
    const leave = (why: string) => ctx.log(`Log off from ${ctx.origin}: ${why}; the token was forgotten here and stays valid until it expires.`);
    try {
      const me = await ctx.send({ method: 'GET', url: apiUrl(this.baseUrl, '/users/me') }, signal, bearer(access));
      const uid = me.status === 200 ? str(jsonObject(jsonBody(me)?.data)?.instanceUid) : undefined;
      if (!uid) return leave(`reading the logged-on user answered ${me.status}`);
      const identity = await this.identityOf(ctx, uid, access, signal);
      if (typeof identity !== 'number') return leave(identity.unknown);
      const del = await ctx.send({ method: 'DELETE', url: apiUrl(this.baseUrl, `/users/${encodeURIComponent(uid)}/tokens?userLoginId=${identity}`) }, signal, bearer(access));
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
  private async identityOf(ctx: KindContext, uid: string, access: string, signal?: AbortSignal): Promise<number | { unknown: string }> {
    const raw = await ctx.send({ method: 'GET', url: apiUrl(this.baseUrl, `/users/${encodeURIComponent(uid)}/logins`) }, signal, bearer(access));
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

  parse(raw: RawResponse, signal?: AbortSignal): Promise<Resource> {
    const { collections, revision } = this.navigation;
    return this.bodyParser.parse({ kind: 'vspc', raw: parseInput(raw), baseUrl: this.baseUrl, collections, revision }, signal);
  }

  /** A walk's links without the body's model (links/); undefined: the parser reads it. */
  links(raw: RawResponse, need: LinkNeed): ScannedLinks | undefined {
    return scanJsonApiLinks(bodyText(raw), raw.url, this.baseUrl, this.navigation, need);
  }

  errorMessage(body: string): string | undefined {
    return readJsonErrorMessage(body);
  }

  statusHint(status: number): Wording | undefined {
    if (status === 520) return say('hint.vspc-520');
    if (status === 404) return say('hint.revision-missing');
    if (status === 429) return say('hint.throttled');
    return undefined;
  }

  /** The envelope's `retryAfter`, or the Retry-After header. */
  throttleSeconds(raw: RawResponse): number | undefined {
    return readRetryAfter(raw.body.toString('utf8'), header(raw, 'retry-after'));
  }
}

/** Service Provider Console, as the registry lists it. */
export const VSPC_KIND: KindDefinition<VspcBodyParser, 'vspc'> = {
  kind: 'vspc',
  shortName: 'VSPC',
  product: say('vspc.product'),
  urlDefaults: VSPC_URL_DEFAULTS,
  representation: () => 'json',
  curlHeaders: () => [['Accept', 'application/json'], ['Authorization', 'Bearer <token>']],
  strategy: (def, bodyParser) => new VspcStrategy(def, bodyParser),
  nameFilter: { apply: (href, text) => withNameFilter(href, text), read: readNameFilter },
};

function bearer(access: string): Credential {
  return { headers: { Authorization: `Bearer ${access}` } };
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

