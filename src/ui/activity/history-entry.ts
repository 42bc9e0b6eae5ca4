// One request of the history as it is kept: redacted once, when it is recorded; and the bounds of the history.
// No vscode here: unit-tested in plain Node.
import { redactBytes, redactHeaders, redactText, redactUrl, type Exchange, type RawResponse, type Secret } from '../../api';

/** Requests kept per connection. */
export const HISTORY_LIMIT = 500;

/** The largest response body the history keeps redacted in memory and may write to the storage folder. */
export const PERSIST_BODY_LIMIT = 1024 * 1024;

/** Bytes of response bodies the history holds on to, every connection together; older entries then keep no body. */
export const HISTORY_BODY_BUDGET = 64 * 1024 * 1024;

/**
 * The exchange as the history keeps it: every text redacted with the connection's secrets (the URL also without a
 * user:password part), the response's secret headers redacted and, for a body that may be written to disk, its bytes
 * redacted too (larger bodies are redacted whenever they are shown, and never written). A `credentials` exchange
 * (logon, renewal, logoff) keeps neither body, whatever the session handed over.
 */
export function redactExchange(exchange: Exchange, secrets: readonly Secret[]): Exchange {
  const text = (value: string) => redactText(value, secrets);
  const kept: Exchange = {
    at: exchange.at,
    method: exchange.method,
    url: text(redactUrl(exchange.url)),
    durationMs: exchange.durationMs,
    size: exchange.size,
  };
  if (exchange.status !== undefined) kept.status = exchange.status;
  if (exchange.error !== undefined) kept.error = text(exchange.error);
  if (exchange.credentials) {
    kept.credentials = true;
    return kept;
  }
  if (exchange.requestBody !== undefined) kept.requestBody = text(exchange.requestBody);
  if (exchange.requestContentType !== undefined) kept.requestContentType = exchange.requestContentType;
  if (exchange.raw) kept.raw = redactRaw(exchange.raw, secrets);
  return kept;
}

/** A response with its URL, headers and (up to PERSIST_BODY_LIMIT) body redacted. */
export function redactRaw(raw: RawResponse, secrets: readonly Secret[]): RawResponse {
  const text = (value: string) => redactText(value, secrets);
  const headers = redactHeaders(raw.headers).map(([name, value]): [string, string] => [name, text(value)]);
  const body = raw.body.length <= PERSIST_BODY_LIMIT ? redactBytes(raw.body, secrets) : raw.body;
  return { ...raw, url: text(redactUrl(raw.url)), statusText: text(raw.statusText), headers, body };
}

/** Appends an entry to a connection's list, dropping the oldest beyond `limit`; returns what was dropped. */
export function appendBounded<T>(list: T[], entry: T, limit = HISTORY_LIMIT): T[] {
  list.push(entry);
  return list.length > limit ? list.splice(0, list.length - limit) : [];
}

/** An entry whose response may be let go to keep the history's memory bounded. */
export interface BodyHolder {
  raw?: RawResponse;
  /** Set when the response was let go (the entry stays, its response can no longer be opened). */
  responseDropped?: boolean;
}

/**
 * Keeps the responses of the newest entries within `budget` bytes of body: walking from the newest (`newestFirst`),
 * once the budget is spent every older entry lets its response go. Returns how many were let go.
 */
export function keepBodiesWithin(newestFirst: Iterable<BodyHolder>, budget = HISTORY_BODY_BUDGET): number {
  let spent = 0;
  let dropped = 0;
  for (const entry of newestFirst) {
    if (!entry.raw) continue;
    spent += entry.raw.body.length;
    if (spent > budget) {
      entry.raw = undefined;
      entry.responseDropped = true;
      dropped++;
    }
  }
  return dropped;
}
