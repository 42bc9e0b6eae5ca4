// The HTTPS server every simulator runs on. The core owns what is not one API's business: listening and closing,
// sockets and TLS connection counts, reading a request body (bounded), the /__simulator control endpoints, the
// request log, the fault switch and every fault kind that looks the same on any API. An API's folder extends
// SimulatorServer with its URL space, its credentials and its way of wording errors.
import { createServer, Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { answerControl, corruptAnswer, CONTROL_PREFIX, redirectAnswer, sendRendered, type ControlRoutes, type Rendered } from './control';
import { FaultStore, proxyErrorPage, type SimulatorFault } from './faults';

export interface RequestRecord {
  method: string;
  /** Path with query, as sent. */
  path: string;
  /** Header names in lower case; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /**
   * The body of a request other than GET/HEAD (UTF-8, at most MAX_LOGGED_BODY characters; absent when empty), so a
   * test can prove what an action sent and that nothing was sent twice.
   */
  body?: string;
  /** The body was longer than MAX_LOGGED_BODY and `body` holds its start. */
  bodyTruncated?: true;
}

/** A user name and password of a demo account. */
export interface Credentials {
  username: string;
  password: string;
}

/** What a test sees of any simulator: where it listens, its faults, its request log, its connections. */
export interface SimulatorControls<F extends SimulatorFault> {
  /** The API's base URL, e.g. `https://127.0.0.1:PORT/api/`. */
  url: string;
  origin: string;
  port: number;
  setFault(fault: F): void;
  clearFaults(): void;
  /** TLS connections accepted (handshake done) since the simulator started: a keep-alive client opens few. */
  connectionsOpened(): number;
  /** Every request received except the /__simulator control endpoints. */
  requests: RequestRecord[];
  clearRequests(): void;
}

export interface ListenOptions {
  host: string;
  /** 0 = a free port. */
  port: number;
  tls: { key: string; cert: string };
}

/** One request on its way through a simulator. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  /** Path with query, as sent. */
  pathAndQuery: string;
  /** The path, before any `?`, not decoded. */
  path: string;
  /** The query, after the first `?` (empty when none). */
  query: string;
  /** The body as UTF-8; cut at MAX_REQUEST_BODY. */
  body: string;
  /** The credential the request carries (a session or bearer token), as the API reads it. */
  token: string | undefined;
  /**
   * The fault that applies to this request when it does not replace the answer: an API reads `action-fails` here
   * (the action it starts ends in failure).
   */
  fault?: SimulatorFault;
}

/** What the simulators read of a request body; the rest is received and dropped. */
export const MAX_REQUEST_BODY = 1024 * 1024;
/** How much of a request body the request log keeps. */
export const MAX_LOGGED_BODY = 64 * 1024;
/** The size of a `huge` fault's answer when the fault does not say. */
const DEFAULT_HUGE_BYTES = 8 * 1024 * 1024;

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

/** A request's headers: names in lower case, repeated headers joined with ', '. */
export function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** A request as the log keeps it: the body only for methods that change something, bounded. */
function requestRecord(req: IncomingMessage, pathAndQuery: string, body: string): RequestRecord {
  const method = req.method ?? 'GET';
  const record: RequestRecord = { method, path: pathAndQuery, headers: headerRecord(req) };
  if (method !== 'GET' && method !== 'HEAD' && body !== '') {
    record.body = body.length > MAX_LOGGED_BODY ? body.slice(0, MAX_LOGGED_BODY) : body;
    if (body.length > MAX_LOGGED_BODY) record.bodyTruncated = true;
  }
  return record;
}

function isControl(pathAndQuery: string): boolean {
  return pathAndQuery === CONTROL_PREFIX || pathAndQuery.startsWith(`${CONTROL_PREFIX}/`) || pathAndQuery.startsWith(`${CONTROL_PREFIX}?`);
}

/** The HTTPS server of one simulated API; the API's folder fills in the abstract members. */
export abstract class SimulatorServer<F extends SimulatorFault> implements SimulatorControls<F> {
  readonly requests: RequestRecord[] = [];
  url = '';
  origin = '';
  port = 0;
  /** `host:port` as the simulator listens (IPv6 in brackets): for links when a request's Host header is unusable. */
  protected authority = '';

  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private tlsConnections = 0;
  private readonly faults = new FaultStore<F>();

  /** `name` words the simulator in its own failures; `apiPath` is the API's path below the origin (`/api/`). */
  constructor(
    private readonly listenOn: ListenOptions,
    private readonly api: { name: string; apiPath: string },
  ) {
    this.server = createServer({ key: listenOn.tls.key, cert: listenOn.tls.cert }, (req, res) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) sendRendered(res, this.failure(`Simulator failure: ${(err as Error).message}`));
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

  // ---- what each API says for itself ----

  /** The credential a request carries, as the API reads it (cookie or header, bearer token…). */
  protected abstract credentials(req: IncomingMessage): string | undefined;
  /** The API's answer to a request that no fault replaced. */
  protected abstract answer(exchange: Exchange): Rendered;
  /** The answer when the simulator itself fails (a bug), in the API's error shape. */
  protected abstract failure(message: string): Rendered;
  /** The Content-Type of the API's answer to this request (for faults that send headers and no body). */
  protected abstract contentType(req: IncomingMessage): string;
  /** A `huge` fault: a valid list answer of `sizeBytes`, streamed. */
  protected abstract streamHuge(exchange: Exchange, sizeBytes: number): Promise<void>;
  /**
   * A fault the API words itself (`status`, `expire`, `unauthorized` and its own kinds): the answer that replaces
   * the real one, or undefined to answer as usual (the core still applies the kinds that corrupt an answer).
   */
  protected abstract faultAnswer(fault: F, exchange: Exchange): Rendered | undefined;
  /** A fault as it arrives over `POST /__simulator/faults`: validated, or an Error. */
  protected abstract parseFault(value: unknown): F;
  /** The API's own control endpoints, beside the core's faults, requests and connections. */
  protected abstract controlRoutes(): ControlRoutes;

  // ---- the simulator's life ----

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.listenOn.port, this.listenOn.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) throw new Error(`${this.api.name} simulator has no address`);
    this.port = address.port;
    const host = this.listenOn.host.includes(':') ? `[${this.listenOn.host}]` : this.listenOn.host;
    this.authority = `${host}:${this.port}`;
    this.origin = `https://${this.authority}`;
    this.url = `${this.origin}${this.api.apiPath}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // Hanging and stalled answers never finish by themselves.
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  setFault(fault: F): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  connectionsOpened(): number {
    return this.tlsConnections;
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  // ---- one request ----

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathAndQuery = req.url ?? '/';
    const body = await readBody(req);
    if (isControl(pathAndQuery)) {
      this.control(req, res, pathAndQuery, body);
      return;
    }
    this.requests.push(requestRecord(req, pathAndQuery, body));
    const question = pathAndQuery.indexOf('?');
    const path = question < 0 ? pathAndQuery : pathAndQuery.slice(0, question);
    const query = question < 0 ? '' : pathAndQuery.slice(question + 1);
    const exchange: Exchange = { req, res, pathAndQuery, path, query, body, token: this.credentials(req) };
    const fault = this.faults.take(pathAndQuery, exchange.token !== undefined, req.method ?? 'GET');
    if (fault && (await this.replacedByFault(fault, exchange))) return;
    exchange.fault = fault;

    const rendered = this.answer(exchange);
    const corrupted = fault && corruptAnswer(fault.kind, rendered);
    if (corrupted) {
      sendRendered(res, corrupted);
      return;
    }
    if (fault?.kind === 'reset') {
      res.writeHead(rendered.status, { ...rendered.headers, 'Content-Length': String(rendered.body.length) });
      res.write(rendered.body.subarray(0, Math.floor(rendered.body.length / 2)), () => res.socket?.destroy());
      return;
    }
    sendRendered(res, rendered);
  }

  /** Answers a fault that replaces the real answer (true), or waits out a `slow` one and lets the answer go (false). */
  private async replacedByFault(fault: F, exchange: Exchange): Promise<boolean> {
    const { res } = exchange;
    switch (fault.kind) {
      case 'hang':
        return true; // the socket stays open until the client gives up or the simulator closes
      case 'stall-headers':
        res.writeHead(200, { 'Content-Type': this.contentType(exchange.req), 'Content-Length': '4096' });
        res.flushHeaders();
        return true;
      case 'html': {
        const page = Buffer.from(proxyErrorPage(fault.status ?? 502));
        res.writeHead(fault.status ?? 502, { 'Content-Type': 'text/html', 'Content-Length': String(page.length) });
        res.end(page);
        return true;
      }
      case 'huge':
        await this.streamHuge(exchange, fault.sizeBytes ?? DEFAULT_HUGE_BYTES);
        return true;
      case 'redirect':
        sendRendered(res, redirectAnswer(fault, exchange.pathAndQuery));
        return true;
      case 'slow':
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 2000));
        return res.destroyed;
      default: {
        const answer = this.faultAnswer(fault, exchange);
        if (answer) sendRendered(res, answer);
        return answer !== undefined;
      }
    }
  }

  /** Test control, no authentication. */
  private control(req: IncomingMessage, res: ServerResponse, pathAndQuery: string, body: string): void {
    answerControl(req, res, pathAndQuery, body, {
      'POST /faults': (body) => this.setFault(this.parseFault(JSON.parse(body || 'null'))),
      'DELETE /faults': () => this.clearFaults(),
      'GET /requests': () => this.requests,
      'DELETE /requests': () => this.clearRequests(),
      'GET /connections': () => ({ opened: this.connectionsOpened() }),
      ...this.controlRoutes(),
    });
  }
}
