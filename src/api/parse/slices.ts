// Long work on a thread that must stay responsive (the extension host's): done in pieces, other work let in between.

/** How long a piece of such work holds the thread before it lets other work run, in ms. */
export const SLICE_MS = 8;

/**
 * The time of one slice: `due()` after each small step of the work, `await next()` when it says so. The next slice
 * counts from when the thread comes back, not from when it was let go.
 */
export class Slices {
  private since = performance.now();

  /** True when the current slice has held the thread SLICE_MS or more. */
  due(): boolean {
    return performance.now() - this.since >= SLICE_MS;
  }

  /** Lets other work run (everything already waiting), then starts a new slice. */
  async next(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }
}

/** Work made of steps (a generator that yields between them), done at once: what its last step returns. */
export function allSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}
