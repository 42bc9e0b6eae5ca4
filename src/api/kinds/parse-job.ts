// Every kind's parser, as plain data that may cross to the parser thread: the one place besides the registry that
// knows every kind (the worker bundle must not carry the sessions and the transport).
import type { Parsers } from '../parse/parse';
import { parseJsonApiBody } from '../openapi/json-body';
import { ApiNavigation, type ApiCollection, type NavigationStyle } from '../openapi/navigation';
import { readOpenApiDocument, type OpenApiReading } from '../openapi/reader';
import type { Resource } from '../resource';
import { say, type Wording } from '../messages';
import { asBuffer, bodyText, declaredCharset, isUtf8Name, SHARED_BODY_BYTES } from '../transport/body';
import { listResource, planList, planListSteps, representationOf, type ListPlan, type TextParser } from './list-plan';
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

/** The job's body as a Buffer (see asBuffer). */
const bodyOf = (job: ParseJob): Buffer => asBuffer(job.raw.body);

/** Decodes and parses a body on the calling thread. */
export function parseBodyHere(job: ParseJob): Resource {
  const raw = { ...job.raw, body: bodyOf(job) } as RawResponse;
  return textParser(job)(bodyText(raw));
}

/** How the job's kind reads a text of its body (see TextParser). */
function textParser(job: ParseJob): TextParser {
  const { url, contentType } = job.raw;
  if (job.kind === 'em') return (text) => parseEmBody(text, contentType, url);
  const navigation = navigationFor(job.kind, job.collections, job.revision);
  const { product } = MAPPED[job.kind];
  return (text, items) => parseJsonApiBody(text, url, job.baseUrl, navigation, product, { items });
}

/**
 * A large list body as a plan (see kinds/list-plan.ts), on the parser thread: undefined when the body is no such
 * list, or not UTF-8 (the whole parser reads it then).
 */
function planBody(job: ParseJob): ListPlan | undefined {
  if (!utf8Declared(job)) return undefined;
  const body = bodyOf(job);
  return planList(body, representationOf(job.kind, job.raw.contentType, body), textParser(job));
}

/** Whether the body is UTF-8 by its content type (no charset says so too): the only text a plan reads. */
function utf8Declared(job: ParseJob): boolean {
  const charset = declaredCharset(job.raw.contentType);
  return !charset || isUtf8Name(charset);
}

/**
 * Up to this size an EM XML list body is planned on the calling thread, in steps, rather than on the parser thread.
 * Starting the parser thread costs about 12 MB (its own V8 heap), about twice a 6 MB body, while the pass here costs
 * about 20 ms of the calling thread per megabyte, read 8 ms at a time with other work between. At 16 MB the thread's
 * memory is under 0.8× the body and the pass here about a third of a second of the extension host's time: larger
 * bodies go to the parser thread, which reads them without taking any of it.
 */
export const PLAN_HERE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The steps of a mid-size EM XML list's Resource, made here (see Parsers.planHere), or undefined when the body is no
 * such candidate (JSON, larger, or not UTF-8). The steps return undefined when the body is no list they read.
 */
function planHere(job: ParseJob): Generator<void, Resource | undefined, void> | undefined {
  const body = bodyOf(job);
  if (job.kind !== 'em' || body.length >= PLAN_HERE_MAX_BYTES || !utf8Declared(job)) return undefined;
  if (representationOf('em', job.raw.contentType, body) !== 'xml') return undefined;
  return planHereSteps(job, body);
}

function* planHereSteps(job: ParseJob, body: Buffer): Generator<void, Resource | undefined, void> {
  const plan = yield* planListSteps(body, 'xml', textParser(job));
  return plan && planResource(job, plan);
}

/** The Resource of a plan, where the job's body is: its children read from their bytes when first shown. */
function planResource(job: ParseJob, plan: ListPlan): Resource {
  const body = bodyOf(job);
  return listResource(plan, (start, end) => body.toString('utf8', start, end), body.length, textParser(job));
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
/**
 * From this size a list body is read as a plan on the calling thread too (below the parser thread's megabyte): finding
 * its items costs less than parsing them all, and the tree shows 500 of them at most at a time.
 */
export const PLAN_BYTES = 64 * 1024;

/**
 * A body on the calling thread: a list of PLAN_BYTES or more as a plan, anything else whole. EM's JSON lists from a
 * megabyte only: their pass (every member of every item read for its `Href`) costs more than JSON.parse below that.
 */
function parseOnThisThread(job: ParseJob): Resource {
  const body = job.raw.body;
  const min = job.kind === 'em' && representationOf('em', job.raw.contentType, body) === 'em-json' ? SHARED_BODY_BYTES : PLAN_BYTES;
  if (body.length >= min) {
    const plan = planBody(job);
    if (plan) return planResource(job, plan);
  }
  return parseBodyHere(job);
}

export const KIND_PARSERS: Parsers<ParseJob, OpenApiInput, OpenApiReading, ListPlan> = {
  parse: parseOnThisThread,
  plan: planBody,
  revive: planResource,
  planHere,
  readOpenApi: ({ body, known, kind }) => readOpenApiDocument(body, known, MAPPED[kind].style),
};

/**
 * Parses a decoded body of `url` on this thread, as the kind's session would with the map shipped with the extension
 * (no transport, no worker): for measuring the parsers alone (bench/). `baseUrl` is where the map's paths start.
 */
export function parseBodyText(kind: ParseJob['kind'], text: string, where: { url: string; baseUrl: string; contentType?: string }): Resource {
  // A body that may be read as a plan is read from its bytes, as a session reads it.
  if (text.length >= PLAN_BYTES) return parseBodyBytes(kind, Buffer.from(text), where);
  return textParser(shippedJob(kind, Buffer.alloc(0), where))(text);
}

/**
 * Parses a received body (UTF-8 bytes) of `url` on this thread as a session reads it: a list of PLAN_BYTES or more as
 * a plan (as the parser thread does from a megabyte) whose children are read from the bytes when first read; anything
 * else whole. For measuring the parsers alone (bench/).
 */
export function parseBodyBytes(kind: ParseJob['kind'], body: Buffer, where: { url: string; baseUrl: string; contentType?: string }): Resource {
  return parseOnThisThread(shippedJob(kind, body, where));
}

/** The job a session with the shipped map would give the parser. */
function shippedJob(kind: ParseJob['kind'], body: Buffer, where: { url: string; baseUrl: string; contentType?: string }): ParseJob {
  const raw = { body, url: where.url, status: 200, contentType: where.contentType };
  return kind === 'em' ? { kind, raw } : { kind, raw, baseUrl: where.baseUrl, collections: MAPPED[kind].shipped, revision: MAPPED[kind].revision };
}
