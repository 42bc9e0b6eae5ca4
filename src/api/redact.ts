import { ApiError } from './errors';
import { say, type Param, type Wording } from './messages';

/** Placeholder shown wherever a secret was. */
export const REDACTED = '<redacted>';

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-restsvcsessionid', 'cookie', 'set-cookie']);

/** Headers with Authorization, X-RestSvcSessionId, Cookie and Set-Cookie values replaced by a placeholder. */
export function redactHeaders(headers: Array<[string, string]>): Array<[string, string]> {
  return headers.map(([name, value]) => {
    const lower = name.toLowerCase();
    if (!SECRET_HEADERS.has(lower)) return [name, value];
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const scheme = /^(\w+)\s/.exec(value)?.[1];
      return [name, scheme ? `${scheme} ${REDACTED}` : REDACTED];
    }
    if (lower === 'set-cookie' || lower === 'cookie') {
      // Keep cookie names and attributes (Path, HttpOnly) so the header is still informative.
      return [name, value.replace(/(^|;\s*)([^=;\s]+)=([^;]*)/g, (m, sep: string, key: string) =>
        /^(path|domain|expires|max-age|samesite)$/i.test(key) ? m : `${sep}${key}=${REDACTED}`)];
    }
    return [name, REDACTED];
  });
}

const TOKEN_FIELDS = /("(?:access_?token|refresh_?token|accessToken|refreshToken|mfa_?token|mfaToken|encrypted_code|password|SessionToken)"\s*:\s*)"[^"]*"/gi;

/** A user name and its password: besides the password, their Basic value (`base64(user:password)`) is a secret. */
export interface Credentials {
  user: string;
  password: string | undefined;
}

/** What `redactText` hides: a secret's text, or credentials; undefined and texts shorter than 4 characters are ignored. */
export type Secret = string | Credentials | undefined;

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * Every form a secret travels in: as written, percent-encoded (`encodeURIComponent`, upper- and lower-case escapes,
 * form-encoded spaces), in base64 (with and without padding, and base64url); for credentials, also the Basic value
 * `base64(user:password)`. Longest first, so a longer form is replaced before a shorter one inside it could be.
 */
export function secretForms(secret: Secret): string[] {
  if (!secret) return [];
  const forms = new Set<string>();
  const add = (text: string) => {
    const encoded = encodeURIComponent(text);
    const b64 = base64(text);
    for (const form of [
      text,
      encoded,
      encoded.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
      encoded.replace(/%20/g, '+'),
      b64,
      b64.replace(/=+$/, ''),
      b64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'),
    ]) {
      if (form.length >= 4) forms.add(form);
    }
  };
  if (typeof secret === 'string') {
    if (secret.length >= 4) add(secret);
  } else if (secret.password) {
    if (secret.password.length >= 4) add(secret.password);
    const basic = base64(`${secret.user}:${secret.password}`);
    forms.add(basic);
    forms.add(basic.replace(/=+$/, ''));
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

/**
 * Text with the given secrets in every form they travel in (see `secretForms`), and the values of token-bearing JSON
 * fields, replaced by a placeholder.
 */
export function redactText(text: string, secrets: readonly Secret[] = []): string {
  const out = text.replace(TOKEN_FIELDS, `$1"${REDACTED}"`);
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  if (!forms.length) return out;
  // One pass, longest form first: a placeholder already written is never searched again.
  const pattern = new RegExp(forms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return out.replace(pattern, REDACTED);
}

/**
 * Bytes with every form of the secrets replaced (see `secretForms`): a body a server echoed a token into. The very same
 * buffer when it holds none, which is the usual case: the search is a byte search, nothing is decoded.
 */
export function redactBytes(bytes: Buffer, secrets: readonly Secret[]): Buffer {
  let out = bytes;
  const placeholder = Buffer.from(REDACTED);
  for (const form of [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length)) {
    const needle = Buffer.from(form, 'utf8');
    let at = out.indexOf(needle);
    if (at < 0) continue;
    const parts: Buffer[] = [];
    let from = 0;
    for (; at >= 0; at = out.indexOf(needle, from)) {
      parts.push(out.subarray(from, at), placeholder);
      from = at + needle.length;
    }
    parts.push(out.subarray(from));
    out = Buffer.concat(parts);
  }
  return out;
}

/** The error with every form of the secrets taken out of its message, hint and server message (the same object). */
export function redactError<T>(err: T, secrets: readonly Secret[]): T {
  if (!(err instanceof ApiError)) return err;
  const e = err as unknown as { message: string; hint?: string; serverMessage?: string; wording: Wording; hintWording?: Wording };
  e.message = redactText(e.message, secrets);
  if (e.hint) e.hint = redactText(e.hint, secrets);
  if (e.serverMessage) e.serverMessage = redactText(e.serverMessage, secrets);
  e.wording = redactWording(e.wording, secrets);
  if (e.hintWording) e.hintWording = redactWording(e.hintWording, secrets);
  return err;
}

/** The Wording with every text parameter redacted (a server may echo a token in its message). */
function redactWording(wording: Wording, secrets: readonly Secret[]): Wording {
  if (!wording.params) return wording;
  const params: Record<string, Param> = {};
  for (const [name, value] of Object.entries(wording.params)) {
    params[name] = typeof value === 'string' ? redactText(value, secrets) : typeof value === 'object' ? redactWording(value, secrets) : value;
  }
  return { ...wording, params };
}

/** The URL without any user:password part. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    // Not a URL Node can parse, and it may still carry credentials: drop what stands before an @ in the authority.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
  }
}

const CURL_PLACEHOLDERS: Record<string, string> = {
  'x-restsvcsessionid': '$VEEAM_SESSION_ID',
  authorization: 'Bearer $VEEAM_TOKEN',
};

/**
 * What a copied command must not hold: control characters (C0, DEL, C1), format characters (bidirectional embeddings,
 * overrides, isolates and marks, zero-width characters, the BOM), lone surrogates and every separator (spaces other
 * than printable ASCII ones, line and paragraph separators). Pasted into a terminal they can end the command early,
 * run another, or make the text read differently from what runs.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Z}]/gu;
/** As UNPRINTABLE, but the plain space is fine in a quoted header value. */
const UNPRINTABLE_IN_HEADER = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

/** The URL with every character that is not printable (see UNPRINTABLE) percent-encoded as UTF-8; a lone surrogate as U+FFFD. */
export function printableUrl(url: string): string {
  return url.replace(UNPRINTABLE, (c) => (/\p{Cs}/u.test(c) ? '%EF%BF%BD' : encodeURIComponent(c)));
}

/**
 * A curl command line for a request, of printable characters only: the URL's unprintable characters are
 * percent-encoded, and a header that would need one is refused (an ApiError of kind `usage`). Secrets become shell
 * variables the user sets (`VEEAM_SESSION_ID`, `VEEAM_TOKEN`), so the command can be shared safely.
 */
export function toCurl(method: string, url: string, headers: Array<[string, string]>): string {
  const verb = method.toUpperCase();
  if (!/^[A-Z]+$/.test(verb)) throw new ApiError('usage', say('curl.not-a-method', { method: printableUrl(method).slice(0, 40) }));
  const parts = ['curl'];
  if (verb !== 'GET') parts.push('-X', verb);
  parts.push(shellQuote(printableUrl(redactUrl(url))));
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'cookie' || lower === 'content-length' || lower === 'host') continue;
    if (UNPRINTABLE_IN_HEADER.test(name) || UNPRINTABLE_IN_HEADER.test(value) || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new ApiError('usage', say('curl.unprintable-header', { header: printableUrl(name).slice(0, 80) }), undefined, printableUrl(url));
    }
    const placeholder = CURL_PLACEHOLDERS[lower];
    if (placeholder) parts.push('-H', `"${name}: ${lower === 'authorization' && !/^bearer\s/i.test(value) ? '$VEEAM_AUTHORIZATION' : placeholder}"`);
    else parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  return parts.join(' ');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
