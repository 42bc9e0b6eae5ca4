// Every kind's parser, as plain data that may cross to the parser thread: the one place besides the registry that
// knows every kind (the worker bundle must not carry the sessions and the transport).
import type { Parsers } from '../parse/parse';
import { parseJsonApiBody } from '../openapi/json-body';
import { ApiNavigation, type ApiCollection, type NavigationStyle } from '../openapi/navigation';
import { readOpenApiDocument, type OpenApiReading } from '../openapi/reader';
import type { Resource } from '../resource';
import { say, type Wording } from '../messages';
import { bodyText } from '../transport/body';
import type { RawResponse } from '../types';
import { parseEmBody } from './em/parser';
import { DEFAULT_VBR_REVISION } from './vbr/revisions';
import { VBR_COLLECTIONS, VBR_STYLE } from './vbr/navigation-map';
import { VSPC_API_REVISION, VSPC_COLLECTIONS, VSPC_STYLE } from './vspc/navigation-map';

type RawInput = Pick<RawResponse, 'body' | 'url' | 'status' | 'contentType'>;

/** The kinds whose APIs an OpenAPI document describes: their bodies are JSON, placed by the navigation map. */
type MappedKind = 'vspc' | 'vbr';

/** What a parser needs, as plain data (it may cross to a worker thread). */
export type ParseJob =
  | { kind: 'em'; raw: RawInput }
  | { kind: MappedKind; raw: RawInput; baseUrl: string; collections: readonly ApiCollection[]; revision: string };

const MAPPED: Record<MappedKind, { style: NavigationStyle; product: Wording; shipped: readonly ApiCollection[]; revision: string }> = {
  vspc: { style: VSPC_STYLE, product: say('vspc.product'), shipped: VSPC_COLLECTIONS, revision: VSPC_API_REVISION },
  vbr: { style: VBR_STYLE, product: say('vbr.product'), shipped: VBR_COLLECTIONS, revision: DEFAULT_VBR_REVISION },
};

/** Decodes and parses a body on the calling thread. */
export function parseBodyHere(job: ParseJob): Resource {
  // Across threads a Buffer arrives as a plain Uint8Array: view the same bytes, don't copy them.
  const body = job.raw.body as Uint8Array;
  const raw = { ...job.raw, body: Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength) } as RawResponse;
  const text = bodyText(raw);
  if (job.kind === 'em') return parseEmBody(text, raw.contentType, raw.url);
  return parseJsonApiBody(text, raw.url, job.baseUrl, navigationFor(job.kind, job.collections, job.revision), MAPPED[job.kind].product);
}

const lastNavigation = new Map<MappedKind, ApiNavigation>();

/** The worker keeps the navigation it was last given per kind (it is the same for every body of a session). */
function navigationFor(kind: MappedKind, collections: readonly ApiCollection[], revision: string): ApiNavigation {
  const last = lastNavigation.get(kind);
  if (last && last.revision === revision && last.collections.length === collections.length) return last;
  const navigation = new ApiNavigation(collections, revision, MAPPED[kind].style);
  lastNavigation.set(kind, navigation);
  return navigation;
}

/** What reading a server's OpenAPI document needs: the document, the collections already known, and whose it is. */
export interface OpenApiInput {
  body: Uint8Array;
  known: readonly ApiCollection[];
  kind: MappedKind;
}

/** Every kind's parsers: what the body parser runs here and, bundled as dist/parse-worker.js, on its worker thread. */
export const KIND_PARSERS: Parsers<ParseJob, OpenApiInput, OpenApiReading> = {
  parse: parseBodyHere,
  readOpenApi: ({ body, known, kind }) => readOpenApiDocument(body, known, MAPPED[kind].style),
};

/**
 * Parses a decoded body of `url` on this thread, as the kind's session would with the map shipped with the extension
 * (no transport, no worker): for measuring the parsers alone (bench/). `baseUrl` is where the map's paths start.
 */
export function parseBodyText(kind: ParseJob['kind'], text: string, where: { url: string; baseUrl: string; contentType?: string }): Resource {
  if (kind === 'em') return parseEmBody(text, where.contentType, where.url);
  const { shipped, revision, product } = MAPPED[kind];
  return parseJsonApiBody(text, where.url, where.baseUrl, navigationFor(kind, shipped, revision), product);
}
