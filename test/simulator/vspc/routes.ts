import { ERROR_CODES, OAuthError, VspcError, notFound, unauthorized } from './errors';
import type { Item, Json, VspcEstate } from './estate';
import { mediaType, parseMultipart, parseUrlEncoded } from './forms';
import { page, parsePageQuery } from './query';
import { TokenPair, TokenStore, VspcUser } from './tokens';
import { AsyncActions, type AsyncStatus } from './actions';

export interface VspcRequest {
  method: string;
  /** Path below `/api/v3`, decoded, without a leading or trailing slash. */
  path: string;
  params: URLSearchParams;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
  /** The `x-request-id` header. */
  requestId?: string;
  /** An `action-fails` fault applies: the async action this request starts ends `failed` with this message. */
  actionFails?: string;
  /** The time of the request (ms since the epoch). */
  now?: number;
}

export interface VspcReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouterState {
  estate: VspcEstate;
  tokens: TokenStore;
  /** The `/authentication/*` logon endpoints exist (VSPC 8); false behaves like VSPC 9. */
  legacyAuth: boolean;
  asyncActions: AsyncActions;
}

interface Collection {
  path: string;
  items: Item[];
  byUid: Map<string, Item>;
}

/** The GET collections the simulator serves, by path below `/api/v3`. */
export function collections(estate: VspcEstate): Collection[] {
  const make = (path: string, items: Item[]): Collection => ({ path, items, byUid: new Map(items.map((i) => [i.instanceUid.toLowerCase(), i])) });
  return [
    make('organizations/companies', estate.companies),
    make('organizations/resellers', estate.resellers),
    make('organizations/locations', estate.locations),
    make('infrastructure/backupServers', estate.backupServers),
    make('infrastructure/backupServers/jobs', estate.jobs),
    make('protectedWorkloads/virtualMachines', estate.virtualMachines),
    make('alarms/active', estate.activeAlarms),
  ];
}

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The URL space of `/api/v3`. */
export class VspcRouter {
  private readonly collections: Map<string, Collection>;
  private readonly jobsByServer = new Map<string, Item[]>();
  private readonly locationsByOrganization = new Map<string, Item[]>();
  private readonly organizations = new Set<string>();

  constructor(private readonly state: RouterState) {
    this.collections = new Map(collections(state.estate).map((c) => [c.path.toLowerCase(), c]));
    const group = (into: Map<string, Item[]>, items: Item[], key: (item: Item) => Json) => {
      for (const item of items) {
        const k = String(key(item)).toLowerCase();
        const list = into.get(k);
        if (list) list.push(item);
        else into.set(k, [item]);
      }
    };
    group(this.jobsByServer, state.estate.jobs, (job) => job.backupServerUid);
    group(this.locationsByOrganization, state.estate.locations, (location) => location.organizationUid);
    this.organizations.add(state.estate.providerUid.toLowerCase());
    for (const org of [...state.estate.companies, ...state.estate.resellers]) this.organizations.add(org.instanceUid.toLowerCase());
  }

  handle(req: VspcRequest): VspcReply {
    const path = req.path;
    const lower = path.toLowerCase();
    if (lower === 'token') {
      if (req.method !== 'POST') throw methodNotAllowed(req.method, path);
      return this.token(req);
    }
    if (lower === 'authentication/usernamepassword' || lower === 'authentication/refresh') {
      // VSPC 9 removed these endpoints: they answer like any unknown path.
      if (!this.state.legacyAuth) throw notFound(`/api/v3/${path}`);
      if (req.method !== 'POST') throw methodNotAllowed(req.method, path);
      return lower === 'authentication/refresh' ? this.legacyRefresh(req) : this.legacyLogon(req);
    }

    const user = this.authenticate(req.authorization);
    const now = req.now ?? Date.now();
    this.state.asyncActions.advance(now);
    const tokens = /^users\/([^/]+)\/tokens$/i.exec(path);
    if (tokens) {
      if (req.method !== 'DELETE') throw methodNotAllowed(req.method, path);
      return this.revokeUserTokens(user, tokens[1], req.params.get('userLoginId') ?? undefined);
    }
    const logins = /^users\/([^/]+)\/logins$/i.exec(path);
    if (logins) {
      if (req.method !== 'GET') throw methodNotAllowed(req.method, path);
      return this.userLogins(user, logins[1], req.params);
    }
    if (req.method !== 'GET') {
      if (user.role === 'ReadOnlyUser') throw new VspcError(403, 'The read-only user role cannot change anything.', 'security', ERROR_CODES.forbidden);
      const acted = this.action(req, path, user, now);
      if (acted) return acted;
      throw methodNotAllowed(req.method, path);
    }
    if (lower === 'about') return { status: 200, body: { data: this.state.estate.about } };
    if (lower === 'users/me') return { status: 200, body: { data: userView(user, this.state.estate.providerUid) } };

    const collection = this.collections.get(lower);
    if (collection) return this.list(collection.items, req.params);
    if (lower === 'asyncactions') return this.list(this.state.asyncActions.list(), req.params);
    const asyncAction = /^asyncActions\/([^/]+)(\/result)?$/i.exec(path);
    if (asyncAction) {
      const actions = this.state.asyncActions;
      return { status: 200, body: asyncAction[2] ? actions.result(asyncAction[1], now) : actions.get(asyncAction[1]) };
    }

    const serverJobs = /^infrastructure\/backupServers\/([^/]+)\/jobs$/i.exec(path);
    if (serverJobs) {
      const server = this.collections.get('infrastructure/backupservers')!.byUid.get(serverJobs[1].toLowerCase());
      if (!server) throw new VspcError(404, `Backup server '${serverJobs[1]}' was not found.`, 'logical', ERROR_CODES.notFound);
      return this.list(this.jobsByServer.get(server.instanceUid.toLowerCase()) ?? [], req.params);
    }
    const orgLocations = /^organizations\/([^/]+)\/locations$/i.exec(path);
    if (orgLocations && GUID.test(orgLocations[1])) {
      if (!this.organizations.has(orgLocations[1].toLowerCase())) throw new VspcError(404, `Organization '${orgLocations[1]}' was not found.`, 'logical', ERROR_CODES.notFound);
      return this.list(this.locationsByOrganization.get(orgLocations[1].toLowerCase()) ?? [], req.params);
    }

    const slash = path.lastIndexOf('/');
    const parent = slash > 0 ? this.collections.get(lower.slice(0, slash)) : undefined;
    if (parent) {
      const uid = path.slice(slash + 1);
      const item = parent.byUid.get(uid.toLowerCase());
      if (!item) throw new VspcError(404, `The resource with UID '${uid}' was not found in /${parent.path}.`, 'logical', ERROR_CODES.notFound);
      return { status: 200, body: { data: item } };
    }
    throw notFound(`/api/v3/${path}`);
  }

  /**
   * The POST actions the simulator runs as async actions, and `DELETE /asyncActions/{id}` (cancel); undefined for
   * any other path. `POST /infrastructure/backupServers/jobs/{jobUid}/start|stop`: the job's `status` is `Running`
   * while a start runs and then `Success`/`Failed` (`Warning` when canceled or stopped: the simulator's choice).
   */
  private action(req: VspcRequest, path: string, user: VspcUser, now: number): VspcReply | undefined {
    const cancel = /^asyncActions\/([^/]+)$/i.exec(path);
    if (cancel && req.method === 'DELETE') return { status: 200, body: this.state.asyncActions.cancel(cancel[1], now) };
    const jobAction = /^infrastructure\/backupServers\/jobs\/([^/]+)\/(start|stop)$/i.exec(path);
    if (!jobAction) return undefined;
    if (req.method !== 'POST') throw methodNotAllowed(req.method, path);
    const job = this.collections.get('infrastructure/backupservers/jobs')!.byUid.get(jobAction[1].toLowerCase());
    if (!job) throw new VspcError(404, `Backup server job '${jobAction[1]}' was not found.`, 'logical', ERROR_CODES.notFound);
    const verb = jobAction[2].toLowerCase();
    const end = (status: AsyncStatus, at: number, failure?: string) => {
      if (verb === 'stop') {
        if (status === 'succeed' && job.status === 'Running') endRun(job, 'Warning', at, 'Stopped by user.');
        return;
      }
      if (status === 'succeed') endRun(job, 'Success', at, null);
      else if (status === 'failed') endRun(job, 'Failed', at, failure ?? 'The job failed.');
      else endRun(job, 'Warning', at, 'Stopped by user.');
    };
    const reply = this.state.asyncActions.start(req.requestId, req.actionFails, now, {
      actionName: verb === 'start' ? 'StartBackupServerJob' : 'StopBackupServerJob',
      initiatorUid: user.instanceUid,
      target: job,
      onStart: (at) => {
        if (verb !== 'start') return;
        job.status = 'Running';
        job.lastRun = new Date(at).toISOString();
        job.lastEndTime = null;
        job.lastDuration = null;
        job.failureMessage = null;
      },
      onSucceed: () => job,
      onEnd: end,
    });
    return { status: reply.status, headers: reply.headers, body: reply.body };
  }

  private list(items: Item[], params: URLSearchParams): VspcReply {
    const query = parsePageQuery(params, items[0]);
    const result = page(items, query);
    return { status: 200, body: { meta: result.meta, data: result.data } };
  }

  private authenticate(authorization: string | undefined): VspcUser {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw unauthorized('Authentication required: send "Authorization: Bearer <access token>".');
    const check = this.state.tokens.check(match[1]);
    if (check.ok) return check.user;
    if (check.reason === 'expired') throw unauthorized('The access token has expired. Refresh it or log on again.', ERROR_CODES.tokenExpired);
    throw unauthorized('The access token is not valid.');
  }

  /** Without `userLoginId` every token of the user goes (in every application); with it, only that identity's. */
  private revokeUserTokens(caller: VspcUser, userUid: string, userLoginId: string | undefined): VspcReply {
    const target = this.state.tokens.userByUid(userUid);
    if (!target) throw new VspcError(404, `User '${userUid}' was not found.`, 'logical', ERROR_CODES.notFound);
    if (target.instanceUid !== caller.instanceUid && caller.role !== 'PortalAdministrator') {
      throw new VspcError(403, 'Only a portal administrator can revoke the tokens of another user.', 'security', ERROR_CODES.forbidden);
    }
    let loginId: number | undefined;
    if (userLoginId !== undefined) {
      // int64 in the document; the simulator's answers for a bad or foreign id are its own choice.
      if (!/^\d{1,18}$/.test(userLoginId)) throw new VspcError(400, `The userLoginId parameter must be an integer, not '${userLoginId}'.`, 'logical', ERROR_CODES.badParameter);
      loginId = Number(userLoginId);
      if (!target.identities.some((i) => i.id === loginId)) throw new VspcError(404, `User identity ${loginId} of user '${userUid}' was not found.`, 'logical', ERROR_CODES.notFound);
    }
    this.state.tokens.revokeUser(target.instanceUid, loginId);
    return { status: 200, body: { data: true } };
  }

  /**
   * `GET /users/{userUid}/logins`: the user's identities (`UserLogin`). The help page of this operation names the
   * roles allowed (Portal Administrator, the service provider's and company's owners and administrators): a
   * Read-only User is refused, also for their own.
   */
  private userLogins(caller: VspcUser, userUid: string, params: URLSearchParams): VspcReply {
    if (caller.role !== 'PortalAdministrator') throw new VspcError(403, 'The role of this user does not allow reading user identities.', 'security', ERROR_CODES.forbidden);
    const target = this.state.tokens.userByUid(userUid);
    if (!target) throw new VspcError(404, `User '${userUid}' was not found.`, 'logical', ERROR_CODES.notFound);
    const items: Item[] = target.identities.map((i) => ({
      id: i.id,
      userUid: target.instanceUid,
      userName: target.username,
      identityProviderName: i.identityProviderName,
      description: i.description,
      isReadAccessOnly: i.isReadAccessOnly,
      status: 'enabled',
      identifierInProvider: i.identifierInProvider,
      companyId: this.state.estate.providerUid,
      companyName: 'Provider',
      scopes: [...i.scopes],
      parameters: null,
      creationDate: '2024-05-06T07:08:09.000Z',
    })) as unknown as Item[];
    return this.list(items, params);
  }

  /** `POST /token`: OAuth 2.0 password, refresh_token and mfa grants. */
  private token(req: VspcRequest): VspcReply {
    if (mediaType(req.contentType) !== 'application/x-www-form-urlencoded') {
      throw new OAuthError(400, 'invalid_request', 'The request body must be application/x-www-form-urlencoded.');
    }
    const form = parseUrlEncoded(req.body);
    const tokens = this.state.tokens;
    switch (form.grant_type) {
      case 'password': {
        if (!form.username || form.password === undefined) throw new OAuthError(400, 'invalid_request', 'The username and password parameters are required.');
        const user = tokens.checkPassword(form.username, form.password);
        if (!user) throw new OAuthError(400, 'invalid_request', 'Invalid user name or password.');
        if (user.mfa) {
          const mfaToken = tokens.startMfa(user);
          return { status: 200, headers: NO_STORE, body: oauthBody(undefined, mfaToken) };
        }
        return { status: 200, headers: NO_STORE, body: oauthBody(tokens.issue(user)) };
      }
      case 'refresh_token': {
        if (!form.refresh_token) throw new OAuthError(400, 'invalid_request', 'The refresh_token parameter is required.');
        const pair = tokens.redeemRefreshToken(form.refresh_token);
        if (!pair) throw new OAuthError(400, 'invalid_request', 'The refresh token is not valid: it is unknown, revoked or already used.');
        return { status: 200, headers: NO_STORE, body: oauthBody(pair) };
      }
      case 'mfa': {
        const user = tokens.completeMfa(form.mfa_token ?? '', form.mfa_code ?? '');
        if (!user) throw new OAuthError(400, 'invalid_request', 'The MFA token or code is not valid.');
        return { status: 200, headers: NO_STORE, body: oauthBody(tokens.issue(user)) };
      }
      case undefined:
      case '':
        throw new OAuthError(400, 'invalid_request', 'The grant_type parameter is required.');
      default:
        throw new OAuthError(400, 'unsupported_grant_type', `The grant type '${form.grant_type}' is not supported by the simulator.`);
    }
  }

  /** `POST /authentication/usernamepassword` (multipart): `data` is an array of one result. */
  private legacyLogon(req: VspcRequest): VspcReply {
    const form = multipartForm(req);
    if (!form.username || form.password === undefined) throw new VspcError(400, 'The username and password form fields are required.', 'logical', ERROR_CODES.badParameter);
    const user = this.state.tokens.checkPassword(form.username, form.password);
    if (!user) throw unauthorized('Invalid user name or password.');
    const result = user.mfa ? legacyResult(undefined, this.state.tokens.startMfa(user)) : legacyResult(this.state.tokens.issue(user));
    return { status: 200, headers: NO_STORE, body: { data: [result], meta: { pagingInfo: { total: 1, count: 1, offset: 0 } } } };
  }

  /** `POST /authentication/refresh` (multipart `refreshToken`): `data` is an object. */
  private legacyRefresh(req: VspcRequest): VspcReply {
    const form = multipartForm(req);
    if (!form.refreshToken) throw new VspcError(400, 'The refreshToken form field is required.', 'logical', ERROR_CODES.badParameter);
    const pair = this.state.tokens.redeemRefreshToken(form.refreshToken);
    if (!pair) throw unauthorized('The refresh token is not valid: it is unknown, revoked or already used.');
    return { status: 200, headers: NO_STORE, body: { data: legacyResult(pair) } };
  }
}

/** A run of a backup server job ends: its status, end time, duration and failure message. */
function endRun(job: Item, status: string, at: number, failureMessage: string | null): void {
  job.status = status;
  job.lastEndTime = new Date(at).toISOString();
  const started = typeof job.lastRun === 'string' ? Date.parse(job.lastRun) : at;
  job.lastDuration = Math.max(0, Math.round((at - started) / 1000));
  job.failureMessage = failureMessage;
}

function methodNotAllowed(method: string, path: string): VspcError {
  return new VspcError(405, `The method ${method} is not allowed on /api/v3/${path}.`, 'logical', ERROR_CODES.badParameter, {});
}

function multipartForm(req: VspcRequest): Record<string, string> {
  const form = parseMultipart(req.contentType, req.body);
  if (!form) throw new VspcError(400, 'The request body must be multipart/form-data.', 'logical', ERROR_CODES.badParameter);
  return form;
}

function oauthBody(pair: TokenPair | undefined, mfaToken?: string): { [key: string]: Json } {
  return {
    access_token: pair?.accessToken ?? null,
    token_type: 'bearer',
    refresh_token: pair?.refreshToken ?? null,
    expires_in: pair ? Math.max(0, Math.round((pair.expiresAt - Date.now()) / 1000)) : 300,
    mfa_token: mfaToken ?? null,
    encrypted_code: null,
  };
}

function legacyResult(pair: TokenPair | undefined, mfaToken?: string): { [key: string]: Json } {
  return {
    accessToken: pair?.accessToken ?? null,
    refreshToken: pair?.refreshToken ?? null,
    mfaToken: mfaToken ?? null,
    expirationTime: new Date(pair?.expiresAt ?? Date.now() + 300_000).toISOString(),
  };
}

function userView(user: VspcUser, organizationUid: string): { [key: string]: Json } {
  return {
    instanceUid: user.instanceUid,
    organizationUid,
    organizationType: 'Provider',
    login: user.username,
    role: user.role,
    status: 'Enabled',
    mfaPolicyStatus: user.mfa ? 'Enabled' : 'Disabled',
    profile: {
      firstName: user.firstName,
      lastName: user.lastName,
      title: 'Mx',
      email: `${user.username}@provider.example`,
      address: null,
      phone: null,
    },
  };
}
