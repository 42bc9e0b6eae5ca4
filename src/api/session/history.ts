// The request history's source: every exchange a session has, told to `TransportOptions.onExchange` once it is over.
import { ApiError } from '../errors';
import type { Exchange, RawResponse, TransportOptions } from '../types';
import type { KindRequest } from './strategy';

/**
 * What the history keeps of an exchange: a GET's or an action's answer (and an action's body); of a logon, renewal or
 * logoff (`credentials`), neither body, as their forms and answers hold passwords and tokens.
 */
export type ExchangeKind = 'credentials' | 'get' | 'action';

/** The request's answer, told to the history once it is over; the request goes on whatever the history does. */
export function recorded(transport: Pick<TransportOptions, 'onExchange' | 'log'>, sent: Promise<RawResponse>, request: KindRequest, what: ExchangeKind): Promise<RawResponse> {
  // Nothing records (the command line, a walk): the request's own promise, without another await in its way.
  return transport.onExchange ? recording(transport.onExchange, transport, sent, request, what) : sent;
}

async function recording(record: NonNullable<TransportOptions['onExchange']>, transport: Pick<TransportOptions, 'log'>, sent: Promise<RawResponse>, request: KindRequest, what: ExchangeKind): Promise<RawResponse> {
  const at = new Date();
  const base: Pick<Exchange, 'at' | 'method' | 'url' | 'credentials' | 'requestBody' | 'requestContentType'> = { at, method: request.method, url: request.url };
  if (what === 'credentials') base.credentials = true;
  if (what === 'action' && request.body !== undefined) {
    base.requestBody = request.body;
    base.requestContentType = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  }
  const note = (exchange: Exchange) => {
    try {
      record(exchange);
    } catch (err) {
      transport.log?.(`Recording ${request.method} ${request.url} in the history failed: ${(err as Error).message}`);
    }
  };
  try {
    const raw = await sent;
    note({ ...base, status: raw.status, durationMs: raw.durationMs, size: raw.body.length, ...(what !== 'credentials' && { raw }) });
    return raw;
  } catch (err) {
    const raw = err instanceof ApiError ? err.raw : undefined;
    const failed: Exchange = { ...base, status: raw?.status, error: (err as Error).message, durationMs: Date.now() - at.getTime(), size: raw?.body.length ?? 0 };
    if (raw && what !== 'credentials') failed.raw = raw;
    note(failed);
    throw err;
  }
}
