import { answerControl, corruptAnswer, CONTROL_PREFIX, redirectAnswer, sendRendered, type Rendered } from '../control';
import { createServer, Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { EmError, errorBody } from './errors';
import { Fault, FaultStore, parseFault, proxyErrorPage, simulatedFailureMessage, streamHugeXml } from './faults';
import { buildEstate } from './estate';
import { Hrefs, indexEstate } from './kinds';
import { toJson, toXml } from './render';
import { EmRouter, RouteResult, RouterState } from './routes';
import { Credentials, DEMO_TENANT, DEMO_USERS, SessionStore } from './sessions';

export interface RequestRecord {
  method: string;
  /** Path with query, as sent. */
  path: string;
  /** Header names in lower case; repeated headers joined with ', '. */
  headers: Record<string, string>;
}

export interface EmSimulator {
  url: string;
  origin: string;
  port: number;
  users: { admin: Credentials; noRole: Credentials; restoreOperator: Credentials };
  /** Cloud Connect tenant credentials for a tenant logon (`LoginSpec` body, with an EM account's Basic auth). */
  tenant: Credentials;
  setFault(fault: Fault): void;
  clearFaults(): void;
  /** The next request with any token gets 401. */
  expireAllSessions(): void;
  activeSessions(): number;
  /** Every logon session the simulator opened since it started (its id, its token), and whether it is still live. */
  issuedSessions(): IssuedSession[];
  /** TLS connections accepted (handshake done) since the simulator started: a keep-alive client opens few. */
  connectionsOpened(): number;
  /** Every request received except the /__simulator control endpoints. */
  requests: RequestRecord[];
  clearRequests(): void;
}

export interface IssuedSession {
  /** The GUID of `/api/logonSessions/{id}`. */
  id: string;
  /** The `X-RestSvcSessionId` value. */
  token: string;
  username: string;
  live: boolean;
}

export interface EmServerOptions {
  host: string;
  port: number;
  idleTimeoutMs: number;
  jobs: number;
  tls: { key: string; cert: string };
}

const XML_TYPE = 'application/xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const MAX_REQUEST_BODY = 1024 * 1024;

/** JSON only when the client asks for it ahead of XML; a wildcard Accept or none gives XML, like EM. */
export function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const lower = accept.toLowerCase();
  const json = lower.indexOf('application/json');
  const xml = lower.search(/(application|text)\/xml/);
  return json >= 0 && (xml < 0 || json < xml);
}

/** The session token a request carries: the cookie wins over the header, as on a real server. */
export function sessionToken(headers: IncomingMessage['headers']): string | undefined {
  const cookies = (headers.cookie ?? '').split(';').map((c) => c.trim());
  for (const cookie of cookies) {
    const eq = cookie.indexOf('=');
    if (eq > 0 && cookie.slice(0, eq).toLowerCase() === 'x-restsvcsessionid') {
      const value = cookie.slice(eq + 1).trim();
      if (value) return value;
    }
  }
  const header = headers['x-restsvcsessionid'];
  const value = Array.isArray(header) ? header[0] : header;
  return value?.trim() || undefined;
}

function hrefsFor(req: IncomingMessage, fallbackHost: string): Hrefs {
  const host = req.headers.host && /^[A-Za-z0-9.\-:[\]]+$/.test(req.headers.host) ? req.headers.host : fallbackHost;
  const base = `https://${host}/api/`;
  return { api: (path: string) => base + path };
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

export class EmServer implements EmSimulator {
  readonly requests: RequestRecord[] = [];
  readonly users = {
    admin: { username: DEMO_USERS.admin.username, password: DEMO_USERS.admin.password },
    noRole: { username: DEMO_USERS.noRole.username, password: DEMO_USERS.noRole.password },
    restoreOperator: { username: DEMO_USERS.restoreOperator.username, password: DEMO_USERS.restoreOperator.password },
  };
  readonly tenant = { ...DEMO_TENANT };
  url = '';
  origin = '';
  port = 0;

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private tlsConnections = 0;
  private readonly faults = new FaultStore();
  private readonly state: RouterState;
  private fallbackHost = '';
  /** Renderings of estate-only answers, keyed by host, representation and URL; bounded. */
  private readonly cache = new Map<string, Rendered>();

  constructor(private readonly options: EmServerOptions) {
    this.state = {
      index: indexEstate(buildEstate(options.jobs)),
      sessions: new SessionStore(Object.values(DEMO_USERS), options.idleTimeoutMs),
      tasks: new Map(),
      nextTaskNumber: 1,
    };
    this.server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': XML_TYPE });
          res.end(errorBody(500, `Simulator failure: ${(err as Error).message}`, false));
        } else res.destroy();
      });
    });
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('secureConnection', (socket: Socket) => {
      this.tlsConnections++;
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
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
    if (typeof address !== 'object' || address === null) throw new Error('EM simulator has no address');
    this.port = address.port;
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    this.fallbackHost = `${host}:${this.port}`;
    this.origin = `https://${this.fallbackHost}`;
    this.url = `${this.origin}/api/`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Hanging and stalled answers never finish by themselves.
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  setFault(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  expireAllSessions(): void {
    this.state.sessions.expireAll();
  }

  activeSessions(): number {
    return this.state.sessions.count();
  }

  issuedSessions(): IssuedSession[] {
    const store = this.state.sessions;
    return store.issued().map((s) => ({ id: s.id, token: s.token, username: s.user.username, live: store.isLive(s) }));
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
    if (pathAndQuery === CONTROL_PREFIX || pathAndQuery.startsWith(`${CONTROL_PREFIX}/`)) {
      this.control(req, res, pathAndQuery, body);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    this.requests.push({ method: req.method ?? 'GET', path: pathAndQuery, headers });

    const json = prefersJson(req.headers.accept);
    const token = sessionToken(req.headers);
    const hrefs = hrefsFor(req, this.fallbackHost);
    const fault = this.faults.take(pathAndQuery, token !== undefined);

    if (fault) {
      switch (fault.kind) {
        case 'hang':
          return; // the socket stays open until the client gives up or the simulator closes
        case 'stall-headers':
          res.writeHead(200, { 'Content-Type': json ? JSON_TYPE : XML_TYPE, 'Content-Length': '4096' });
          res.flushHeaders();
          return;
        case 'html': {
          const page = Buffer.from(proxyErrorPage(fault.status ?? 502));
          res.writeHead(fault.status ?? 502, { 'Content-Type': 'text/html', 'Content-Length': String(page.length) });
          res.end(page);
          return;
        }
        case 'status': {
          const status = fault.status ?? 500;
          this.send(res, this.renderError(new EmError(status, simulatedFailureMessage(status)), json));
          return;
        }
        case 'expire':
          if (token) this.state.sessions.removeToken(token);
          this.send(res, this.renderError(new EmError(401, 'The logon session has expired or does not exist. Log on again.'), json));
          return;
        case 'unauthorized':
          // Refused, but the session lives on: a server (or a proxy in front of it) that turns every session away.
          this.send(res, this.renderError(new EmError(401, 'Access is denied for this logon session.'), json));
          return;
        case 'echo': {
          // A careless server whose error repeats the credentials of the request, raw and encoded.
          const auth = req.headers.authorization ?? '';
          const basic = /^Basic (.+)$/i.exec(auth)?.[1];
          const password = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : '';
          const forms = (s: string) => (s ? [s, encodeURIComponent(s), Buffer.from(s).toString('base64')] : []);
          const echoed = [...forms(token ?? ''), auth, ...forms(password)].filter(Boolean).join(' | ');
          this.send(res, this.renderError(new EmError(fault.status ?? 500, `The request could not be processed: ${echoed}`), json));
          return;
        }
        case 'huge':
          await streamHugeXml(res, fault.sizeBytes ?? 8 * 1024 * 1024, hrefs.api(''));
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

    const rendered = this.answer(req, pathAndQuery, token, hrefs, json, body);
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

  private answer(req: IncomingMessage, pathAndQuery: string, token: string | undefined, hrefs: Hrefs, json: boolean, body: string): Rendered {
    const question = pathAndQuery.indexOf('?');
    const path = question < 0 ? pathAndQuery : pathAndQuery.slice(0, question);
    const query = question < 0 ? '' : pathAndQuery.slice(question + 1);
    const cacheKey = `${hrefs.api('')}|${json ? 'json' : 'xml'}|${pathAndQuery}`;
    let result: RouteResult;
    try {
      if (!/^\/api(\/|$)/i.test(path)) throw new EmError(404, `The resource '${path}' was not found.`);
      const router = new EmRouter(this.state, hrefs);
      result = router.handle({
        method: (req.method ?? 'GET').toUpperCase(),
        path: decodeURIComponent(path.replace(/^\/api\/?/i, '')),
        query,
        authorization: req.headers.authorization,
        body,
        token,
        cached: req.method === 'GET' && this.cache.has(cacheKey),
      });
    } catch (err) {
      if (err instanceof EmError) return this.renderError(err, json);
      if (err instanceof URIError) return this.renderError(new EmError(400, 'The request URL is malformed.'), json);
      throw err;
    }
    if (result.fromCache) return this.cache.get(cacheKey)!;
    const headers: Record<string, string> = { ...(result.headers ?? {}) };
    if (!result.body) return { status: result.status, headers, body: Buffer.alloc(0) };
    headers['Content-Type'] = json ? JSON_TYPE : XML_TYPE;
    const rendered = { status: result.status, headers, body: Buffer.from(json ? toJson(result.body) : toXml(result.body)) };
    if (result.cacheable && req.method === 'GET') {
      if (this.cache.size >= 64) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(cacheKey, rendered);
    }
    return rendered;
  }

  private renderError(err: EmError, json: boolean): Rendered {
    return {
      status: err.status,
      headers: { ...err.headers, 'Content-Type': json ? JSON_TYPE : XML_TYPE },
      body: Buffer.from(errorBody(err.status, err.message, json)),
    };
  }

  private send(res: ServerResponse, rendered: Rendered): void {
    sendRendered(res, rendered);
  }

  /** Test control, no authentication. */
  private control(req: IncomingMessage, res: ServerResponse, pathAndQuery: string, body: string): void {
    answerControl(req, res, pathAndQuery, body, {
      'POST /faults': (body) => this.setFault(parseFault(JSON.parse(body || 'null'))),
      'DELETE /faults': () => this.clearFaults(),
      'POST /expire': () => this.expireAllSessions(),
      'GET /requests': () => this.requests,
      'DELETE /requests': () => this.clearRequests(),
      'GET /sessions': () => ({ active: this.activeSessions() }),
      'GET /connections': () => ({ opened: this.connectionsOpened() }),
    });
  }
}
