import { CancelledError } from '../errors';

interface Entry<T> {
  promise: Promise<T>;
  /** Absent when the request was started by a caller that cannot cancel: then it is never aborted. */
  controller?: AbortController;
  waiters: number;
}

/**
 * Requests for the same key made while one is running share it. Each caller can cancel its own wait;
 * the request itself is aborted only when every caller has cancelled.
 */
export class InFlight<T> {
  private readonly running = new Map<string, Entry<T>>();

  run(key: string, signal: AbortSignal | undefined, start: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    if (signal?.aborted) return Promise.reject(new CancelledError(key));
    let entry = this.running.get(key);
    if (!entry) {
      // A caller without a signal never cancels, so the request it starts is never aborted: it needs no controller.
      const controller = signal ? new AbortController() : undefined;
      const promise = start(controller?.signal);
      // Registered before any waiter's: the entry is gone by the time a waiter goes on. Its own promise never rejects,
      // and it handles the request's rejection, which reaches every waiter through `wait`.
      const settled = () => {
        if (this.running.get(key) === created) this.running.delete(key);
      };
      promise.then(settled, settled);
      const created: Entry<T> = { promise, controller, waiters: 0 };
      entry = created;
      this.running.set(key, created);
    }
    return this.wait(key, entry, signal);
  }

  /** How many distinct requests are running (for tests and benchmarks). */
  get size(): number {
    return this.running.size;
  }

  private wait(key: string, entry: Entry<T>, signal: AbortSignal | undefined): Promise<T> {
    entry.waiters++;
    if (!signal) return entry.promise;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        entry.waiters--;
        if (entry.waiters === 0) {
          entry.controller?.abort();
          // A later caller must not join a request that is being aborted.
          if (this.running.get(key) === entry) this.running.delete(key);
        }
        reject(new CancelledError(key));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err);
        },
      );
    });
  }
}
