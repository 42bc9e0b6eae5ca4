// The parsers on a worker thread: bodies of a megabyte or more are parsed here so the extension host's thread stays
// responsive (but for mid-size EM XML lists, which the calling thread plans in steps, see Parsers.planHere). Bundled
// as dist/parse-worker.js; started by parse/parse.ts for the parsers of parse-job.ts.
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../errors';
import { KIND_PARSERS, parseBodyHere, type OpenApiInput, type ParseJob } from './parse-job';
import type { Resource } from '../resource';

/** Children per message: each message is read on the extension host's thread in one go, so none may be large. */
const BATCH = 1000;

/** Parsed resources whose children are still being handed over, by request id. */
const handing = new Map<number, { head: Resource; children: Resource[]; next: number }>();

type Message =
  | { id: number; job: ParseJob; /** Read whole: the calling thread found no plan already. */ whole?: true }
  | { id: number; openApi: OpenApiInput }
  | { id: number; pull: true }
  | { id: number; drop: true };

parentPort?.on('message', (message: Message) => {
  if ('job' in message) return parse(message.id, message.job, message.whole);
  if ('openApi' in message) return readOpenApi(message.id, message.openApi);
  if ('drop' in message) return void handing.delete(message.id);
  sendNext(message.id);
});

function parse(id: number, job: ParseJob, whole = false): void {
  try {
    // A list of items: where they are, handed over in one message (its spans transferred, not copied). Anything the
    // plan did not expect leaves the body to the whole parser, which says what is wrong with it.
    let plan: ReturnType<NonNullable<typeof KIND_PARSERS.plan>>;
    try {
      plan = whole ? undefined : KIND_PARSERS.plan?.(job);
    } catch {
      plan = undefined;
    }
    if (plan) return parentPort!.postMessage({ id, plan }, [plan.spans.buffer as ArrayBuffer]);
    // Not planned: read whole (KIND_PARSERS.parse would look for a plan again).
    const { children, ...head } = parseBodyHere(job);
    handing.set(id, { head: { ...head, children: [] }, children, next: 0 });
    sendNext(id);
  } catch (err) {
    sendError(id, err);
  }
}

/** A server's OpenAPI document: its collections come back in one message (a few thousand small objects at most). */
function readOpenApi(id: number, input: OpenApiInput): void {
  try {
    parentPort!.postMessage({ id, reading: KIND_PARSERS.readOpenApi(input) });
  } catch (err) {
    sendError(id, err);
  }
}

function sendError(id: number, err: unknown): void {
  const e = err as Error;
  const api = err instanceof ApiError ? { kind: err.kind, wording: err.wording, hintWording: err.hintWording, url: err.url } : undefined;
  parentPort!.postMessage({ id, error: { name: e?.name, message: e?.message ?? String(err), ...api } });
}

/**
 * One batch of children per pull: Node reads every queued message in one go, so sending them all at once would
 * make the extension host read the whole list in one long task; pulled one by one, each is a short task of its own.
 */
function sendNext(id: number): void {
  const state = handing.get(id);
  if (!state) return;
  if (state.next < state.children.length) {
    parentPort!.postMessage({ id, children: state.children.slice(state.next, state.next + BATCH) });
    state.next += BATCH;
    return;
  }
  handing.delete(id);
  parentPort!.postMessage({ id, resource: state.head });
}
