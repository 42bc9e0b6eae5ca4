import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answerControl, corruptAnswer, CONTROL_PREFIX, sendRendered, writeWithBackpressure, type Rendered } from '../control';
import type { Credentials } from '../em/sessions';
import { serverError } from './errors';
import { buildVbrEstate, DEFAULT_VBR_JOBS } from './estate';
import { replyBytes, type VbrReply, type VbrRequest } from './exchange';
import { parseVbrFault, planFault, VbrFaultStore, type VbrFault } from './faults';
import { SERVER_REVISIONS, type ServerRelease } from './revisions';
import { VbrRouter } from './routes';
import { DEFAULT_ACCESS_LIFETIME_MS, DEFAULT_REFRESH_LIFETIME_MS, TokenStore, VBR_USERS, type IssuedToken } from './tokens';

/**
 * HTTPS glue for the VBR simulator, kept thin on purpose (it will move onto the shared server core): it parses a
 * request into a VbrRequest, lets faults.ts and routes.ts decide, and writes what they return.
 */

export interface RequestRecord {
  method: string;
  /** Path with query, as sent. */
  path: string;
  headers: Record<string, string>;
}

export interface VbrServerOptions {
  host: string;
  port: number;
  tls: { key: string; cert: string };
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

const MAX_REQUEST_BODY = 1024 * 1024;

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

const rendered = (reply: VbrReply): Rendered => ({ status: reply.status, headers: reply.headers, body: replyBytes(reply) });

export class VbrServer {
  readonly requests: RequestRecord[] = [];
  readonly users: { admin: Credentials; viewer: Credentials; noRole: Credentials } = {
    admin: { username: VBR_USERS.admin.username, password: VBR_USERS.admin.password },
    viewer: { username: VBR_USERS.viewer.username, password: VBR_USERS.viewer.password },
    noRole: { username: VBR_USERS.noRole.username, password: VBR_USERS.noRole.password },
  };
  /** Revisions this server accepts, oldest first. */
  readonly revisions: readonly string[];
  /** `https://127.0.0.1:PORT/api/` */
  url = '';
  origin = '';
  port = 0;

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private tlsConnections = 0;
  private readonly faults = new VbrFaultStore();
  private readonly tokens: TokenStore;
  private readonly router: VbrRouter;

  constructor(private readonly options: VbrServerOptions) {
    this.revisions = typeof options.revisions === 'string' || options.revisions === undefined ? SERVER_REVISIONS[options.revisions ?? 'vbr13'] : options.revisions;
    this.tokens = new TokenStore(Object.values(VBR_USERS), options.accessTokenLifetimeMs ?? DEFAULT_ACCESS_LIFETIME_MS, options.refreshTokenLifetimeMs ?? DEFAULT_REFRESH_LIFETIME_MS);
    this.router = new VbrRouter({ estate: buildVbrEstate(options.items ?? DEFAULT_VBR_JOBS), tokens: this.tokens, revisions: this.revisions, actionDurationMs: options.actionDurationMs });
    this.server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendRendered(res, rendered(serverError(`Simulator failure: ${(err as Error).message}`).toReply()));
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
    if (typeof address !== 'object' || address === null) throw new Error('VBR simulator has no address');
    this.port = address.port;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    this.origin = `https://${host}:${this.port}`;
    this.url = `${this.origin}/api/`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  setFault(fault: VbrFault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Every access token answers 401 from now on; refresh tokens still work. */
  expireAllTokens(): void {
    this.tokens.expireAll();
  }

  /** Access and refresh tokens all stop working, as after a restart of the REST API service. */
  revokeAllTokens(): void {
    this.tokens.revokeAll();
  }

  activeTokens(): number {
    return this.tokens.activeCount();
  }

  /** Every access and refresh token issued since the start, and whether it still works. */
  issuedTokens(): IssuedToken[] {
    return this.tokens.issued();
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
    const question = pathAndQuery.indexOf('?');
    let path: string;
    try {
      path = decodeURIComponent(question < 0 ? pathAndQuery : pathAndQuery.slice(0, question));
    } catch {
      path = '\u0000malformed';
    }
    const request: VbrRequest = { method: req.method ?? 'GET', path, query: new URLSearchParams(question < 0 ? '' : pathAndQuery.slice(question + 1)), headers, body };

    const fault = this.faults.take(pathAndQuery, /^Bearer\s/i.test(headers.authorization ?? ''));
    const plan = fault && planFault(fault, request, pathAndQuery, this.tokens);
    switch (plan?.do) {
      case 'hang':
        return; // the socket stays open until the client gives up or the simulator closes
      case 'stall-headers':
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '4096' });
        res.flushHeaders();
        return;
      case 'redirect':
        sendRendered(res, { status: plan.status, headers: { Location: plan.location, 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from(`Moved to ${plan.location}\n`) });
        return;
      case 'answer':
        return this.send(res, plan.reply);
      case 'delay':
        await new Promise((resolve) => setTimeout(resolve, plan.ms));
        if (res.destroyed) return;
        break;
      default:
        break;
    }

    const reply = this.router.handle(request);
    if (plan?.do === 'corrupt' && !reply.stream) {
      sendRendered(res, corruptAnswer(plan.kind, rendered(reply)) ?? rendered(reply));
      return;
    }
    if (plan?.do === 'reset') {
      const bytes = replyBytes(reply);
      res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(bytes.length) });
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
      return;
    }
    await this.send(res, reply);
  }

  private async send(res: ServerResponse, reply: VbrReply): Promise<void> {
    if (!reply.stream) return sendRendered(res, rendered(reply));
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': String(reply.stream.contentLength) });
    try {
      for (const chunk of reply.stream.chunks()) await writeWithBackpressure(res, chunk);
      res.end();
    } catch {
      res.destroy();
    }
  }

  /** Test control, no authentication; the same endpoints as the other simulators. */
  private control(req: IncomingMessage, res: ServerResponse, pathAndQuery: string, body: string): void {
    answerControl(req, res, pathAndQuery, body, {
      'POST /faults': (text) => this.setFault(parseVbrFault(JSON.parse(text || 'null'))),
      'DELETE /faults': () => this.clearFaults(),
      'POST /expire': () => this.expireAllTokens(),
      'POST /revoke': () => this.revokeAllTokens(),
      'GET /requests': () => this.requests,
      'DELETE /requests': () => this.clearRequests(),
      'GET /tokens': () => ({ active: this.activeTokens() }),
      'GET /connections': () => ({ opened: this.connectionsOpened() }),
    });
  }
}

/** Starts a VBR simulator; `options.port` 0 picks a free port. */
export async function startVbrSimulator(options: VbrServerOptions): Promise<VbrServer> {
  const server = new VbrServer(options);
  await server.listen();
  return server;
}
