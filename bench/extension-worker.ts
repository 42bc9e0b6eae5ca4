// The extension scenarios, one per fresh process (run.mjs forks it): `node out/bench/extension-worker.js NAME JSON`.
// They load the built dist/extension.js with the `vscode` stand-in, exactly as shipped; this file imports nothing
// of the product itself, so `require` of the bundle starts from a clean Node.
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { Script } from 'node:vm';
import { performance } from 'node:perf_hooks';
import { ask, delta, maxRssMB, peakFromHere, runScenario, settled, sleep, stallDuring, stats } from './parent';
import { installVscodeStandIn } from './vscode-stand-in';

interface ExtensionArgs {
  dist: string;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
  connectionId: string;
  /** Load the Node built-ins the bundle requires before timing it (VS Code's extension host has them loaded). */
  preloadBuiltins?: boolean;
}

/** The shape of what the built activate() returns (ExplorerTestApi) that the scenarios use. */
interface ExplorerApi {
  sessions: {
    logOn(id: string): Promise<unknown>;
    get(id: string, href: string): Promise<{ resource: { children: unknown[] }; raw: { body: Buffer } }>;
  };
  tree: {
    getChildren(node?: unknown): Promise<Array<{ href?: string }>> | Array<{ href?: string }>;
    getTreeItem(node: unknown): unknown;
    childrenOf(parent: unknown, connectionId: string, resource: unknown): unknown[];
  };
}

const load = createRequire(`${process.cwd()}/`);

/** require() and activate() of the bundle; no request may reach the simulators and nothing may be parsed. */
async function activation(args: ExtensionArgs) {
  const standIn = installVscodeStandIn({ settings: args.settings, secrets: args.secrets });
  const before = await stats();
  const originalParse = JSON.parse;
  let jsonParses = 0;
  JSON.parse = function (this: unknown, ...a: Parameters<typeof JSON.parse>) {
    jsonParses++;
    return originalParse.apply(this, a);
  } as typeof JSON.parse;
  if (args.preloadBuiltins) {
    // VS Code's extension host has loaded Node's tls, crypto, worker_threads… long before any extension activates.
    const source = readFileSync(args.dist, 'utf8');
    for (const m of new Set([...source.matchAll(/require\("(node:[\w/]+)"\)/g)].map((x) => x[1]))) require(m);
  }
  const t0 = performance.now();
  const extension = load(args.dist) as { activate(context: unknown): unknown };
  const t1 = performance.now();
  const requireParses = jsonParses;
  extension.activate(standIn.context);
  const t2 = performance.now();
  JSON.parse = originalParse;
  // Anything activate() started in the background would have reached the simulators by now.
  await sleep(300);
  const after = await stats();
  return {
    requireMs: t1 - t0,
    activateMs: t2 - t1,
    totalMs: t2 - t0,
    requireParses,
    activateParses: jsonParses - requireParses,
    ...delta(before, after),
    subscriptions: (standIn.context.subscriptions as unknown[]).length,
    touched: [...standIn.touched].sort(),
    unmodelled: [...standIn.unmodelled].sort(),
  };
}

/** Compiling the bundle without running it: the part of `require` that no lazy loading can save. */
async function compileBundle(args: { dist: string }) {
  const source = readFileSync(args.dist, 'utf8');
  const t0 = performance.now();
  new Script(Module.wrap(source), { filename: args.dist });
  return { ms: performance.now() - t0 };
}

/** How long `require` of one package takes in a clean process: what part of the bundle's require it may explain. */
async function requirePackage(args: { name: string }) {
  const t0 = performance.now();
  load(args.name);
  return { ms: performance.now() - t0 };
}

/** The extension activated and logged on to one connection: the base of the idle, huge and tree scenarios. */
async function loggedOn(args: ExtensionArgs): Promise<ExplorerApi> {
  // The scenarios drive the extension through the API activate() gives only to a host that runs its tests.
  const standIn = installVscodeStandIn({ settings: args.settings, secrets: args.secrets, testMode: true });
  const extension = load(args.dist) as { activate(context: unknown): ExplorerApi };
  const api = extension.activate(standIn.context);
  await api.sessions.logOn(args.connectionId);
  return api;
}

async function idle(args: ExtensionArgs) {
  await loggedOn(args);
  await settled();
  return { maxRssMB: maxRssMB() };
}

interface HugeArgs extends ExtensionArgs {
  target: 'em' | 'vspc';
  href: string;
  faultPath: string;
  bytes: number;
}

/** One GET of a huge body through the session registry (the simulator's `huge` fault): stall and peak memory. */
async function huge(args: HugeArgs) {
  const api = await loggedOn(args);
  await ask({ cmd: 'fault', target: args.target, fault: { kind: 'huge', sizeBytes: args.bytes, path: args.faultPath, times: 1 } });
  await settled();
  const rssBefore = maxRssMB();
  const { value: fetched, stallMs, ms } = await stallDuring(() => api.sessions.get(args.connectionId, args.href));
  return { stallMs, ms, bytes: fetched.raw.body.length, items: fetched.resource.children.length, maxRssMB: maxRssMB(), rssBeforeMB: rssBefore };
}

/** Expanding a long list in the tree, as VS Code does it: getChildren, then getTreeItem of every child. */
async function tree(args: ExtensionArgs & { listPath: string }) {
  const api = await loggedOn(args);
  const [connection] = await api.tree.getChildren();
  const links = await api.tree.getChildren(connection);
  const list = links.find((n) => n.href && new URL(n.href).pathname === args.listPath);
  if (!list) throw new Error(`no node for ${args.listPath} under the connection`);
  await settled();
  // From here the peak is the expansion's own (where the system can reset it): what the logon and the compilations
  // after it left behind cannot hide it.
  const reset = peakFromHere();
  const peakReset = reset !== undefined;
  const rssBefore = reset ?? maxRssMB();
  const { value: items, stallMs, ms } = await stallDuring(async () => {
    const children = await api.tree.getChildren(list);
    return children.map((c) => api.tree.getTreeItem(c));
  });
  const rss = maxRssMB();
  // The build alone (outline → nodes → tree items) on the same list, fetched once more for its body and Resource.
  const fetched = await api.sessions.get(args.connectionId, list.href!);
  const started = performance.now();
  const rebuilt = api.tree.childrenOf(list, args.connectionId, fetched.resource).map((c) => api.tree.getTreeItem(c));
  const buildMs = performance.now() - started;
  return { stallMs, ms, buildMs, items: items.length, rebuilt: rebuilt.length, bodyBytes: fetched.raw.body.length, maxRssMB: rss, rssBeforeMB: rssBefore, peakReset };
}

runScenario({ activation, compileBundle, requirePackage, idle, huge, tree });
