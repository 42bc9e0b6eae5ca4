import { answerControl, corruptAnswer, CONTROL_PREFIX, redirectAnswer, sendRendered, type Rendered } from '../control';
import { OPENAPI_PATH, openApiDocument } from './openapi';
import { createServer, Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Credentials } from '../em/sessions';
import type { RequestRecord } from '../em/server';
import { proxyErrorPage } from '../em/faults';
import { ERROR_CODES, OAuthError, VspcError, unauthorized } from './errors';
import { buildVspcEstate } from './estate';
import { VspcFault, VspcFaultStore, parseVspcFault, streamHugeJson } from './faults';
import { RouterState, VspcReply, VspcRouter } from './routes';
import { IssuedToken, TokenStore, VSPC_USERS } from './tokens';

export interface VspcSimulator {
  /** `https://127.0.0.1:PORT/api/v3/` */
  url: string;
  origin: string;
  port: number;
  users: { admin: Credentials; mfa: Credentials; readOnly: Credentials };
  setFault(fault: VspcFault): void;
  clearFaults(): void;
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
  /** TLS connections accepted (handshake done) since the simulator started: a keep-alive client opens few. */
  connectionsOpened(): number;
  /** Every request received except the /__simulator control endpoints. */
  requests: RequestRecord[];
  clearRequests(): void;
}

export interface VspcServerOptions {
  host: string;
  port: number;
  tokenLifetimeMs: number;
  legacyAuth: boolean;
  items: number;
  /** Serve an OpenAPI document of the simulator's own endpoints (at OPENAPI_PATH). */
  openApiDocument?: boolean;
  tls: { key: string; cert: string };
}

const JSON_TYPE = 'application/json; charset=utf-8';
const API_PREFIX = /^\/api\/v3(\/|$)/i;
const MAX_REQUEST_BODY = 1024 * 1024;

function json(status: number, value: unknown, headers: Record<string, string> = {}): Rendered {
  return { status, headers: { ...headers, 'Content-Type': JSON_TYPE }, body: Buffer.from(JSON.stringify(value)) };
}

function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

export class VspcServer implements VspcSimulator {
  readonly requests: RequestRecord[] = [];
  readonly users = {
    admin: { username: VSPC_USERS.admin.username, password: VSPC_USERS.admin.password },
    mfa: { username: VSPC_USERS.mfa.username, password: VSPC_USERS.mfa.password },
    readOnly: { username: VSPC_USERS.readOnly.username, password: VSPC_USERS.readOnly.password },
  };
  url = '';
  origin = '';
  port = 0;

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private tlsConnections = 0;
  private readonly faults = new VspcFaultStore();
  private readonly state: RouterState;
  private readonly router: VspcRouter;

  constructor(private readonly options: VspcServerOptions) {
    this.state = {
      estate: buildVspcEstate(options.items),
      tokens: new TokenStore(Object.values(VSPC_USERS), options.tokenLifetimeMs),
      legacyAuth: options.legacyAuth,
    };
    this.router = new VspcRouter(this.state);
    this.server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) this.send(res, json(520, new VspcError(520, `Simulator failure: ${(err as Error).message}`, 'unspecified', ERROR_CODES.server).toBody()));
        else res.destroy();
      });
    });
    const track = (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    };
    this.server.on('connection', track);
    this.server.on('secureConnection', (socket: Socket) => {
      this.tlsConnections++;
      track(socket);
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('VSPC simulator has no address');
    this.port = address.port;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    this.origin = `https://${host}:${this.port}`;
    this.url = `${this.origin}/api/v3/`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Hanging and stalled answers never finish by themselves.
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  setFault(fault: VspcFault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
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

  connectionsOpened(): number {
    return this.tlsConnections;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathAndQuery = req.url ?? '/';
    const body = await readBody(req);
    if (pathAndQuery === CONTROL_PREFIX || pathAndQuery.startsWith(`${CONTROL_PREFIX}/`) || pathAndQuery.startsWith(`${CONTROL_PREFIX}?`)) {
      this.control(req, res, pathAndQuery, body);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    this.requests.push({ method: req.method ?? 'GET', path: pathAndQuery, headers });

    const token = bearerToken(req.headers.authorization);
    const fault = this.faults.take(pathAndQuery, token !== undefined);
    if (fault) {
      switch (fault.kind) {
        case 'hang':
          return; // the socket stays open until the client gives up or the simulator closes
        case 'stall-headers':
          res.writeHead(200, { 'Content-Type': JSON_TYPE, 'Content-Length': '4096' });
          res.flushHeaders();
          return;
        case 'html': {
          const page = Buffer.from(proxyErrorPage(fault.status ?? 502));
          res.writeHead(fault.status ?? 502, { 'Content-Type': 'text/html', 'Content-Length': String(page.length) });
          res.end(page);
          return;
        }
        case 'status': {
          // VSPC answers every server error with 520; other statuses are honoured for client errors.
          const status = fault.status ?? 520;
          const message = status >= 500 ? 'An unexpected error occurred on the server. See the server log for details.' : `The request failed with status ${status} (simulated).`;
          const error = new VspcError(status, message, status >= 500 ? 'unspecified' : 'logical', status >= 500 ? ERROR_CODES.server : ERROR_CODES.badParameter);
          this.send(res, json(status, error.toBody()));
          return;
        }
        case 'throttle': {
          const seconds = fault.retryAfter ?? 1;
          const error = new VspcError(429, `Too many requests. Retry after ${seconds} seconds.`, 'retryableLogical', ERROR_CODES.throttled, {}, seconds);
          this.send(res, json(429, error.toBody(), { 'Retry-After': String(Math.ceil(seconds)) }));
          return;
        }
        case 'throttle-bare': {
          // Neither `retryAfter` nor a Retry-After header: the client has to choose its own wait.
          const error = new VspcError(429, 'Too many requests.', 'retryableLogical', ERROR_CODES.throttled);
          this.send(res, json(429, error.toBody()));
          return;
        }
        case 'unauthorized':
          // Refused, but the token stays valid: a server (or a proxy in front of it) that turns every token away.
          this.send(res, json(401, unauthorized('The access token is not valid for this request.').toBody(), { 'WWW-Authenticate': 'Bearer' }));
          return;
        case 'expire':
          if (token) this.state.tokens.expireAccessToken(token);
          this.send(res, json(401, unauthorized('The access token has expired. Refresh it or log on again.', ERROR_CODES.tokenExpired).toBody(), { 'WWW-Authenticate': 'Bearer' }));
          return;
        case 'huge':
          await streamHugeJson(res, fault.sizeBytes ?? 8 * 1024 * 1024);
          return;
        case 'redirect':
          this.send(res, redirectAnswer(fault, pathAndQuery));
          return;
        case 'slow':
          await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 2000));
          if (res.destroyed) return;
          break;
        default:
          break;
      }
    }

    const rendered = this.answer(req, pathAndQuery, body);
    const corrupted = fault && corruptAnswer(fault.kind, rendered);
    if (corrupted) {
      this.send(res, corrupted);
      return;
    }
    if (fault?.kind === 'reset') {
      res.writeHead(rendered.status, { ...rendered.headers, 'Content-Length': String(rendered.body.length) });
      res.write(rendered.body.subarray(0, Math.floor(rendered.body.length / 2)), () => res.socket?.destroy());
      return;
    }
    this.send(res, rendered);
  }

  private answer(req: IncomingMessage, pathAndQuery: string, body: string): Rendered {
    const question = pathAndQuery.indexOf('?');
    const rawPath = question < 0 ? pathAndQuery : pathAndQuery.slice(0, question);
    const query = question < 0 ? '' : pathAndQuery.slice(question + 1);
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

  private send(res: ServerResponse, rendered: Rendered): void {
    sendRendered(res, rendered);
  }

  /** Test control, no authentication. */
  private control(req: IncomingMessage, res: ServerResponse, pathAndQuery: string, body: string): void {
    answerControl(req, res, pathAndQuery, body, {
      'POST /faults': (body) => this.setFault(parseVspcFault(JSON.parse(body || 'null'))),
      'DELETE /faults': () => this.clearFaults(),
      'POST /expire': () => this.expireAllTokens(),
      'POST /revoke': () => this.revokeAllTokens(),
      'GET /requests': () => this.requests,
      'DELETE /requests': () => this.clearRequests(),
      'GET /tokens': () => ({ active: this.activeTokens() }),
      'GET /sessions': () => ({ active: this.activeTokens() }),
      'GET /connections': () => ({ opened: this.connectionsOpened() }),
    });
  }
}
