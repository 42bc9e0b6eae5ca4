import { VBR_ACTIONS } from './actions';
import { scanJsonApiLinks } from '../../links/json-api-links';
import type { LinkNeed, ScannedLinks } from '../../links/walk-links';
import { bodyText } from '../../transport/body';
import { AuthError, CancelledError, ProtocolError } from '../../errors';
import { say, type Wording } from '../../messages';
import { readJsonErrorMessage, readRetryAfter } from '../../openapi/json-body';
import { ApiNavigation, type ApiCollection } from '../../openapi/navigation';
import type { OpenApiReading } from '../../openapi/reader';
import type { Resource } from '../../resource';
import { parseInput, sameOrigin } from '../../session/responses';
import { findServerDocument } from '../../session/server-document';
import { apiBaseUrl, type Credential, type KindContext, type KindDefinition, type KindStrategy } from '../../session/strategy';
import { header, withRaw } from '../../transport/body';
import type { ConnectionDefinition, LogonInfo, RawResponse } from '../../types';
import { VBR_COLLECTIONS, VBR_STYLE, VBR_SWAGGER_UI_PATH, vbrDocumentPaths } from './navigation-map';
import { DEFAULT_VBR_REVISION, newestKnown, revisionsIn } from './revisions';

/** What a Veeam Backup & Replication session needs of the shared body parser. */
export interface VbrBodyParser {
  parse(
    job: { kind: 'vbr'; raw: ReturnType<typeof parseInput>; baseUrl: string; collections: readonly ApiCollection[]; revision: string },
    signal?: AbortSignal,
  ): Promise<Resource>;
  readOpenApi(input: { body: Uint8Array; known: readonly ApiCollection[]; kind: 'vbr' }, url: string, signal?: AbortSignal): Promise<OpenApiReading>;
}

/** OAuth tokens: the access token on every request, the refresh token (single use) to renew it. */
interface VbrCredential extends Credential {
  access: string;
  refresh?: string;
  expiresAt: number;
  lifetimeMs: number;
}

/** Where Veeam Backup & Replication's REST API listens unless set up otherwise. */
export const VBR_URL_DEFAULTS = { port: 9419, path: '/api/' } as const;

/** `vbr.example` or `https://vbr.example:9419/api/v1/jobs` → `https://vbr.example:9419/api/`. */
export function vbrBaseUrl(url: string): string {
  return apiBaseUrl(url, VBR_URL_DEFAULTS);
}

/**
 * Veeam Backup & Replication: OAuth2 password logon at `/api/oauth2/token`, bearer tokens renewed with the refresh
 * token, `x-api-version` on every request (logon included), logoff by `POST /api/oauth2/logout`. The server's own
 * OpenAPI document, read at logon, is the map of the tree; a shipped map serves servers that do not publish one.
 */
class VbrStrategy implements KindStrategy<VbrCredential> {
  readonly kind = 'vbr' as const;
  readonly baseUrl: string;
  readonly accept = 'application/json';
  readonly bodies = { accepted: /json/i, expected: say('vbr.bodies') };
  readonly forbidden = { message: say('vbr.forbidden'), hint: say('hint.vbr-forbidden') };
  readonly refused = { message: say('vbr.refused'), hint: say('hint.refused-retry') };
  readonly actions = VBR_ACTIONS;
  /** Where the navigation's paths start: the origin, below any proxy prefix (`https://host:9419`). */
  private readonly root: string;
  /** The revision requests name: the connection's, or the newest we know; after a refusal, the newest both know. */
  private revision: string;
  private navigation = new ApiNavigation(VBR_COLLECTIONS, DEFAULT_VBR_REVISION, VBR_STYLE);
  private navigationFromServer = false;
  /** Where the server's own OpenAPI document was read (by this session or an earlier one), once it was. */
  apiDocumentUrl?: string;

  constructor(
    private readonly def: ConnectionDefinition,
    /** The body parser the registry gives every session (it parses large bodies off this thread). */
    private readonly bodyParser: VbrBodyParser,
  ) {
    this.baseUrl = vbrBaseUrl(def.url);
    this.root = this.baseUrl.replace(/\/api\/$/, '');
    this.revision = def.apiVersion?.trim() || DEFAULT_VBR_REVISION;
  }

  requestHeaders(): Record<string, string> {
    return { 'x-api-version': this.revision };
  }

  /** The server's information (`/api/v1/serverInfo`) and, once per server and revision, its own API document. */
  async describe(ctx: KindContext, credential: VbrCredential, signal: AbortSignal): Promise<LogonInfo> {
    const raw = await ctx.send({ method: 'GET', url: this.url('/api/v1/serverInfo') }, signal, credential);
    const serverInfo = raw.status === 200 ? await ctx.parse(raw, signal) : undefined;
    // Not there (an older revision) or not for this role: the tree does without it. Anything else is the server's failure.
    if (!serverInfo && raw.status !== 404 && raw.status !== 403) throw ctx.statusError(raw, say('step.vbr-server-info'));
    if (!this.navigationFromServer && !this.navigationFromCache(ctx)) await this.readServerDocument(ctx, credential, signal);
    const root = this.navigation.root(this.root);
    root.fields = serverInfo?.fields ?? [];
    return { userName: this.def.username, apiVersion: this.revision, root, raw };
  }


  /**
   * The password grant. A server that refuses our revision lists those it supports in its error: the newest of those
   * this extension knows is tried once.
   */
  async relogon(ctx: KindContext, password: string, signal?: AbortSignal): Promise<VbrCredential> {
    const grant = () => this.token(ctx, { grant_type: 'password', username: this.def.username, password }, signal);
    let raw = await grant();
    if (raw.status === 400) {
      const text = raw.body.toString('utf8');
      const other = /version|revision/i.test(text) ? newestKnown(revisionsIn(text).filter((r) => r !== this.revision)) : undefined;
      if (other) {
        ctx.log(`${ctx.origin} does not accept API revision ${this.revision}; it supports ${other}, which is used from now on.`);
        this.revision = other;
        raw = await grant();
      }
    }
    return this.readTokens(ctx, raw);
  }

  async refresh(ctx: KindContext, tokens: VbrCredential, signal?: AbortSignal): Promise<VbrCredential> {
    if (!tokens.refresh) throw new AuthError('expired', say('session.no-refresh-token'), undefined, this.baseUrl);
    const renewed = this.readTokens(ctx, await this.token(ctx, { grant_type: 'refresh_token', refresh_token: tokens.refresh }, signal));
    // The refresh token is spent, but the access token it came with works until it expires (renewed ahead of expiry,
    // or a 401 from something in front of the server): end it, as every token the session replaces is ended.
    if (tokens.expiresAt > Date.now()) await this.logoff(ctx, [tokens]);
    return renewed;
  }

  /** `POST /api/oauth2/logout` with each token still held (newest last). Never throws. */
  async logoff(ctx: KindContext, held: readonly VbrCredential[], signal?: AbortSignal): Promise<void> {
    await Promise.all(
      held.map(async (tokens) => {
        try {
          const raw = await ctx.send({ method: 'POST', url: this.url('/api/oauth2/logout'), headers: { 'Content-Length': '0' } }, signal, tokens);
          if (raw.status >= 300 && raw.status !== 401) ctx.log(`Log off from ${ctx.origin} answered ${raw.status}; the token expires by itself.`);
        } catch (err) {
          ctx.log(`Log off from ${ctx.origin} failed: ${(err as Error).message}; the token expires by itself.`);
        }
      }),
    );
  }

  parse(raw: RawResponse, signal?: AbortSignal): Promise<Resource> {
    const { collections, revision } = this.navigation;
    return this.bodyParser.parse({ kind: 'vbr', raw: parseInput(raw), baseUrl: this.root, collections, revision }, signal);
  }

  /** A walk's links without the body's model (links/); undefined: the parser reads it. */
  links(raw: RawResponse, need: LinkNeed): ScannedLinks | undefined {
    return scanJsonApiLinks(bodyText(raw), raw.url, this.root, this.navigation, need);
  }

  errorMessage(body: string): string | undefined {
    return readJsonErrorMessage(body);
  }

  statusHint(status: number): Wording | undefined {
    if (status === 404) return say('hint.revision-missing');
    if (status === 400) return say('hint.vbr-400');
    if (status === 429) return say('hint.throttled');
    if (status >= 500) return say('hint.vbr-server-failed');
    return undefined;
  }

  /** The Retry-After header (seconds). */
  throttleSeconds(raw: RawResponse): number | undefined {
    return readRetryAfter(raw.body.toString('utf8'), header(raw, 'retry-after'));
  }

  private token(ctx: KindContext, form: Record<string, string>, signal?: AbortSignal): Promise<RawResponse> {
    const body = new URLSearchParams(form).toString();
    return ctx.send({ method: 'POST', url: this.url('/api/oauth2/token'), headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body }, signal);
  }

  private readTokens(ctx: KindContext, raw: RawResponse): VbrCredential {
    const url = raw.url;
    const server = readJsonErrorMessage(raw.body.toString('utf8'));
    const user = this.def.username;
    if (raw.status === 401 || isOAuthRefusal(raw)) {
      const message = server ? say('vbr.logon-refused-says', { user, server }) : say('vbr.logon-refused', { user });
      throw withRaw(new AuthError('credentials', message, say('hint.vbr-role'), url, raw.status), raw);
    }
    if (raw.status === 403) {
      const message = server ? say('vbr.no-api-role-says', { user, server }) : say('vbr.no-api-role', { user });
      throw withRaw(new AuthError('role', message, say('hint.vbr-role'), url, 403), raw);
    }
    // 400: a form the server refused, or a revision it does not have (after the one retry): its message says which.
    if (raw.status !== 200 && raw.status !== 201) throw ctx.statusError(raw, say('step.logon'));
    let body: Record<string, unknown> | undefined;
    try {
      const value = JSON.parse(raw.body.toString('utf8')) as unknown;
      body = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    if (!body) throw withRaw(new ProtocolError(say('logon.not-json', { url }), undefined, url), raw);
    const access = str(body.access_token);
    const refresh = str(body.refresh_token);
    ctx.keepSecrets(access, refresh);
    if (!access) throw withRaw(new ProtocolError(say('logon.no-access-token', { url }), undefined, url), raw);
    const expiresIn = Number(body.expires_in);
    // 15 minutes on version 11, 60 later: when the answer does not say, assume the shorter.
    const lifetimeMs = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : 15 * 60_000;
    return { access, refresh, expiresAt: Date.now() + lifetimeMs, lifetimeMs, headers: { Authorization: `Bearer ${access}` } };
  }

  /**
   * The server's own OpenAPI document, when it publishes one, replaces the shipped map: at its usual path for this
   * revision, else where the Swagger UI page says it is.
   */
  private async readServerDocument(ctx: KindContext, credential: VbrCredential, signal: AbortSignal): Promise<void> {
    const usual = vbrDocumentPaths(this.revision).map((p) => this.url(p));
    const documentUrlsInPage = () => this.documentUrlsInPage(ctx, credential, signal);
    async function* urls(): AsyncIterable<string> {
      yield* usual;
      for (const url of await documentUrlsInPage()) if (!usual.includes(url)) yield url;
    }
    const read = (body: Uint8Array, url: string) => this.bodyParser.readOpenApi({ body, known: VBR_COLLECTIONS, kind: 'vbr' }, url, signal);
    const found = await findServerDocument(ctx, urls, credential, read, signal);
    if (typeof found !== 'object') return;
    this.navigation = new ApiNavigation(found.collections, found.revision ?? this.revision, VBR_STYLE);
    this.navigationFromServer = true;
    this.apiDocumentUrl = found.url;
    rememberDocument(`${ctx.origin} ${this.revision}`, { navigation: this.navigation, url: found.url });
  }

  /** The map read from this server's document for this revision by an earlier session of this process, if any. */
  private navigationFromCache(ctx: KindContext): boolean {
    const cached = readDocuments.get(`${ctx.origin} ${this.revision}`);
    if (!cached) return false;
    this.navigation = cached.navigation;
    this.apiDocumentUrl = cached.url;
    this.navigationFromServer = true;
    return true;
  }

  /**
   * The document URLs the Swagger UI page names (its configuration's `"url": "…"` entries), this revision's first; only
   * this server's own, at most 16.
   */
  private async documentUrlsInPage(ctx: KindContext, credential: VbrCredential, signal: AbortSignal): Promise<string[]> {
    try {
      const page = await ctx.send({ method: 'GET', url: this.url(VBR_SWAGGER_UI_PATH), headers: { Accept: 'text/html' } }, signal, credential);
      if (page.status !== 200) return [];
      const text = page.body.subarray(0, 1024 * 1024).toString('utf8');
      const urls: string[] = [];
      for (const m of text.matchAll(/"url"\s*:\s*"([^"\\\s]{1,300})"/g)) {
        try {
          const url = new URL(m[1], page.url).href;
          if (sameOrigin(url, ctx.origin) && !urls.includes(url)) urls.push(url);
        } catch {
          // Not a URL: skipped.
        }
        if (urls.length >= 16) break;
      }
      return urls.sort((a, b) => Number(b.includes(this.revision)) - Number(a.includes(this.revision)));
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      return [];
    }
  }

  /** A URL of this server from a path that starts at the origin (`/api/v1/jobs`), below any proxy prefix. */
  private url(path: string): string {
    return this.root + path;
  }
}

/**
 * Maps read from servers' documents, by origin and revision: a document is read once per server and revision in a
 * process (a new logon, another connection to the same server, reuse it). A server upgraded to another revision is
 * another key. Bounded: the oldest goes first.
 */
const readDocuments = new Map<string, { navigation: ApiNavigation; url: string }>();
const DOCUMENTS_KEPT = 16;

function rememberDocument(key: string, read: { navigation: ApiNavigation; url: string }): void {
  readDocuments.delete(key);
  readDocuments.set(key, read);
  if (readDocuments.size > DOCUMENTS_KEPT) readDocuments.delete(readDocuments.keys().next().value as string);
}

/** Veeam Backup & Replication, as the registry lists it. */
export const VBR_KIND: KindDefinition<VbrBodyParser, 'vbr'> = {
  kind: 'vbr',
  shortName: 'VBR',
  product: say('vbr.product'),
  urlDefaults: VBR_URL_DEFAULTS,
  representation: () => 'json',
  curlHeaders: (def) => [
    ['Accept', 'application/json'],
    ['x-api-version', def.apiVersion?.trim() || DEFAULT_VBR_REVISION],
    ['Authorization', 'Bearer <token>'],
  ],
  strategy: (def, bodyParser) => new VbrStrategy(def, bodyParser),
  nameFilter: { apply: withNameFilter, read: readNameFilter },
};

/**
 * The collection URL filtered by the server to names containing `text` (`nameFilter=*text*`: the whole name must match
 * the pattern, and `*` at either end makes it a substring), from the first page; no text clears the filter.
 */
function withNameFilter(href: string, text: string | undefined): string {
  const url = new URL(href);
  url.searchParams.delete('skip');
  const value = text?.trim();
  if (!value) url.searchParams.delete('nameFilter');
  else url.searchParams.set('nameFilter', `*${value.replace(/\*/g, '')}*`);
  return url.href;
}

/** The text of a name filter on the URL, without the `*` this extension puts around it. */
function readNameFilter(href: string): string | undefined {
  const value = new URL(href).searchParams.get('nameFilter');
  return value ? value.replace(/^\*|\*$/g, '') : undefined;
}

/**
 * A token endpoint's OAuth refusal of the credentials (RFC 6749 §5.2: 400 with `invalid_grant` and kin): documented
 * servers answer 401, but an OAuth server in front of them, or another release, may answer so.
 */
export function isOAuthRefusal(raw: Pick<RawResponse, 'status' | 'body'>): boolean {
  if (raw.status !== 400 || raw.body.length > 64 * 1024) return false;
  try {
    const value = JSON.parse(raw.body.toString('utf8')) as { error?: unknown };
    return typeof value?.error === 'string' && ['invalid_grant', 'invalid_client', 'unauthorized_client', 'access_denied'].includes(value.error);
  } catch {
    return false;
  }
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}
