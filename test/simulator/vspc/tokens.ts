import { randomBytes } from 'node:crypto';
import { stableGuid } from './estate';
import type { Credentials } from '../core/server';

export type VspcRole = 'PortalAdministrator' | 'ReadOnlyUser';

/**
 * A user identity (`UserLogin` in the OpenAPI document): one way the user authenticates, with an int64 `id` that
 * `DELETE /users/{uid}/tokens?userLoginId=` names. The fields follow the schema; the provider names, descriptions
 * and ids are the simulator's own (the document does not list the values a real server uses).
 */
export interface UserIdentity {
  id: number;
  identityProviderName: string;
  identifierInProvider: string;
  description: string;
  scopes: Array<'integration' | 'rest' | 'ui'>;
  isReadAccessOnly: boolean;
  /** The identity that user name and password logons (`/token`, `/authentication/usernamepassword`) use. */
  password?: boolean;
}

export interface VspcUser extends Credentials {
  instanceUid: string;
  role: VspcRole;
  identities: UserIdentity[];
  /** Multi-factor authentication is on: logon answers with an `mfa_token` instead of tokens. */
  mfa: boolean;
  firstName: string;
  lastName: string;
}

/** The demo accounts. All belong to the service provider's own organization. */
const passwordIdentity = (id: number, username: string, readOnly = false): UserIdentity => ({
  id,
  identityProviderName: 'vspc',
  identifierInProvider: username,
  description: 'User name and password',
  scopes: ['ui', 'rest'],
  isReadAccessOnly: readOnly,
  password: true,
});

/** The demo accounts. All belong to the service provider's own organization. The administrator also has an API key. */
export const VSPC_USERS = {
  admin: {
    username: 'vspcadmin', password: 'Vspc-Admin-1', role: 'PortalAdministrator', mfa: false, firstName: 'Dana', lastName: 'Admin', instanceUid: stableGuid('vspc-user', 'admin'),
    identities: [
      passwordIdentity(1101, 'vspcadmin'),
      { id: 1102, identityProviderName: 'apikey', identifierInProvider: stableGuid('vspc-api-key', 'admin'), description: 'Monitoring integration', scopes: ['rest', 'integration'], isReadAccessOnly: true },
    ],
  } as VspcUser,
  mfa: { username: 'mfauser', password: 'Vspc-Mfa-1', role: 'PortalAdministrator', mfa: true, firstName: 'Max', lastName: 'Factor', instanceUid: stableGuid('vspc-user', 'mfa'), identities: [passwordIdentity(1201, 'mfauser')] } as VspcUser,
  readOnly: { username: 'readonly', password: 'Vspc-ReadOnly-1', role: 'ReadOnlyUser', mfa: false, firstName: 'Riley', lastName: 'Reader', instanceUid: stableGuid('vspc-user', 'readOnly'), identities: [passwordIdentity(1301, 'readonly', true)] } as VspcUser,
};

/** The one code the simulator accepts for `grant_type=mfa` (no real TOTP). */
export const SIMULATOR_MFA_CODE = '123456';

/** MFA tokens are short-lived on real servers; the simulator gives five minutes. */
const MFA_TOKEN_LIFETIME_MS = 5 * 60_000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user: VspcUser;
  /** The identity (`UserLogin.id`) the tokens were issued to. */
  loginId: number;
}

interface AccessGrant {
  user: VspcUser;
  loginId: number;
  expiresAt: number;
}

interface RefreshGrant {
  user: VspcUser;
  loginId: number;
}

/** A token the simulator issued, for tests: which secrets exist, and whether each still works. */
export interface IssuedToken {
  kind: 'access' | 'refresh' | 'mfa';
  token: string;
  username: string;
  /** The identity it belongs to (not for MFA tokens, which belong to a pending logon). */
  loginId?: number;
  /** Would be accepted now (an access token for a request, a refresh token for a refresh, an MFA token to finish). */
  active: boolean;
}

export type AccessCheck = { ok: true; user: VspcUser; loginId: number } | { ok: false; reason: 'expired' | 'unknown' };

/** Opaque tokens: random bytes, base64url, as long as real VSPC tokens roughly are. */
function newToken(): string {
  return randomBytes(48).toString('base64url');
}

/** The identity a user name and password logon uses. */
export function passwordLoginId(user: VspcUser): number {
  return (user.identities.find((i) => i.password) ?? user.identities[0]).id;
}

/** Access tokens that expire, single-use refresh tokens, pending MFA logons. */
export class TokenStore {
  private readonly access = new Map<string, AccessGrant>();
  private readonly refresh = new Map<string, RefreshGrant>();
  private readonly mfa = new Map<string, Omit<AccessGrant, 'loginId'>>();
  /** Every token issued, in order. */
  private readonly issuedLog: Array<{ kind: IssuedToken['kind']; token: string; user: VspcUser; loginId?: number }> = [];

  constructor(
    private readonly users: VspcUser[],
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user with these credentials (name case-insensitive), or undefined. */
  checkPassword(username: string, password: string): VspcUser | undefined {
    return this.users.find((u) => u.username.toLowerCase() === username.trim().toLowerCase() && u.password === password);
  }

  /** A pair for the user, issued to one of their identities (by default the user name and password one). */
  issue(user: VspcUser, loginId = passwordLoginId(user)): TokenPair {
    const pair: TokenPair = { accessToken: newToken(), refreshToken: newToken(), expiresAt: this.now() + this.lifetimeMs, user, loginId };
    this.access.set(pair.accessToken, { user, loginId, expiresAt: pair.expiresAt });
    this.refresh.set(pair.refreshToken, { user, loginId });
    this.issuedLog.push({ kind: 'access', token: pair.accessToken, user, loginId }, { kind: 'refresh', token: pair.refreshToken, user, loginId });
    return pair;
  }

  /** A refresh token works once: it is consumed whether or not the caller uses the new pair. */
  redeemRefreshToken(refreshToken: string): TokenPair | undefined {
    const grant = this.refresh.get(refreshToken);
    if (!grant) return undefined;
    this.refresh.delete(refreshToken);
    return this.issue(grant.user, grant.loginId);
  }

  startMfa(user: VspcUser): string {
    const token = newToken();
    this.mfa.set(token, { user, expiresAt: this.now() + MFA_TOKEN_LIFETIME_MS });
    this.issuedLog.push({ kind: 'mfa', token, user });
    return token;
  }

  completeMfa(mfaToken: string, code: string): VspcUser | undefined {
    const pending = this.mfa.get(mfaToken);
    if (!pending || pending.expiresAt <= this.now() || code.trim() !== SIMULATOR_MFA_CODE) return undefined;
    this.mfa.delete(mfaToken);
    return pending.user;
  }

  check(accessToken: string): AccessCheck {
    const grant = this.access.get(accessToken);
    if (!grant) return { ok: false, reason: 'unknown' };
    if (grant.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, user: grant.user, loginId: grant.loginId };
  }

  /** Ends one access token now, as if its hour had passed (its refresh token stays valid). */
  expireAccessToken(accessToken: string): void {
    const grant = this.access.get(accessToken);
    if (grant) grant.expiresAt = Math.min(grant.expiresAt, this.now());
  }

  /** Every access token answers 401 from now on; refresh tokens still work. */
  expireAll(): void {
    const now = this.now();
    for (const grant of this.access.values()) grant.expiresAt = Math.min(grant.expiresAt, now);
  }

  /** Access and refresh tokens all become unknown, as after a server restart. */
  revokeAll(): void {
    this.access.clear();
    this.refresh.clear();
    this.mfa.clear();
  }

  /**
   * `DELETE /users/{uid}/tokens`: every token of that user stops working, in every application; with `loginId`
   * (`?userLoginId=`) only the tokens issued to that one identity of the user.
   */
  revokeUser(userUid: string, loginId?: number): void {
    const hit = (grant: RefreshGrant) => grant.user.instanceUid === userUid && (loginId === undefined || grant.loginId === loginId);
    for (const [token, grant] of this.access) if (hit(grant)) this.access.delete(token);
    for (const [token, grant] of this.refresh) if (hit(grant)) this.refresh.delete(token);
  }

  /** Every token issued since the simulator started, in order, with whether it still works. */
  issued(): IssuedToken[] {
    const now = this.now();
    return this.issuedLog.map(({ kind, token, user, loginId }) => {
      const active =
        kind === 'access' ? (this.access.get(token)?.expiresAt ?? 0) > now : kind === 'refresh' ? this.refresh.has(token) : (this.mfa.get(token)?.expiresAt ?? 0) > now;
      return { kind, token, username: user.username, loginId, active };
    });
  }

  /** Access tokens that would be accepted now. */
  activeCount(): number {
    const now = this.now();
    let n = 0;
    for (const grant of this.access.values()) if (grant.expiresAt > now) n++;
    return n;
  }

  userByUid(userUid: string): VspcUser | undefined {
    return this.users.find((u) => u.instanceUid.toLowerCase() === userUid.toLowerCase());
  }
}
