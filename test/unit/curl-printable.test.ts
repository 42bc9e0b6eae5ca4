// Copy as curl: whatever the server put in an href, the copied command holds printable characters only, so pasting it
// into a terminal (with or without bracketed paste) runs exactly one curl with the words shown.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ApiError, printableUrl, toCurl } from '../../src/api';
import { urlText } from '../../src/ui/tree/labels';

/** Control characters (C0, DEL, C1), bidirectional controls and marks, separators, BOM, zero-width. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\p{Cs}/u;

/** A small deterministic generator (mulberry32): the same hostile hrefs on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '\x01', '\x0b', '\n', '\r', '\t', '\x00', '\x1b[2J', '\x1b]0;title\x07', '\x7f', '\x85', '\x9b', '\x9f',
  '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c',
  '\u2028', '\u2029', '\ufeff', '\u200b', '\u00a0', '\u3000', '\ud800', '\udc00', '😀',
  "'", '"', '`', '$(', ')', '${IFS}', ';', '&&', '|', '\\', ' ', '#', '!', '*', '?', '~', '%', 'é',
  'touch /tmp/pwned', 'rm -rf ~', 'echo hi', '/api/jobs', '?format=Entity', 'a',
];

function hostileHref(next: () => number): string {
  const prefixes = ['https://em.example.com:9398/api/', 'https://[::1]:9398/', 'http://x/', '', 'https://', 'https://u:p@em.example.com/'];
  let href = prefixes[Math.floor(next() * prefixes.length)];
  const n = 1 + Math.floor(next() * 12);
  for (let i = 0; i < n; i++) href += PIECES[Math.floor(next() * PIECES.length)];
  return href;
}

function assertPrintable(text: string, what: string): void {
  for (const c of text) {
    const code = c.codePointAt(0)!;
    assert.ok(code >= 0x20 && !(code >= 0x7f && code <= 0x9f), `${what} holds U+${code.toString(16).padStart(4, '0')}: ${JSON.stringify(text)}`);
  }
  assert.doesNotMatch(text, UNSAFE, `${what} holds an invisible or bidirectional character: ${JSON.stringify(text)}`);
}

/** The words bash makes of `command` (with `curl` replaced by printf), and whatever else it ran or printed. */
function bashWords(command: string): { words: string[]; status: number | null; stderr: string } {
  assert.ok(command.startsWith('curl '));
  const result = spawnSync('bash', ['-c', `printf '%s\\0' ${command.slice('curl '.length)}`], {
    encoding: 'utf8',
    // stdin not a socket and SHLVL set: bash then reads no ~/.bashrc (it does for what looks like a remote shell).
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, SHLVL: '2', VEEAM_SESSION_ID: 'SESSION', VEEAM_TOKEN: 'TOKEN' },
  });
  return { words: result.stdout.split('\0').slice(0, -1), status: result.status, stderr: result.stderr };
}

describe('Copy as curl: printable characters only', () => {
  it('percent-encodes control, C1, bidirectional and invisible characters of 2,000 hostile hrefs', () => {
    const next = random(20240531);
    const hrefs = Array.from({ length: 2000 }, () => hostileHref(next));
    for (const href of hrefs) {
      const command = toCurl('GET', href, [['Accept', 'application/xml'], ['X-RestSvcSessionId', '<token>']]);
      assertPrintable(command, `toCurl(${JSON.stringify(href)})`);
    }
    for (const href of hrefs) assertPrintable(printableUrl(href), `printableUrl(${JSON.stringify(href)})`);
  });

  it('the pasted command is one curl with the URL, two headers and nothing else (bash, 150 hostile hrefs)', () => {
    const next = random(7);
    for (let i = 0; i < 150; i++) {
      const href = hostileHref(next);
      const command = toCurl('GET', href, [['Accept', 'application/xml'], ['X-RestSvcSessionId', '<token>']]);
      const { words, status, stderr } = bashWords(command);
      assert.equal(status, 0, `${JSON.stringify(command)}: ${stderr}`);
      assert.equal(stderr, '');
      assert.deepEqual(words.slice(1), ['-H', 'Accept: application/xml', '-H', 'X-RestSvcSessionId: SESSION'], JSON.stringify(command));
      assert.equal(words.length, 5, JSON.stringify(words));
      // The URL curl gets is the href with only the unprintable characters percent-encoded (and no user:password).
      assert.equal(words[0], printableUrl(words[0]));
      assert.ok(!/u:p@/.test(words[0]), words[0]);
    }
  });

  it('the attack of the report: a newline and a command after \\x01 and \\x0b stay inside the URL', () => {
    const href = 'https://em.example.com:9398/api/jobs\x01\x0b\ntouch /tmp/veeam-curl-pwned\n';
    const command = toCurl('GET', href, [['Accept', 'application/xml']]);
    assert.equal(command, "curl 'https://em.example.com:9398/api/jobs%01%0B%0Atouch%20/tmp/veeam-curl-pwned%0A' -H 'Accept: application/xml'");
    assert.equal(printableUrl('https://h/\u202eexe.txt'), 'https://h/%E2%80%AEexe.txt');
    assert.equal(printableUrl('https://h/\ud800x'), 'https://h/%EF%BF%BDx');
    // What a URL may hold as it is stays as it is.
    assert.equal(printableUrl('https://em.example.com:9398/api/query?type=Job&filter=name==%22a%22#x'), 'https://em.example.com:9398/api/query?type=Job&filter=name==%22a%22#x');
    assert.equal(printableUrl('https://h/é😀'), 'https://h/é😀');
  });

  it('refuses headers that would need an unprintable character, and a method that is not one, with a clear error', () => {
    for (const [name, value] of [
      ['Accept', 'application/xml\ncurl evil'],
      ['Accept', 'a\x01b'],
      ['Accept', 'a\u202eb'],
      ['Accept', 'a\u00a0b'],
      ['X-Bad\n', 'v'],
      ['X Bad', 'v'],
      ['X-\u2066', 'v'],
    ]) {
      assert.throws(
        () => toCurl('GET', 'https://h/', [[name, value]]),
        (err: unknown) => err instanceof ApiError && err.kind === 'usage' && /no curl command was made/.test(err.message) && !UNSAFE.test(err.message),
        JSON.stringify([name, value]),
      );
    }
    assert.throws(() => toCurl('GET\n; rm -rf ~', 'https://h/', []), (err: unknown) => err instanceof ApiError && /not an HTTP method/.test(err.message));
    // Spaces and quotes in a value are fine: the value is quoted.
    assert.equal(toCurl('POST', 'https://h/', [['X-Note', `it's "fine"`]]), `curl -X POST 'https://h/' -H 'X-Note: it'\\''s "fine"'`);
  });

  it('an href in a tooltip is one line, controls shown as pictures, bidirectional controls replaced', () => {
    const shown = urlText('https://h/a\nVerified: yes\r\x01\u202eb');
    assert.equal(shown, 'https://h/a\u240aVerified: yes\u240d\u2401\ufffdb');
    assertPrintable(shown, 'urlText');
  });
});
