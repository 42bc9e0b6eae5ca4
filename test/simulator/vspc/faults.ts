import type { ServerResponse } from 'node:http';
import { CORE_FAULT_KINDS, parseFault, type CoreFaultKind, type SimulatorFault } from '../core/faults';
import { stableGuid } from './estate';
import { writeWithBackpressure } from '../core/control';

/**
 * The core's fault kinds, plus `throttle` (429 with `retryAfter`) and `throttle-bare` (429 that says nothing of when to
 * retry); `echo` is accepted, as on EM, and leaves the answer as it is.
 */
export type VspcFaultKind = CoreFaultKind | 'echo' | 'throttle' | 'throttle-bare';

export interface VspcFault extends SimulatorFault {
  kind: VspcFaultKind;
  /** For `status` (default 520) and `html` (default 502). */
  status?: number;
  /** For `throttle`: seconds, in the body and the `Retry-After` header; default 1. */
  retryAfter?: number;
}

export const VSPC_FAULT_KINDS: VspcFaultKind[] = [...CORE_FAULT_KINDS, 'echo', 'throttle', 'throttle-bare'];

/** Validates a fault that arrived as JSON over the control endpoint. */
export function parseVspcFault(value: unknown): VspcFault {
  return parseFault<VspcFault>(value, VSPC_FAULT_KINDS, ['retryAfter']);
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
  const write = (chunk: string) => writeWithBackpressure(res, chunk);
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
