// A tiny sequential runner for the Playwright UI tests: each test is a step of one user's session, so a failed step
// skips the steps after it (counted as skipped, never as passed). A failure leaves a screenshot.

export interface UiTest {
  title: string;
  run(): Promise<void>;
}

export interface UiSuite {
  title: string;
  /** Starts what the tests drive (a server, a page); a failure here fails the suite once and skips its tests. */
  before?(): Promise<void>;
  tests: UiTest[];
  /** Always runs, also after a failure. */
  after?(): Promise<void>;
  /** Called with a file-name-safe tag when something failed, e.g. to take a screenshot. */
  onFailure?(tag: string): Promise<void>;
}

export interface UiTally {
  passed: number;
  failed: number;
  skipped: number;
  failures: string[];
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // Playwright's call logs are long; the first lines say what was awaited.
  return text.split('\n').slice(0, 6).join('\n    ');
}

export async function runUiSuite(suite: UiSuite, log: (line: string) => void): Promise<UiTally> {
  const tally: UiTally = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const started = Date.now();
  log(`UI: ${suite.title}`);
  let broken: string | undefined;
  const fail = async (title: string, tag: string, err: unknown): Promise<void> => {
    tally.failed++;
    tally.failures.push(`${suite.title}: ${title}`);
    log(`  ✗ ${title}\n    ${message(err)}`);
    await suite.onFailure?.(tag).catch(() => undefined);
  };
  try {
    try {
      await suite.before?.();
    } catch (err) {
      broken = 'setup';
      await fail('(setup)', 'setup', err);
    }
    for (const [i, test] of suite.tests.entries()) {
      if (broken) {
        tally.skipped++;
        log(`  - ${test.title} (skipped: ${broken} failed)`);
        continue;
      }
      const t0 = Date.now();
      try {
        await test.run();
        tally.passed++;
        log(`  ✓ ${test.title} (${seconds(t0)})`);
      } catch (err) {
        broken = 'an earlier step';
        await fail(test.title, `step-${i + 1}`, err);
      }
    }
  } finally {
    try {
      await suite.after?.();
    } catch (err) {
      log(`  cleanup: ${message(err)}`);
    }
  }
  log(`UI: ${suite.title}: ${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''} (${seconds(started)})`);
  return tally;
}
