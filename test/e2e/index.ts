// The entry the VS Code extension host loads (extensionTestsPath): runs the bundled suites in out/e2e/suite/ with mocha.
// Environment (set by the runner, see test/host/run.ts):
//   VEEAM_TEST_FILES    comma-separated file names or substrings to run (default: every *.test.js)
//   VEEAM_TEST_GREP     mocha --grep
//   VEEAM_TEST_RESULTS  a file to write a JSON summary to, read back by the runner
//   VEEAM_TEST_LOG_MARKER  a prefix for everything the tests print, so the runner can tell it from the workbench's
//                       own log (both reach the page's codeAutomationLog in code-server)
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

interface FailureSummary {
  title: string;
  error: string;
}

interface RunSummary {
  passed: number;
  failed: number;
  pending: number;
  failures: FailureSummary[];
}

type ConsoleMethod = 'log' | 'info' | 'warn' | 'error' | 'debug';

/**
 * Prefixes what mocha's reporter prints, and where the host lets us also what the tests and the extension print, with
 * marker. VS Code's extension host forwards console calls through accessors that ignore assignment, so console
 * methods are redefined when the property is configurable and left alone otherwise.
 */
function markConsole(marker: string): () => void {
  const restores: (() => void)[] = [];
  const log = console.log.bind(console);
  const baseLog = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => log(marker + util.format(...args));
  restores.push(() => (Mocha.reporters.Base.consoleLog = baseLog));

  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as ConsoleMethod[]) {
    const descriptor = Object.getOwnPropertyDescriptor(console, m);
    if (!descriptor?.configurable) continue;
    const original = console[m].bind(console);
    const marked = (...args: unknown[]) => original(marker + util.format(...args));
    try {
      Object.defineProperty(console, m, { configurable: true, get: () => marked, set: () => undefined });
      restores.push(() => Object.defineProperty(console, m, descriptor));
    } catch {
      // left unmarked: it still reaches the workbench log
    }
  }
  return () => restores.reverse().forEach((r) => r());
}

export async function run(): Promise<void> {
  const unmark = process.env.VEEAM_TEST_LOG_MARKER ? markConsole(process.env.VEEAM_TEST_LOG_MARKER) : () => undefined;
  try {
    await runMocha();
  } catch (err) {
    // Otherwise only the workbench's log would say why (the runner shows marked lines).
    const why = err instanceof Error ? (err.stack ?? err.message) : String(err);
    console.error(`${process.env.VEEAM_TEST_LOG_MARKER ?? ''}extension tests: ${why}`); // the runner drops a doubled marker
    throw err;
  } finally {
    unmark();
  }
}

async function runMocha(): Promise<void> {
  // The suites are bundled with inline source maps: stack traces then point into test/e2e/suite/*.ts and src/.
  process.setSourceMapsEnabled?.(true);
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: Number(process.env.VEEAM_TEST_TIMEOUT_MS ?? 20_000),
    grep: process.env.VEEAM_TEST_GREP || undefined,
  });

  const suiteDir = path.join(__dirname, 'suite');
  const wanted = (process.env.VEEAM_TEST_FILES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const files = fs
    .readdirSync(suiteDir)
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w.replace(/\.(ts|js)$/, ''))))
    .sort();
  if (files.length === 0) {
    throw new Error(`no test files in ${suiteDir} match ${wanted.join(',') || '*.test.js'}`);
  }
  for (const f of files) mocha.addFile(path.join(suiteDir, f));

  const summary: RunSummary = { passed: 0, failed: 0, pending: 0, failures: [] };
  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve());
      runner.on('pass', () => summary.passed++);
      runner.on('pending', () => summary.pending++);
      runner.on('fail', (test, err: Error) => {
        summary.failed++;
        summary.failures.push({ title: test.fullTitle(), error: err?.stack ?? String(err) });
      });
    } catch (err) {
      reject(err);
    }
  });

  if (process.env.VEEAM_TEST_RESULTS) {
    fs.writeFileSync(process.env.VEEAM_TEST_RESULTS, JSON.stringify(summary, null, 2));
  }
  if (summary.failed > 0) {
    throw new Error(`${summary.failed} extension test(s) failed`);
  }
}
