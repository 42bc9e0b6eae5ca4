import { strict as assert } from 'node:assert';

/**
 * Waits until `condition` holds, checking every `everyMs`, and fails naming `what` if it still does not after
 * `withinMs`. For state another party reaches in its own time (a socket the server sees close): the test waits as
 * long as a busy machine needs, and no longer than that.
 */
export async function waitFor(condition: () => boolean, what: string, withinMs = 10_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `${what}: not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * What `work` gives, and how many times this thread's event loop turned while it ran (a callback that queues itself
 * again with `setImmediate`): work that holds the thread from start to end lets none through.
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let running = true;
  const turn = () => {
    if (!running) return;
    turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  try {
    return { value: await work(), turns };
  } finally {
    running = false;
  }
}
