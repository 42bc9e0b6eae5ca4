// The `host` section's scenario (run.mjs forks it as it forks the others): a long EM list expanded in the real
// extension host. It reuses the project's host harness (test/host/code-server.ts: the code-server that
// scripts/setup-host.sh installed, started as `npm run test:host` starts it) and opens the workbench in headless
// Chromium with bench/host-suite.ts as the tests path, against an EM simulator of its own with `items` jobs. The
// figures are taken inside the extension host (host-suite.ts); this process only starts and stops things.
import { mkdtempSync, readFileSync, rmSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { startSimulators } from '../test/simulator';
import { CodeServer, readHostManifest, type HostManifest } from '../test/host/code-server';
import { runScenario } from './parent';

/** As test/host/run.ts starts Chromium. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

interface HostArgs {
  /** Jobs in the simulator's estate: the length of /api/jobs. */
  items: number;
  runs: number;
  /** The repository (its dist/ is the extension loaded). */
  repo: string;
  /** The bundled host-suite.ts. */
  suite: string;
  /** One run: code-server's start, the workbench, the expansion. */
  timeoutMs: number;
}

async function host(args: HostArgs) {
  let manifest: HostManifest;
  try {
    manifest = readHostManifest();
  } catch (err) {
    // No code-server installed: the row is skipped with the reason, the rest of the bench goes on.
    return { skipped: `${(err as Error).message.split('\n')[0]}` };
  }
  const cleanups: Array<() => unknown> = [];
  const scratch = mkdtempSync(join(tmpdir(), 'veeam-bench-host-'));
  cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
  const logFile = join(scratch, 'code-server.log');
  try {
    const started = Date.now();
    const sims = await startSimulators({ jobs: args.items, vspcItems: 1, vbrItems: 1 });
    cleanups.push(() => sims.close());
    const context = await chromium.launchPersistentContext(join(scratch, 'chromium-profile'), {
      executablePath: manifest.chromium,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    cleanups.push(() => context.close());
    const user = sims.em.users.admin;
    // Each run in a fresh code-server (and so a fresh extension host): memory the host keeps after one expansion,
    // garbage or cache, would otherwise be the next run's "before".
    const samples: unknown[] = [];
    let measured: Record<string, unknown> = {};
    for (let r = 0; r < args.runs; r++) {
      const results = join(scratch, `results-${r}.json`);
      const server = await CodeServer.start({
        manifest,
        dir: scratch,
        name: `run-${r}`,
        logFile,
        env: {
          BENCH_HOST_RESULTS: results,
          BENCH_HOST_RUNS: '1',
          // The body's size and items, read once more after the expansion: once is enough.
          ...(r === args.runs - 1 ? { BENCH_HOST_READ_BODY: '1' } : {}),
          BENCH_HOST_EM_URL: sims.em.url,
          BENCH_HOST_EM_USER: user.username,
          BENCH_HOST_EM_PASSWORD: user.password,
          BENCH_HOST_EM_FINGERPRINT: sims.certificate.fingerprint256,
        },
        // 100,000 EM jobs are about 65 MB of XML: above the default cap of 50 MB.
        settings: { 'veeamApiExplorer.maxResponseSizeMB': 256 },
      });
      try {
        measured = await expandOnce(context, server, args, results, scratch);
        samples.push(...(measured.samples as unknown[]));
      } finally {
        await server.stop();
      }
    }
    return { ...measured, samples, seconds: (Date.now() - started) / 1000, codeServer: manifest.codeServerVersion };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch {
        // the next one still runs
      }
    }
  }
}

/** Opens the workbench on `server` with host-suite.ts as the tests path; resolves with what the suite wrote. */
async function expandOnce(context: BrowserContext, server: CodeServer, args: HostArgs, results: string, scratch: string): Promise<Record<string, unknown>> {
  const page = await context.newPage();
  try {
    let exited: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((done) => (exited = done));
    await page.exposeFunction('codeAutomationExit', (code: number) => exited(code));
    await page.exposeFunction('codeAutomationLog', (type: string, logArgs: unknown) => {
      appendFileSync(join(scratch, 'workbench.log'), `[${type}] ${JSON.stringify(logArgs)}\n`);
    });
    const authority = `127.0.0.1:${server.port}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', `vscode-remote://${authority}${resolve(args.repo)}`],
      ['extensionTestsPath', `vscode-remote://${authority}${resolve(args.suite)}`],
    ]);
    const workspace = join(scratch, 'workspace');
    await page.goto(`${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([exitCode, new Promise<number>((_, fail) => (timer = setTimeout(() => fail(new Error(`the extension host did not finish within ${args.timeoutMs / 1000} s`)), args.timeoutMs)))]);
    clearTimeout(timer);
    if (code !== 0 || !existsSync(results)) {
      const log = join(scratch, 'workbench.log');
      const tail = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => /error/i.test(l)).slice(-5).join('\n') : '';
      throw new Error(`the extension host exited with ${code} without figures\n${tail}`);
    }
    return JSON.parse(readFileSync(results, 'utf8')) as Record<string, unknown>;
  } finally {
    await page.close();
  }
}

runScenario({ host });
