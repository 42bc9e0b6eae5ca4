// What a scenario process shares: questions to the parent (run.mjs relays them to the simulator process, so asking
// opens no connection of its own), the result message, and small measuring helpers. Imports nothing heavy: the
// extension scenarios must start from a clean process.
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export type Stats = Record<string, { connections: number; requests: number }>;

let nextId = 0;
const pending = new Map<number, (m: { result?: unknown; error?: string }) => void>();
process.on('message', (m: { rpc?: boolean; id: number; result?: unknown; error?: string }) => {
  if (m.rpc) pending.get(m.id)?.(m);
});

export function ask<T = unknown>(command: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const id = ++nextId;
    pending.set(id, (m) => {
      pending.delete(id);
      if (m.error) reject(new Error(m.error));
      else resolve(m.result as T);
    });
    process.send!({ rpc: true, id, ...command });
  });
}

/** Connections accepted and requests received so far, per simulator. */
export const stats = () => ask<Stats>({ cmd: 'stats' });

/** What happened between two stats, on one simulator or all. */
export function delta(before: Stats, after: Stats, target?: string): { connections: number; requests: number } {
  const keys = target ? [target] : Object.keys(after);
  let connections = 0;
  let requests = 0;
  for (const k of keys) {
    connections += after[k].connections - before[k].connections;
    requests += after[k].requests - before[k].requests;
  }
  return { connections, requests };
}

export const gc = () => (globalThis as { gc?: () => void }).gc?.();
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Peak resident set size of this process so far, MB. */
export const maxRssMB = () => process.resourceUsage().maxRSS / 1024;

/**
 * Collects garbage, then waits until this process's peak RSS has not moved for 300 ms (3 s at most): the state a
 * scenario measures from. After its first requests a process compiles undici's HTTP parser (WebAssembly) again,
 * optimised, on a background thread: about 28 MB of the peak RSS for some 50 ms. Measured 50 ms after the logon, the
 * idle baseline caught all, part or none of it by the machine's load (69–92 MB), and every scenario raced it.
 */
export async function settled(): Promise<void> {
  gc();
  const started = performance.now();
  let peak = maxRssMB();
  let stillSince = started;
  while (performance.now() - started < 3000) {
    await sleep(20);
    const now = maxRssMB();
    if (now !== peak) {
      peak = now;
      stillSince = performance.now();
    } else if (performance.now() - stillSince >= 300) return;
  }
}

/**
 * Resets this process's peak RSS to its RSS now (Linux: `5` to /proc/self/clear_refs, which getrusage's maxRSS follows)
 * and returns that RSS, MB; undefined where the system cannot (the peak then still counts from the start).
 */
export function peakFromHere(): number | undefined {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    return undefined;
  }
  const rss = process.memoryUsage().rss / 1024 / 1024;
  // A system that took the write but kept the peak: no reset.
  return maxRssMB() - rss < 1 ? rss : undefined;
}

/** Max event-loop stall while `work` runs, in ms (monitorEventLoopDelay, 10 ms resolution). */
export async function stallDuring<T>(work: () => Promise<T>): Promise<{ value: T; stallMs: number; ms: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  await sleep(20);
  const started = performance.now();
  const value = await work();
  const ms = performance.now() - started;
  // Let the histogram see the last turn of the loop.
  await sleep(20);
  histogram.disable();
  return { value, stallMs: histogram.max / 1e6, ms };
}

/** Runs the scenario named on the command line with its JSON argument; sends `{ result }` and exits. */
export function runScenario(scenarios: Record<string, (args: never) => Promise<unknown>>): void {
  const [name, json] = process.argv.slice(2);
  const main = async () => {
    const scenario = scenarios[name];
    if (!scenario) throw new Error(`unknown scenario ${name}`);
    const result = await scenario(JSON.parse(json ?? '{}') as never);
    process.send!({ result }, () => process.exit(0));
  };
  main().catch((err: unknown) => {
    process.stderr.write(`bench scenario ${name} failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  });
}
