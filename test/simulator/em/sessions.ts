import { randomBytes, randomUUID } from 'node:crypto';
import type { Credentials } from '../core/server';
import { EmError } from './errors';

export type EmRole = 'PortalAdministrator' | 'PortalUser' | 'RestoreOperator';

export interface EmUser extends Credentials {
  roles: EmRole[];
}

/** The demo accounts. `noRole` is a valid Windows account that holds no Enterprise Manager role. */
export const DEMO_USERS = {
  admin: { username: 'administrator', password: 'Admin-Demo-1', roles: ['PortalAdministrator'] } as EmUser,
  noRole: { username: 'norole', password: 'NoRole-Demo-1', roles: [] } as EmUser,
  restoreOperator: { username: 'restore', password: 'Restore-Demo-1', roles: ['RestoreOperator'] } as EmUser,
};

/** A Cloud Connect tenant, who logs on with `LoginSpec/TenantCredentials` in the logon body. */
export const DEMO_TENANT: Credentials = { username: 'tenant-acme', password: 'Tenant-Demo-1' };

export interface LogonSessionState {
  /** The GUID in the session's Href; not the token. */
  id: string;
  /** The value of `X-RestSvcSessionId`. */
  token: string;
  user: EmUser;
  /** Set for a tenant logon session: it can reach only the cloud service. */
  tenant?: string;
  lastUsed: number;
}

export const REALM_HEADER = { 'WWW-Authenticate': 'Basic Realm=RestSvc' };

export class SessionStore {
  private readonly byToken = new Map<string, LogonSessionState>();
  /** Every session ever opened, in order, for tests (which secrets were issued, which sessions were logged off). */
  private readonly opened: LogonSessionState[] = [];

  constructor(
    private readonly users: EmUser[],
    private readonly idleTimeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Checks `Authorization: Basic …` (and tenant credentials, when the body carried them) and
   * opens a session, or throws the 401 EM answers.
   */
  logon(authorization: string | undefined, tenant?: Credentials): LogonSessionState {
    const match = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new EmError(401, 'Authentication required: send Basic credentials to log on.', REALM_HEADER);
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? '' : decoded.slice(colon + 1);
    const user = this.users.find((u) => u.username.toLowerCase() === username.toLowerCase() && u.password === password);
    if (!user) throw new EmError(401, 'Logon failed: unknown user name or bad password.', REALM_HEADER);
    if (user.roles.length === 0) {
      throw new EmError(
        401,
        `Logon failed: the account '${user.username}' has no Enterprise Manager role (Portal Administrator, Portal User or Restore Operator).`,
        REALM_HEADER,
      );
    }
    if (tenant && !(tenant.username.toLowerCase() === DEMO_TENANT.username && tenant.password === DEMO_TENANT.password)) {
      throw new EmError(401, 'Logon failed: unknown tenant or bad tenant password.', REALM_HEADER);
    }
    const session: LogonSessionState = {
      id: randomUUID(),
      tenant: tenant ? DEMO_TENANT.username : undefined,
      // The token is opaque to clients: base64 of random bytes, unrelated to the session id.
      token: Buffer.from(randomUUID() + randomBytes(4).toString('hex')).toString('base64'),
      user,
      lastUsed: this.now(),
    };
    this.byToken.set(session.token, session);
    this.opened.push(session);
    return session;
  }

  /** Every session opened since the simulator started, live or not. */
  issued(): LogonSessionState[] {
    return [...this.opened];
  }

  /** True while the session's token would be accepted (without refreshing its idle timer). */
  isLive(session: LogonSessionState): boolean {
    return this.byToken.get(session.token) === session && this.now() - session.lastUsed <= this.idleTimeoutMs;
  }

  /** The live session for a token, refreshing its idle timer; undefined when unknown or expired. */
  touch(token: string): LogonSessionState | undefined {
    const session = this.byToken.get(token);
    if (!session) return undefined;
    if (this.now() - session.lastUsed > this.idleTimeoutMs) {
      this.byToken.delete(token);
      return undefined;
    }
    session.lastUsed = this.now();
    return session;
  }

  byId(id: string): LogonSessionState | undefined {
    this.sweep();
    for (const session of this.byToken.values()) if (session.id.toLowerCase() === id.toLowerCase()) return session;
    return undefined;
  }

  remove(session: LogonSessionState): void {
    this.byToken.delete(session.token);
  }

  removeToken(token: string): void {
    this.byToken.delete(token);
  }

  expireAll(): void {
    this.byToken.clear();
  }

  list(): LogonSessionState[] {
    this.sweep();
    return [...this.byToken.values()];
  }

  count(): number {
    return this.list().length;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, session] of this.byToken) if (now - session.lastUsed > this.idleTimeoutMs) this.byToken.delete(token);
  }
}
