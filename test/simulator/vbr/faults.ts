import { CORE_FAULT_KINDS, parseFault, type SimulatorFault } from '../core/faults';
import { stableGuid } from '../core/estate';
import { serverError, unauthorized, VbrError } from './errors';
import type { VbrReply } from './exchange';
import type { TokenStore } from './tokens';

/**
 * A fault over VBR: the core's kinds, plus `echo` (an error that repeats the request's secrets, as on EM), `throttle`
 * (429 with Retry-After and an Error body) and `revoke` (every token of the server ends, as when the REST API service
 * restarts, and the request gets 401). `status` defaults to 500 for `status` and `echo`, 502 for `html`, 302 for
 * `redirect`; `retryAfter` (seconds in the Retry-After header of `throttle`) to 1.
 */
export interface VbrFault extends SimulatorFault {
  kind: VbrFaultKind;
  retryAfter?: number;
}

export const VBR_FAULT_KINDS = [...CORE_FAULT_KINDS, 'echo', 'throttle', 'revoke'] as const;
export type VbrFaultKind = (typeof VBR_FAULT_KINDS)[number];

/** Validates a fault that arrived as JSON over the control endpoint. */
export const parseVbrFault = (value: unknown): VbrFault => parseFault<VbrFault>(value, VBR_FAULT_KINDS, ['retryAfter']);

const STATUS_MESSAGES: Record<number, string> = {
  500: 'An unexpected error occurred on the backup server. See the REST API service log for details.',
  503: 'The Veeam Backup & Replication REST API service is not available. Try again later.',
};

/**
 * The answer of a fault VBR words itself (`status`, `throttle`, `expire`, `revoke`, `unauthorized`, `echo`), or
 * undefined for the kinds the core applies. `token` is the request's bearer token, `body` its body (a logon form);
 * `tokens` is touched only by `expire` and `revoke`.
 */
export function faultReply(fault: VbrFault, token: string | undefined, body: string, tokens: TokenStore): VbrReply | undefined {
  switch (fault.kind) {
    case 'status': {
      const status = fault.status ?? 500;
      const error = status >= 500 ? new VbrError(status, 'UnknownError', STATUS_MESSAGES[status] ?? serverError().message) : new VbrError(status, 'BadRequest', `The request failed with status ${status} (simulated).`);
      return error.toReply();
    }
    case 'throttle': {
      const seconds = fault.retryAfter ?? 1;
      return new VbrError(429, 'TooManyRequests', `Too many requests. Retry after ${seconds} seconds.`, undefined, { 'Retry-After': String(Math.ceil(seconds)) }).toReply();
    }
    case 'expire':
      if (token) tokens.expireAccessToken(token);
      return unauthorized('The access token has expired.').toReply();
    case 'revoke':
      tokens.revokeAll();
      return unauthorized('The access token is not valid.').toReply();
    case 'unauthorized':
      // Refused, but the token stays valid: a server (or a proxy in front of it) that turns every token away.
      return unauthorized('The access token is not valid for this request.').toReply();
    case 'echo': {
      // A careless server that repeats the secrets it was sent: the bearer token and a logon form's password.
      const password = new URLSearchParams(body).get('password') ?? '';
      const secrets = [token ?? '', password, encodeURIComponent(password), Buffer.from(password).toString('base64')].filter((s) => s !== '');
      return new VbrError(fault.status ?? 500, 'UnknownError', `Request failed for credentials ${secrets.join(' / ')}.`).toReply();
    }
    default:
      return undefined;
  }
}

/**
 * A valid `{data, pagination}` job list of exactly `sizeBytes` bytes (when larger than the empty list), as chunks to
 * write in order, so no large string is held at once.
 */
export function hugeJobList(sizeBytes: number): { contentLength: number; chunks: () => Iterable<string> } {
  const head = '{"data":[';
  // Fixed-width items, so the count is known before the first byte goes out.
  const item = (n: number) => `{"id":"${stableGuid('vbr-bulk', n)}","name":"Bulk job ${String(n + 1).padStart(9, '0')}","type":"Backup","isDisabled":false}`;
  const itemSize = Buffer.byteLength(item(0)) + 1; // with its comma
  const tail = (n: number) => `],"pagination":{"total":${n},"count":${n},"skip":0,"limit":${n}}}`;
  const count = Math.max(0, Math.floor((sizeBytes - head.length - Buffer.byteLength(tail(sizeBytes)) + 1) / itemSize));
  const itemsBytes = Math.max(0, count * itemSize - 1);
  const total = Math.max(sizeBytes, head.length + itemsBytes + Buffer.byteLength(tail(count)));
  function* chunks(): Iterable<string> {
    let chunk = head;
    for (let n = 0; n < count; n++) {
      chunk += (n > 0 ? ',' : '') + item(n);
      if (chunk.length >= 65536) {
        yield chunk;
        chunk = '';
      }
    }
    const end = tail(count);
    // Whitespace before the closing bracket keeps the document valid and the length exact.
    yield chunk + ' '.repeat(Math.max(0, total - head.length - itemsBytes - Buffer.byteLength(end))) + end;
  }
  return { contentLength: total, chunks };
}
