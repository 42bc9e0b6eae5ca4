// A tiny sequential runner for the Playwright UI tests: each test is a step of one user's session, so a failed step
// skips the steps after it (counted as skipped, never as passed). A failure leaves a screenshot. A suite may have a
// time budget: the step running when it is spent fails, the rest are skipped, and `after` still runs.

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

/** How long a whole suite (its `before` and its tests) may take, and the setting that says so. */
export interface UiBudget {
  ms: number;
  /** Named in the failure, e.g. the environment variable to raise. */
  setting: string;
}

class OutOfBudget extends Error {}

export async function runUiSuite(suite: UiSuite, log: (line: string) => void, budget?: UiBudget): Promise<UiTally> {
  const tally: UiTally = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const started = Date.now();
  log(`UI: ${suite.title}${budget ? ` (budget ${budget.ms / 1000} s)` : ''}`);
  let broken: string | undefined;
  // The step is left running when the budget is spent: `after` closes what it waits on, and its late failure is dropped.
  const withinBudget = async (work: () => Promise<void>): Promise<void> => {
    if (!budget) return work();
    const running = work();
    running.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const spent = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new OutOfBudget(`the suite ran out of its time budget of ${budget.ms / 1000} s (${budget.setting})`)),
        Math.max(0, started + budget.ms - Date.now()),
      );
    });
    try {
      await Promise.race([running, spent]);
    } finally {
      clearTimeout(timer);
    }
  };
  const fail = async (title: string, tag: string, err: unknown): Promise<void> => {
    tally.failed++;
    tally.failures.push(`${suite.title}: ${title}`);
    log(`  ✗ ${title}\n    ${message(err)}`);
    await suite.onFailure?.(tag).catch(() => undefined);
  };
  try {
    try {
      await withinBudget(async () => suite.before?.());
    } catch (err) {
      broken = err instanceof OutOfBudget ? 'the time budget is spent' : 'setup failed';
      await fail('(setup)', 'setup', err);
    }
    for (const [i, test] of suite.tests.entries()) {
      if (broken) {
        tally.skipped++;
        log(`  - ${test.title} (skipped: ${broken})`);
        continue;
      }
      const t0 = Date.now();
      try {
        await withinBudget(() => test.run());
        tally.passed++;
        log(`  ✓ ${test.title} (${seconds(t0)})`);
      } catch (err) {
        broken = err instanceof OutOfBudget ? 'the time budget is spent' : 'an earlier step failed';
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
