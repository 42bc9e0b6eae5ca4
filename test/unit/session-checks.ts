// Checks the session tests of every kind share: a walk of a collection by its `paging.next` links, that no secret
// travels in any of the forms a text may carry it, and a timing that a shared machine disturbs least.
import { strict as assert } from 'node:assert';
import type { ApiSession, Fetched, WaitNotice } from '../../src/api';

/** Every page of a collection from `href` on, by `paging.next`: the items' uids, the last total, the pages read. */
export async function walkPages(s: ApiSession, href: string, onNext?: (next: string) => void): Promise<{ uids: string[]; names: string[]; total: number; pages: number }> {
  const uids: string[] = [];
  const names: string[] = [];
  let total = 0;
  let pages = 0;
  for (let at: string | undefined = href; at; pages++) {
    assert.ok(pages < 1000, 'a walk that does not end');
    const { resource } = await s.get(at);
    uids.push(...resource.children.map((c) => c.uid ?? ''));
    names.push(...resource.children.map((c) => c.name ?? ''));
    total = resource.paging?.total ?? 0;
    at = resource.paging?.next;
    if (at) onNext?.(at);
  }
  return { uids, names, total, pages };
}

/**
 * A GET the server throttles once (its fault set by the caller) for `seconds`: waited that long, not much longer, and
 * the user told so in one notice (`notices`, cleared first, is where the session's transport puts them).
 */
export async function throttledOnce(s: ApiSession, href: string, notices: WaitNotice[], seconds: number): Promise<Fetched> {
  notices.length = 0;
  const started = Date.now();
  const fetched = await s.get(href);
  const waited = Date.now() - started;
  assert.ok(waited >= seconds * 1000 - 50 && waited < seconds * 1000 + 2000, `waited ${waited} ms for ${seconds} s`);
  assert.deepEqual(notices, [{ code: 'throttled', seconds }]);
  return fetched;
}

/**
 * Fails when a text holds a secret in any form it travels in: as written, percent-encoded (also as a form writes it),
 * base64 with and without padding; for accounts, also their Basic value.
 */
export function assertNoSecrets(texts: readonly string[], secrets: readonly string[], accounts: ReadonlyArray<{ username: string; password: string }> = []): void {
  const forms = new Set<string>();
  for (const secret of [...secrets, ...accounts.map((a) => a.password)]) {
    const b64 = Buffer.from(secret, 'utf8').toString('base64');
    for (const form of [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), b64, b64.replace(/=+$/, '')]) forms.add(form);
  }
  for (const a of accounts) forms.add(Buffer.from(`${a.username}:${a.password}`, 'utf8').toString('base64'));
  for (const text of texts) for (const form of forms) assert.ok(!text.includes(form), `a secret (${form}) in: ${text}`);
}

/**
 * Fails unless four times the work takes less than eight times as long (quadratic work takes sixteen), and the larger
 * run less than `withinMs`: `run(1)` and `run(4)` are the two sizes. Says both timings in the test's diagnostics.
 */
export function assertLinear(t: { diagnostic(text: string): void }, what: string, run: (scale: 1 | 4) => void, withinMs: number): void {
  const small = fastest(() => run(1));
  const large = fastest(() => run(4));
  t.diagnostic(`${what}: ${small.toFixed(1)} ms, four times as much: ${large.toFixed(1)} ms, ratio ${(large / small).toFixed(1)}`);
  assert.ok(large < withinMs, `four times ${what} took ${Math.round(large)} ms`);
  assert.ok(large / small < 8, `four times as much took ${(large / small).toFixed(1)} times as long (quadratic: 16)`);
}

/** Shortest of three runs, in milliseconds (the machine is shared: the shortest is the least disturbed). */
export function fastest(run: () => void): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}
