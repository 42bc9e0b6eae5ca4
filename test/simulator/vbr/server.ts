import type { IncomingMessage } from 'node:http';
import { writeWithBackpressure, type ControlRoutes, type Rendered } from '../core/control';
import { headerRecord, SimulatorServer, type Credentials, type Exchange, type ListenOptions, type SimulatorControls } from '../core/server';
import { badRequest, serverError } from './errors';
import { buildVbrEstate, DEFAULT_VBR_JOBS } from './estate';
import { JSON_TYPE, replyBytes, type VbrReply } from './exchange';
import { faultReply, hugeJobList, parseVbrFault, type VbrFault } from './faults';
import { SERVER_REVISIONS, type ServerRelease } from './revisions';
import { VbrRouter } from './routes';
import { DEFAULT_ACCESS_LIFETIME_MS, DEFAULT_REFRESH_LIFETIME_MS, TokenStore, VBR_USERS, type IssuedToken } from './tokens';

/** `url` is `https://127.0.0.1:PORT/api/`; the Swagger UI and documents are at `/swagger/…` of the same origin. */
export interface VbrSimulator extends SimulatorControls<VbrFault> {
  users: { admin: Credentials; viewer: Credentials; noRole: Credentials };
  /** The revisions (`x-api-version`) this server accepts, oldest first. */
  revisions: readonly string[];
  /** Every access token answers 401 from now on; refresh tokens still work. */
  expireAllTokens(): void;
  /** Access and refresh tokens all stop working, as after a restart of the REST API service. */
  revokeAllTokens(): void;
  /** Access tokens that would be accepted now. */
  activeTokens(): number;
  /** Every access and refresh token issued since the simulator started, and whether it still works. */
  issuedTokens(): IssuedToken[];
}

export interface VbrServerOptions extends ListenOptions {
  /** Default 60 minutes (Veeam's default since 12). */
  accessTokenLifetimeMs?: number;
  /** Default 14 days. */
  refreshTokenLifetimeMs?: number;
  /** Number of jobs; sessions and the rest scale with it. Default 300. */
  items?: number;
  /** Which release's revisions the server accepts (default `vbr13`), or an explicit list, oldest first. */
  revisions?: ServerRelease | readonly string[];
  /** How long a session started by an action runs (default 3 s). */
  actionDurationMs?: number;
}

const rendered = (reply: VbrReply): Rendered => ({ status: reply.status, headers: reply.headers, body: replyBytes(reply) });

/** The VBR REST API on the shared server core: VBR's bearer token, URL space (routes.ts), Error body and faults. */
export class VbrServer extends SimulatorServer<VbrFault> implements VbrSimulator {
  readonly users: VbrSimulator['users'] = {
    admin: { username: VBR_USERS.admin.username, password: VBR_USERS.admin.password },
    viewer: { username: VBR_USERS.viewer.username, password: VBR_USERS.viewer.password },
    noRole: { username: VBR_USERS.noRole.username, password: VBR_USERS.noRole.password },
  };
  readonly revisions: readonly string[];

  private readonly tokens: TokenStore;
  private readonly router: VbrRouter;

  constructor(options: VbrServerOptions) {
    super(options, { name: 'VBR', apiPath: '/api/' });
    this.revisions = typeof options.revisions === 'string' || options.revisions === undefined ? SERVER_REVISIONS[options.revisions ?? 'vbr13'] : options.revisions;
    this.tokens = new TokenStore(Object.values(VBR_USERS), options.accessTokenLifetimeMs ?? DEFAULT_ACCESS_LIFETIME_MS, options.refreshTokenLifetimeMs ?? DEFAULT_REFRESH_LIFETIME_MS);
    this.router = new VbrRouter({ estate: buildVbrEstate(options.items ?? DEFAULT_VBR_JOBS), tokens: this.tokens, revisions: this.revisions, actionDurationMs: options.actionDurationMs });
  }

  expireAllTokens(): void {
    this.tokens.expireAll();
  }

  revokeAllTokens(): void {
    this.tokens.revokeAll();
  }

  activeTokens(): number {
    return this.tokens.activeCount();
  }

  issuedTokens(): IssuedToken[] {
    return this.tokens.issued();
  }

  /** The token controls beside the core's: `POST /__simulator/expire`, `POST /__simulator/revoke`, `GET /__simulator/tokens`. */
  protected controlRoutes(): ControlRoutes {
    return {
      'GET /tokens': () => ({ active: this.activeTokens() }),
      'POST /expire': () => this.expireAllTokens(),
      'POST /revoke': () => this.revokeAllTokens(),
    };
  }

  protected credentials(req: IncomingMessage): string | undefined {
    return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  }

  protected contentType(): string {
    return JSON_TYPE;
  }

  protected failure(message: string): Rendered {
    return rendered(serverError(message).toReply());
  }

  protected async streamHuge({ res }: Exchange, sizeBytes: number): Promise<void> {
    const list = hugeJobList(sizeBytes);
    res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': String(list.contentLength) });
    try {
      for (const chunk of list.chunks()) await writeWithBackpressure(res, chunk);
      res.end();
    } catch {
      res.destroy();
    }
  }

  protected parseFault(value: unknown): VbrFault {
    return parseVbrFault(value);
  }

  protected faultAnswer(fault: VbrFault, { token, body }: Exchange): Rendered | undefined {
    const reply = faultReply(fault, token, body, this.tokens);
    return reply && rendered(reply);
  }

  protected answer({ req, path, query, body, fault }: Exchange): Rendered {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return rendered(badRequest('The request URL is malformed.').toReply());
    }
    return rendered(this.router.handle({ method: req.method ?? 'GET', path: decoded, query: new URLSearchParams(query), headers: headerRecord(req), body, actionFails: actionFailure(fault) }));
  }
}

/** The message of an `action-fails` fault, or undefined when none applies. */
function actionFailure(fault: Exchange['fault']): string | undefined {
  if (fault?.kind !== 'action-fails') return undefined;
  return fault.message ?? 'Error: the job failed (simulated): the backup repository is not available.';
}

/** Starts a VBR simulator alone (startSimulators starts it with the others); `options.port` 0 picks a free port. */
export async function startVbrSimulator(options: VbrServerOptions): Promise<VbrServer> {
  const server = new VbrServer(options);
  await server.listen();
  return server;
}
