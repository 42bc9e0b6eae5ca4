import type { IncomingMessage } from 'node:http';
import type { ControlRoutes, Rendered } from '../core/control';
import { SimulatorServer, type Credentials, type Exchange, type ListenOptions, type SimulatorControls } from '../core/server';
import { OPENAPI_PATH, openApiDocument } from './openapi';
import { ERROR_CODES, OAuthError, VspcError, unauthorized } from './errors';
import { buildVspcEstate } from './estate';
import { VspcFault, parseVspcFault, streamHugeJson } from './faults';
import { RouterState, VspcReply, VspcRouter } from './routes';
import { IssuedToken, TokenStore, VSPC_USERS } from './tokens';
import { AsyncActions } from './actions';

/** How long an async action runs when the options do not say. */
export const DEFAULT_ACTION_DURATION_MS = 3000;

/** `url` is `https://127.0.0.1:PORT/api/v3/`. */
export interface VspcSimulator extends SimulatorControls<VspcFault> {
  users: { admin: Credentials; mfa: Credentials; readOnly: Credentials };
  /** Every access token answers 401 from now on; refresh tokens still work. */
  expireAllTokens(): void;
  /** Access and refresh tokens all become invalid, as after a server restart. */
  revokeAllTokens(): void;
  /** Access tokens that would be accepted now. */
  activeTokens(): number;
  /** Every access, refresh and MFA token issued since the simulator started, and whether it still works. */
  issuedTokens(): IssuedToken[];
  /**
   * The user's identities other than the user name and password one (the administrator has an API key), and an
   * access token issued to one of them: what another application signed in as the same user would hold.
   */
  otherIdentityToken(user: 'admin'): { loginId: number; accessToken: string };
}

export interface VspcServerOptions extends ListenOptions {
  tokenLifetimeMs: number;
  legacyAuth: boolean;
  items: number;
  /** Serve an OpenAPI document of the simulator's own endpoints (at OPENAPI_PATH). */
  openApiDocument?: boolean;
  /** How long an async action stays `running` (default 3 s). */
  actionDurationMs?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const API_PREFIX = /^\/api\/v3(\/|$)/i;

function json(status: number, value: unknown, headers: Record<string, string> = {}): Rendered {
  return { status, headers: { ...headers, 'Content-Type': JSON_TYPE }, body: Buffer.from(JSON.stringify(value)) };
}

function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

export class VspcServer extends SimulatorServer<VspcFault> implements VspcSimulator {
  readonly users = {
    admin: { username: VSPC_USERS.admin.username, password: VSPC_USERS.admin.password },
    mfa: { username: VSPC_USERS.mfa.username, password: VSPC_USERS.mfa.password },
    readOnly: { username: VSPC_USERS.readOnly.username, password: VSPC_USERS.readOnly.password },
  };

  private readonly state: RouterState;
  private readonly router: VspcRouter;

  constructor(private readonly options: VspcServerOptions) {
    super(options, { name: 'VSPC', apiPath: '/api/v3/' });
    this.state = {
      estate: buildVspcEstate(options.items),
      tokens: new TokenStore(Object.values(VSPC_USERS), options.tokenLifetimeMs),
      legacyAuth: options.legacyAuth,
      asyncActions: new AsyncActions(options.actionDurationMs ?? DEFAULT_ACTION_DURATION_MS),
    };
    this.router = new VspcRouter(this.state);
  }

  expireAllTokens(): void {
    this.state.tokens.expireAll();
  }

  revokeAllTokens(): void {
    this.state.tokens.revokeAll();
  }

  activeTokens(): number {
    return this.state.tokens.activeCount();
  }

  issuedTokens(): IssuedToken[] {
    return this.state.tokens.issued();
  }

  otherIdentityToken(user: 'admin'): { loginId: number; accessToken: string } {
    const account = VSPC_USERS[user];
    const identity = account.identities.find((i) => !i.password);
    if (!identity) throw new Error(`${account.username} has no other identity`);
    return { loginId: identity.id, accessToken: this.state.tokens.issue(account, identity.id).accessToken };
  }

  protected credentials(req: IncomingMessage): string | undefined {
    return bearerToken(req.headers.authorization);
  }

  protected contentType(): string {
    return JSON_TYPE;
  }

  protected failure(message: string): Rendered {
    return json(520, new VspcError(520, message, 'unspecified', ERROR_CODES.server).toBody());
  }

  protected streamHuge({ res }: Exchange, sizeBytes: number): Promise<void> {
    return streamHugeJson(res, sizeBytes);
  }

  protected parseFault(value: unknown): VspcFault {
    return parseVspcFault(value);
  }

  protected controlRoutes(): ControlRoutes {
    return {
      'POST /expire': () => this.expireAllTokens(),
      'POST /revoke': () => this.revokeAllTokens(),
      'GET /tokens': () => ({ active: this.activeTokens() }),
      'GET /sessions': () => ({ active: this.activeTokens() }),
    };
  }

  protected faultAnswer(fault: VspcFault, { token }: Exchange): Rendered | undefined {
    switch (fault.kind) {
      case 'status': {
        // VSPC answers every server error with 520; other statuses are honoured for client errors.
        const status = fault.status ?? 520;
        const message = status >= 500 ? 'An unexpected error occurred on the server. See the server log for details.' : `The request failed with status ${status} (simulated).`;
        const error = new VspcError(status, message, status >= 500 ? 'unspecified' : 'logical', status >= 500 ? ERROR_CODES.server : ERROR_CODES.badParameter);
        return json(status, error.toBody());
      }
      case 'throttle': {
        const seconds = fault.retryAfter ?? 1;
        const error = new VspcError(429, `Too many requests. Retry after ${seconds} seconds.`, 'retryableLogical', ERROR_CODES.throttled, {}, seconds);
        return json(429, error.toBody(), { 'Retry-After': String(Math.ceil(seconds)) });
      }
      case 'throttle-bare':
        // Neither `retryAfter` nor a Retry-After header: the client has to choose its own wait.
        return json(429, new VspcError(429, 'Too many requests.', 'retryableLogical', ERROR_CODES.throttled).toBody());
      case 'unauthorized':
        // Refused, but the token stays valid: a server (or a proxy in front of it) that turns every token away.
        return json(401, unauthorized('The access token is not valid for this request.').toBody(), { 'WWW-Authenticate': 'Bearer' });
      case 'expire':
        if (token) this.state.tokens.expireAccessToken(token);
        return json(401, unauthorized('The access token has expired. Refresh it or log on again.', ERROR_CODES.tokenExpired).toBody(), { 'WWW-Authenticate': 'Bearer' });
      default:
        return undefined;
    }
  }

  protected answer({ req, path: rawPath, query, body, fault }: Exchange): Rendered {
    if (this.options.openApiDocument && rawPath === OPENAPI_PATH && (req.method ?? 'GET').toUpperCase() === 'GET') {
      return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: Buffer.from(JSON.stringify(openApiDocument(this.state.estate))) };
    }
    if (!API_PREFIX.test(rawPath)) {
      // Outside the API the real server serves its web UI; the simulator has none.
      const page = Buffer.from('<!DOCTYPE html>\n<html><head><title>Not Found</title></head><body><h1>Not Found</h1><p>This VSPC simulator serves only /api/v3.</p></body></html>\n');
      return { status: 404, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: page };
    }
    let reply: VspcReply;
    try {
      const path = decodeURIComponent(rawPath.replace(API_PREFIX, '')).replace(/\/+$/, '');
      reply = this.router.handle({
        method: (req.method ?? 'GET').toUpperCase(),
        path,
        params: new URLSearchParams(query),
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
        body,
        requestId: typeof req.headers['x-request-id'] === 'string' ? req.headers['x-request-id'].trim() : undefined,
        actionFails: fault?.kind === 'action-fails' ? (fault.message ?? 'Error: the backup server job failed (simulated): the repository is not available.') : undefined,
      });
    } catch (err) {
      if (err instanceof VspcError) return json(err.status, err.toBody(), err.headers);
      if (err instanceof OAuthError) return json(err.status, err.toBody(), { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
      if (err instanceof URIError) return json(400, new VspcError(400, 'The request URL is malformed.').toBody());
      throw err;
    }
    return reply.body === undefined
      ? { status: reply.status, headers: reply.headers ?? {}, body: Buffer.alloc(0) }
      : json(reply.status, reply.body, reply.headers);
  }
}
