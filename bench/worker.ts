// The protocol scenarios, one per process (run.mjs forks it): `node out/bench/worker.js parse|walk JSON`.
// They use src/api directly (bundled from the sources); the extension scenarios are in extension-worker.ts.
import { performance } from 'node:perf_hooks';
import { XMLParser } from 'fast-xml-parser';
import { Agent, request } from 'undici';
import { createSession, type ApiSession, type ConnectionDefinition, type Resource } from '../src/api';
import { mapLimit, walkLinks } from '../src/api/session/walk';
import { EM_XML_PARSER_OPTIONS, parseEmBody } from '../src/api/kinds/em/parser';
import { VspcNavigation } from '../src/api/kinds/vspc/navigation';
import { parseVspcBody } from '../src/api/kinds/vspc/parser';
import { BODY_URL, makeBody, VSPC_BASE, type BodyKind } from './bodies';
import { ask, delta, gc, runScenario, stats } from './parent';


/** The EM XML parser's own options, for the raw baseline. */
const EM_XML_OPTIONS = EM_XML_PARSER_OPTIONS;

// ---- parsing ----
interface ParseArgs {
  kind: BodyKind;
  bytes: number;
  runs: number;
  minMs: number;
}

async function parse(args: ParseArgs) {
  const { text, items } = makeBody(args.kind, args.bytes);
  const bytes = Buffer.byteLength(text);
  const url = BODY_URL[args.kind];
  const navigation = new VspcNavigation();
  const rawXml = new XMLParser(EM_XML_OPTIONS);
  let sink: unknown;
  const ours =
    args.kind === 'vspc'
      ? () => (sink = parseVspcBody(text, url, VSPC_BASE, navigation))
      : () => (sink = parseEmBody(text, args.kind === 'em-xml' ? 'application/xml; charset=utf-8' : 'application/json; charset=utf-8', url));
  const raw = args.kind === 'em-xml' ? () => (sink = rawXml.parse(text)) : () => (sink = JSON.parse(text));
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
  api: 'em' | 'vspc';
  url: string;
  startPath: string;
  fingerprint: string;
  pem: string;
  user: { username: string; password: string };
  runs: number;
  concurrency: number;
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
  const res = await request(`${args.url}token`, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' }, body: form.toString(), dispatcher });
  const body = (await res.body.json()) as { access_token?: string };
  if (res.statusCode !== 200 || !body.access_token) throw new Error(`baseline VSPC logon answered ${res.statusCode}`);
  return { Accept: 'application/json', Authorization: `Bearer ${body.access_token}` };
}

async function walk(args: WalkArgs) {
  const target = args.api;
  const start = new URL(args.startPath, args.url).href;
  const def: ConnectionDefinition = { id: 'bench', kind: args.api, name: 'bench', url: args.url, username: args.user.username, representation: 'xml' };
  const runOurs = async () => {
    const before = await stats();
    const session = createSession(def, { timeoutMs: 30_000, maxBodyBytes: 50 * 2 ** 20, fingerprint: args.fingerprint }, async () => args.user.password);
    await session.logon();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const walked = await walkWithSession(session, start, args.depth, args.concurrency);
    const ms = performance.now() - started;
    const cpuMs = cpuMsSince(cpu);
    const after = await stats();
    await session.logoff();
    await session.dispose();
    await ask({ cmd: 'clearRequests' });
    return { ms, cpuMs, ...walked, ...delta(before, after, target) };
  };
  const runBaseline = async (batches: string[][]) => {
    const before = await stats();
    // A keep-alive pool as large as the walk's concurrency: more would only add handshakes.
    const dispatcher = new Agent({ connect: { ca: args.pem }, keepAliveTimeout: 30_000, connections: args.concurrency });
    const headers = await baselineLogon(args, dispatcher);
    const cpu = process.cpuUsage();
    const started = performance.now();
    let failures = 0;
    for (const batch of batches) {
      await mapLimit(batch, args.concurrency, async (url) => {
        const res = await request(url, { headers, dispatcher });
        await res.body.arrayBuffer();
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
  // A first walk warms both sides up and gives the URLs (in the walk's own batches) the baseline fetches.
  const warm = await runOurs();
  const urls = warm.batches.reduce((n, b) => n + b.length, 0);
  await runBaseline(warm.batches);
  const ours: Array<{ ms: number; cpuMs: number; connections: number; requests: number; failures: number }> = [];
  const base: typeof ours = [];
  for (let r = 0; r < args.runs; r++) {
    const pair = r % 2 === 0 ? ['ours', 'base'] : ['base', 'ours'];
    for (const side of pair) {
      gc();
      if (side === 'ours') {
        const { ms, cpuMs, connections, requests, failures } = await runOurs();
        ours.push({ ms, cpuMs, connections, requests, failures });
      } else base.push(await runBaseline(warm.batches));
    }
  }
  return { urls, batches: warm.batches.length, ours, base };
}

runScenario({ parse, walk });
