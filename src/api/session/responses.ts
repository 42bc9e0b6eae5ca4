// What the request flow checks of every response, whatever the kind: the href, the content type, redirects.
import { ApiError, HttpStatusError, ProtocolError } from '../errors';
import { say, type Wording } from '../messages';
import { readHref } from '../resource';
import type { RawResponse } from '../types';
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
  return /^\s*<(!doctype html|html)/i.test(raw.body.subarray(0, 512).toString('utf8'));
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
