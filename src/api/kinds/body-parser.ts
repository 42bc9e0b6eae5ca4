// The body parser the sessions share, with every kind's parsers (kinds/parse-job.ts) here and on its worker thread.
import { join } from 'node:path';
import { BodyParser } from '../parse/parse';
import { KIND_PARSERS, type OpenApiInput, type ParseJob } from './parse-job';
import type { ListPlan } from './list-plan';
import type { OpenApiReading } from '../openapi/reader';

/** A body parser whose worker is the parse-worker file beside this code (dist/ in the bundles). */
export function newBodyParser(workerFile = join(__dirname, 'parse-worker.js')): BodyParser<ParseJob, OpenApiInput, OpenApiReading, ListPlan> {
  return new BodyParser(KIND_PARSERS, workerFile);
}

/** One parser per process: every session shares its worker. */
export const bodyParser = newBodyParser();
