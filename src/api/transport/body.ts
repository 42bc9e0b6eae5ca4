// Reading a response's body: no transport here, so the parser thread loads it without undici.
import { ApiError, ProtocolError } from '../errors';
import { say } from '../messages';
import { isUtf8 } from 'node:buffer';
import type { RawResponse } from '../types';

/**
 * Bodies from this size on are received into shared memory, so the parser thread reads them without a copy (the parser
 * takes them off the extension host's thread from the same size: parsing 1 MB of XML takes long enough to be felt).
 */
export const SHARED_BODY_BYTES = 1024 * 1024;

/** The error, carrying the response that caused it (so the user can still view it raw). */
export function withRaw<E extends ApiError>(err: E, raw: RawResponse): E {
  err.raw = raw;
  return err;
}

/** A response header (names are lower-case in RawResponse). */
export function header(raw: RawResponse, name: string): string | undefined {
  return raw.headers.find(([n]) => n === name)?.[1];
}

/** The bytes as a Buffer: across threads a Buffer arrives as a plain Uint8Array (the same bytes, viewed, not copied). */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The charset a content type declares (`charset=…`), as written; undefined when it declares none. */
export function declaredCharset(contentType: string | undefined): string | undefined {
  return /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1];
}

/** Whether a charset name is UTF-8's (`utf-8`, `UTF8`). */
export function isUtf8Name(charset: string): boolean {
  return /^utf-?8$/i.test(charset);
}

/** The body as text in its declared charset (default UTF-8); bytes that are not valid text are a ProtocolError naming the URL and status. */
export function bodyText(raw: RawResponse): string {
  const charset = declaredCharset(raw.contentType);
  let decoder = UTF8;
  if (charset && !isUtf8Name(charset)) {
    try {
      decoder = new TextDecoder(charset, { fatal: true });
    } catch {
      // A charset Node does not know: read it as UTF-8, which fails below if it is not.
    }
  }
  if (decoder === UTF8) {
    // UTF-8: checked natively, then decoded by Buffer (JSON.parse reads its strings faster than the TextDecoder's);
    // a byte order mark dropped, as the TextDecoder drops it.
    const body = asBuffer(raw.body);
    if (isUtf8(body)) {
      const text = body.toString('utf8');
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
  } else {
    try {
      return decoder.decode(raw.body);
    } catch {
      // Not text in its charset: said below.
    }
  }
  throw withRaw(
    new ProtocolError(
      say('body.not-text', { url: raw.url, status: raw.status, charset: charset && decoder !== UTF8 ? charset : 'UTF-8' }),
      say('hint.raw-bytes'),
      raw.url,
    ),
    raw,
  );
}
