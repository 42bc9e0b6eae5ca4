// What the request flow checks of every response, whatever the kind: the href, the content type, redirects.
import { ApiError, HttpStatusError, ProtocolError } from '../errors';
import { readHref } from '../resource';
import type { RawResponse } from '../session';
import { header, withRaw } from '../transport/body';

export function sameOrigin(href: string, origin: string): boolean {
  try {
    return new URL(href).origin === origin;
  } catch {
    return false;
  }
}

/** Only absolute http(s) URLs are fetched: a `javascript:`, `file:` or relative href is refused. */
export function checkHref(href: string): string {
  const read = readHref(href);
  if ('url' in read) return read.url;
  const shown = href.slice(0, 200);
  const message =
    read.refused === 'control'
      ? `The link “${shown}” holds control characters; it was not followed.`
      : read.refused === 'relative'
        ? `The link “${shown}” is not an absolute URL; it was not followed.`
        : `The link “${shown}” uses ${read.scheme} and was not followed.`;
  throw new ProtocolError(message, undefined, href);
}

/** True when the body is an HTML page (a proxy's error page, a login portal) rather than API data. */
export function isHtml(raw: RawResponse): boolean {
  if (raw.contentType && /text\/html/i.test(raw.contentType)) return true;
  return /^\s*<(!doctype html|html)/i.test(raw.body.subarray(0, 512).toString('utf8'));
}

/**
 * Refuses an HTML page (a proxy's error page, a login portal) and a body labelled as something else than the API
 * sends (`accepted` matches the Content-Type; none is let through); `expected` names what the API sends.
 */
export function checkContentType(raw: RawResponse, accepted: RegExp, expected: string): void {
  if (isHtml(raw)) {
    throw withRaw(new ProtocolError(`${raw.url} answered ${raw.status} with an HTML page, not ${expected}.`, 'A proxy or another web service may be answering on this address.', raw.url), raw);
  }
  const type = raw.contentType?.split(';')[0].trim();
  if (!type || accepted.test(type)) return;
  throw withRaw(
    new ProtocolError(`${raw.url} answered ${raw.status} with Content-Type “${type.slice(0, 100)}”, not ${expected}.`, 'A proxy or another web service may be answering on this address; the raw response shows what it sent.', raw.url),
    raw,
  );
}

/** A parser's error for a response: it names the HTTP status (unless it already says what was answered) and carries the response. */
export function parseFailure(err: unknown, raw: RawResponse): unknown {
  if (!(err instanceof ApiError)) return err;
  if (err instanceof ProtocolError && !err.message.includes(`answered ${raw.status}`)) {
    return withRaw(new ProtocolError(`${err.message} (HTTP ${raw.status})`, err.hint, raw.url, { cause: err }), raw);
  }
  return withRaw(err, raw);
}

/** A 3xx: never followed (it would take the credentials along); a move to another origin is said to be one. */
export function redirectError(raw: RawResponse, origin: string): HttpStatusError {
  const location = header(raw, 'location');
  let target: string | undefined;
  try {
    target = location ? new URL(location, raw.url).href : undefined;
  } catch {
    target = undefined;
  }
  const message = !target
    ? `${raw.url} redirected (${raw.status}) ${location ? `to “${location.slice(0, 200)}”, which is not a valid URL` : 'without saying where to'}; it was not followed.`
    : sameOrigin(target, origin)
      ? `${raw.url} redirected (${raw.status}) to ${target}; redirects are not followed, so the credentials are never sent again on the server’s say-so.`
      : `${raw.url} redirected (${raw.status}) to another origin, ${target}; it was not followed, and no credentials were sent there.`;
  const hint = target && !sameOrigin(target, origin) ? 'If the server has really moved, change the connection’s URL; otherwise a proxy or portal may be redirecting.' : 'Use the address the server redirects to in the connection.';
  return withRaw(new HttpStatusError(raw.status, message, hint, raw.url), raw);
}

/** What a parser needs of a response (the rest stays on this thread). */
export function parseInput(raw: RawResponse): Pick<RawResponse, 'body' | 'url' | 'status' | 'contentType'> {
  return { body: raw.body, url: raw.url, status: raw.status, contentType: raw.contentType };
}
