// Waiting, and trying again while a server restarts.
import { ApiError, CancelledError, HttpStatusError, NetworkError } from '../errors';

/** Waits, or ends at once with a CancelledError when the signal aborts. */
export function delay(ms: number, signal: AbortSignal | undefined, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError(url));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError(url));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Attempts and the wait before each retry, for a new logon after the server dropped the session. */
const RESTART_ATTEMPTS = 3;
const RESTART_BACKOFF_MS = [500, 1500];

/**
 * A new logon after the server dropped the session meets a server that may be restarting: a refused or reset
 * connection, or 502/503/504, is tried again twice, 0.5 s then 1.5 s later. Anything else fails at once.
 */
export async function retryWhileRestarting<T>(attempt: () => Promise<T>, signal: AbortSignal | undefined, log?: (line: string) => void): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      const transient = err instanceof NetworkError || (err instanceof HttpStatusError && err.status >= 502 && err.status <= 504);
      if (!transient || n >= RESTART_ATTEMPTS) throw err;
      const wait = RESTART_BACKOFF_MS[n - 1];
      log?.(`Logging on again failed (${(err as ApiError).message}); attempt ${n + 1} of ${RESTART_ATTEMPTS} in ${wait / 1000} s.`);
      await delay(wait, signal, err.url ?? '');
    }
  }
}

