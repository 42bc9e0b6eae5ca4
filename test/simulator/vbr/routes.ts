import { randomUUID } from 'node:crypto';
import { ACTIONS, COLLECTIONS, SUB_COLLECTIONS, collectionAt, type CollectionDef } from './catalog';
import { accessDenied, badRequest, forbidden, methodNotAllowed, notFound, unauthorized, VbrError } from './errors';
import type { Item, VbrEstate } from './estate';
import { htmlReply, jsonReply, type VbrReply, type VbrRequest } from './exchange';
import { openApiDocument, swaggerUiPage, swaggerRevision, SWAGGER_UI_PATH } from './openapi';
import { listPage } from './query';
import { checkRevision, HEADER } from './revisions';
import { TokenStore, type TokenPair, type VbrUser } from './tokens';

export interface RouterOptions {
  estate: VbrEstate;
  tokens: TokenStore;
  /** Revisions this server accepts, oldest first. */
  revisions: readonly string[];
  /** How long a session started by an action runs before it stops (default 3 s). */
  actionDurationMs?: number;
  now?: () => number;
}

/** A session an action started: its model is computed when read, so it runs and then stops by itself. */
interface LiveSession {
  model: Item;
  startedAt: number;
  durationMs: number;
  canceled: boolean;
  /** When it was stopped (by `jobs/{id}/stop` or `sessions/{id}/stop`). */
  canceledAt?: number;
  /** Set by an `action-fails` fault: the session ends `Failed` with this message. */
  failure?: string;
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const ROLE_HINT = 'The account must have a Veeam Backup & Replication role (for example Veeam Backup Administrator or Veeam Backup Viewer).';

/** RFC 1123, as the token endpoint writes `.issued` and `.expires`. */
const httpDate = (ms: number) => new Date(ms).toUTCString();

/** The whole URL space of the simulated server: `/swagger/…`, `/api/oauth2/…`, `/api/v1/…`. */
export class VbrRouter {
  private readonly live: LiveSession[] = [];
  private readonly now: () => number;
  private usn = 900_000;

  constructor(private readonly options: RouterOptions) {
    this.now = options.now ?? Date.now;
  }

  handle(req: VbrRequest): VbrReply {
    try {
      return this.route(req);
    } catch (err) {
      if (err instanceof VbrError) return err.toReply();
      throw err;
    }
  }

  private route(req: VbrRequest): VbrReply {
    const method = req.method.toUpperCase();
    const path = req.path.replace(/\/+$/, '') || '/';
    // Swagger UI and its documents need neither a revision header nor a token (they are how a client learns both).
    if (path.toLowerCase().startsWith('/swagger/')) return this.swagger(method, path);
    if (!/^\/api(\/|$)/i.test(path)) return htmlReply(404, '<!DOCTYPE html>\n<html><head><title>Not Found</title></head><body><h1>Not Found</h1></body></html>\n');

    checkRevision(req.headers[HEADER], this.options.revisions);
    const below = path.replace(/^\/api\/?/i, '');
    const lower = below.toLowerCase();
    if (lower === 'oauth2/token') {
      if (method !== 'POST') throw methodNotAllowed(method, path);
      return this.token(req);
    }
    if (lower === 'oauth2/logout') {
      if (method !== 'POST') throw methodNotAllowed(method, path);
      const token = bearer(req);
      if (!token || !this.options.tokens.check(token).ok) throw unauthorized();
      this.options.tokens.logout(token);
      return jsonReply(200, {});
    }
    if (!/^v1(\/|$)/i.test(below)) throw notFound(`The resource '${path}'`);
    const v1 = below.replace(/^v1\/?/i, '');
    if (v1.toLowerCase() === 'servertime') {
      if (method !== 'GET') throw methodNotAllowed(method, path);
      return jsonReply(200, { serverTime: new Date(this.now()).toISOString(), timeZone: '(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna' });
    }

    const user = this.authenticate(req);
    if (method === 'POST') return this.action(user, v1, path, req.actionFails, req.body);
    if (method !== 'GET') throw methodNotAllowed(method, path);
    return this.read(v1, req.query, path);
  }

  private read(v1: string, query: URLSearchParams, path: string): VbrReply {
    const estate = this.options.estate;
    if (v1.toLowerCase() === 'serverinfo') return jsonReply(200, estate.serverInfo);
    const collection = collectionAt(v1);
    if (collection) return jsonReply(200, listPage(this.itemsOf(collection), query, collection));

    const parts = v1.split('/');
    // `<parent>/{id}/<sub>`
    if (parts.length >= 3) {
      const parentPath = parts.slice(0, -2).join('/');
      const sub = SUB_COLLECTIONS.find((s) => s.parent.toLowerCase() === parentPath.toLowerCase() && s.name.toLowerCase() === parts[parts.length - 1].toLowerCase());
      if (sub) {
        const parent = collectionAt(sub.parent)!;
        const parentId = parts[parts.length - 2];
        if (!this.find(parent, parentId)) throw notFound(parent.noun, parentId);
        return jsonReply(200, listPage(sub.items(estate, parentId.toLowerCase()), query, sub));
      }
    }
    // `<collection>/{id}`
    const parent = collectionAt(parts.slice(0, -1).join('/'));
    if (parent?.byId) {
      const id = parts[parts.length - 1];
      const item = this.find(parent, id);
      if (!item) throw notFound(parent.noun, id);
      return jsonReply(200, item);
    }
    throw notFound(`The resource '${path}'`);
  }

  private itemsOf(collection: CollectionDef): Item[] {
    const items = collection.items(this.options.estate);
    if (this.live.length === 0) return items;
    if (collection.path === 'jobs/states') return items.map((state) => this.jobState(state));
    if (collection.path !== 'sessions') return items;
    // Sessions started by actions come first, newest first, as a real server lists running work.
    return [...this.live.map((s) => this.view(s)).reverse(), ...items];
  }

  private find(collection: CollectionDef, id: string): Item | undefined {
    const wanted = id.toLowerCase();
    return this.itemsOf(collection).find((item) => item.id.toLowerCase() === wanted);
  }

  /** A job's state with its newest started session: `Running` while it works, then its result and time. */
  private jobState(state: Item): Item {
    const live = [...this.live].reverse().find((s) => s.model.resourceId === state.id);
    if (!live) return state;
    const view = this.view(live);
    const running = view.state === 'Working';
    return {
      ...state,
      status: running ? 'Running' : state.status === 'Running' ? 'Inactive' : state.status,
      lastRun: view.creationTime,
      lastResult: running ? state.lastResult : (view.result as { result: string }).result,
      sessionId: view.id,
    };
  }

  private action(user: VbrUser, v1: string, path: string, actionFails: string | undefined, body: string): VbrReply {
    const parts = v1.split('/');
    const action = parts.length >= 3 ? ACTIONS.find((a) => a.parent.toLowerCase() === parts.slice(0, -2).join('/').toLowerCase() && a.name.toLowerCase() === parts[parts.length - 1].toLowerCase()) : undefined;
    if (!action) {
      // GET-only paths: 405 for a path that exists, 404 otherwise.
      const known = collectionAt(v1) ?? (parts.length > 1 && collectionAt(parts.slice(0, -1).join('/')));
      if (known) throw methodNotAllowed('POST', path);
      throw notFound(`The resource '${path}'`);
    }
    if (user.role !== 'Veeam Backup Administrator') throw forbidden(`The ${user.role} role does not allow this operation. ${ROLE_HINT}`);
    const parent = collectionAt(action.parent)!;
    const id = parts[parts.length - 2];
    const target = this.find(parent, id);
    if (!target) throw notFound(parent.noun, id);
    if (action.parent === 'sessions') {
      const live = this.live.find((s) => s.model.id === target.id);
      if (live && this.view(live).state === 'Working') this.cancel(live);
      return jsonReply(200, {});
    }
    if (action.parent === 'jobs' && action.name === 'start') checkJobStartSpec(body);
    switch (action.name) {
      case 'start':
      case 'retry':
        return jsonReply(201, this.view(this.startSession(target, action.name === 'retry', actionFails)));
      case 'stop': {
        const running = [...this.live].reverse().find((s) => s.model.resourceId === target.id && this.view(s).state === 'Working');
        if (!running) throw badRequest(`The job '${String(target.name)}' is not running.`);
        this.cancel(running);
        return jsonReply(201, this.view(running));
      }
      default:
        target.isDisabled = action.name === 'disable';
        return jsonReply(200, {});
    }
  }

  private cancel(session: LiveSession): void {
    session.canceled = true;
    session.canceledAt = this.now();
  }

  private startSession(job: Item, retry: boolean, failure: string | undefined): LiveSession {
    const live: LiveSession = {
      model: {
        id: randomUUID(),
        name: retry ? `${String(job.name)} (Retry)` : String(job.name),
        activityId: randomUUID(),
        sessionType: 'BackupJob',
        creationTime: new Date(this.now()).toISOString(),
        resourceId: job.id,
        resourceReference: `/api/v1/jobs/${job.id}`,
        parentSessionId: null,
      },
      startedAt: this.now(),
      durationMs: this.options.actionDurationMs ?? 3000,
      canceled: false,
      failure,
    };
    this.live.push(live);
    return live;
  }

  /**
   * A live session as read now: `Working` with `progressPercent` rising with time, then `Stopped` with a result:
   * `Success`, `Failed` (an `action-fails` fault) or, when stopped by the user, `Warning` with `isCanceled` (the
   * simulator's choice: the docs do not say which result a stopped session gets). A stopped session keeps the
   * progress it had reached.
   */
  private view(session: LiveSession): Item {
    const now = this.now();
    const ranMs = Math.min(now, session.canceledAt ?? now) - session.startedAt;
    const done = session.canceled || ranMs >= session.durationMs;
    const progress = session.durationMs <= 0 ? 100 : Math.min(100, Math.floor((ranMs / session.durationMs) * 100));
    const outcome = !done ? 'None' : session.canceled ? 'Warning' : session.failure !== undefined ? 'Failed' : 'Success';
    const message = !done ? '' : session.canceled ? 'Stopped by the user.' : (session.failure ?? '');
    return {
      ...session.model,
      endTime: done ? new Date(session.startedAt + Math.min(ranMs, session.durationMs)).toISOString() : null,
      state: done ? 'Stopped' : 'Working',
      progressPercent: done && !session.canceled ? 100 : progress,
      result: { result: outcome, message, isCanceled: session.canceled },
      usn: this.usn++,
    };
  }

  private authenticate(req: VbrRequest): VbrUser {
    const token = bearer(req);
    if (!token) throw unauthorized('The authorization header has been expected but not found.');
    const check = this.options.tokens.check(token);
    if (check.ok) return check.user;
    throw unauthorized(check.reason === 'expired' ? 'The access token has expired.' : 'The access token is not valid.');
  }

  /** `POST /api/oauth2/token`: password and refresh_token grants, form-encoded. */
  private token(req: VbrRequest): VbrReply {
    if ((req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase() !== 'application/x-www-form-urlencoded') {
      throw badRequest('The request body must be application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(req.body);
    const tokens = this.options.tokens;
    switch (form.get('grant_type')) {
      case 'password': {
        const username = form.get('username');
        const password = form.get('password');
        if (!username || password === null) throw badRequest('The username and password parameters are required for the password grant type.');
        const user = tokens.checkPassword(username, password);
        if (!user) throw accessDenied();
        if (user.role === 'none') throw accessDenied(`Authentication failed: the user has no role. ${ROLE_HINT}`);
        return jsonReply(200, tokenBody(tokens.issue(user)), NO_STORE);
      }
      case 'refresh_token': {
        const refreshToken = form.get('refresh_token');
        if (!refreshToken) throw badRequest('The refresh_token parameter is required for the refresh_token grant type.');
        const pair = tokens.redeemRefreshToken(refreshToken);
        if (!pair) throw accessDenied('Authentication failed: the refresh token is not valid (unknown, expired, revoked or already used).');
        return jsonReply(200, tokenBody(pair), NO_STORE);
      }
      case null:
      case '':
        throw badRequest('The grant_type parameter is required.');
      default:
        throw badRequest(`The grant type '${form.get('grant_type')}' is not supported by the simulator.`);
    }
  }

  private swagger(method: string, path: string): VbrReply {
    if (method !== 'GET') throw methodNotAllowed(method, path);
    if (path.toLowerCase() === SWAGGER_UI_PATH.toLowerCase()) return htmlReply(200, swaggerUiPage(this.options.revisions));
    const revision = swaggerRevision(path, this.options.revisions);
    if (revision) return jsonReply(200, openApiDocument(revision));
    return htmlReply(404, '<!DOCTYPE html>\n<html><head><title>Not Found</title></head><body><h1>Not Found</h1></body></html>\n');
  }
}

/**
 * `POST jobs/{id}/start` may carry a JobStartSpec (`performActiveFull`, `startChainedJobs`: booleans); none is the
 * simulator's choice of a plain run. A body that is not such an object is refused as the server's validation would.
 */
function checkJobStartSpec(body: string): void {
  if (!body.trim()) return;
  let spec: unknown;
  try {
    spec = JSON.parse(body);
  } catch {
    throw badRequest('The request body is not valid JSON.');
  }
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw badRequest('The request body must be a JobStartSpec object.');
  for (const [key, value] of Object.entries(spec)) {
    if ((key === 'performActiveFull' || key === 'startChainedJobs') && typeof value !== 'boolean') throw badRequest(`The ${key} property must be a boolean.`);
  }
}

function bearer(req: VbrRequest): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

function tokenBody(pair: TokenPair): Record<string, unknown> {
  return {
    access_token: pair.accessToken,
    token_type: 'bearer',
    refresh_token: pair.refreshToken,
    expires_in: Math.round((pair.accessExpiresAt - pair.issuedAt) / 1000),
    '.issued': httpDate(pair.issuedAt),
    '.expires': httpDate(pair.accessExpiresAt),
  };
}

export { COLLECTIONS };
