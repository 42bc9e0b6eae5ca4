import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { generateScript, type ScriptTarget } from '../../src/api';
import { bashString, powershellString, pythonString } from '../../src/api/scripts/quote';
import { startSimulators, type Simulators } from '../simulator';
import { requireScriptTools, runProgram, runScript } from './script-runner';

/**
 * Text from the server or the user (a node's name, its URL, the user name, a CA file's path) inside a generated script:
 * every literal reads back as exactly the text, in each language; run, a hostile value runs nothing (a marker file
 * that any injected command would create stays absent) and reaches the server exactly as it was.
 */
let sims: Simulators;
let folder: string;
let mark: string;

/** Each an attempt to leave a string or a comment in one of the languages, or to fool its reader. */
const HOSTILE = () => [
  `a'b"c$(touch ${mark})\`touch ${mark}\`;touch ${mark} #`,
  `x\ntouch ${mark}\n'''"""\\\\'`,
  `‘; touch ${mark}; ’ ‚ ‛ “ ” $env:PATH $HOME %PATH% @@`,
  `\u202e\u2066evil\u2069 \u2028\u2029 \u0085 \r\n\t\u001b[31m red`,
  `#> <# ${'$'}{IFS} \${x} \\x41 \\u0041 {0} %s -H @/etc/passwd`,
  'Müller & Söhne "Bau" <GmbH> 😀 עברית',
];

before(async () => {
  await requireScriptTools();
  sims = await startSimulators({ vbrItems: 3, vspcItems: 3, jobs: 3 });
  folder = mkdtempSync(join(tmpdir(), 'veeam-scripts-hostile-'));
  mark = join(folder, 'injected');
});
after(() => sims?.close());

describe('string literals of the generated scripts', () => {
  const samples = () => [...HOSTILE(), ...fc.sample(fc.string({ unit: 'binary', maxLength: 40 }), { numRuns: 300, seed: 15 }), ''];

  it('Python: each literal is exactly the text (parsed by python3), in printable ASCII', async () => {
    const texts = samples();
    const literals = texts.map(pythonString);
    for (const literal of literals) assert.match(literal, /^"[\x20-\x7e]*"$/);
    const program = `import json\nprint(json.dumps([${literals.join(',\n')}]))\n`;
    const run = await runProgram('python3', ['-c', program]);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), texts);
  });

  it('Bash: each literal is exactly the text\u2019s UTF-8 bytes (as bash reads them), in printable ASCII', async () => {
    const texts = samples().filter((t) => !t.includes('\u0000'));
    const literals = texts.map(bashString);
    for (const literal of literals) assert.match(literal, /^\$?'[\x20-\x7e]*'$/);
    const run = await runProgram('bash', ['-c', `printf '%s\\0' ${literals.join(' ')} | base64 -w0`]);
    assert.equal(run.code, 0, run.stderr);
    const values = Buffer.from(run.stdout, 'base64').toString('latin1').split('\u0000').slice(0, -1);
    assert.deepEqual(values, texts.map((t) => Buffer.from(t, 'utf8').toString('latin1')));
  });

  it('PowerShell: single-quoted printable ASCII and [char] code units, no quote character of its own left raw', () => {
    for (const text of samples()) {
      const literal = powershellString(text);
      assert.match(literal, /^[\x20-\x7e]*$/);
      // Read back: '…' with '' for ', and [char]0xHHHH.
      const parts = /^\(\[string\](.*)\)$/.exec(literal)?.[1].split(' + ') ?? [literal];
      const value = parts
        .map((p) => (p.startsWith('[char]0x') ? String.fromCharCode(parseInt(p.slice(8), 16)) : p.slice(1, -1).replace(/''/g, "'")))
        .join('');
      if (!/^\(\[string\]/.test(literal)) assert.match(literal, /^'(?:[^']|'')*'$/);
      assert.equal(value, text);
    }
  });
});

describe('hostile names, URLs, user names and paths in a script that runs', { timeout: 240_000 }, () => {
  const vbrTarget = (over: Partial<ScriptTarget>): ScriptTarget => ({
    kind: 'vbr',
    url: `${sims.vbr.url}v1/jobs`,
    fingerprint: sims.certificate.fingerprint256,
    collection: true,
    ...over,
  });

  for (const language of ['python', 'bash'] as const) {
    it(`${language}: a hostile user name reaches the server as it is and runs nothing`, async () => {
      for (const username of HOSTILE()) {
        const from = sims.vbr.requests.length;
        const script = generateScript(language, vbrTarget({ username, name: username }));
        const r = await runScript(language, script.text, { VEEAM_PASSWORD: 'x' });
        assert.notEqual(r.code, 0, 'refused: no such user');
        assert.match(r.stderr, /refused the logon/);
        const logon = sims.vbr.requests.slice(from).find((q) => q.path === '/api/oauth2/token');
        assert.ok(logon?.body, 'the logon was sent');
        assert.equal(new URLSearchParams(logon.body).get('username'), username, 'the user name as it is');
        assert.equal(existsSync(mark), false, 'nothing injected ran');
      }
    });

    it(`${language}: an EM user name with a colon and quotes goes into Basic as it is`, async () => {
      const username = `dom\\o'ne:"two" $(touch ${mark})`;
      const from = sims.em.requests.length;
      const script = generateScript(language, { kind: 'em', url: `${sims.em.url}jobs`, username, fingerprint: sims.certificate.fingerprint256 });
      const r = await runScript(language, script.text, { VEEAM_PASSWORD: 'pa:ss' });
      assert.notEqual(r.code, 0);
      const logon = sims.em.requests.slice(from).find((q) => q.method === 'POST');
      assert.equal(Buffer.from(logon!.headers.authorization.replace(/^Basic /, ''), 'base64').toString('utf8'), `${username}:pa:ss`);
      assert.equal(existsSync(mark), false);
    });

    it(`${language}: a URL with quotes, $(…) and backticks is requested as it is, with a hostile name and CA path`, async () => {
      const url = new URL(`${sims.vbr.url}v1/jobs?nameFilter='$(touch ${mark})'&x=\`touch ${mark}\`;$HOME`);
      const caDir = join(folder, `it's "$(touch ${mark})" \`x\``);
      mkdirSync(caDir, { recursive: true });
      const caFile = join(caDir, 'ca $(x).pem');
      writeFileSync(caFile, sims.certificate.pem);
      const from = sims.vbr.requests.length;
      const script = generateScript(language, {
        kind: 'vbr',
        url: url.href,
        username: sims.vbr.users.admin.username,
        caFile,
        name: `x\n#>\r\nimport os; os.system('touch ${mark}') \u202e $(touch ${mark})`,
      });
      assert.match(script.fileName, /^[A-Za-z0-9._-]+\.(py|sh)$/);
      const r = await runScript(language, script.text, { VEEAM_PASSWORD: sims.vbr.users.admin.password });
      assert.equal(r.code, 0, r.stderr);
      const sent = sims.vbr.requests.slice(from).filter((q) => q.method === 'GET');
      // requests writes the backtick percent-encoded (%60), as RFC 3986 wants it: the same URL.
      assert.deepEqual(sent.map((q) => decodeURIComponent(q.path)), [decodeURIComponent(`${url.pathname}${url.search}`)]);
      assert.equal(existsSync(mark), false);
    });
  }

  it('a name is a comment of one line in every language, without control or bidirectional characters', () => {
    for (const language of ['python', 'bash', 'powershell'] as const) {
      for (const name of HOSTILE()) {
        const text = generateScript(language, vbrTarget({ name })).text;
        const line = text.split('\n').find((l) => l.startsWith('# Reads: '))!;
        assert.ok(line, 'the Reads comment');
        assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
        assert.ok(text.indexOf(line) > text.indexOf('\n'), 'not on the first line');
      }
    }
  });
});
