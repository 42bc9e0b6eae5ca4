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

/** Text with the given secrets, and values of token-bearing JSON fields, replaced by a placeholder. */
export function redactText(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text.replace(TOKEN_FIELDS, `$1"${REDACTED}"`);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
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
    return url;
  }
}

const CURL_PLACEHOLDERS: Record<string, string> = {
  'x-restsvcsessionid': '$VEEAM_SESSION_ID',
  authorization: 'Bearer $VEEAM_TOKEN',
};

/**
 * A curl command line for a request. Secrets become shell variables the user sets
 * (`VEEAM_SESSION_ID`, `VEEAM_TOKEN`), so the command can be shared safely.
 */
export function toCurl(method: string, url: string, headers: Array<[string, string]>): string {
  const parts = ['curl'];
  if (method.toUpperCase() !== 'GET') parts.push('-X', method.toUpperCase());
  parts.push(shellQuote(redactUrl(url)));
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'cookie' || lower === 'content-length' || lower === 'host') continue;
    const placeholder = CURL_PLACEHOLDERS[lower];
    if (placeholder) parts.push('-H', `"${name}: ${lower === 'authorization' && !/^bearer\s/i.test(value) ? '$VEEAM_AUTHORIZATION' : placeholder}"`);
    else parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  return parts.join(' ');
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
