import { FAULT_KINDS, FaultStore, parseFault, proxyErrorPage, type FaultKind } from '../em/faults';
import { stableGuid } from '../vspc/estate';
import { serverError, unauthorized, VbrError } from './errors';
import { htmlReply, JSON_TYPE, type VbrReply, type VbrRequest } from './exchange';
import type { TokenStore } from './tokens';

/**
 * EM's fault kinds, plus `throttle` (429 with Retry-After and an Error body) and `revoke` (every token of the server
 * ends, as when the REST API service restarts, and the request gets 401).
 */
export type VbrFaultKind = FaultKind | 'throttle' | 'revoke';

export interface VbrFault {
  kind: VbrFaultKind;
  /** Prefix of path+query to match; default: every path except /__simulator. */
  path?: string;
  /** How many requests it applies to; default unlimited. */
  times?: number;
  delayMs?: number;
  sizeBytes?: number;
  /** For `status` (default 500) and `html` (default 502), `redirect` (default 302). */
  status?: number;
  /** For `throttle`: seconds in the Retry-After header; default 1. */
  retryAfter?: number;
  location?: string;
}

export const VBR_FAULT_KINDS: VbrFaultKind[] = [...FAULT_KINDS, 'throttle', 'revoke'];

/** Validates a fault that arrived as JSON over the control endpoint. */
export function parseVbrFault(value: unknown): VbrFault {
  return parseFault<VbrFault>(value, VBR_FAULT_KINDS, ['retryAfter']);
}

/** The active faults: EM's store (newest match wins, `times` counted down), over VBR's kinds. */
export class VbrFaultStore extends FaultStore<VbrFault> {}

/** What the glue does with a fault: answer instead, wait first, or break the connection in some way. */
export type FaultPlan =
  | { do: 'answer'; reply: VbrReply }
  | { do: 'delay'; ms: number }
  | { do: 'hang' }
  | { do: 'stall-headers' }
  | { do: 'reset' }
  | { do: 'corrupt'; kind: string }
  | { do: 'redirect'; status: number; location: string };

const STATUS_MESSAGES: Record<number, string> = {
  500: 'An unexpected error occurred on the backup server. See the REST API service log for details.',
  503: 'The Veeam Backup & Replication REST API service is not available. Try again later.',
};

/** Decides what a fault does to one request. `tokens` is touched only by `expire` and `revoke`. */
export function planFault(fault: VbrFault, req: VbrRequest, pathAndQuery: string, tokens: TokenStore): FaultPlan {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  switch (fault.kind) {
    case 'slow':
      return { do: 'delay', ms: fault.delayMs ?? 2000 };
    case 'hang':
      return { do: 'hang' };
    case 'stall-headers':
      return { do: 'stall-headers' };
    case 'reset':
      return { do: 'reset' };
    case 'truncated':
    case 'empty':
    case 'wrong-type':
    case 'bad-utf8':
    case 'html-body':
      return { do: 'corrupt', kind: fault.kind };
    case 'redirect':
      return { do: 'redirect', status: fault.status ?? 302, location: fault.location ?? `https://elsewhere.invalid${pathAndQuery}` };
    case 'html':
      return { do: 'answer', reply: htmlReply(fault.status ?? 502, proxyErrorPage(fault.status ?? 502)) };
    case 'huge':
      return { do: 'answer', reply: hugeJsonReply(fault.sizeBytes ?? 8 * 1024 * 1024) };
    case 'status': {
      const status = fault.status ?? 500;
      const error = status >= 500 ? new VbrError(status, 'UnknownError', STATUS_MESSAGES[status] ?? serverError().message) : new VbrError(status, 'BadRequest', `The request failed with status ${status} (simulated).`);
      return { do: 'answer', reply: error.toReply() };
    }
    case 'throttle': {
      const seconds = fault.retryAfter ?? 1;
      const error = new VbrError(429, 'TooManyRequests', `Too many requests. Retry after ${seconds} seconds.`, undefined, { 'Retry-After': String(Math.ceil(seconds)) });
      return { do: 'answer', reply: error.toReply() };
    }
    case 'expire':
      if (token) tokens.expireAccessToken(token);
      return { do: 'answer', reply: unauthorized('The access token has expired.').toReply() };
    case 'revoke':
      tokens.revokeAll();
      return { do: 'answer', reply: unauthorized('The access token is not valid.').toReply() };
    case 'unauthorized':
      return { do: 'answer', reply: unauthorized('The access token is not valid for this request.').toReply() };
    case 'echo': {
      // A careless server that repeats the secrets it was sent: the bearer token and a logon form's password.
      const password = new URLSearchParams(req.body).get('password') ?? '';
      const secrets = [token ?? '', password, encodeURIComponent(password), Buffer.from(password).toString('base64')].filter((s) => s !== '');
      return { do: 'answer', reply: new VbrError(fault.status ?? 500, 'UnknownError', `Request failed for credentials ${secrets.join(' / ')}.`).toReply() };
    }
  }
}

/**
 * A valid `{data, pagination}` list of exactly `sizeBytes` bytes (when larger than the empty list), produced in
 * chunks so no large string is held at once.
 */
export function hugeJsonReply(sizeBytes: number): VbrReply {
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
  return { status: 200, headers: { 'Content-Type': JSON_TYPE }, stream: { chunks, contentLength: total } };
}
