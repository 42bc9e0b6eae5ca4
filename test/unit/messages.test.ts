import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ApiError, english, fill, MESSAGES, ProtocolError, redactError, say, TooLargeError, type MessageCode } from '../../src/api';
import { newBodyParser } from '../../src/api/kinds/body-parser';
import { OFF_THREAD_BYTES } from '../../src/api/parse/parse';

/** Errors are data (src/api/messages.ts): one table of English templates, worded by the UI and the command line. */

const repo = resolve(__dirname, '../../..');
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : /\.ts$/.test(name) ? [full] : [];
  });
const placeholders = (template: string) => [...template.matchAll(/\{([^{}]*)\}/g)].map((m) => m[1]);

/**
 * Files of src/api that still build English error text, until they are converted to Wordings (the lead rewrites
 * them; see ErrorText in src/api/errors.ts). Every other file says codes.
 */
const NOT_YET_CONVERTED = new Set<string>();

describe('the message table', () => {
  it('has a template for every code, with placeholders that are plain names and braces that pair', () => {
    for (const [code, template] of Object.entries(MESSAGES)) {
      assert.ok(template.length > 0, code);
      for (const name of placeholders(template)) assert.match(name, /^[a-z][A-Za-z]*$/, `${code}: {${name}}`);
      assert.equal(template.replace(/\{[a-z][A-Za-z]*\}/g, '').search(/[{}]/), -1, `${code}: a stray brace`);
    }
  });

  it('holds no code api/ does not use', () => {
    const text = sources(join(repo, 'src')).filter((f) => !f.endsWith('messages.ts')).map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const code of Object.keys(MESSAGES)) assert.ok(text.includes(`'${code}'`), `${code} is never said`);
  });

  it('words a sentence in English: named placeholders filled, unknown ones left, values as they are, Wordings worded first', () => {
    assert.equal(english(say('connect.refused', { host: 'em:9398' })), 'em:9398 refused the connection.');
    assert.equal(english(say('cancelled')), 'The request was cancelled.');
    // A value is put in once: braces in it (a server's text) are not read as placeholders.
    assert.equal(english(say('json.malformed', { url: 'https://h/{host}', reason: '{url} $& $1' })), 'The JSON from https://h/{host} is malformed or truncated: {url} $& $1.');
    assert.equal(fill('{a} and {b}', { a: 1 }), '1 and {b}');
    assert.equal(english({ code: 'connect.refused' }), '{host} refused the connection.');
    const why = say('xml.why.closes-other', { closing: 'B', open: 'A' });
    assert.equal(english(say('xml.malformed', { url: 'u', line: 3, reason: why })), 'The XML from u is malformed or truncated (line 3: </B> closes <A>).');
  });

  it('lets a call pass exactly the placeholders of its template (checked by the compiler)', () => {
    // Each line below would not compile without its @ts-expect-error: the test is that they are errors.
    // @ts-expect-error a placeholder that is not in the template
    say('connect.refused', { hots: 'h' });
    // @ts-expect-error a placeholder of the template left out
    say('connect.timeout', { host: 'h' });
    // @ts-expect-error one more than the template has
    say('connect.refused', { host: 'h', port: 1 });
    // @ts-expect-error a template without placeholders takes none
    say('cancelled', {});
    // @ts-expect-error no such code
    say('no.such-code');
    assert.ok(true);
  });
});

describe('an ApiError', () => {
  it('carries its wording and hint as data, and the same in English as message, hint and detail', () => {
    const err = new ProtocolError(say('body.empty', { url: 'https://h/api' }), say('hint.try-again'), 'https://h/api');
    assert.deepEqual(err.wording, { code: 'body.empty', params: { url: 'https://h/api' } });
    assert.deepEqual(err.hintWording, { code: 'hint.try-again' });
    assert.equal(err.message, 'The server sent an empty body for https://h/api.');
    assert.equal(err.hint, 'Try again.');
    assert.equal(err.detail, 'The server sent an empty body for https://h/api. Try again.');
  });

  it('takes text already worded by its maker (the UI, the command line) as it is', () => {
    const err = new ApiError('usage', 'Déjà dit.', 'Rien à faire.');
    assert.deepEqual(err.wording, { code: 'text', params: { text: 'Déjà dit.' } });
    assert.equal(err.detail, 'Déjà dit. Rien à faire.');
  });

  it('keeps its wording when it comes back from the parser thread', async (t) => {
    const parser = newBodyParser();
    t.after(() => parser.dispose());
    const body = Buffer.from(`<A>${'<B x="1"/>'.repeat(OFF_THREAD_BYTES / 8)}<C>`);
    await assert.rejects(parser.parse({ kind: 'em', raw: { body, url: 'https://h/api/x', status: 200, contentType: 'application/xml' } }), (err: unknown) => {
      assert.ok(err instanceof ProtocolError, String(err));
      assert.equal(err.wording.code, 'xml.malformed');
      assert.deepEqual((err.wording.params?.reason as { code: MessageCode }).code, 'xml.why.truncated');
      assert.equal(err.message, english(err.wording));
      return true;
    });
  });

  it('is made of codes in api/: no English sentence is given to an error constructor there', () => {
    const api = join(repo, 'src/api');
    // The message is the first argument, after the kind of an ApiError or the reason of an AuthError. A
    // ScriptTargetError takes a problem code (a union type), worded by the UI and the command line.
    const english = /new (?!Error\b|ApiError\b|AuthError\b|ScriptTargetError\b)\w*Error\(\s*[`'"]|new (?:Api|Auth)Error\(\s*'[\w-]+',\s*[`'"]/;
    for (const file of sources(api)) {
      const name = relative(api, file);
      if (NOT_YET_CONVERTED.has(name)) continue;
      const text = readFileSync(file, 'utf8');
      const found = english.exec(text);
      assert.equal(found, null, found ? `${name}:${text.slice(0, found.index).split('\n').length}: ${found[0]}` : '');
    }
  });

  it('is redacted in its wordings too: a server that echoes a token has it shown in no language', () => {
    const token = 'c2VjcmV0LXRva2VuLTEyMzQ1Njc4OTA=';
    const why = say('xml.why.closes-nothing', { closing: token });
    const err = new ProtocolError(say('xml.malformed', { url: `https://h/api?t=${token}`, line: 1, reason: why }), say('hint.proxy-credentials', { source: token }), 'https://h/');
    redactError(err, [token]);
    assert.doesNotMatch(JSON.stringify([err.wording, err.hintWording, err.message, err.hint]), /c2VjcmV0LXRva2VuLTEyMzQ1Njc4OTA/);
    assert.equal(err.message, english(err.wording));
    assert.equal(err.hint, english(err.hintWording!));
  });

  it('tells a response over the size cap with the sizes as data', () => {
    const err = new TooLargeError(say('response.too-large', { size: '2.0 MB', limit: '1.0 MB' }), say('hint.raise-size'), 'https://h/', 1024 * 1024);
    assert.match(err.message, /larger than the 1\.0 MB limit/);
  });
});
