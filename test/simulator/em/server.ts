import type { IncomingMessage } from 'node:http';
import type { ControlRoutes, Rendered } from '../core/control';
import { SimulatorServer, type Credentials, type Exchange, type ListenOptions, type SimulatorControls } from '../core/server';
import { EmError, errorBody } from './errors';
import { Fault, parseEmFault, simulatedFailureMessage, streamHugeXml } from './faults';
import { buildEstate } from './estate';
import { Hrefs, indexEstate } from './kinds';
import { toJson, toXml } from './render';
import { EmRouter, RouteResult, RouterState } from './routes';
import { DEMO_TENANT, DEMO_USERS, SessionStore } from './sessions';
import { advanceTasks } from './tasks';

export interface EmSimulator extends SimulatorControls<Fault> {
  users: { admin: Credentials; noRole: Credentials; restoreOperator: Credentials };
  /** Cloud Connect tenant credentials for a tenant logon (`LoginSpec` body, with an EM account's Basic auth). */
  tenant: Credentials;
  /** The next request with any token gets 401. */
  expireAllSessions(): void;
  activeSessions(): number;
  /** Every logon session the simulator opened since it started (its id, its token), and whether it is still live. */
  issuedSessions(): IssuedSession[];
}

export interface IssuedSession {
  /** The GUID of `/api/logonSessions/{id}`. */
  id: string;
  /** The `X-RestSvcSessionId` value. */
  token: string;
  username: string;
  live: boolean;
}

export interface EmServerOptions extends ListenOptions {
  idleTimeoutMs: number;
  jobs: number;
  /** How long the Task of an action stays Running (default 0: it is Finished at the next request). */
  taskDurationMs?: number;
}

const XML_TYPE = 'application/xml; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

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

export class EmServer extends SimulatorServer<Fault> implements EmSimulator {
  readonly users = {
    admin: { username: DEMO_USERS.admin.username, password: DEMO_USERS.admin.password },
    noRole: { username: DEMO_USERS.noRole.username, password: DEMO_USERS.noRole.password },
    restoreOperator: { username: DEMO_USERS.restoreOperator.username, password: DEMO_USERS.restoreOperator.password },
  };
  readonly tenant = { ...DEMO_TENANT };

  private readonly state: RouterState;
  /** Renderings of estate-only answers, keyed by host, representation and URL; bounded. */
  private readonly cache = new Map<string, Rendered>();

  constructor(options: EmServerOptions) {
    super(options, { name: 'EM', apiPath: '/api/' });
    this.state = {
      index: indexEstate(buildEstate(options.jobs)),
      sessions: new SessionStore(Object.values(DEMO_USERS), options.idleTimeoutMs),
      tasks: new Map(),
      nextTaskNumber: 1,
      generation: 0,
      taskDurationMs: options.taskDurationMs ?? 0,
    };
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

  protected credentials(req: IncomingMessage): string | undefined {
    return sessionToken(req.headers);
  }

  protected contentType(req: IncomingMessage): string {
    return prefersJson(req.headers.accept) ? JSON_TYPE : XML_TYPE;
  }

  protected failure(message: string): Rendered {
    return { status: 500, headers: { 'Content-Type': XML_TYPE }, body: Buffer.from(errorBody(500, message, false)) };
  }

  protected streamHuge(exchange: Exchange, sizeBytes: number): Promise<void> {
    return streamHugeXml(exchange.res, sizeBytes, hrefsFor(exchange.req, this.authority).api(''));
  }

  protected parseFault(value: unknown): Fault {
    return parseEmFault(value);
  }

  protected controlRoutes(): ControlRoutes {
    return {
      'POST /expire': () => this.expireAllSessions(),
      'GET /sessions': () => ({ active: this.activeSessions() }),
    };
  }

  protected faultAnswer(fault: Fault, { req, token }: Exchange): Rendered | undefined {
    const json = prefersJson(req.headers.accept);
    switch (fault.kind) {
      case 'status': {
        const status = fault.status ?? 500;
        return this.renderError(new EmError(status, simulatedFailureMessage(status)), json);
      }
      case 'expire':
        if (token) this.state.sessions.removeToken(token);
        return this.renderError(new EmError(401, 'The logon session has expired or does not exist. Log on again.'), json);
      case 'unauthorized':
        // Refused, but the session lives on: a server (or a proxy in front of it) that turns every session away.
        return this.renderError(new EmError(401, 'Access is denied for this logon session.'), json);
      case 'echo': {
        // A careless server whose error repeats the credentials of the request, raw and encoded.
        const auth = req.headers.authorization ?? '';
        const basic = /^Basic (.+)$/i.exec(auth)?.[1];
        const password = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').slice(1).join(':') : '';
        const forms = (s: string) => (s ? [s, encodeURIComponent(s), Buffer.from(s).toString('base64')] : []);
        const echoed = [...forms(token ?? ''), auth, ...forms(password)].filter(Boolean).join(' | ');
        return this.renderError(new EmError(fault.status ?? 500, `The request could not be processed: ${echoed}`), json);
      }
      default:
        return undefined;
    }
  }

  protected answer({ req, pathAndQuery, path, query, token, body, fault }: Exchange): Rendered {
    const json = prefersJson(req.headers.accept);
    const hrefs = hrefsFor(req, this.authority);
    const now = Date.now();
    advanceTasks(this.state, now);
    // Job sessions change while tasks run: a rendering is reused only within one generation.
    const cacheKey = `${this.state.generation}|${hrefs.api('')}|${json ? 'json' : 'xml'}|${pathAndQuery}`;
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
        actionFails: fault?.kind === 'action-fails' ? (fault.message ?? 'The job failed to start (simulated): the backup server did not respond.') : undefined,
        now,
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
}
