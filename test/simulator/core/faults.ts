// The fault switch every simulator shares: the kinds the core answers by itself, validation of a fault that arrives
// over the control endpoint, the store that hands the newest matching fault to a request, and a proxy's error page.

/**
 * The kinds every simulator knows. The core answers most of them alike; `status`, `expire` and `unauthorized` are
 * worded by each API (its error body, its token rules), and `huge` is streamed in the API's own list shape.
 */
export type CoreFaultKind =
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
  | 'action-fails';

/**
 * `action-fails` changes no answer: the action a POST (or PUT, PATCH, DELETE) starts is accepted as usual and its
 * task, async action or session ends in failure. It applies only to requests other than GET and HEAD.
 */
export const CORE_FAULT_KINDS: readonly CoreFaultKind[] = ['slow', 'html', 'truncated', 'huge', 'reset', 'hang', 'stall-headers', 'status', 'expire', 'empty', 'wrong-type', 'bad-utf8', 'redirect', 'html-body', 'unauthorized', 'action-fails'];

/** What the core reads of any fault; an API adds its own kinds and numbers. */
export interface SimulatorFault {
  kind: string;
  /** Prefix of path+query to match; default: every path except /__simulator. */
  path?: string;
  /** How many requests it applies to; default unlimited. */
  times?: number;
  delayMs?: number;
  sizeBytes?: number;
  status?: number;
  /** For `redirect`: where to (default the same path on https://elsewhere.invalid); `status` default 302. */
  location?: string;
  /** For `action-fails`: the failure message the task, async action or session reports (each API has a default). */
  message?: string;
}

/** Validates a fault that arrived as JSON over the control endpoint: one of `kinds`, numbers non-negative. */
export function parseFault<F extends SimulatorFault>(value: unknown, kinds: readonly string[], extraNumbers: readonly string[] = []): F {
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
  if (v.message !== undefined && typeof v.message !== 'string') throw new Error('message must be a string');
  const fault: Record<string, unknown> = { kind: v.kind, path: v.path as string | undefined, location: v.location as string | undefined, message: v.message as string | undefined };
  for (const key of ['times', 'delayMs', 'sizeBytes', 'status', ...extraNumbers]) fault[key] = num(key);
  return fault as F;
}

/**
 * The active faults. The newest that matches a request applies to it and uses up one of its
 * `times`, so setting a fault overrides an older one on the same path without clearing first.
 */
export class FaultStore<F extends SimulatorFault> {
  private faults: Array<F & { remaining: number }> = [];

  add(fault: F): void {
    this.faults.push({ ...fault, remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.faults = [];
  }

  /**
   * `hasCredentials`: only requests that carry a session token (EM) or bearer token (VSPC) can be "expired" or
   * "unauthorized"; `method`: only requests that may start something (not GET or HEAD) meet `action-fails`.
   */
  take(pathAndQuery: string, hasCredentials: boolean, method = 'GET'): F | undefined {
    const changes = method !== 'GET' && method !== 'HEAD';
    const found = [...this.faults]
      .reverse()
      .find(
        (f) =>
          f.remaining > 0 &&
          pathAndQuery.startsWith(f.path ?? '/') &&
          ((f.kind !== 'expire' && f.kind !== 'unauthorized') || hasCredentials) &&
          (f.kind !== 'action-fails' || changes),
      );
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

/** The reason phrase of a status the simulators use, or undefined. */
export function statusText(status: number): string | undefined {
  return STATUS_TEXT[status];
}

/** What an intercepting proxy sends when it cannot reach the server. */
export function proxyErrorPage(status: number): string {
  const title = `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
  return (
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n` +
    '<p>The proxy server could not get a valid response from the upstream server.</p>\n' +
    '<hr><address>corp-proxy.lab.local</address>\n</body></html>\n'
  );
}
