import type { ServerResponse } from 'node:http';
import { EM_NAMESPACE, XML_PROLOG, escapeXmlAttribute } from './render';
import { stableGuid } from './estate';
import { writeWithBackpressure } from '../control';

export type FaultKind =
  | 'slow'
  | 'html'
  | 'truncated'
  | 'huge'
  | 'reset'
  | 'hang'
  | 'stall-headers'
  | 'status'
  | 'expire'
  | 'empty'
  | 'wrong-type'
  | 'bad-utf8'
  | 'redirect'
  | 'html-body'
  | 'unauthorized'
  | 'echo';

export interface Fault {
  kind: FaultKind;
  /** Prefix of path+query to match; default: every path except /__simulator. */
  path?: string;
  /** How many requests it applies to; default unlimited. */
  times?: number;
  delayMs?: number;
  sizeBytes?: number;
  status?: number;
  /** For `redirect`: where to (default the same path on https://elsewhere.invalid); `status` default 302. */
  location?: string;
}

export const FAULT_KINDS: FaultKind[] = ['slow', 'html', 'truncated', 'huge', 'reset', 'hang', 'stall-headers', 'status', 'expire', 'empty', 'wrong-type', 'bad-utf8', 'redirect', 'html-body', 'unauthorized', 'echo'];

/** Validates a fault that arrived as JSON over the control endpoint; `kinds` and `extraNumbers` let VSPC add its own. */
export function parseFault<F extends { kind: string } = Fault>(value: unknown, kinds: readonly string[] = FAULT_KINDS, extraNumbers: readonly string[] = []): F {
  if (typeof value !== 'object' || value === null) throw new Error('fault must be a JSON object');
  const v = value as Record<string, unknown>;
  if (!kinds.includes(v.kind as string)) throw new Error(`fault kind must be one of ${kinds.join(', ')}`);
  const num = (key: string): number | undefined => {
    if (v[key] === undefined) return undefined;
    if (typeof v[key] !== 'number' || !Number.isFinite(v[key]) || (v[key] as number) < 0) throw new Error(`${key} must be a non-negative number`);
    return v[key] as number;
  };
  if (v.path !== undefined && typeof v.path !== 'string') throw new Error('path must be a string');
  if (v.location !== undefined && typeof v.location !== 'string') throw new Error('location must be a string');
  const fault: Record<string, unknown> = { kind: v.kind, path: v.path as string | undefined, location: v.location as string | undefined };
  for (const key of ['times', 'delayMs', 'sizeBytes', 'status', ...extraNumbers]) fault[key] = num(key);
  return fault as F;
}

/**
 * The active faults. The newest that matches a request applies to it and uses up one of its
 * `times`, so setting a fault overrides an older one on the same path without clearing first.
 */
export class FaultStore<F extends { kind: string; path?: string; times?: number } = Fault> {
  private faults: Array<F & { remaining: number }> = [];

  add(fault: F): void {
    this.faults.push({ ...fault, remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /** `hasCredentials`: only requests that carry a session token (EM) or bearer token (VSPC) can be "expired" or "unauthorized". */
  take(pathAndQuery: string, hasCredentials: boolean): F | undefined {
    const found = [...this.faults]
      .reverse()
      .find((f) => f.remaining > 0 && pathAndQuery.startsWith(f.path ?? '/') && ((f.kind !== 'expire' && f.kind !== 'unauthorized') || hasCredentials));
    if (!found) return undefined;
    found.remaining--;
    if (found.remaining <= 0) this.faults = this.faults.filter((f) => f !== found);
    return found;
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** What an intercepting proxy sends when it cannot reach the server. */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  return (
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n` +
    '<p>The proxy server could not get a valid response from the upstream server.</p>\n' +
    '<hr><address>corp-proxy.lab.local</address>\n</body></html>\n'
  );
}

export function simulatedFailureMessage(status: number): string {
  switch (status) {
    case 503:
      return 'The Enterprise Manager service is temporarily unavailable. Try again later.';
    case 501:
      return 'The requested operation is not implemented by this server.';
    case 500:
      return 'An unexpected error occurred on the server.';
    default:
      return `The server answered ${status} ${STATUS_TEXT[status] ?? ''}`.trim() + '.';
  }
}

/**
 * Streams a valid `EntityReferences` document of exactly `sizeBytes` bytes (when that is larger
 * than the empty document), honouring back-pressure, so no large string is ever held at once.
 */
export async function streamHugeXml(res: ServerResponse, sizeBytes: number, apiBase: string): Promise<void> {
  const head = `${XML_PROLOG}<EntityReferences xmlns="${EM_NAMESPACE}">`;
  const tail = '</EntityReferences>';
  const total = Math.max(sizeBytes, Buffer.byteLength(head) + tail.length);
  res.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': String(total) });
  const write = (chunk: string) => writeWithBackpressure(res, chunk);
  let written = Buffer.byteLength(head);
  const room = () => total - written - tail.length;
  try {
    await write(head);
    let n = 0;
    let chunk = '';
    for (;;) {
      const id = stableGuid('bulkJob', n);
      const ref =
        `<Ref Type="JobReference" Href="${escapeXmlAttribute(`${apiBase}jobs/${id}`)}" Name="Bulk job ${n + 1}" UID="urn:veeam:Job:${id}">` +
        `<Links><Link Rel="Alternate" Type="Job" Href="${escapeXmlAttribute(`${apiBase}jobs/${id}?format=Entity`)}"/></Links></Ref>`;
      const size = Buffer.byteLength(ref);
      if (size > room()) break;
      chunk += ref;
      written += size;
      n++;
      if (chunk.length >= 65536) {
        await write(chunk);
        chunk = '';
      }
    }
    // Whitespace between elements keeps the document valid and the length exact.
    chunk += ' '.repeat(room());
    written = total - tail.length;
    await write(chunk + tail);
    res.end();
  } catch {
    res.destroy();
  }
}
