// Security review: a long value in a body (a text node, an attribute, CDATA, a comment, a JSON string) must not make
// the parser allocate or work without bound. fast-xml-parser builds a text node a character at a time: a 50 MB one
// peaked at 2.1 GB and ran the parser thread out of memory. Each body is parsed in a child process of its own, as the
// parser thread would parse it, so its peak memory (the kernel's high-water mark) is its own and not this runner's.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { findLongJsonString } from '../../src/api/parse/long-values';

const PARSE_JOB = join(__dirname, '../../src/api/kinds/parse-job.js');
const EM = 'https://em.example:9398/api/jobs';
const VSPC = 'https://vspc.example:1280/api/v3/';
const MB = 1024 * 1024;

interface Outcome {
  bytes: number;
  ms: number;
  /** Peak resident memory over what the process used before the body was made. */
  growth: number;
  error?: { name: string; message: string };
  /** Lengths of the values of the resource's fields (and its children's), when it parsed. */
  values?: number[];
}

// The child builds the body in one buffer of its final size (no string or second copy of it exists outside the
// parser), then parses it. A part is text, or [count, character] for a run of one character.
const CHILD = `
const { parseBodyHere } = require(process.argv[1]);
const [shape, size] = [process.argv[2], Number(process.argv[3])];
const times = (n, parts) => Array.from({ length: n }, () => parts).flat();
const shapes = {
  text: () => ['<Job Href="/j"><Description>', [size, 'x'], '</Description></Job>'],
  attribute: () => ['<Job Href="/j" Description="', [size, 'x'], '"/>'],
  cdata: () => ['<Job Href="/j"><Description><![CDATA[', [size, 'x'], ']]></Description></Job>'],
  comment: () => ['<Job Href="/j"><!--', [size, 'x'], '--></Job>'],
  instruction: () => ['<?pi ', [size, 'x'], '?><Job Href="/j"/>'],
  tabs: () => ['<Job Href="/j"', [size, '\\t'], '/>'],
  'text between comments': () => ['<Job Href="/j"><Description>', ...times(Math.ceil(size / 60_007), [[60_000, 'x'], '<!---->']), '</Description></Job>'],
  'mixed text': () => ['<Job Href="/j"><Description>', ...times(Math.ceil(size / 60_005), [[60_000, 'x'], '<br/>']), '</Description></Job>'],
  'space after the root': () => ['<Job Href="/j"/>', [size, ' ']],
  'one-megabyte texts': () => ['<EntityReferences>', ...times(Math.round(size / MB), ['<Ref Href="/r"><Description>', [MB, 'x'], '</Description></Ref>']), '</EntityReferences>'],
  'seven-megabyte text': () => ['<Job Href="/j"><Description> ', [7 * MB, 'x'], ' </Description></Job>'],
  'EM JSON string': () => ['{"Href":"/j","Description":"', [size, 'x'], '"}'],
  'VSPC JSON string': () => ['{"data":{"instanceUid":"u","name":"', [size, 'x'], '"}}'],
  'VSPC JSON key': () => ['{"data":{"', [size, 'x'], '":1}}'],
};
const MB = ${MB};
const before = process.memoryUsage().rss;
const parts = shapes[shape]();
const body = Buffer.allocUnsafe(parts.reduce((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) : p[0]), 0));
let at = 0;
for (const p of parts) {
  if (typeof p === 'string') at += body.write(p, at);
  else {
    body.fill(p[1], at, at + p[0]);
    at += p[0];
  }
}
const vspc = shape.startsWith('VSPC');
const job = vspc
  ? { kind: 'vspc', raw: { body, url: '${VSPC}about', status: 200, contentType: 'application/json' }, baseUrl: '${VSPC}', collections: [], revision: '3.6' }
  : { kind: 'em', raw: { body, url: '${EM}', status: 200, contentType: shape.includes('JSON') ? 'application/json' : 'application/xml' } };
const started = performance.now();
const out = { bytes: body.length };
try {
  const r = parseBodyHere(job);
  out.values = [r, ...r.children].flatMap((x) => x.fields.map((f) => (f.value ?? '').length));
} catch (err) {
  out.error = { name: err.name, message: String(err.message).slice(0, 2000) };
}
out.ms = performance.now() - started;
out.growth = process.resourceUsage().maxRSS * 1024 - before;
process.stdout.write(JSON.stringify(out));
`;

function parseInChild(shape: string, size = 30 * MB): Outcome {
  const child = spawnSync(process.execPath, ['-e', CHILD, PARSE_JOB, shape, String(size)], { encoding: 'utf8', timeout: 180_000, maxBuffer: 1024 * 1024 });
  assert.equal(child.status, 0, `${shape}: the child ended with ${child.status ?? child.signal}: ${child.stderr.slice(-2000)}`);
  return JSON.parse(child.stdout) as Outcome;
}

const mb = (n: number) => `${(n / MB).toFixed(0)} MB`;

/** At most four times the body: its bytes, its text, and the parser's own copy with room to spare. */
function assertBounded(t: TestContext, shape: string, o: Outcome, ms: number): void {
  t.diagnostic(`${shape}: ${mb(o.bytes)} body, ${Math.round(o.ms)} ms, peak memory +${mb(o.growth)}`);
  assert.ok(o.growth < 4 * o.bytes, `${shape}: peak memory grew by ${mb(o.growth)} for a body of ${mb(o.bytes)}`);
  assert.ok(o.ms < ms, `${shape}: ${Math.round(o.ms)} ms`);
}

describe('long values in a body: refused or read, in bounded time and memory', () => {
  for (const shape of ['text', 'attribute', 'cdata', 'comment', 'instruction', 'tabs', 'text between comments', 'mixed text', 'EM JSON string']) {
    it(`refuses 30 MB of ${shape} in EM XML or JSON with a ProtocolError naming the URL and the limit`, (t) => {
      const o = parseInChild(shape);
      assert.equal(o.error?.name, 'ProtocolError', `${shape}: ${JSON.stringify(o.error ?? o.values?.slice(0, 5))}`);
      assert.ok(o.error!.message.includes(EM), o.error!.message);
      assert.match(o.error!.message, /over a limit of what this extension reads \(line \d+: .*(MB|characters)/);
      assertBounded(t, shape, o, 3000);
    });
  }

  for (const shape of ['VSPC JSON string', 'VSPC JSON key']) {
    it(`refuses a ${shape.slice(5)} of 30 MB in a VSPC body`, (t) => {
      const o = parseInChild(shape);
      assert.equal(o.error?.name, 'ProtocolError', JSON.stringify(o.error));
      assert.ok(o.error!.message.includes(`${VSPC}about`), o.error!.message);
      assert.match(o.error!.message, /a string of 30 MB, more than 8 MB/);
      assertBounded(t, shape, o, 3000);
    });
  }

  it('reads 30 one-megabyte text nodes whole, in bounded memory (each used to be built a character at a time)', (t) => {
    const o = parseInChild('one-megabyte texts');
    assert.equal(o.error, undefined, JSON.stringify(o.error));
    assert.equal(o.values?.length, 30);
    assert.ok(o.values!.every((n) => n === MB));
    assertBounded(t, 'one-megabyte texts', o, 5000);
  });

  it('reads a 7 MB text node (under the limit) whole and trimmed, in bounded memory', (t) => {
    const o = parseInChild('seven-megabyte text');
    assert.equal(o.error, undefined, JSON.stringify(o.error));
    assert.deepEqual(o.values, [7 * MB]);
    assertBounded(t, 'seven-megabyte text', o, 5000);
  });

  it('reads a body followed by 30 MB of white space, in bounded memory', (t) => {
    const o = parseInChild('space after the root');
    assert.equal(o.error, undefined, JSON.stringify(o.error));
    assertBounded(t, 'space after the root', o, 3000);
  });
});

describe('findLongJsonString', () => {
  /** The first string longer than `max` found character by character: what the quick search must agree with. */
  function reference(text: string, max: number): { at: number; length: number } | undefined {
    for (let k = 0; k < text.length; k++) {
      if (text[k] !== '"') continue;
      let end = k + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (end >= text.length) return undefined;
      if (end - k - 1 > max) return { at: k, length: end - k - 1 };
      k = end;
    }
    return undefined;
  }

  it('finds the first string over the limit, escapes counted as written, as a character-by-character reading does', () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % n;
    const pieces = ['a', '\\"', '\\\\', '\\u0041', ' ', '"'];
    for (let round = 0; round < 300; round++) {
      const max = 1 + random(40);
      const values: string[] = [];
      for (let v = 0; v < 1 + random(12); v++) {
        let s = '';
        for (let c = random(3) === 0 ? random(3 * max) : random(max); c > 0; c--) s += pieces[random(4)];
        values.push(random(5) === 0 ? `${' '.repeat(random(4 * max))}"${s}":1` : `"k":"${s}"`);
      }
      const text = `{${values.join(',')}}`;
      assert.deepEqual(findLongJsonString(text, max), reference(text, max), `${text} (max ${max})`);
    }
    // Ten characters of escaped backslashes end with a quote that closes the string (an even run before it).
    const text = `{"a":"${'\\\\'.repeat(5)}","b":"${'x'.repeat(11)}"}`;
    assert.deepEqual(findLongJsonString(text, 10), { at: text.indexOf('"x'), length: 11 });
    assert.equal(findLongJsonString(`{${' '.repeat(100)}"a":1}`, 10), undefined);
  });
});
