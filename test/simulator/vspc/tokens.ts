import { randomBytes } from 'node:crypto';
import { stableGuid } from './estate';
import type { Credentials } from '../em/sessions';

export type VspcRole = 'PortalAdministrator' | 'ReadOnlyUser';

export interface VspcUser extends Credentials {
  instanceUid: string;
  role: VspcRole;
  /** Multi-factor authentication is on: logon answers with an `mfa_token` instead of tokens. */
  mfa: boolean;
  firstName: string;
  lastName: string;
}

/** The demo accounts. All belong to the service provider's own organization. */
export const VSPC_USERS = {
  admin: { username: 'vspcadmin', password: 'Vspc-Admin-1', role: 'PortalAdministrator', mfa: false, firstName: 'Dana', lastName: 'Admin', instanceUid: stableGuid('vspc-user', 'admin') } as VspcUser,
  mfa: { username: 'mfauser', password: 'Vspc-Mfa-1', role: 'PortalAdministrator', mfa: true, firstName: 'Max', lastName: 'Factor', instanceUid: stableGuid('vspc-user', 'mfa') } as VspcUser,
  readOnly: { username: 'readonly', password: 'Vspc-ReadOnly-1', role: 'ReadOnlyUser', mfa: false, firstName: 'Riley', lastName: 'Reader', instanceUid: stableGuid('vspc-user', 'readOnly') } as VspcUser,
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
}

interface AccessGrant {
  user: VspcUser;
  expiresAt: number;
}

export type AccessCheck = { ok: true; user: VspcUser } | { ok: false; reason: 'expired' | 'unknown' };

/** Opaque tokens: random bytes, base64url, as long as real VSPC tokens roughly are. */
function newToken(): string {
  return randomBytes(48).toString('base64url');
}

/** Access tokens that expire, single-use refresh tokens, pending MFA logons. */
export class TokenStore {
  private readonly access = new Map<string, AccessGrant>();
  private readonly refresh = new Map<string, VspcUser>();
  private readonly mfa = new Map<string, AccessGrant>();

  constructor(
    private readonly users: VspcUser[],
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user with these credentials (name case-insensitive), or undefined. */
  checkPassword(username: string, password: string): VspcUser | undefined {
    return this.users.find((u) => u.username.toLowerCase() === username.trim().toLowerCase() && u.password === password);
  }

  issue(user: VspcUser): TokenPair {
    const pair: TokenPair = { accessToken: newToken(), refreshToken: newToken(), expiresAt: this.now() + this.lifetimeMs, user };
    this.access.set(pair.accessToken, { user, expiresAt: pair.expiresAt });
    this.refresh.set(pair.refreshToken, user);
    return pair;
  }

  /** A refresh token works once: it is consumed whether or not the caller uses the new pair. */
  redeemRefreshToken(refreshToken: string): TokenPair | undefined {
    const user = this.refresh.get(refreshToken);
    if (!user) return undefined;
    this.refresh.delete(refreshToken);
    return this.issue(user);
  }

  startMfa(user: VspcUser): string {
    const token = newToken();
    this.mfa.set(token, { user, expiresAt: this.now() + MFA_TOKEN_LIFETIME_MS });
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
    return { ok: true, user: grant.user };
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

  /** `DELETE /users/{uid}/tokens`: every token of that user stops working. */
  revokeUser(userUid: string): void {
    for (const [token, grant] of this.access) if (grant.user.instanceUid === userUid) this.access.delete(token);
    for (const [token, user] of this.refresh) if (user.instanceUid === userUid) this.refresh.delete(token);
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
