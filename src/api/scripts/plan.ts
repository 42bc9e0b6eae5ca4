// What a generated script does, as plain data, decided once for every language: the URLs of the kind's logon and
// logoff, the node's request and its headers, how a collection is paged, and how the server's certificate is trusted.
// The languages (python.ts, bash.ts, powershell.ts) only write this plan down.
import { kindOf } from '../kinds/registry';
import { apiBaseUrl } from '../session/strategy';
import type { ApiKind, Representation } from '../types';

export type ScriptLanguage = 'powershell' | 'python' | 'bash';

/** What a script is generated for: a node of a connection, as the explorer knows it; no secret. */
export interface ScriptTarget {
  kind: ApiKind;
  /** The node's URL: what the script GETs (for a collection, its first page). */
  url: string;
  /** The connection's API root (`https://host:9398/api/`); default: the kind's root for `url`. */
  baseUrl?: string;
  /** The connection's user: the default when `VEEAM_USERNAME` is not set. */
  username?: string;
  /** EM: xml (default) or json. */
  representation?: Representation;
  /** VBR: the revision sent as `x-api-version` (default the newest this extension knows). */
  apiVersion?: string;
  /** SHA-256 of the one certificate the connection trusts (hex, colons optional). */
  fingerprint?: string;
  /** A PEM CA bundle the connection trusts, by path. */
  caFile?: string;
  /** The user chose, explicitly, not to verify the certificate at all. */
  insecure?: boolean;
  /** Read every page of the collection and print its items as one list. */
  collection?: boolean;
  /** The node's name, for the script's comment and file name. */
  name?: string;
}

/** Why a target cannot become a script; the UI and the command line word it. */
export type ScriptProblem = 'url' | 'not-https' | 'other-origin' | 'fingerprint' | 'api-version' | 'language';

export class ScriptTargetError extends Error {
  constructor(readonly problem: ScriptProblem) {
    super(`cannot generate a script: ${problem}`);
  }
}

export type Trust =
  | { mode: 'system' }
  | { mode: 'ca'; file: string }
  /** `sha256`: 64 upper-case hex digits, no colons. */
  | { mode: 'pinned'; sha256: string }
  | { mode: 'insecure' };

export type Paging =
  | { style: 'none' }
  /** EM: the first page, then each page's `PagingInfo` `Next` link (a reference list has none: one page). */
  | { style: 'em-next'; first: string }
  /**
   * VSPC (`offset`, `meta.pagingInfo.total`) and VBR (`skip`, `pagination.total`): `pageUrl` is the node's URL without
   * its paging parameters, ending in `?` or `&`, ready for `offset=N&limit=M`.
   */
  | { style: 'offset'; pageUrl: string; offsetParam: 'offset' | 'skip'; total: readonly string[] };

export interface ScriptPlan {
  kind: ApiKind;
  /** The API root, ending in `/`. */
  base: string;
  /** `https://host:port`: every request of the script goes here and nowhere else. */
  origin: string;
  /** For openssl s_client: `host:port` (`[::1]:port`), and the host name to send as SNI (none for an address). */
  connect: string;
  sni?: string;
  url: string;
  username?: string;
  /** The connection's headers on every request (Accept; VBR's x-api-version), printable ASCII. */
  headers: ReadonlyArray<readonly [string, string]>;
  representation: Representation;
  trust: Trust;
  paging: Paging;
  /** What the script reads, for its comments (not yet made comment-safe). */
  title: string;
  name?: string;
}

/** Default page size of VSPC and VBR collections (VSPC's maximum; the script's `--page-size` changes it). */
export const DEFAULT_PAGE_SIZE = 500;

/** The plan for a target; throws ScriptTargetError when the target is not one a script can be made for. */
export function planScript(target: ScriptTarget): ScriptPlan {
  const def = kindOf(target.kind);
  let url: URL;
  let base: URL;
  try {
    url = new URL(target.url);
    base = new URL(apiBaseUrl(target.baseUrl ?? target.url, def.urlDefaults));
  } catch {
    throw new ScriptTargetError('url');
  }
  if (url.protocol !== 'https:' || base.protocol !== 'https:') throw new ScriptTargetError('not-https');
  if (url.origin !== base.origin || url.username || url.password) throw new ScriptTargetError('other-origin');
  url.hash = '';
  const apiVersion = target.apiVersion?.trim();
  if (apiVersion !== undefined && apiVersion !== '' && !/^\d{1,3}\.\d{1,3}-rev\d{1,3}$/.test(apiVersion)) throw new ScriptTargetError('api-version');
  const headers = def
    .curlHeaders({ representation: target.representation, apiVersion: apiVersion || undefined })
    .filter(([, value]) => !value.includes('<token>'));
  if (headers.some(([name, value]) => !/^[\x21-\x7e]+$/.test(name) || !/^[\x20-\x7e]*$/.test(value))) throw new ScriptTargetError('url');
  const host = base.hostname;
  const isAddress = /^\[.*\]$/.test(host) || /^\d+(\.\d+){3}$/.test(host);
  const port = base.port || '443';
  return {
    kind: target.kind,
    base: base.href,
    origin: base.origin,
    connect: `${host}:${port}`,
    sni: isAddress ? undefined : host,
    url: url.href,
    username: target.username || undefined,
    headers,
    representation: def.representation({ representation: target.representation }),
    trust: trustOf(target),
    paging: target.collection ? pagingOf(target.kind, url) : { style: 'none' },
    title: `${target.name ? `${target.name} — ` : ''}${url.href}`,
    name: target.name,
  };
}

/** As the transport decides: a pinned certificate first, then "accept any", then a CA bundle, else the system's CAs. */
function trustOf(target: ScriptTarget): Trust {
  if (target.fingerprint !== undefined && target.fingerprint !== '') {
    const hex = target.fingerprint.replace(/[:\s]/g, '');
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new ScriptTargetError('fingerprint');
    return { mode: 'pinned', sha256: hex.toUpperCase() };
  }
  if (target.insecure) return { mode: 'insecure' };
  if (target.caFile) return { mode: 'ca', file: target.caFile };
  return { mode: 'system' };
}

function pagingOf(kind: ApiKind, url: URL): Paging {
  if (kind === 'em') return { style: 'em-next', first: withoutParams(url, ['page']).replace(/[?&]$/, '') };
  const offsetParam = kind === 'vspc' ? 'offset' : 'skip';
  return {
    style: 'offset',
    pageUrl: withoutParams(url, [offsetParam, 'limit']),
    offsetParam,
    total: kind === 'vspc' ? ['meta', 'pagingInfo', 'total'] : ['pagination', 'total'],
  };
}

/**
 * The URL without the named query parameters (the others kept exactly as written), ending in `?` or `&` so that more
 * can be appended.
 */
function withoutParams(url: URL, names: readonly string[]): string {
  const kept = url.search
    .replace(/^\?/, '')
    .split('&')
    .filter((part) => {
      if (!part) return false;
      const name = part.split('=')[0];
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // Kept as written.
      }
      return !names.some((n) => n.toLowerCase() === decoded.toLowerCase());
    });
  const path = `${url.origin}${url.pathname}`;
  return kept.length ? `${path}?${kept.join('&')}&` : `${path}?`;
}
