// The parsers on a worker thread: bodies of a megabyte or more are parsed here so the extension host's thread stays
// responsive. Bundled as dist/parse-worker.js; started by parse.ts.
import { parentPort } from 'node:worker_threads';
import { ApiError } from './errors';
import { parseBodyHere, type ParseJob } from './parse-job';

parentPort?.on('message', (message: { id: number; job: ParseJob }) => {
  try {
    parentPort!.postMessage({ id: message.id, resource: parseBodyHere(message.job) });
  } catch (err) {
    const e = err as Error;
    const api = err instanceof ApiError ? { kind: err.kind, hint: err.hint, url: err.url } : undefined;
    parentPort!.postMessage({ id: message.id, error: { name: e?.name, message: e?.message ?? String(err), ...api } });
  }
});
