import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ApiError, CancelledError, ProtocolError, type ErrorKind } from '../errors';
import { say, type Wording } from '../messages';
import type { Resource } from '../resource';
import type { RawResponse } from '../types';
import { SHARED_BODY_BYTES } from '../transport/body';
import { Slices } from './slices';

/** Bodies from this size on are parsed on a worker thread: the size from which the transport shares them with it. */
export const OFF_THREAD_BYTES = SHARED_BODY_BYTES;

interface Pending {
  /** The body being parsed (a plan's Resource reads its items from it). */
  job?: unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  /** Children arrive in batches before the rest of the resource. */
  children: Resource[];
}

interface Answer {
  id: number;
  /** A batch of the resource's children; the resource itself comes last. */
  children?: Resource[];
  resource?: Resource;
  /** What an OpenAPI document gave (readOpenApi). */
  reading?: unknown;
  /** A large list body's plan (Parsers.plan). */
  plan?: { spans: Uint32Array };
  /** What failed: an ApiError as data (its kind, wordings and URL), or another error's message. */
  error?: { name?: string; message: string; kind?: ErrorKind; wording?: Wording; hintWording?: Wording; url?: string };
}

/** A body to parse, as plain data (it may cross to the worker thread); what else it holds is the parser's business. */
export interface BodyJob {
  raw: Pick<RawResponse, 'body' | 'url'>;
}

/** What the parsers are, here and (the same code, bundled apart) on the worker thread: the kinds give them. */
export interface Parsers<Job extends BodyJob, OpenApiInput extends { body: Uint8Array }, Reading, Plan extends { spans: Uint32Array } = { spans: Uint32Array }> {
  parse(job: Job): Resource;
  readOpenApi(input: OpenApiInput): Reading;
  /**
   * On the worker thread, for a large body: where its items are and what else it says, as plain data (see
   * kinds/list-plan.ts), or undefined to parse it whole. Its spans are handed over, not copied.
   */
  plan?(job: Job): Plan | undefined;
  /** Where the body is: the Resource of a plan, its children read from the body when first shown. */
  revive?(job: Job, plan: Plan): Resource;
  /**
   * For a large body whose plan is cheap enough to make on this thread (so the parser thread, and its memory, is not
   * needed for it): the steps that make its Resource, each short (a fraction of a millisecond), the last returning it,
   * or undefined when the body is no such list (the parser thread then reads it whole). Undefined for any other body.
   */
  planHere?(job: Job): Generator<void, Resource | undefined, void> | undefined;
}

/**
 * Parses a body into a Resource: small ones at once, large ones on one shared worker thread (started on first
 * use, never keeping the process alive), so a 50 MB response does not freeze the extension host. It knows no API:
 * the parsers are given, and the worker file runs the same ones.
 */
export class BodyParser<Job extends BodyJob = BodyJob, OpenApiInput extends { body: Uint8Array } = { body: Uint8Array }, Reading = unknown, Plan extends { spans: Uint32Array } = { spans: Uint32Array }> {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Whether the worker's file is there (a build without it parses everything here); looked up once. */
  private workerBuilt?: boolean;

  constructor(
    private readonly parsers: Parsers<Job, OpenApiInput, Reading, Plan>,
    private readonly workerFile: string,
  ) {}

  parse(job: Job, signal?: AbortSignal): Promise<Resource> {
    if (!this.offThread(job.raw.body.length)) {
      try {
        return Promise.resolve(this.parsers.parse(job));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    const here = this.parsers.planHere?.(job);
    if (here) return this.inSlices(here, job, signal);
    return this.post<Resource>({ job }, job.raw.url, signal, job);
  }

  /**
   * A large body read here, a few milliseconds at a time (other work runs between): what the parsers' planHere steps
   * make, or, when they find no plan, the parser thread's whole reading (which says what is wrong with the body).
   */
  private async inSlices(steps: Generator<void, Resource | undefined, void>, job: Job, signal?: AbortSignal): Promise<Resource> {
    const url = job.raw.url;
    const slices = new Slices();
    for (;;) {
      if (signal?.aborted) {
        steps.return(undefined);
        throw new CancelledError(url);
      }
      let step: IteratorResult<void, Resource | undefined>;
      try {
        step = steps.next();
      } catch {
        // Anything the plan did not expect: the whole reading, as on the parser thread.
        break;
      }
      if (step.done) {
        if (step.value) return step.value;
        break;
      }
      if (slices.due()) await slices.next();
    }
    return this.post<Resource>({ job, whole: true }, url, signal, job);
  }

  /**
   * A server's OpenAPI document as a navigation map (see readOpenApiDocument), read on the worker thread when it is
   * large: a document of several megabytes takes longer to parse than the extension host's thread may be held.
   */
  readOpenApi(input: OpenApiInput, url: string, signal?: AbortSignal): Promise<Reading> {
    if (!this.offThread(input.body.length)) {
      try {
        return Promise.resolve(this.parsers.readOpenApi(input));
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.post<Reading>({ openApi: input }, url, signal);
  }

  private offThread(bytes: number): boolean {
    this.workerBuilt ??= existsSync(this.workerFile);
    return bytes >= OFF_THREAD_BYTES && this.workerBuilt;
  }

  /** Sends one piece of work to the worker; its answer (or error) settles the promise. */
  private post<T>(work: object, url: string, signal?: AbortSignal, job?: Job): Promise<T> {
    if (signal?.aborted) return Promise.reject(new CancelledError(url));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // The worker finishes this work anyway; what it has made is dropped.
        this.pending.delete(id);
        this.worker?.postMessage({ id, drop: true });
        reject(new CancelledError(url));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        job,
        children: [],
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as T);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      });
      const worker = this.ensureWorker();
      // Referenced while it works, so a command-line process waits for it; unreferenced when idle.
      worker.ref();
      worker.postMessage({ id, ...work });
    });
  }

  /** Stops the worker (the next large body starts another). */
  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    // A small young generation: the parser thread's garbage (a scan's matches, a block's parse) is short-lived, and a
    // large nursery would only raise the process's peak memory while it holds a 50 MB body.
    const worker = new Worker(this.workerFile, { resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    worker.unref();
    worker.on('message', (answer: Answer) => {
      const waiting = this.pending.get(answer.id);
      if (waiting && answer.children) {
        for (const child of answer.children) waiting.children.push(child);
        // The next batch only once this one is read and other work had its turn.
        setImmediate(() => worker.postMessage({ id: answer.id, pull: true }));
        return;
      }
      this.pending.delete(answer.id);
      if (!waiting) return;
      if (answer.plan && waiting.job && this.parsers.revive) {
        try {
          waiting.resolve(this.parsers.revive(waiting.job as Job, answer.plan as Plan));
        } catch (err) {
          waiting.reject(err);
        }
      } else if (answer.resource) waiting.resolve({ ...answer.resource, children: waiting.children });
      else if (answer.reading) waiting.resolve(answer.reading);
      else waiting.reject(rebuildError(answer.error));
      if (this.pending.size === 0) worker.unref();
    });
    worker.on('error', (err) => this.failAll(worker, say('parse.failed', { reason: err.message })));
    worker.on('exit', (code) => this.failAll(worker, say('parse.thread-stopped', { code })));
    this.worker = worker;
    return worker;
  }

  private failAll(worker: Worker, why: Wording): void {
    if (this.worker === worker) this.worker = undefined;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(new ProtocolError(why));
    }
  }
}

/** The worker's error as the ApiError it was (kind, wordings and URL kept). */
function rebuildError(error: Answer['error']): Error {
  if (!error) return new ProtocolError(say('parse.no-answer'));
  const message = error.wording ?? say('text', { text: error.message });
  if (error.kind === 'protocol') return new ProtocolError(message, error.hintWording, error.url);
  if (error.kind) return new ApiError(error.kind, message, error.hintWording, error.url);
  return new ProtocolError(say('parse.failed', { reason: error.message }));
}
