import type { Parsers } from '../parse/parse';
import { parseEmBody } from './em/parser';
import type { Resource } from '../resource';
import { bodyText } from '../transport/body';
import type { RawResponse } from '../types';
import { VspcNavigation } from './vspc/navigation';
import type { VspcCollection } from './vspc/navigation-map';
import { readOpenApiDocument, type OpenApiReading } from './vspc/openapi';
import { parseVspcBody } from './vspc/parser';

/** What a parser needs, as plain data (it may cross to a worker thread). */
export type ParseJob =
  | { kind: 'em'; raw: Pick<RawResponse, 'body' | 'url' | 'status' | 'contentType'> }
  | { kind: 'vspc'; raw: Pick<RawResponse, 'body' | 'url' | 'status' | 'contentType'>; baseUrl: string; collections: readonly VspcCollection[]; revision: string };

/** Decodes and parses a body on the calling thread. */
export function parseBodyHere(job: ParseJob): Resource {
  // Across threads a Buffer arrives as a plain Uint8Array: view the same bytes, don't copy them.
  const body = job.raw.body as Uint8Array;
  const raw = { ...job.raw, body: Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength) } as RawResponse;
  const text = bodyText(raw);
  if (job.kind === 'em') return parseEmBody(text, raw.contentType, raw.url);
  return parseVspcBody(text, raw.url, job.baseUrl, navigationFor(job.collections, job.revision));
}

let lastNavigation: VspcNavigation | undefined;

/** The worker keeps the navigation it was last given (it is the same for every body of a session). */
function navigationFor(collections: readonly VspcCollection[], revision: string): VspcNavigation {
  if (!lastNavigation || lastNavigation.revision !== revision || lastNavigation.collections.length !== collections.length) {
    lastNavigation = new VspcNavigation(collections, revision);
  }
  return lastNavigation;
}

/** What reading a server's OpenAPI document needs (VSPC's, for now): the document and the collections already known. */
export interface OpenApiInput {
  body: Uint8Array;
  known: readonly VspcCollection[];
}

/** Every kind's parsers: what the body parser runs here and, bundled as dist/parse-worker.js, on its worker thread. */
export const KIND_PARSERS: Parsers<ParseJob, OpenApiInput, OpenApiReading> = {
  parse: parseBodyHere,
  readOpenApi: ({ body, known }) => readOpenApiDocument(body, known),
};
