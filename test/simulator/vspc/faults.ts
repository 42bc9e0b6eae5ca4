import type { ServerResponse } from 'node:http';
import type { FaultKind } from '../em/faults';
import { stableGuid } from './estate';

/** EM's fault kinds, plus `throttle`: 429 with `retryAfter`. */
export type VspcFaultKind = FaultKind | 'throttle';

export interface VspcFault {
  kind: VspcFaultKind;
  /** Prefix of path+query to match; default: every path except /__simulator. */
  path?: string;
  /** How many requests it applies to; default unlimited. */
  times?: number;
  delayMs?: number;
  sizeBytes?: number;
  /** For `status` (default 520) and `html` (default 502). */
  status?: number;
  /** For `throttle`: seconds, in the body and the `Retry-After` header; default 1. */
  retryAfter?: number;
}

export const VSPC_FAULT_KINDS: VspcFaultKind[] = ['slow', 'html', 'truncated', 'huge', 'reset', 'hang', 'stall-headers', 'status', 'expire', 'throttle'];

/** Validates a fault that arrived as JSON over the control endpoint. */
export function parseVspcFault(value: unknown): VspcFault {
  if (typeof value !== 'object' || value === null) throw new Error('fault must be a JSON object');
  const v = value as Record<string, unknown>;
  if (!VSPC_FAULT_KINDS.includes(v.kind as VspcFaultKind)) throw new Error(`fault kind must be one of ${VSPC_FAULT_KINDS.join(', ')}`);
  const num = (key: string): number | undefined => {
    if (v[key] === undefined) return undefined;
    if (typeof v[key] !== 'number' || !Number.isFinite(v[key]) || (v[key] as number) < 0) throw new Error(`${key} must be a non-negative number`);
    return v[key] as number;
  };
  if (v.path !== undefined && typeof v.path !== 'string') throw new Error('path must be a string');
  return {
    kind: v.kind as VspcFaultKind,
    path: v.path as string | undefined,
    times: num('times'),
    delayMs: num('delayMs'),
    sizeBytes: num('sizeBytes'),
    status: num('status'),
    retryAfter: num('retryAfter'),
  };
}

/** The active faults; the newest that matches a request applies and uses up one of its `times`. */
export class VspcFaultStore {
  private faults: Array<VspcFault & { remaining: number }> = [];

  add(fault: VspcFault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** `hasToken`: only requests that carry a bearer token can be "expired". */
  take(pathAndQuery: string, hasToken: boolean): VspcFault | undefined {
    const found = [...this.faults]
      .reverse()
      .find((f) => f.remaining > 0 && pathAndQuery.startsWith(f.path ?? '/') && (f.kind !== 'expire' || hasToken));
    if (!found) return undefined;
    found.remaining--;
    if (found.remaining <= 0) this.faults = this.faults.filter((f) => f !== found);
    return found;
  }
}

/**
 * Streams a valid collection envelope of exactly `sizeBytes` bytes (when that is larger than the
 * empty envelope), honouring back-pressure, so no large string is ever held at once.
 */
export async function streamHugeJson(res: ServerResponse, sizeBytes: number): Promise<void> {
  const head = '{"data":[';
  // Fixed-width items, so the count is known before the first byte goes out.
  const item = (n: number) => `{"instanceUid":"${stableGuid('vspc-bulk', n)}","name":"Bulk item ${String(n + 1).padStart(9, '0')}"}`;
  const itemSize = Buffer.byteLength(item(0)) + 1; // with its comma
  const tail = (n: number) => `],"meta":{"pagingInfo":{"total":${n},"count":${n},"offset":0}}}`;
  const longestTail = Buffer.byteLength(tail(sizeBytes));
  const count = Math.max(0, Math.floor((sizeBytes - head.length - longestTail + 1) / itemSize));
  const total = Math.max(sizeBytes, head.length + Buffer.byteLength(tail(count)) + Math.max(0, count * itemSize - 1));
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(total) });
  const write = (chunk: string) =>
    new Promise<void>((resolve, reject) => {
      if (res.destroyed) return reject(new Error('client went away'));
      if (res.write(chunk)) resolve();
      else {
        const onDrain = () => {
          res.off('close', onClose);
          resolve();
        };
        const onClose = () => {
          res.off('drain', onDrain);
          reject(new Error('client went away'));
        };
        res.once('drain', onDrain);
        res.once('close', onClose);
      }
    });
  try {
    let chunk = head;
    for (let n = 0; n < count; n++) {
      chunk += (n > 0 ? ',' : '') + item(n);
      if (chunk.length >= 65536) {
        await write(chunk);
        chunk = '';
      }
    }
    const end = tail(count);
    const sent = head.length + Math.max(0, count * itemSize - 1);
    // Whitespace before the closing bracket keeps the document valid and the length exact.
    await write(chunk + ' '.repeat(Math.max(0, total - sent - Buffer.byteLength(end))) + end);
    res.end();
  } catch {
    res.destroy();
  }
}
