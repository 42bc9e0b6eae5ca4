import { Element } from './model';
import { EmError } from './errors';
import {
  AnyKind,
  ENTITY_KINDS,
  EstateIndex,
  Hrefs,
  backupKind,
  backupServerKind,
  backupSessionKind,
  entityElement,
  entityList,
  jobKind,
  referenceElement,
  referenceList,
  replicaSessionKind,
  repositoryKind,
  restorePointKind,
  vmRestorePointKind,
} from './kinds';
import {
  SESSION_LINKS,
  cloudConnectService,
  emptyEntities,
  emptyReferences,
  enterpriseManager,
  logonSession,
  logonSessionList,
  reportFrame,
  summaryReport,
  task,
  taskList,
} from './representations';
import { queryResult } from './query';
import type { Credentials } from '../core/server';
import { LogonSessionState, SessionStore } from './sessions';
import { cancelTask, startTask, type TaskState } from './tasks';
import { API_VERSIONS } from './representations';

/** What a route answers: a document to render, or nothing (204). */
export interface RouteResult {
  status: number;
  body?: Element;
  headers?: Record<string, string>;
  /** True when the answer depends only on the (immutable) estate, so its rendering can be reused. */
  cacheable?: boolean;
  /** The server already holds the rendering of this answer (see `RouteRequest.cached`). */
  fromCache?: boolean;
}

export interface RouteRequest {
  method: string;
  /** Path after `/api/`, without the query, e.g. `jobs/abc`. */
  path: string;
  /** Raw query string without `?`. */
  query: string;
  authorization?: string;
  /** The request body (a tenant logon sends `LoginSpec` here). */
  body?: string;
  /** The session token the request carries (cookie first, then header). */
  token?: string;
  /** The server holds a rendering of this URL: after the access checks, skip building it. */
  cached?: boolean;
  /** An `action-fails` fault applies: the task this request starts finishes with this failure message. */
  actionFails?: string;
  /** The time of the request (ms since the epoch). */
  now?: number;
}

export type { TaskRecord } from './tasks';

export interface RouterState extends TaskState {
  index: EstateIndex;
  sessions: SessionStore;
  /** How long a task runs before it is Finished (0: it is finished at the next request). */
  taskDurationMs: number;
}

function methodNotAllowed(allowed: string[]): never {
  throw new EmError(405, `The HTTP method is not allowed for this resource; allowed: ${allowed.join(', ')}.`, {
    Allow: allowed.join(', '),
  });
}

function expectMethod(req: RouteRequest, ...allowed: string[]): void {
  if (!allowed.includes(req.method)) methodNotAllowed(allowed);
}

function wantsEntity(query: string): boolean {
  return new URLSearchParams(query).get('format')?.toLowerCase() === 'entity';
}

const ok = (body: Element): RouteResult => ({ status: 200, body });

/** Sub-collections reachable from an item's Down links: `parentCollection/{id}/segment`. */
interface SubCollection {
  parent: AnyKind;
  segment: string;
  kind?: AnyKind;
  select?: (index: EstateIndex, parentId: string) => Array<{ id: string; name: string }>;
  emptyListElement?: string;
}

const SUB_COLLECTIONS: SubCollection[] = [
  { parent: backupServerKind, segment: 'jobs', kind: jobKind, select: (x, id) => x.estate.jobs.filter((j) => j.serverId === id) },
  {
    parent: backupServerKind,
    segment: 'repositories',
    kind: repositoryKind,
    select: (x, id) => x.estate.repositories.filter((r) => r.serverId === id),
  },
  {
    parent: jobKind,
    segment: 'backupsessions',
    kind: backupSessionKind,
    select: (x, id) => backupSessionKind.items(x).filter((s) => s.jobId === id),
  },
  {
    parent: jobKind,
    segment: 'replicasessions',
    kind: replicaSessionKind,
    select: (x, id) => replicaSessionKind.items(x).filter((s) => s.jobId === id),
  },
  { parent: backupKind, segment: 'restorepoints', kind: restorePointKind, select: (x, id) => x.estate.restorePoints.filter((p) => p.backupId === id) },
  { parent: backupKind, segment: 'backupfiles', emptyListElement: 'BackupFiles' },
  {
    parent: restorePointKind,
    segment: 'vmrestorepoints',
    kind: vmRestorePointKind,
    select: (x, id) => x.estate.vmRestorePoints.filter((v) => v.restorePointId === id),
  },
  { parent: backupSessionKind, segment: 'tasksessions', emptyListElement: 'BackupTaskSessions' },
  { parent: replicaSessionKind, segment: 'replicatasksessions', emptyListElement: 'ReplicaTaskSessions' },
];

/** Collections a Restore Operator may not read, and the actions it may run. */
const RESTORE_OPERATOR_FORBIDDEN = ['jobs', 'backupservers'];
const RESTORE_OPERATOR_ACTIONS = ['restore'];

/** `LoginSpec/TenantCredentials` from a logon body, in XML or JSON; undefined when absent. */
export function tenantCredentials(body: string | undefined): Credentials | undefined {
  const text = body?.trim();
  if (!text) return undefined;
  if (text.startsWith('{')) {
    try {
      const spec = JSON.parse(text) as { TenantCredentials?: { Username?: unknown; Password?: unknown } };
      const c = spec.TenantCredentials;
      return c ? { username: String(c.Username ?? ''), password: String(c.Password ?? '') } : undefined;
    } catch {
      throw new EmError(400, 'The logon request body is not valid JSON.');
    }
  }
  const credentials = /<TenantCredentials>([\s\S]*?)<\/TenantCredentials>/.exec(text)?.[1];
  if (credentials === undefined) return undefined;
  const unescape = (v: string) =>
    v.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const value = (name: string) => unescape(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(credentials)?.[1] ?? '');
  return { username: value('Username'), password: value('Password') };
}

export class EmRouter {
  constructor(
    private readonly state: RouterState,
    private readonly hrefs: Hrefs,
  ) {}

  handle(req: RouteRequest): RouteResult {
    const segments = req.path.split('/').filter((s) => s !== '');
    const lower = segments.map((s) => s.toLowerCase());

    if (lower.length === 0) {
      expectMethod(req, 'GET');
      return ok(enterpriseManager(this.hrefs));
    }
    if (lower[0] === 'sessionmngr' && lower.length === 1) {
      expectMethod(req, 'POST');
      return this.logon(req);
    }

    const session = req.token ? this.state.sessions.touch(req.token) : undefined;
    if (!session) {
      throw new EmError(
        401,
        req.token
          ? 'The logon session has expired or does not exist. Log on again.'
          : 'Authentication required: log on first and send the X-RestSvcSessionId header.',
      );
    }
    if (session.user.roles.includes('RestoreOperator') && !session.user.roles.includes('PortalAdministrator')) {
      if (RESTORE_OPERATOR_FORBIDDEN.includes(lower[0])) {
        throw new EmError(403, `Access denied: the Restore Operator role cannot access '${segments[0]}'.`);
      }
    }
    return this.authenticated(req, segments, lower, session);
  }

  private sessionData(session: LogonSessionState) {
    return { id: session.id, userName: session.tenant ?? session.user.username, tenant: session.tenant !== undefined };
  }

  private fromEstate(req: RouteRequest, build: () => Element): RouteResult {
    return req.cached ? { status: 200, fromCache: true } : { status: 200, body: build(), cacheable: true };
  }

  private logon(req: RouteRequest): RouteResult {
    const version = new URLSearchParams(req.query).get('v') ?? 'latest';
    if (version !== 'latest' && !API_VERSIONS.includes(version)) {
      throw new EmError(400, `REST API version '${version}' is not supported. Supported: ${API_VERSIONS.join(', ')}, latest.`);
    }
    const session = this.state.sessions.logon(req.authorization, tenantCredentials(req.body));
    const body = logonSession(this.hrefs, this.sessionData(session));
    return {
      status: 201,
      body,
      headers: {
        'X-RestSvcSessionId': session.token,
        'Set-Cookie': `X-RestSvcSessionId=${session.token}; Path=/api;`,
        Location: this.hrefs.api(`logonSessions/${session.id}`),
      },
    };
  }

  private authenticated(req: RouteRequest, segments: string[], lower: string[], session: LogonSessionState): RouteResult {
    const { index } = this.state;
    const [first] = lower;

    if (session.tenant !== undefined) {
      if (first === 'cloud' && lower.length === 1) {
        expectMethod(req, 'GET');
        return ok(cloudConnectService(this.hrefs));
      }
      const ownSession = first === 'logonsessions' && lower.length === 2 && this.state.sessions.byId(segments[1]) === session;
      if (!ownSession) throw new EmError(403, 'Access denied: a tenant session can reach only the Cloud Connect service.');
    }

    if (first === 'logonsessions') {
      if (lower.length === 1) {
        expectMethod(req, 'GET');
        return ok(logonSessionList(this.hrefs, this.state.sessions.list().map((s) => this.sessionData(s))));
      }
      if (lower.length === 2) {
        expectMethod(req, 'GET', 'DELETE');
        const target = this.state.sessions.byId(segments[1]);
        if (!target) throw new EmError(404, `Logon session '${segments[1]}' was not found.`);
        if (req.method === 'DELETE') {
          this.state.sessions.remove(target);
          return { status: 204 };
        }
        return ok(logonSession(this.hrefs, this.sessionData(target)));
      }
    }

    if (first === 'tasks') {
      if (lower.length === 1) {
        expectMethod(req, 'GET');
        return ok(taskList(this.hrefs, [...this.state.tasks.values()]));
      }
      if (lower.length === 2) {
        expectMethod(req, 'GET', 'DELETE');
        const t = this.state.tasks.get(lower[1]);
        if (!t) throw new EmError(404, `Task '${segments[1]}' was not found.`);
        if (req.method === 'DELETE') {
          // Deleting a running task cancels its work (the simulator's choice; see tasks.ts).
          cancelTask(this.state, t, req.now ?? Date.now());
          return { status: 204 };
        }
        return ok(task(this.hrefs, t));
      }
    }

    if (first === 'reports' && lower[1] === 'summary') {
      expectMethod(req, 'GET');
      if (lower.length === 2) return this.fromEstate(req, () => summaryReport(this.hrefs));
      if (lower.length === 3) {
        const frame = reportFrame(this.hrefs, lower[2], index);
        if (frame) return this.fromEstate(req, () => frame);
      }
    }

    if (first === 'query' && lower.length === 1) {
      expectMethod(req, 'GET');
      return this.fromEstate(req, () => queryResult(this.hrefs, req.query, index));
    }

    const kind = ENTITY_KINDS.find((k) => k.collection.toLowerCase() === first);
    if (kind) {
      if (lower.length === 1) {
        expectMethod(req, 'GET');
        const items = kind.items(index);
        return this.fromEstate(req, () =>
          wantsEntity(req.query) ? entityList(this.hrefs, kind, items, index) : referenceList(this.hrefs, kind, items, index),
        );
      }
      const item = kind.items(index).find((i: { id: string }) => i.id === lower[1]);
      if (!item) throw new EmError(404, `${kind.entityType} '${segments[1]}' was not found.`);
      if (lower.length === 2) {
        expectMethod(req, 'GET', 'POST');
        if (req.method === 'POST') return this.action(req, kind, item, session);
        return this.fromEstate(req, () =>
          wantsEntity(req.query) ? entityElement(this.hrefs, kind, item, index) : referenceElement('EntityRef', this.hrefs, kind, item, index),
        );
      }
      if (lower.length === 3) {
        const sub = SUB_COLLECTIONS.find((s) => s.parent === kind && s.segment === lower[2]);
        if (sub) {
          expectMethod(req, 'GET');
          const { kind: subKind, select } = sub;
          if (subKind && select) {
            const items = select(index, item.id);
            return this.fromEstate(req, () =>
              wantsEntity(req.query) ? entityList(this.hrefs, subKind, items, index) : referenceList(this.hrefs, subKind, items, index),
            );
          }
          return ok(wantsEntity(req.query) ? emptyEntities(sub.emptyListElement ?? 'Entities') : emptyReferences());
        }
      }
    }

    const emptyCollection = SESSION_LINKS.find((l) => l.listElement && l.path.toLowerCase() === lower.join('/'));
    if (emptyCollection) {
      expectMethod(req, 'GET');
      return ok(wantsEntity(req.query) ? emptyEntities(emptyCollection.listElement!) : emptyReferences());
    }

    throw new EmError(404, `The resource '/api/${segments.join('/')}' was not found.`);
  }

  private action(req: RouteRequest, kind: AnyKind, item: { id: string; name: string }, session: LogonSessionState): RouteResult {
    const actionName = new URLSearchParams(req.query).get('action');
    if (!actionName) methodNotAllowed(['GET']);
    const operation = Object.entries(kind.actionOperations ?? {}).find(([name]) => name.toLowerCase() === actionName!.toLowerCase());
    if (!operation) throw new EmError(400, `Action '${actionName}' is not supported for ${kind.entityType}.`);
    const roles = session.user.roles;
    const allowed = roles.includes('PortalAdministrator') || (roles.includes('RestoreOperator') && RESTORE_OPERATOR_ACTIONS.includes(operation[0]));
    if (!allowed) throw new EmError(403, `Access denied: your Enterprise Manager role cannot run '${operation[0]}'.`);
    if (operation[0].toLowerCase() === 'clone' && !hasCloneSpec(req.body)) {
      throw new EmError(400, 'The request body must be a JobCloneSpec with a JobName, a FolderName and a RepositoryUid.');
    }
    const record = startTask(this.state, this.state.index.estate.jobSessions, {
      operation: operation[1],
      targetPath: `${kind.collection}/${item.id}`,
      targetName: item.name,
      job: kind === jobKind ? this.state.index.jobById.get(item.id) : undefined,
      userName: session.user.username,
      durationMs: this.state.taskDurationMs,
      failure: req.actionFails,
      now: req.now ?? Date.now(),
    });
    return { status: 202, body: task(this.hrefs, record), headers: { Location: this.hrefs.api(`tasks/${record.id}`) } };
  }
}

/** A clone's body names the new job, its folder and its repository (XML elements or JSON members, each not empty). */
function hasCloneSpec(body: string | undefined): boolean {
  if (!body) return false;
  return ['JobName', 'FolderName', 'RepositoryUid'].every((name) => new RegExp(`<${name}>\\s*[^<\\s]|"${name}"\\s*:\\s*"[^"\\s]`).test(body));
}
