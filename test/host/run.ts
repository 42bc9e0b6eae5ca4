// Runs the extension tests (out/e2e) inside a real VS Code: code-server's Node extension host, opened by a headless
// Chromium driven by playwright-core, against the EM simulator. Expects dist/ and out/e2e/ to be built
// (`npm run test:host` does that) and code-server installed (`npm run setup:host`).
//
// Then the Playwright UI tests (test/host/ui/explorer-ui.ts: a user's session in the workbench) and the package test
// (test/host/ui/package-ui.ts: veeam-api-explorer.vsix installed into a fresh code-server), each on a code-server of
// its own.
//
// Each phase has a time budget of its own (README.md: VEEAM_HOST_*_TIMEOUT_MS), so a slow start of one code-server
// does not eat the time of the tests after it; a last-resort timer stops the whole run.
//
// Usage: node out/host/run.js [file-substring ...] [--grep PATTERN] [--no-ui] [--no-package] [--ui-only]
// Exit code: 0 when every test passed, 1 when a test failed or the run could not start or timed out.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CodeServer, installExtension, readHostManifest, serverDirs } from './code-server';
import { startSimulatorEnv } from './simulator-env';
import { explorerUiSuite } from './ui/explorer-ui';
import { packageUiSuite } from './ui/package-ui';
import { runUiSuite, type UiSuite } from './ui/ui-test';

const repo = path.resolve(__dirname, '../..');
const artifacts = path.join(repo, '.test-artifacts');

/** A phase's time budget: milliseconds from an environment variable, or the default. */
interface Budget {
  ms: number;
  setting: string;
}

function budget(setting: string, defaultMs: number): Budget {
  const raw = process.env[setting];
  const ms = raw === undefined || raw.trim() === '' ? defaultMs : Number(raw);
  if (!Number.isFinite(ms) || ms <= 0) throw new Error(`${setting} must be a number of milliseconds, not "${raw}"`);
  return { ms, setting };
}

/** The phases' budgets (README.md); read when the run starts, so a bad value stops it at once. */
function budgets(): { start: Budget; extension: Budget; ui: Budget; package: Budget } {
  return {
    // The simulators and Chromium.
    start: budget('VEEAM_HOST_START_TIMEOUT_MS', 2 * 60_000),
    // code-server, the workbench and every extension test.
    extension: budget('VEEAM_HOST_EXTENSION_TIMEOUT_MS', 5 * 60_000),
    // code-server and the whole UI walk.
    ui: budget('VEEAM_HOST_UI_TIMEOUT_MS', 5 * 60_000),
    // Installing the .vsix, code-server and the checks in the page.
    package: budget('VEEAM_HOST_PACKAGE_TIMEOUT_MS', 3 * 60_000),
  };
}

class OutOfTime extends Error {
  constructor(phase: string, b: Budget) {
    super(`${phase}: ran out of the time budget of ${b.ms / 1000} s (${b.setting})`);
  }
}

/** Runs `work` within a budget: rejects with OutOfTime when it is spent (the work is left to the cleanup to stop). */
async function within<T>(phase: string, b: Budget, work: () => Promise<T>): Promise<T> {
  const running = work();
  running.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([running, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new OutOfTime(phase, b)), b.ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

interface Args {
  files: string[];
  grep?: string;
  /** The Playwright UI tests. */
  ui: boolean;
  /** The test of the packaged .vsix. */
  package: boolean;
  /** The extension tests (off with --ui-only). */
  extension: boolean;
}

interface RunSummary {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
}

function parseArgs(argv: string[]): Args {
  const args: Args = { files: [], ui: true, package: true, extension: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--grep' || a === '-g') args.grep = argv[++i];
    else if (a.startsWith('--grep=')) args.grep = a.slice('--grep='.length);
    else if (a === '--no-ui') args.ui = false;
    else if (a === '--no-package') args.package = false;
    else if (a === '--ui-only') args.extension = false;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else args.files.push(path.basename(a));
  }
  return args;
}

type Cleanup = () => Promise<void> | void;

class Run {
  private readonly cleanups: Cleanup[] = [];
  private cleaning: Promise<void> | undefined;
  readonly started = Date.now();

  defer(cleanup: Cleanup): void {
    this.cleanups.push(cleanup);
  }

  cleanup(): Promise<void> {
    this.cleaning ??= (async () => {
      for (const c of this.cleanups.reverse()) {
        try {
          await c();
        } catch (err) {
          console.error(`[host] cleanup: ${String(err)}`);
        }
      }
    })();
    return this.cleaning;
  }

  elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
  }
}

function log(message: string): void {
  console.log(`[host] ${message}`);
}

async function screenshot(page: Page | undefined, name: string): Promise<void> {
  if (!page || page.isClosed()) return;
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  try {
    await page.screenshot({ path: file, timeout: 10_000 });
    log(`screenshot: ${path.relative(repo, file)}`);
  } catch (err) {
    log(`screenshot failed: ${String(err)}`);
  }
}

function keepArtifact(from: string, name: string): void {
  if (!fs.existsSync(from)) return;
  fs.mkdirSync(artifacts, { recursive: true });
  fs.copyFileSync(from, path.join(artifacts, name));
  log(`kept ${path.join('.test-artifacts', name)}`);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  for (const required of ['dist/extension.js', 'out/e2e/index.js']) {
    if (!fs.existsSync(path.join(repo, required))) {
      throw new Error(`${required} is missing: run \`npm run build && node test/host/build-tests.mjs\` first`);
    }
  }
  const manifest = readHostManifest();
  const phases = budgets();
  // The last resort, for what no phase covers (a cleanup that hangs): the budgets of the phases that run and a minute.
  const overallTimeoutMs = Number(process.env.VEEAM_HOST_TIMEOUT_MS) || phases.start.ms + (args.extension ? phases.extension.ms : 0) + (args.ui ? phases.ui.ms : 0) + (args.package ? phases.package.ms : 0) + 60_000;
  const run = new Run();
  let page: Page | undefined;
  let failed = true;
  let outOfTime = false;
  const tally = { passed: 0, failed: 0, skipped: 0 };

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'veeam-host-'));
  run.defer(() => {
    if (process.env.VEEAM_HOST_KEEP) log(`kept scratch folder ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  });
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  const serverLog = path.join(scratch, 'code-server.log');
  const browserLog = path.join(scratch, 'browser-console.log');
  const resultsFile = path.join(scratch, 'results.json');
  const workbenchLog = path.join(scratch, 'workbench.log');
  const logMarker = '[veeam-e2e] ';

  let stopping = false;
  let closed = false;
  // The closing line CI reads: extension tests plus the UI smoke test; a run that could not start counts as a failure.
  const closingLine = (failed: boolean): void => {
    if (closed) return;
    closed = true;
    log(`${failed ? 'FAILED' : 'passed'} in ${run.elapsed()}`);
    if (failed && tally.failed === 0) tally.failed = 1;
    console.log(`host: ${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''}`);
  };
  const keepLogs = (): void => {
    keepArtifact(serverLog, 'code-server.log');
    keepArtifact(browserLog, 'browser-console.log');
    keepArtifact(workbenchLog, 'workbench.log');
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    stopping = true;
    log(`${signal}: stopping`);
    void run.cleanup().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const timer = setTimeout(() => {
    stopping = true;
    log(`the whole run timed out after ${overallTimeoutMs / 1000} s (VEEAM_HOST_TIMEOUT_MS)`);
    void screenshot(page, 'host-timeout')
      .then(() => keepLogs())
      .then(() => run.cleanup())
      .then(() => {
        closingLine(true);
        process.exit(1);
      });
  }, overallTimeoutMs);
  timer.unref();


  try {
    const env: Record<string, string> = {
      VEEAM_TEST_RESULTS: resultsFile,
      VEEAM_TEST_FILES: args.files.join(','),
      VEEAM_TEST_GREP: args.grep ?? '',
      VEEAM_TEST_LOG_MARKER: logMarker,
    };

    const { simulator, context } = await within('start', phases.start, async () => {
      const simulator = await startSimulatorEnv(scratch);
      if (simulator) {
        run.defer(() => simulator.close());
        Object.assign(env, simulator.env);
        const others = [
          simulator.env.VEEAM_TEST_VSPC_URL && `VSPC simulator at ${simulator.env.VEEAM_TEST_VSPC_URL}`,
          simulator.env.VEEAM_TEST_VBR_URL && `VBR simulator at ${simulator.env.VEEAM_TEST_VBR_URL}`,
          simulator.env.VEEAM_TEST_VBR12_URL && `VBR 12.3 simulator at ${simulator.env.VEEAM_TEST_VBR12_URL}`,
        ].filter(Boolean);
        log(`EM simulator at ${simulator.env.VEEAM_TEST_EM_URL}${others.map((o) => `, ${o}`).join('')}`);
      } else {
        log('no test/simulator yet: running without VEEAM_TEST_EM_* variables');
      }
      const profile = path.join(scratch, 'chromium-profile');
      const context: BrowserContext = await chromium.launchPersistentContext(profile, {
        executablePath: manifest.chromium,
        headless: true,
        args: chromiumArgs,
        viewport: { width: 1400, height: 900 },
      });
      run.defer(() => context.close());
      return { simulator, context };
    });

    // Each part gets a code-server of its own (fresh user data), stopped when the part is done and at the end.
    const startServer = async (name: string | undefined, serverEnv: Record<string, string>): Promise<{ origin: string; port: number; stop(): Promise<void> }> => {
      const server = await CodeServer.start({ manifest, dir: scratch, name, env: serverEnv, logFile: serverLog });
      const onExit = (): void => server.killNow();
      process.once('exit', onExit);
      let stopping: Promise<void> | undefined;
      const stop = (): Promise<void> => (stopping ??= server.stop().then(() => void process.removeListener('exit', onExit)));
      run.defer(stop);
      log(`code-server ${manifest.codeServerVersion}${name ? ` (${name})` : ''} at ${server.origin} (${run.elapsed()})`);
      return { origin: server.origin, port: server.port, stop };
    };

    const recordConsole = (p: Page): void => {
      p.on('console', (m) => fs.appendFileSync(browserLog, `[${m.type()}] ${m.text()}\n`));
      p.on('pageerror', (e) => fs.appendFileSync(browserLog, `[pageerror] ${e.stack ?? e.message}\n`));
    };
    context.pages().forEach(recordConsole);
    context.on('page', recordConsole);

    failed = false;
    if (args.extension) {
      const { server, code, summary } = await within('extension tests', phases.extension, async () => {
        const server = await startServer(undefined, env);
        page = context.pages()[0] ?? (await context.newPage());

        const exitCode = new Promise<number>((resolve) => {
          void page!.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
        });
        // The workbench's own log and the extension host's console both arrive here; what the tests print carries the
        // marker (test/e2e/index.ts) and is shown, the rest goes to workbench.log (kept on failure).
        await page.exposeFunction('codeAutomationLog', (type: string, logArgs: unknown) => {
          const text = (Array.isArray(logArgs) ? logArgs : [logArgs])
            .map((a) => (typeof a === 'string' ? a : JSON.stringify(a)))
            .join(' ');
          const at = text.indexOf(logMarker);
          if (at >= 0) {
            (type === 'error' ? process.stderr : process.stdout).write(`${text.slice(at).split(logMarker).join('')}\n`);
          } else {
            fs.appendFileSync(workbenchLog, `[${type}] ${text}\n`);
            if (process.env.VEEAM_HOST_VERBOSE) console.log(`[workbench ${type}] ${text}`);
          }
        });

        const authority = `127.0.0.1:${server.port}`;
        const payload = JSON.stringify([
          ['extensionDevelopmentPath', `vscode-remote://${authority}${repo}`],
          ['extensionTestsPath', `vscode-remote://${authority}${path.join(repo, 'out/e2e/index.js')}`],
        ]);
        const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
        log(`opening the workbench; extension tests ${args.files.length ? args.files.join(', ') : 'all'}${args.grep ? ` --grep ${args.grep}` : ''}`);
        await page.goto(url);
        const code = await exitCode;

        const summary: RunSummary | undefined = fs.existsSync(resultsFile)
          ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as RunSummary)
          : undefined;
        return { server, code, summary };
      });
      if (!summary) {
        log(`the extension host exited with ${code} and reported no results (see .test-artifacts/code-server.log)`);
      } else {
        for (const f of summary.failures) log(`FAILED: ${f.title}`);
        log(`extension tests done in ${run.elapsed()}`);
        log(`extension tests: ${summary.passed} passed, ${summary.failed} failed${summary.pending ? `, ${summary.pending} skipped` : ''}`);
        tally.passed += summary.passed;
        tally.failed += summary.failed;
        tally.skipped += summary.pending;
      }
      failed = code !== 0 || !summary || summary.failed > 0 || summary.passed === 0;
      if (failed) return 1;
      await page?.close();
      page = undefined;
      await server.stop();
    }

    const suites: { suite: UiSuite; budget: Budget }[] = [];
    if (args.ui) {
      if (!simulator) throw new Error('the UI tests need test/simulator');
      suites.push({
        budget: phases.ui,
        suite: explorerUiSuite({
          context,
          startServer: () => startServer('ui', {}),
          workspace,
          repo,
          artifacts,
          sims: simulator.sims,
          fingerprint: simulator.env.VEEAM_TEST_EM_FINGERPRINT,
          log,
        }),
      });
    }
    if (args.package) {
      const vsix = process.env.VEEAM_HOST_VSIX ? path.resolve(process.env.VEEAM_HOST_VSIX) : path.join(repo, 'veeam-api-explorer.vsix');
      suites.push({
        budget: phases.package,
        suite: packageUiSuite({
          context,
          repo,
          vsix,
          install: async (file) => ({
            output: await installExtension(manifest, file, scratch, 'package', serverLog),
            extensionsDir: serverDirs(scratch, 'package').extensionsDir,
          }),
          start: () => startServer('package', {}),
          workspace,
          artifacts,
          log,
        }),
      });
    }
    for (const { suite, budget } of suites) {
      const result = await runUiSuite(suite, log, budget);
      tally.passed += result.passed;
      tally.failed += result.failed;
      tally.skipped += result.skipped;
      for (const f of result.failures) log(`FAILED: ${f}`);
      if (result.failed > 0) failed = true;
    }
    if (tally.passed + tally.failed === 0) {
      log('no test ran');
      failed = true;
    }
    return failed ? 1 : 0;
  } catch (err) {
    failed = true;
    outOfTime = err instanceof OutOfTime;
    if (outOfTime) log(err instanceof Error ? err.message : String(err));
    else if (!stopping) log(`cannot run: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    if (failed) {
      await screenshot(page, outOfTime ? 'host-timeout' : 'host-failure');
      keepLogs();
    }
    clearTimeout(timer);
    await run.cleanup();
    closingLine(failed);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[host] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
