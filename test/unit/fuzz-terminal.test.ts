// Properties of what the command line prints and follows, over generated hostile input. Seeded like fuzz.test.ts:
// FUZZ_SEED=<integer> replays a run, FUZZ_RUNS sets how many cases each property gets.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { followableUrl } from '../../src/api/resource';
import { parseBodyHere } from '../../src/api/kinds/parse-job';
import { redactText } from '../../src/api/redact';
import { terminalBody, terminalLine } from '../../src/cli/terminal';

const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const params = { seed: SEED, numRuns: RUNS };

/** What must never reach a terminal: C0 (but the newline ending a line), DEL, C1, bidirectional controls. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = ['\u001b]0;title\u0007', '\u001b[2J', '\u001b]52;c;ZWNobyBodw==\u0007', '\u009b1m', '\u202e', '\u2066', '\r', '\u000b', '\u0000', '\n$(id)\n'];

const hostileText = fc.array(fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...HOSTILE)), { maxLength: 8 }).map((parts) => parts.join(''));

describe('fuzz: terminal output', () => {
  it('a line holds no control character, whatever it is made from', () => {
    fc.assert(fc.property(hostileText, (text) => !CONTROL.test(terminalLine(text)) && !terminalLine(text).includes('\n')), params);
  });

  it('a body for a terminal holds no control bytes but tab, newline and CR before newline; valid JSON passes byte for byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), hostileText, (bytes, text) => {
        for (const body of [Buffer.from(bytes), Buffer.from(text, 'utf8')]) {
          const out = terminalBody(body, true).toString('utf8').replace(/\r\n/g, '\n').replace(/\t/g, ' ');
          // Invalid UTF-8 decodes to U+FFFD here, which is harmless: only what decodes to a control counts.
          if (CONTROL.test(out.replace(/\n/g, ''))) return false;
        }
        const json = Buffer.from(JSON.stringify({ text, list: [text, 1, null] }), 'utf8');
        return terminalBody(json, false).equals(json);
      }),
      params,
    );
  });

  it('a line holds no secret in any form it travels in, however the server wraps it', () => {
    const secret = fc.string({ minLength: 4, maxLength: 40 }).filter((s) => s.trim().length >= 4);
    fc.assert(
      fc.property(secret, fc.string({ minLength: 1, maxLength: 12 }), fc.string({ minLength: 4, maxLength: 24 }), hostileText, hostileText, (token, user, password, before, after) => {
        const basic = Buffer.from(`${user}:${password}`).toString('base64');
        const forms = [token, encodeURIComponent(token), Buffer.from(token).toString('base64'), password, encodeURIComponent(password), Buffer.from(password).toString('base64'), basic];
        const line = terminalLine(redactText(`${before}${forms.join(` ${after} `)}${after}`, [{ user, password }, token]));
        // A form that the surrounding text happens to make up again is not the secret's doing: only look for forms of
        // four characters or more that the placeholder did not replace.
        const visible = line.split('<redacted>').join('\u0000');
        return !CONTROL.test(line) && forms.every((f) => f.length < 4 || !visible.includes(f) || `${before}${after}`.includes(f));
      }),
      params,
    );
  });

  it('an href is followed only as printable ASCII, and a parsed EM list never yields a followable href with a control character', () => {
    fc.assert(
      fc.property(hostileText, fc.constantFrom('', 'https://em.example:9398/api/', '/api/jobs/', 'https://[', 'javascript:'), (text, prefix) => {
        const href = prefix + text;
        const url = followableUrl(href);
        if (url !== undefined && !/^https?:\/\/[\x21-\x7e]+$/.test(url)) return false;
        const body = Buffer.from(JSON.stringify({ Refs: [{ Type: 'JobReference', Name: text, Href: href, Links: [{ Rel: 'Down', Href: href }] }] }));
        const resource = parseBodyHere({ kind: 'em', raw: { body, url: 'https://em.example:9398/api/jobs', status: 200, contentType: 'application/json' } });
        for (const h of [...resource.children.map((c) => c.href), ...resource.children.flatMap((c) => c.links.map((l) => l.href))]) {
          const followed = h === undefined ? undefined : followableUrl(h);
          if (followed !== undefined && CONTROL.test(followed)) return false;
          // An href the server wrote with a control character is no link, however the URL parser would mend it.
          if (followed !== undefined && /[\u0000-\u001f\u007f-\u009f]/.test(href)) return false;
        }
        return true;
      }),
      params,
    );
    assert.equal(followableUrl('https://h/\u001b[2J'), undefined);
  });
});
