import { randomBytes } from 'node:crypto';

/** Roles a VBR user can hold for the REST API (the simulator uses two of Veeam's roles, and none). */
export type VbrRole = 'Veeam Backup Administrator' | 'Veeam Backup Viewer' | 'none';

export interface VbrUser {
  username: string;
  password: string;
  role: VbrRole;
}

/** The demo accounts. The user name is matched case-insensitively, as Windows accounts are. */
export const VBR_USERS = {
  admin: { username: 'vbradmin', password: 'Vbr-Admin-1', role: 'Veeam Backup Administrator' },
  viewer: { username: 'vbrviewer', password: 'Vbr-Viewer-1', role: 'Veeam Backup Viewer' },
  noRole: { username: 'vbrnorole', password: 'Vbr-NoRole-1', role: 'none' },
} as const satisfies Record<string, VbrUser>;

/** Access token 60 minutes (12.x; 15 in v11), refresh token 14 days: Veeam's defaults. */
export const DEFAULT_ACCESS_LIFETIME_MS = 60 * 60_000;
export const DEFAULT_REFRESH_LIFETIME_MS = 14 * 24 * 60 * 60_000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  user: VbrUser;
  /** Epoch milliseconds. */
  issuedAt: number;
  accessExpiresAt: number;
  refreshExpiresAt: number;
}

/** A token the simulator issued, for tests: which secrets exist, and whether each still works. */
export interface IssuedToken {
  kind: 'access' | 'refresh';
  token: string;
  username: string;
  /** Would be accepted now (an access token for a request, a refresh token for a refresh). */
  active: boolean;
  /** Why it no longer works, when it does not. */
  ended?: 'expired' | 'used' | 'logout' | 'revoked';
}

export type AccessCheck = { ok: true; user: VbrUser } | { ok: false; reason: 'expired' | 'unknown' };

interface Grant {
  pair: TokenPair;
  accessEnded?: IssuedToken['ended'];
  refreshEnded?: IssuedToken['ended'];
}

/** Opaque tokens: real ones are JWTs, but a client must not read them. */
function newToken(): string {
  return randomBytes(48).toString('base64url');
}

/**
 * Access tokens that expire, refresh tokens that work once (the 1.1-rev0 document: "can be used only once"), logout
 * ending both tokens of a pair, and a log of every token issued.
 */
export class TokenStore {
  private readonly byAccess = new Map<string, Grant>();
  private readonly byRefresh = new Map<string, Grant>();
  private readonly log: Grant[] = [];

  constructor(
    private readonly users: readonly VbrUser[],
    readonly accessLifetimeMs = DEFAULT_ACCESS_LIFETIME_MS,
    readonly refreshLifetimeMs = DEFAULT_REFRESH_LIFETIME_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user with these credentials, or undefined. */
  checkPassword(username: string, password: string): VbrUser | undefined {
    return this.users.find((u) => u.username.toLowerCase() === username.trim().toLowerCase() && u.password === password);
  }

  issue(user: VbrUser): TokenPair {
    const issuedAt = this.now();
    const pair: TokenPair = {
      accessToken: newToken(),
      refreshToken: newToken(),
      user,
      issuedAt,
      accessExpiresAt: issuedAt + this.accessLifetimeMs,
      refreshExpiresAt: issuedAt + this.refreshLifetimeMs,
    };
    const grant: Grant = { pair };
    this.byAccess.set(pair.accessToken, grant);
    this.byRefresh.set(pair.refreshToken, grant);
    this.log.push(grant);
    return pair;
  }

  /** A new pair for a refresh token that is known, unused and unexpired; the token is used up either way it is known. */
  redeemRefreshToken(refreshToken: string): TokenPair | undefined {
    const grant = this.byRefresh.get(refreshToken);
    if (!grant || grant.refreshEnded) return undefined;
    if (grant.pair.refreshExpiresAt <= this.now()) {
      grant.refreshEnded = 'expired';
      return undefined;
    }
    grant.refreshEnded = 'used';
    return this.issue(grant.pair.user);
  }

  check(accessToken: string): AccessCheck {
    const grant = this.byAccess.get(accessToken);
    if (!grant || (grant.accessEnded && grant.accessEnded !== 'expired')) return { ok: false, reason: 'unknown' };
    if (grant.accessEnded === 'expired' || grant.pair.accessExpiresAt <= this.now()) return { ok: false, reason: 'expired' };
    return { ok: true, user: grant.pair.user };
  }

  /** `POST /oauth2/logout`: the access token and the refresh token issued with it both end. */
  logout(accessToken: string): boolean {
    const grant = this.byAccess.get(accessToken);
    if (!grant) return false;
    grant.accessEnded ??= 'logout';
    grant.refreshEnded ??= 'logout';
    return true;
  }

  /** Ends one access token now, as if its lifetime had passed (its refresh token stays valid). */
  expireAccessToken(accessToken: string): void {
    const grant = this.byAccess.get(accessToken);
    if (grant) grant.accessEnded ??= 'expired';
  }

  /** Every access token answers 401 from now on; refresh tokens still work. */
  expireAll(): void {
    for (const grant of this.log) grant.accessEnded ??= 'expired';
  }

  /** Every access and refresh token stops working, as after a restart of the REST API service. */
  revokeAll(): void {
    for (const grant of this.log) {
      grant.accessEnded ??= 'revoked';
      grant.refreshEnded ??= 'revoked';
    }
  }

  /** Every token issued since the simulator started, in order. */
  issued(): IssuedToken[] {
    const now = this.now();
    const out: IssuedToken[] = [];
    for (const { pair, accessEnded, refreshEnded } of this.log) {
      const accessEnd = accessEnded ?? (pair.accessExpiresAt <= now ? 'expired' : undefined);
      const refreshEnd = refreshEnded ?? (pair.refreshExpiresAt <= now ? 'expired' : undefined);
      out.push({ kind: 'access', token: pair.accessToken, username: pair.user.username, active: !accessEnd, ...(accessEnd ? { ended: accessEnd } : {}) });
      out.push({ kind: 'refresh', token: pair.refreshToken, username: pair.user.username, active: !refreshEnd, ...(refreshEnd ? { ended: refreshEnd } : {}) });
    }
    return out;
  }

  /** Access tokens that would be accepted now. */
  activeCount(): number {
    return this.issued().filter((t) => t.kind === 'access' && t.active).length;
  }
}
