// Connection URLs as the user types them, completed to what each kind's API expects (its default port and path).
import type { ApiKind } from '../types';
import { kindOf } from './registry';

/** Where a kind's API listens unless set up otherwise: its default port and path. */
export function urlDefaults(kind: ApiKind): { readonly port: number; readonly path: string } {
  return kindOf(kind).urlDefaults;
}

/** Why a typed URL can't be used; the UI words it. */
export type UrlProblem = 'empty' | 'notHttps' | 'invalid' | 'credentials' | 'query';

export type UrlCheck = { ok: true; url: string } | { ok: false; problem: UrlProblem };

/**
 * `em.example.com` → `https://em.example.com:9398/api/`. Only https: the password and the session token travel on it.
 * A port the user typed is kept (even 443); an omitted one becomes the API's default, an omitted path the API's root.
 */
export function completeConnectionUrl(kind: ApiKind, input: string): UrlCheck {
  let text = input.trim();
  if (!text) return { ok: false, problem: 'empty' };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (!scheme) text = `https://${text}`;
  else if (scheme[1].toLowerCase() !== 'https') return { ok: false, problem: 'notHttps' };

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (!url.hostname) return { ok: false, problem: 'invalid' };
  if (url.username || url.password) return { ok: false, problem: 'credentials' };
  if (url.search || url.hash) return { ok: false, problem: 'query' };

  const authority = /^https:\/\/([^/?#]*)/i.exec(text)?.[1] ?? '';
  const portTyped = /:\d+$/.test(authority);
  let host = url.host;
  if (!portTyped) host = `${url.hostname}:${urlDefaults(kind).port}`;
  else if (url.port === '') host = `${url.hostname}:443`;

  let path = url.pathname;
  if (path === '' || path === '/') path = urlDefaults(kind).path;
  if (!path.endsWith('/')) path += '/';
  return { ok: true, url: `https://${host}${path}` };
}

/** A short form for descriptions and tooltips: host and port. */
export function displayOrigin(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
