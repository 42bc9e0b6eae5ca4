import { EM_ACTIONS } from './actions';
import { scanEmLinks } from './links';
import type { LinkNeed, ScannedLinks } from '../../links/walk-links';
import { bodyText } from '../../transport/body';
import { AuthError, CancelledError, ProtocolError } from '../../errors';
import { say, type Wording } from '../../messages';
import type { Resource } from '../../resource';
import type { ConnectionDefinition, LogonInfo, RawResponse, Representation } from '../../types';
import { parseInput } from '../../session/responses';
import { apiBaseUrl, type Credential, type KindContext, type KindDefinition, type KindStrategy } from '../../session/strategy';
import { header, withRaw } from '../../transport/body';
import { readEmErrorMessage } from './parser';
import { readEmNameFilter, withEmNameFilter } from './name-filter';
import { emActionBody } from './specs';

/** What an Enterprise Manager session needs of the shared body parser. */
export interface EmBodyParser {
  parse(job: { kind: 'em'; raw: ReturnType<typeof parseInput> }, signal?: AbortSignal): Promise<Resource>;
}

const SESSION_HEADER = 'X-RestSvcSessionId';

/** Where Enterprise Manager's REST API listens unless set up otherwise. */
export const EM_URL_DEFAULTS = { port: 9398, path: '/api/' } as const;

/** `https://host` or `https://host:9398/api` → `https://host:9398/api/` (EM's default port and path). */
export function emBaseUrl(url: string): string {
  return apiBaseUrl(url, EM_URL_DEFAULTS);
}

/** A logon session: its token, and the URL that deletes it. */
interface EmCredential extends Credential {
  token: string;
  href?: string;
}

/**
 * Enterprise Manager: the root's Create link, a Basic-auth POST that opens a logon session, its
 * X-RestSvcSessionId token on every request, and DELETE of the logon session to log off. There is no refresh: an
 * expired session (15 minutes idle) is a whole new logon.
 */
class EmStrategy implements KindStrategy<EmCredential> {
  readonly kind = 'em' as const;
  readonly baseUrl: string;
  readonly accept: string;
  readonly bodies = { accepted: /xml|json/i, expected: say('em.bodies') };
  readonly forbidden = { message: say('em.forbidden'), hint: say('hint.em-forbidden') };
  readonly refused = { message: say('em.refused'), hint: say('hint.em-refused') };
  readonly actions = EM_ACTIONS;

  constructor(
    private readonly def: ConnectionDefinition,
    /** The body parser the registry gives every session (it parses large bodies off this thread). */
    private readonly bodyParser: EmBodyParser,
  ) {
    this.baseUrl = emBaseUrl(def.url);
    this.accept = acceptHeader(def.representation);
  }

  async logon(ctx: KindContext, signal: AbortSignal): Promise<{ credential: EmCredential; info: LogonInfo }> {
    // The documented flow: the root lists the Create link of the logon session.
    const rootRaw = await ctx.send({ method: 'GET', url: this.baseUrl }, signal);
    if (rootRaw.status !== 200) throw ctx.statusError(rootRaw, say('step.em-root'));
    const apiRoot = await ctx.parse(rootRaw, signal);
    const create = apiRoot.links.find((l) => l.rel === 'Create' && (l.type === 'LogonSession' || /sessionMngr/i.test(l.href)));
    const createHref = create && ctx.isOwnOrigin(create.href) ? create.href : `${ctx.origin}/api/sessionMngr/?v=latest`;
    const supported = supportedVersions(apiRoot);
    const password = await ctx.password();
    if (password === undefined) {
      throw new AuthError('no-password', say('logon.no-password', { user: this.def.username }), say('hint.enter-password'), createHref);
    }
    if (signal.aborted) throw new CancelledError(createHref);
    const basic = Buffer.from(`${this.def.username}:${password}`, 'utf8').toString('base64');
    const raw = await ctx.send({ method: 'POST', url: createHref, headers: { Authorization: `Basic ${basic}`, 'Content-Length': '0' } }, signal);
    if (raw.status === 401) {
      throw withRaw(new AuthError('credentials', say('em.logon-refused', { user: this.def.username }), say('hint.em-role'), createHref, 401), raw);
    }
    if (raw.status === 403) {
      throw withRaw(new AuthError('role', say('em.no-api-role', { user: this.def.username }), say('hint.em-role'), createHref, 403), raw);
    }
    if (raw.status !== 201 && raw.status !== 200) throw ctx.statusError(raw, say('step.logon'));
    const token = header(raw, 'x-restsvcsessionid');
    ctx.keepSecrets(token);
    if (!token) {
      throw withRaw(new ProtocolError(say('em.no-session-header', { status: raw.status, header: SESSION_HEADER }), say('hint.headers-stripped'), createHref), raw);
    }
    let root: Resource;
    try {
      root = await ctx.parse(raw, signal);
    } catch (err) {
      // The server opened a session the client cannot use: delete it. Its Href is in the body that could not be
      // read; the documented Location header names the same /api/logonSessions/{id}.
      await this.logoff(ctx, [credentialOf(token, logonSessionHref(ctx, header(raw, 'location'), createHref))]);
      throw err;
    }
    const version = new URL(createHref).searchParams.get('v') ?? undefined;
    const info: LogonInfo = {
      userName: fieldValue(root, 'UserName') ?? this.def.username,
      apiVersion: version === 'latest' || !version ? supported[supported.length - 1] ?? version : version,
      root,
      raw,
    };
    // Where this logon session is deleted: its Delete link, or its own Href.
    return { credential: credentialOf(token, root.links.find((l) => l.rel === 'Delete')?.href ?? root.href), info };
  }

  /** DELETE each logon session. What cannot be deleted idles out on the server. */
  async logoff(ctx: KindContext, held: readonly EmCredential[], signal?: AbortSignal): Promise<void> {
    await Promise.all(held.map((session) => this.dropSession(ctx, session, signal)));
  }

  private async dropSession(ctx: KindContext, session: EmCredential, signal?: AbortSignal): Promise<void> {
    const idles = 'the server ends it after 15 minutes without use';
    if (!session.href || !ctx.isOwnOrigin(session.href)) {
      ctx.log(`A logon session on ${ctx.origin} could not be named, so it could not be deleted; ${idles}.`);
      return;
    }
    try {
      const raw = await ctx.send({ method: 'DELETE', url: session.href }, signal, session);
      if (raw.status >= 300 && raw.status !== 401 && raw.status !== 404) ctx.log(`Deleting the logon session on ${ctx.origin} answered ${raw.status}; ${idles}.`);
    } catch (err) {
      // The session is forgotten locally either way.
      ctx.log(`Log off from ${ctx.origin} failed: ${(err as Error).message}; ${idles}.`);
    }
  }

  parse(raw: RawResponse, signal?: AbortSignal): Promise<Resource> {
    return this.bodyParser.parse({ kind: 'em', raw: parseInput(raw) }, signal);
  }

  /** A walk's links without the body's model (links/); undefined: the parser reads it. */
  links(raw: RawResponse, need: LinkNeed): ScannedLinks | undefined {
    return scanEmLinks(bodyText(raw), raw.contentType, raw.url, need);
  }

  errorMessage(body: string): string | undefined {
    return readEmErrorMessage(body);
  }

  statusHint(status: number): Wording | undefined {
    if (status === 404) return say('hint.em-404');
    if (status === 405) return say('hint.method-not-allowed');
    if (status === 503) return say('hint.em-unavailable');
    if (status >= 500) return say('hint.server-failed');
    return undefined;
  }
}

/** Enterprise Manager, as the registry lists it. */
export const EM_KIND: KindDefinition<EmBodyParser, 'em'> = {
  kind: 'em',
  shortName: 'EM',
  product: say('em.product'),
  urlDefaults: EM_URL_DEFAULTS,
  representation: (def) => def.representation ?? 'xml',
  curlHeaders: (def) => [['Accept', acceptHeader(def.representation)], [SESSION_HEADER, '<token>']],
  requestBodies: { bodyOf: emActionBody },
  strategy: (def, bodyParser) => new EmStrategy(def, bodyParser),
  nameFilter: { apply: withEmNameFilter, read: readEmNameFilter },
};

function credentialOf(token: string, href: string | undefined): EmCredential {
  return { token, href, headers: { [SESSION_HEADER]: token } };
}

/** The logon session a Location header names, when it is one of this origin's `/api/logonSessions/{id}`. */
function logonSessionHref(ctx: KindContext, location: string | undefined, base: string): string | undefined {
  if (!location) return undefined;
  try {
    const href = new URL(location, base).href;
    return ctx.isOwnOrigin(href) && /\/logonSessions\/[^/?#]+\/?$/i.test(new URL(href).pathname) ? href : undefined;
  } catch {
    return undefined;
  }
}

function acceptHeader(representation: Representation | undefined): string {
  return representation === 'json' ? 'application/json' : 'application/xml';
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
