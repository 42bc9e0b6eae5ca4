// The parsers on a worker thread: bodies of a megabyte or more are parsed here so the extension host's thread stays
// responsive. Bundled as dist/parse-worker.js; started by parse.ts.
import { parentPort } from 'node:worker_threads';
import { ApiError } from './errors';
import { parseBodyHere, type ParseJob } from './parse-job';

/** Children per message: each message is read on the extension host's thread in one go, so none may be large. */
const BATCH = 2000;

parentPort?.on('message', (message: { id: number; job: ParseJob }) => {
  try {
    const { children, ...head } = parseBodyHere(message.job);
    for (let i = 0; i < children.length; i += BATCH) parentPort!.postMessage({ id: message.id, children: children.slice(i, i + BATCH) });
    parentPort!.postMessage({ id: message.id, resource: { ...head, children: [] } });
  } catch (err) {
    const e = err as Error;
    const api = err instanceof ApiError ? { kind: err.kind, hint: err.hint, url: err.url } : undefined;
    parentPort!.postMessage({ id: message.id, error: { name: e?.name, message: e?.message ?? String(err), ...api } });
  }
});
