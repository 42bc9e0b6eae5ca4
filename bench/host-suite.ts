// The `host` row's measurement, run inside code-server's extension host (bench/host-runner.ts passes it as
// extensionTestsPath; VS Code calls run()). Not a test suite: `npm test` never loads it (test/host/build-tests.mjs
// bundles test/e2e/suite/*.test.ts only). It drives the shipped dist/extension.js through the test API activate()
// gives a host that runs tests, as test/e2e/suite/explorer-fixture.ts does, and writes its figures to
// BENCH_HOST_RESULTS.
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';

const EXTENSION_ID = 'veeam-api-explorer.veeam-api-explorer';

/** The part of the extension's test API (ExplorerTestApi of src/extension.ts) used here. */
interface Node {
  readonly href?: string;
}
interface ExplorerApi {
  connections: { add(draft: Record<string, unknown>, password?: string): Promise<{ id: string; name: string }> };
  sessions: {
    logOn(id: string): Promise<unknown>;
    get(id: string, href: string): Promise<{ resource: { children: unknown[] }; raw: { body: Uint8Array } }>;
  };
  tree: {
    getChildren(node?: Node): Promise<Node[]> | Node[];
    getTreeItem(node: Node): vscode.TreeItem | Thenable<vscode.TreeItem>;
    refresh(node?: Node): void;
  };
}

/** This process's resident set and its high-water mark, MB (/proc/self/status: Linux). */
function memory(): { rssMB: number; hwmMB: number } {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMB: kb('VmRSS') / 1024, hwmMB: kb('VmHWM') / 1024 };
}

/** Resets the high-water mark to the current RSS ("5" to clear_refs, Linux ≥ 4.0); false where that is refused. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** A full collection, so that "before" is the host's settled memory, not garbage of the previous run. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return () => gc?.();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(): Promise<void> {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: this file runs under bench/host-runner.ts`);
    return value;
  };
  const out = env('BENCH_HOST_RESULTS');
  const runs = Number(env('BENCH_HOST_RUNS'));
  const extension = vscode.extensions.getExtension<ExplorerApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not installed`);
  const api = await extension.activate();
  const def = await api.connections.add(
    { kind: 'em', name: 'bench', url: env('BENCH_HOST_EM_URL'), username: env('BENCH_HOST_EM_USER'), trustedFingerprint: env('BENCH_HOST_EM_FINGERPRINT') },
    env('BENCH_HOST_EM_PASSWORD'),
  );
  await api.sessions.logOn(def.id);
  const roots = await api.tree.getChildren();
  const connection = roots.at(-1);
  const links = await api.tree.getChildren(connection);
  const list = links.find((n) => n.href && new URL(n.href).pathname === '/api/jobs');
  if (!list) throw new Error('no /api/jobs node under the connection');
  const gc = collector();
  const samples: Array<{ firstRowsMs: number; rows: number; rssBeforeMB: number; peakMB: number; peakReset: boolean; rssAfterRefreshMB: number; heapAfterRefreshMB: number; externalAfterRefreshMB: number }> = [];
  for (let r = 0; r < runs; r++) {
    // The list as a user meets it: not cached, the host settled.
    api.tree.refresh(list);
    gc();
    await sleep(200);
    gc();
    const peakReset = resetPeak();
    const before = memory();
    const started = performance.now();
    // What VS Code does when the row is expanded: the children, then a tree item for each row it shows.
    const rows = await api.tree.getChildren(list);
    for (const row of rows) await api.tree.getTreeItem(row);
    const firstRowsMs = performance.now() - started;
    const after = memory();
    // What the host still holds once the list is refreshed away and garbage collected.
    api.tree.refresh(list);
    gc();
    await sleep(200);
    gc();
    // The JavaScript heap and the buffers outside it tell what is kept from what the allocator has not given back.
    const usage = process.memoryUsage();
    samples.push({
      firstRowsMs,
      rows: rows.length,
      rssBeforeMB: before.rssMB,
      peakMB: after.hwmMB,
      peakReset,
      rssAfterRefreshMB: memory().rssMB,
      heapAfterRefreshMB: usage.heapUsed / 2 ** 20,
      externalAfterRefreshMB: (usage.external + usage.arrayBuffers) / 2 ** 20,
    });
  }
  let body: { bodyBytes?: number; items?: number } = {};
  if (process.env.BENCH_HOST_READ_BODY) {
    // The body and its items, read once more (not measured).
    const fetched = await api.sessions.get(def.id, list.href!);
    body = { bodyBytes: fetched.raw.body.length, items: fetched.resource.children.length };
  }
  writeFileSync(out, JSON.stringify({ samples, ...body, node: process.version }));
}
