// The protocol scenarios, one per process (run.mjs forks it): `node out/bench/worker.js parse|walk JSON`.
// They use src/api's public surface (bundled from the sources) and the simulators' public entry; the extension scenarios are in extension-worker.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { XMLParser } from 'fast-xml-parser';
import { Agent, request } from 'undici';
import {
  CONNECTIONS_PER_ORIGIN,
  createSession,
  DEFAULT_VBR_REVISION,
  EM_XML_PARSER_OPTIONS,
  parseBodyBytes,
  walkLinks,
  type ApiKind,
  type ApiSession,
  type ConnectionDefinition,
  type Resource,
} from '../src/api';
import { MAX_XML_NESTING } from '../src/api/kinds/em/parser';
import { scanXml } from '../src/api/kinds/em/well-formed';
import { listBody, type ListBodyKind } from '../test/simulator';
import { ask, delta, gc, maxRssMB, runScenario, settled, stallDuring, stats } from './parent';

const EM_BASE = 'https://127.0.0.1:9398/api/';
const VSPC_BASE = 'https://127.0.0.1:1280/api/v3/';
/** VBR's map starts at the origin (its paths are `/api/v1/…`). */
const VBR_ORIGIN = 'https://127.0.0.1:9419';
/** The URL a body is parsed as coming from (it decides, for VSPC and VBR, where in the API the list is). */
const BODY_URL: Record<ListBodyKind, string> = {
  'em-xml': `${EM_BASE}jobs`,
  'em-json': `${EM_BASE}jobs`,
  vspc: `${VSPC_BASE}organizations/companies`,
  vbr: `${VBR_ORIGIN}/api/v1/jobs`,
};
/** Where the kind's parser places the body's links from. */
const BASE_URL: Record<ListBodyKind, string> = { 'em-xml': EM_BASE, 'em-json': EM_BASE, vspc: VSPC_BASE, vbr: VBR_ORIGIN };

/** Runs `fn` on every item, at most `limit` at a time (the baseline's fetches, at the walk's concurrency). */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

// ---- parsing ----
interface ParseArgs {
  kind: ListBodyKind;
  bytes: number;
  runs: number;
  minMs: number;
}

async function parse(args: ParseArgs) {
  const { text, items } = listBody(args.kind, args.bytes, BASE_URL[args.kind]);
  const bytes = Buffer.byteLength(text);
  const where = {
    url: BODY_URL[args.kind],
    baseUrl: BASE_URL[args.kind],
    contentType: args.kind === 'em-json' ? 'application/json; charset=utf-8' : args.kind === 'em-xml' ? 'application/xml; charset=utf-8' : undefined,
  };
  const kind: ApiKind = args.kind === 'em-xml' || args.kind === 'em-json' ? 'em' : args.kind;
  const rawXml = new XMLParser(EM_XML_PARSER_OPTIONS);
  let sink: unknown;
  // Both sides start from the bytes as received: ours reads them as a session does (the parser thread's input); the raw
  // library is given them decoded by Buffer's own UTF-8 decoder.
  const body = Buffer.from(text);
  const ours = () => (sink = parseBodyBytes(kind, body, where));
  // The raw library from the same bytes: decoded (what any client of a response does first), then parsed.
  const raw = args.kind === 'em-xml' ? () => (sink = rawXml.parse(body.toString('utf8'))) : () => (sink = JSON.parse(body.toString('utf8')));
  if (bytes < 10 * 1024 * 1024) {
    // Our parser must read every item, or its speed means nothing (a big body is checked on its first run below).
    const check = ours() as Resource;
    if (check.children.length !== items) throw new Error(`our parser read ${check.children.length} of ${items} items`);
    sink = undefined;
  }
  /** Seconds per parse: repeated until minMs has passed (one parse at least). */
  const measure = (fn: () => unknown) => {
    gc();
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      const value = fn() as Resource;
      if (n === 0 && fn === ours && value.children.length !== items) throw new Error(`our parser read ${value.children.length} of ${items} items`);
      n++;
      elapsed = performance.now() - start;
    } while (elapsed < args.minMs);
    sink = undefined;
    return elapsed / 1000 / n;
  };
  if (bytes < 10 * 1024 * 1024) {
    measure(ours);
    measure(raw);
  }
  const oursMBps: number[] = [];
  const rawMBps: number[] = [];
  for (let r = 0; r < args.runs; r++) {
    // Alternate the order so neither side always runs right after a collection.
    const first = r % 2 === 0 ? ours : raw;
    const a = measure(first);
    const b = measure(first === ours ? raw : ours);
    const [o, w] = first === ours ? [a, b] : [b, a];
    oursMBps.push(bytes / 2 ** 20 / o);
    rawMBps.push(bytes / 2 ** 20 / w);
  }
  void sink;
  return { bytes, items, oursMBps, rawMBps };
}

// ---- walking ----
interface WalkArgs {
  api: ApiKind;
  url: string;
  startPath: string;
  fingerprint: string;
  pem: string;
  user: { username: string; password: string };
  runs: number;
  depth: number;
}

/** CPU time (user + system) of this process since `start`, ms: steadier than wall time on a shared machine. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** The product's walk (src/api/session/walk.ts, as the command line runs it), keeping each batch of URLs for the baseline. */
async function walkWithSession(session: ApiSession, start: string, depth: number, concurrency: number) {
  const batches: string[][] = [];
  let failures = 0;
  await walkLinks(session, start, {
    depth,
    concurrency,
    onBatch: (steps) => {
      batches.push(steps.map((s) => s.url));
      failures += steps.filter((s) => s.error).length;
    },
  });
  return { batches, failures };
}

async function baselineLogon(args: WalkArgs, dispatcher: Agent): Promise<Record<string, string>> {
  const origin = new URL(args.url).origin;
  if (args.api === 'em') {
    const basic = Buffer.from(`${args.user.username}:${args.user.password}`).toString('base64');
    const res = await request(`${origin}/api/sessionMngr/?v=latest`, { method: 'POST', headers: { Accept: 'application/xml', Authorization: `Basic ${basic}`, 'Content-Length': '0' }, dispatcher });
    await res.body.arrayBuffer();
    const token = res.headers['x-restsvcsessionid'];
    if (res.statusCode !== 201 || typeof token !== 'string') throw new Error(`baseline EM logon answered ${res.statusCode}`);
    return { Accept: 'application/xml', 'X-RestSvcSessionId': token };
  }
  const form = new URLSearchParams({ grant_type: 'password', username: args.user.username, password: args.user.password });
  if (args.api === 'vbr') {
    // As the session: the revision on every request, the logon included.
    const revision = { 'x-api-version': DEFAULT_VBR_REVISION };
    const res = await request(`${origin}/api/oauth2/token`, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', ...revision }, body: form.toString(), dispatcher });
    const body = (await res.body.json()) as { access_token?: string };
    if (res.statusCode !== 200 || !body.access_token) throw new Error(`baseline VBR logon answered ${res.statusCode}`);
    return { Accept: 'application/json', Authorization: `Bearer ${body.access_token}`, ...revision };
  }
  const res = await request(`${args.url}token`, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString(), dispatcher });
  const body = (await res.body.json()) as { access_token?: string };
  if (res.statusCode !== 200 || !body.access_token) throw new Error(`baseline VSPC logon answered ${res.statusCode}`);
  return { Accept: 'application/json', Authorization: `Bearer ${body.access_token}` };
}

/** What the reading baseline made of the last body (kept so the work is not optimised away). */
let lastRead: unknown;

/** Unmeasured walks before the measured ones (see walk()). */
const WALK_WARMUPS = 3;

/**
 * One side of a walk figure, alone in this process: ours (the product's walk), `base` (undici fetching the same URLs)
 * or `read` (undici that also decodes and checks each body). Each side has a process of its own, as a client has in
 * use: sides taking turns in one process shared undici's and Node's code, whose optimised form then suited whichever
 * side V8 had seen most, and slowed the other (ours alone: EM 142 ms, VSPC 95, VBR 190; between the baselines' turns:
 * 160, 119, 210). Ours writes the URLs it fetched, in its batches, to `batchesFile`; the baselines fetch those.
 */
async function walk(args: WalkArgs & { side: 'ours' | 'base' | 'read'; batchesFile: string }) {
  // The product's own concurrency: the command line walks as many at a time as it keeps connections per server.
  const concurrency = CONNECTIONS_PER_ORIGIN;
  const target = args.api;
  const start = new URL(args.startPath, args.url).href;
  const def: ConnectionDefinition = { id: 'bench', kind: args.api, name: 'bench', url: args.url, username: args.user.username, representation: 'xml' };
  const runOurs = async () => {
    const before = await stats();
    const session = createSession(def, { timeoutMs: 30_000, maxBodyBytes: 50 * 2 ** 20, fingerprint: args.fingerprint }, async () => args.user.password);
    await session.logon();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const walked = await walkWithSession(session, start, args.depth, concurrency);
    const ms = performance.now() - started;
    const cpuMs = cpuMsSince(cpu);
    const after = await stats();
    await session.logoff();
    await session.dispose();
    await ask({ cmd: 'clearRequests' });
    return { ms, cpuMs, ...walked, ...delta(before, after, target) };
  };
  // The least any client must do with a body it follows links in: decode it and check it is what it says (JSON.parse;
  // for XML the well-formedness scan the session uses, the fastest conformant check measured, ~150 MB/s).
  const readBody = args.api === 'em' ? (text: string) => scanXml(text, MAX_XML_NESTING) : (text: string) => JSON.parse(text) as unknown;
  const runBaseline = async (batches: string[][], read: boolean) => {
    const before = await stats();
    // A keep-alive pool as large as the walk's concurrency: more would only add handshakes.
    const dispatcher = new Agent({ connect: { ca: args.pem }, keepAliveTimeout: 30_000, connections: concurrency });
    const headers = await baselineLogon(args, dispatcher);
    const cpu = process.cpuUsage();
    const started = performance.now();
    let failures = 0;
    for (const batch of batches) {
      await eachLimited(batch, concurrency, async (url) => {
        const res = await request(url, { headers, dispatcher });
        const bytes = await res.body.arrayBuffer();
        if (read) lastRead = readBody(Buffer.from(bytes).toString('utf8'));
        if (res.statusCode !== 200) failures++;
      });
    }
    const ms = performance.now() - started;
    const cpuMs = cpuMsSince(cpu);
    const after = await stats();
    await dispatcher.close();
    await ask({ cmd: 'clearRequests' });
    return { ms, cpuMs, failures, ...delta(before, after, target) };
  };
  let runSide: () => Promise<{ ms: number; cpuMs: number; connections: number; requests: number; failures: number }>;
  let urls: number;
  if (args.side === 'ours') {
    runSide = runOurs;
    const first = await runOurs();
    writeFileSync(args.batchesFile, JSON.stringify(first.batches));
    urls = first.batches.reduce((n, b) => n + b.length, 0);
  } else {
    const batches = JSON.parse(readFileSync(args.batchesFile, 'utf8')) as string[][];
    runSide = () => runBaseline(batches, args.side === 'read');
    urls = batches.reduce((n, b) => n + b.length, 0);
  }
  // Ours reaches its steady state (nothing left for V8 to optimise) only by its third or fourth walk. No collection is
  // forced between walks: a forced gc() discarded the optimised code, so each walk ran some 130 functions through V8's
  // optimiser again (ours, EM: 430 ms a walk instead of 150), which measured that, not the walk.
  for (let w = 0; w < WALK_WARMUPS; w++) await runSide();
  const measured: Array<{ ms: number; cpuMs: number; connections: number; requests: number; failures: number }> = [];
  for (let r = 0; r < args.runs; r++) {
    const { ms, cpuMs, connections, requests, failures } = await runSide();
    measured.push({ ms, cpuMs, connections, requests, failures });
  }
  void lastRead;
  return { side: args.side, urls, concurrency, runs: measured };
}

// ---- one large answer through a session (api only: the extension's tree does not list every kind's connections) ----
interface SessionArgs {
  kind: ApiKind;
  url: string;
  fingerprint: string;
  user: { username: string; password: string };
}

async function loggedOnSession(args: SessionArgs): Promise<ApiSession> {
  const def: ConnectionDefinition = { id: 'bench', kind: args.kind, name: 'bench', url: args.url, username: args.user.username, representation: 'json' };
  // The extension's default cap (50 MiB) and transport settings.
  const session = createSession(def, { timeoutMs: 30_000, maxBodyBytes: 50 * 2 ** 20, fingerprint: args.fingerprint }, async () => args.user.password);
  await session.logon();
  return session;
}

/** A process logged on through createSession, doing nothing: what sessionHuge's peak is measured against. */
async function sessionIdle(args: SessionArgs) {
  const session = await loggedOnSession(args);
  await settled();
  const rss = maxRssMB();
  await session.logoff();
  await session.dispose();
  return { maxRssMB: rss };
}

/** One GET of a huge list (the simulator's `huge` fault) through `session.get`: stall, time, peak memory. */
async function sessionHuge(args: SessionArgs & { target: string; href: string; faultPath: string; bytes: number }) {
  const session = await loggedOnSession(args);
  await ask({ cmd: 'fault', target: args.target, fault: { kind: 'huge', sizeBytes: args.bytes, path: args.faultPath, times: 1 } });
  await settled();
  const { value: fetched, stallMs, ms } = await stallDuring(() => session.get(args.href));
  const result = { stallMs, ms, bytes: fetched.raw.body.length, items: fetched.resource.children.length, maxRssMB: maxRssMB() };
  await session.logoff();
  await session.dispose();
  return result;
}

runScenario({ parse, walk, sessionIdle, sessionHuge });
