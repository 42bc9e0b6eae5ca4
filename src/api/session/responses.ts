// What the request flow checks of every response, whatever the kind: the href, the content type, redirects.
import { ApiError, AuthError, HttpStatusError, ProtocolError } from '../errors';
import { say, type Wording } from '../messages';
import { readHref } from '../resource';
import type { RawResponse } from '../types';
import type { KindStrategy } from './strategy';
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
      ? say('link.control', { href: shown })
      : read.refused === 'relative'
        ? say('link.relative', { href: shown })
        : say('link.scheme', { href: shown, scheme: read.scheme });
  throw new ProtocolError(message, undefined, href);
}

/** True when the body is an HTML page (a proxy's error page, a login portal) rather than API data. */
export function isHtml(raw: RawResponse): boolean {
  if (raw.contentType && /text\/html/i.test(raw.contentType)) return true;
  // Most bodies start with `{` or `<?xml`: those are told from their first bytes, without decoding any.
  const body = raw.body;
  let at = 0;
  while (at < 512 && (body[at] === 0x20 || (body[at] >= 0x09 && body[at] <= 0x0d))) at++;
  const first = body[at];
  if ((first >= 0x21 && first <= 0x7e && first !== 0x3c) || (first === 0x3c && body[at + 1] === 0x3f)) return false;
  return /^\s*<(!doctype html|html)/i.test(body.subarray(0, 512).toString('utf8'));
}

/**
 * Refuses an HTML page (a proxy's error page, a login portal) and a body labelled as something else than the API
 * sends (`accepted` matches the Content-Type; none is let through); `expected` names what the API sends.
 */
export function checkContentType(raw: RawResponse, accepted: RegExp, expected: Wording): void {
  if (isHtml(raw)) {
    throw withRaw(new ProtocolError(say('response.html-page', { url: raw.url, status: raw.status, expected }), say('hint.proxy-answering'), raw.url), raw);
  }
  const type = raw.contentType?.split(';')[0].trim();
  if (!type || accepted.test(type)) return;
  throw withRaw(
    new ProtocolError(say('response.content-type', { url: raw.url, status: raw.status, type: type.slice(0, 100), expected }), say('hint.proxy-answering-raw'), raw.url),
    raw,
  );
}

/** A parser's error for a response: it names the HTTP status (unless it already says what was answered) and carries the response. */
export function parseFailure(err: unknown, raw: RawResponse): unknown {
  if (!(err instanceof ApiError)) return err;
  if (err instanceof ProtocolError && !err.message.includes(`answered ${raw.status}`)) {
    return withRaw(new ProtocolError(say('response.with-status', { message: err.wording, status: raw.status }), err.hintWording, raw.url, { cause: err }), raw);
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
  const { url, status } = raw;
  const message = !target
    ? location
      ? say('redirect.invalid', { url, status, location: location.slice(0, 200) })
      : say('redirect.nowhere', { url, status })
    : sameOrigin(target, origin)
      ? say('redirect.same-origin', { url, status, target })
      : say('redirect.other-origin', { url, status, target });
  const hint = target && !sameOrigin(target, origin) ? say('hint.redirect-moved') : say('hint.redirect-use');
  return withRaw(new HttpStatusError(raw.status, message, hint, raw.url), raw);
}

/** What a parser needs of a response (the rest stays on this thread). */
export function parseInput(raw: RawResponse): Pick<RawResponse, 'body' | 'url' | 'status' | 'contentType'> {
  return { body: raw.body, url: raw.url, status: raw.status, contentType: raw.contentType };
}

/** What statusError needs of the kind. */
type StatusWording = Pick<KindStrategy, 'bodies' | 'errorMessage' | 'statusHint' | 'forbidden'>;

/** The error an unexpected status is: a redirect, an HTML page, or the server's own message; `what` names the step. */
export function statusError(strategy: StatusWording, origin: string, raw: RawResponse, what?: Wording): ApiError {
  if (raw.status >= 300 && raw.status < 400) return redirectError(raw, origin);
  const label = what ?? raw.url;
  const { status, statusText } = raw;
  if (isHtml(raw)) {
    const message = say('status.html-page', { what: label, status, statusText, expected: strategy.bodies.expected });
    return withRaw(new HttpStatusError(status, message, say('hint.proxy-answering'), raw.url), raw);
  }
  const server = strategy.errorMessage(raw.body.toString('utf8'));
  const message = server
    ? say('status.server-says', { what: label, status, statusText, server })
    : statusText
      ? say('status.plain', { what: label, status, statusText })
      : say('status.plain-no-text', { what: label, status });
  return withRaw(new HttpStatusError(status, message, strategy.statusHint(status), raw.url, server), raw);
}

/** A 403 or any status from 300 on, thrown as the error it is (carrying the response). */
export function refuseStatus(strategy: StatusWording, origin: string, raw: RawResponse): void {
  if (raw.status === 403) {
    const server = strategy.errorMessage(raw.body.toString('utf8'));
    const { message, hint } = strategy.forbidden;
    throw withRaw(new AuthError('forbidden', say('forbidden', { reason: server ?? message }), hint, raw.url, 403), raw);
  }
  if (raw.status >= 300) throw statusError(strategy, origin, raw);
}
