// Following the work an action started (EM task, VSPC async action, VBR session) to its end: read it again and again,
// waiting longer each time (1 s to 10 s), through 429s, passing failures of the network and a session expiry (the
// session's GET renews it); until it ends, the caller aborts, or a day has passed.
import { ApiError, CancelledError, HttpStatusError, NetworkError, ProtocolError, TimeoutError } from '../errors';
import { say } from '../messages';
import type { Fetched, FollowOptions, RawResponse, TaskOutcome, TaskProgress, TrackedTask } from '../types';
import { header } from '../transport/body';
import { delay } from './retry';
import type { KindActions } from './strategy';

/** What following needs of the session. */
export interface FollowContext {
  readonly origin: string;
  readonly actions: KindActions;
  get(url: string, signal?: AbortSignal): Promise<Fetched>;
  isOwnOrigin(url: string): boolean;
  errorMessage(body: string): string | undefined;
  log(line: string): void;
}

const FIRST_WAIT_MS = 1000;
const LONGEST_WAIT_MS = 10_000;
/** Readings that fail in a row (network, timeout, 5xx) before following gives up. */
const FAILURES_IN_A_ROW = 5;
/** No task is followed longer than this: a server that never ends one must not hold us forever. */
const LONGEST_FOLLOW_MS = 24 * 3600_000;
/** The longest a 429 is waited out while following. */
const LONGEST_THROTTLE_S = 60;

/** Reads the task until it ends; see ApiSession.follow. */
export async function followTask(ctx: FollowContext, task: TrackedTask, options: FollowOptions = {}): Promise<TaskOutcome> {
  const { signal, onProgress } = options;
  if (!ctx.isOwnOrigin(task.url)) throw new ProtocolError(say('action.task-foreign', { url: task.url, origin: ctx.origin }), undefined, task.url);
  const longest = Math.max(1, options.maxDelayMs ?? LONGEST_WAIT_MS);
  let wait = Math.min(longest, Math.max(1, options.minDelayMs ?? FIRST_WAIT_MS));
  const started = Date.now();
  let failures = 0;
  let shown: string | undefined;
  for (;;) {
    if (signal?.aborted) throw new CancelledError(task.url);
    let progress: TaskProgress | undefined;
    let pause = wait;
    try {
      const fetched = await ctx.get(task.url, signal);
      progress = ctx.actions.readTask(task, fetched.raw, fetched.resource);
      failures = 0;
    } catch (err) {
      const throttled = err instanceof HttpStatusError && err.status === 429;
      if (throttled) pause = Math.max(wait, 1000 * Math.min(LONGEST_THROTTLE_S, retryAfterSeconds(err.raw) ?? wait / 1000));
      else if (transient(err) && ++failures < FAILURES_IN_A_ROW) ctx.log(`Reading ${task.url} failed (${(err as ApiError).message}); trying again.`);
      else if (transient(err)) throw new ProtocolError(say('action.task-unreadable', { url: task.url, count: failures }), (err as ApiError).hintWording, task.url, { cause: err });
      else throw err;
    }
    if (progress) {
      const seen = `${progress.state}|${progress.status}|${progress.percent ?? ''}|${progress.message ?? ''}`;
      if (seen !== shown) {
        shown = seen;
        onProgress?.(progress);
      }
      if (progress.state !== 'running') return ended(ctx, task, progress, signal);
    }
    if (Date.now() - started > LONGEST_FOLLOW_MS) throw new TimeoutError(say('action.follow-too-long', { url: task.url, hours: LONGEST_FOLLOW_MS / 3600_000 }), undefined, task.url);
    await delay(pause, signal, task.url);
    wait = Math.min(longest, wait * 2);
  }
}

/** The outcome, with the work's own result when the kind keeps it apart (VSPC), and its message when the task had none. */
async function ended(ctx: FollowContext, task: TrackedTask, progress: TaskProgress, signal: AbortSignal | undefined): Promise<TaskOutcome> {
  const outcome: TaskOutcome = { ...progress, state: progress.state as TaskOutcome['state'] };
  const resultUrl = ctx.actions.resultUrl?.(task);
  if (!resultUrl) return outcome;
  try {
    outcome.result = (await ctx.get(resultUrl, signal)).raw;
  } catch (err) {
    if (err instanceof CancelledError) throw err;
    // A failed action's result may be an error answer: it is the result all the same.
    if (err instanceof ApiError && err.raw) outcome.result = err.raw;
    else ctx.log(`Reading ${resultUrl} failed: ${(err as Error).message}`);
  }
  if (outcome.message === undefined && outcome.result && outcome.state !== 'succeeded') {
    outcome.message = ctx.errorMessage(outcome.result.body.toString('utf8'));
  }
  return outcome;
}

function transient(err: unknown): boolean {
  return err instanceof NetworkError || err instanceof TimeoutError || (err instanceof HttpStatusError && err.status >= 500);
}

/** `Retry-After` in seconds, when it says. */
export function retryAfterSeconds(raw: RawResponse | undefined): number | undefined {
  const value = raw && header(raw, 'retry-after');
  const seconds = value === undefined ? NaN : Number(value.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** A percent as a number from 0 to 100, or undefined when the server's value is none. */
export function percentOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() ? Number(value) : NaN;
  return Number.isFinite(n) ? Math.min(100, Math.max(0, n)) : undefined;
}
