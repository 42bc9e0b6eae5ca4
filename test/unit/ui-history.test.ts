// The request history's pure parts: what is kept of an exchange (redacted once, when recorded), the bounds, and the
// file kept in the workspace's storage folder: what it never holds, and its reader against hostile files.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { secretForms, type Exchange, type RawResponse, type Secret } from '../../src/api';
import { appendBounded, HISTORY_LIMIT, keepBodiesWithin, PERSIST_BODY_LIMIT, redactExchange, type BodyHolder } from '../../src/ui/activity/history-entry';
import { HISTORY_FILE_FORMAT, HISTORY_FILE_VERSION, MAX_FILE_CONNECTIONS, PERSIST_BODY_BUDGET, readHistoryFile, writeHistoryFile } from '../../src/ui/activity/history-file';

const PASSWORD = 'S3cret-Pa55word!';
const TOKEN = 'dG9rZW4tZnJvbS10aGUtc2VydmVy';
const USER = 'DOMAIN\\restuser';
const SECRETS: Secret[] = [{ user: USER, password: PASSWORD }, TOKEN];

/** Every form the secrets travel in (as the secrets e2e test searches for them). */
const FORMS = SECRETS.flatMap(secretForms);

function raw(body: string | Buffer, headers: Array<[string, string]> = [], url = 'https://em.example.com:9398/api/jobs'): RawResponse {
  return {
    method: 'GET',
    url,
    status: 200,
    statusText: 'OK',
    headers: [['content-type', 'application/json'], ...headers],
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    contentType: 'application/json',
    durationMs: 12,
    receivedAt: new Date('2026-01-02T03:04:05Z'),
  };
}

function exchange(extra: Partial<Exchange> = {}): Exchange {
  return { at: new Date('2026-01-02T03:04:05Z'), method: 'GET', url: 'https://em.example.com:9398/api/jobs', status: 200, durationMs: 12, size: 7, ...extra };
}

/** An exchange a careless server and a careless user fill with secrets in every place they could go. */
function leaky(): Exchange {
  const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  return exchange({
    method: 'POST',
    url: `https://user:${PASSWORD}@em.example.com:9398/api/jobs/1?action=start&echo=${encodeURIComponent(PASSWORD)}`,
    error: `server said ${TOKEN}`,
    requestBody: `<Spec><Password>${PASSWORD}</Password></Spec>`,
    requestContentType: 'application/xml',
    raw: raw(`{"echo":"${TOKEN}","b64":"${Buffer.from(PASSWORD).toString('base64')}","access_token":"unknown-token-value-123"}`, [
      ['x-restsvcsessionid', TOKEN],
      ['set-cookie', `X-RestSvcSessionId=${TOKEN}; Path=/api`],
      ['authorization', `Basic ${basic}`],
      ['x-echo', `Bearer ${TOKEN}`],
      ['location', 'https://em.example.com:9398/api/tasks/task-1'],
    ]),
  });
}

function assertNoSecret(text: string, where: string): void {
  for (const form of FORMS) assert.ok(!text.includes(form), `${where} holds a form of a secret: ${form.slice(0, 4)}…`);
}

describe('history entries', () => {
  it('are redacted when recorded: URL, error, request body, headers and body', () => {
    const kept = redactExchange(leaky(), SECRETS);
    assertNoSecret(kept.url, 'the URL');
    assert.ok(!kept.url.includes('user:'), 'no user:password part');
    assertNoSecret(kept.error!, 'the error');
    assertNoSecret(kept.requestBody!, 'the request body');
    assertNoSecret(JSON.stringify(kept.raw!.headers), 'the headers');
    assertNoSecret(kept.raw!.body.toString('utf8'), 'the body');
    assertNoSecret(kept.raw!.url, 'the response URL');
    assert.match(kept.raw!.body.toString('utf8'), /"echo":"<redacted>"/);
    assert.deepEqual(kept.raw!.headers.find(([n]) => n === 'location'), ['location', 'https://em.example.com:9398/api/tasks/task-1']);
  });

  it('of a logon, renewal or logoff keep neither body, whatever the session handed over', () => {
    const kept = redactExchange({ ...leaky(), credentials: true }, SECRETS);
    assert.equal(kept.credentials, true);
    assert.equal(kept.raw, undefined);
    assert.equal(kept.requestBody, undefined);
    assert.equal(kept.requestContentType, undefined);
    assert.equal(kept.status, 200);
  });

  it('keep a body over 1 MB as it came (it is redacted when shown and never written)', () => {
    const big = Buffer.alloc(PERSIST_BODY_LIMIT + 1, 0x61);
    const kept = redactExchange(exchange({ raw: raw(big) }), SECRETS);
    assert.equal(kept.raw!.body, big);
  });

  it('are bounded per connection: the oldest go first', () => {
    const list: number[] = [];
    const dropped: number[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 100; i++) dropped.push(...appendBounded(list, i));
    assert.equal(list.length, HISTORY_LIMIT);
    assert.equal(list[0], 100);
    assert.equal(list.at(-1), HISTORY_LIMIT + 99);
    assert.deepEqual(dropped, [...Array(100).keys()]);
  });

  it('let the responses of older entries go beyond the memory budget, newest kept', () => {
    const entries: BodyHolder[] = [0, 1, 2, 3].map(() => ({ raw: raw(Buffer.alloc(400)) }));
    assert.equal(keepBodiesWithin(entries, 1000), 2);
    assert.deepEqual(entries.map((e) => Boolean(e.raw)), [true, true, false, false]);
    assert.deepEqual(entries.map((e) => Boolean(e.responseDropped)), [false, false, true, true]);
  });
});

describe('the history file', () => {
  it('holds no secret in any encoding, no request body and no credential header', () => {
    const text = writeHistoryFile(new Map([['c1', [redactExchange(leaky(), SECRETS), exchange({ credentials: true, method: 'POST', url: 'https://em.example.com:9398/api/sessionMngr/?v=latest' })]]]), () => SECRETS);
    assertNoSecret(text, 'the file');
    assertNoSecret(Buffer.from(text).toString('base64'), 'the file');
    assert.ok(!text.includes('<Spec>'), 'no request body');
    assert.ok(!text.includes('unknown-token-value-123'), 'token fields redacted');
    assert.doesNotMatch(text, /x-restsvcsessionid|set-cookie|authorization/i);
    assert.match(text, /"x-echo","Bearer <redacted>"/, 'another header is written, redacted');
    const read = readHistoryFile(text).get('c1')!;
    assert.equal(read.length, 2);
    assert.equal(read[0].raw?.status, 200);
    assert.equal(read[0].requestBody, undefined);
    assert.equal(read[0].requestBodyOmitted, true, 'it says the request had a body');
    assert.equal(read[1].credentials, true);
    assert.equal(read[1].raw, undefined);
  });

  it('redacts secrets the session knew when it is written, also in a body that is not UTF-8', () => {
    const binary = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00]), Buffer.from(`x${TOKEN}y`), Buffer.from([0xc3])]);
    const text = writeHistoryFile(new Map([['c1', [exchange({ raw: raw(binary) })]]]), () => SECRETS);
    const read = readHistoryFile(text).get('c1')![0];
    assert.ok(read.raw);
    assertNoSecret(read.raw.body.toString('latin1'), 'the binary body');
    assert.ok(read.raw.body.includes(Buffer.from('x<redacted>y')));
    assert.deepEqual([...read.raw.body.subarray(0, 3)], [0xff, 0xfe, 0x00]);
  });

  it('writes a response only up to 1 MB, and bodies only within its budget, newest first', () => {
    const big = exchange({ raw: raw(Buffer.alloc(PERSIST_BODY_LIMIT + 1, 0x61)) });
    const entries: Exchange[] = [big];
    const each = PERSIST_BODY_LIMIT - 10;
    const count = Math.ceil(PERSIST_BODY_BUDGET / each) + 2;
    for (let i = 0; i < count; i++) entries.push(exchange({ at: new Date(Date.UTC(2026, 0, 2, 3, 4, i)), raw: raw(Buffer.alloc(each, 0x62)) }));
    const read = readHistoryFile(writeHistoryFile(new Map([['c1', entries]]))).get('c1')!;
    assert.equal(read.length, entries.length);
    assert.equal(read[0].raw, undefined, 'the body over 1 MB is not written');
    assert.ok(read.at(-1)!.raw, 'the newest body is written');
    const written = read.filter((e) => e.raw).length;
    assert.ok(written * each <= PERSIST_BODY_BUDGET && written >= Math.floor(PERSIST_BODY_BUDGET / each) - 1, `${written} bodies written`);
  });

  it('is read back as it was written', () => {
    const entries = [exchange(), exchange({ method: 'DELETE', status: undefined, error: 'connect ECONNREFUSED', size: 0 }), exchange({ raw: raw('{"a":1}', [['etag', '"x"']]) })];
    const read = readHistoryFile(writeHistoryFile(new Map([['c1', entries], ['c2', [exchange()]]])));
    assert.deepEqual([...read.keys()], ['c1', 'c2']);
    const [first, second, third] = read.get('c1')!;
    assert.equal(first.url, 'https://em.example.com:9398/api/jobs');
    assert.equal(second.error, 'connect ECONNREFUSED');
    assert.equal(second.status, undefined);
    assert.equal(third.raw!.body.toString(), '{"a":1}');
    assert.deepEqual(third.raw!.headers, [['content-type', 'application/json'], ['etag', '"x"']]);
    assert.equal(third.raw!.method, 'GET');
    assert.equal(third.raw!.receivedAt.toISOString(), '2026-01-02T03:04:05.000Z');
  });
});

/** A file of one connection with these entries. */
function file(entries: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ format: HISTORY_FILE_FORMAT, version: HISTORY_FILE_VERSION, connections: { c1: entries }, ...extra });
}

const good = { at: '2026-01-02T03:04:05.000Z', method: 'GET', url: 'https://em.example.com/api/jobs', status: 200, durationMs: 5, size: 3 };
const goodResponse = { status: 200, statusText: 'OK', headers: [['content-type', 'application/json']], durationMs: 5, receivedAt: '2026-01-02T03:04:05.000Z', body: '{}' };

describe('the history file reader', () => {
  it('ignores what is not a history file of this version', () => {
    for (const text of ['', 'not json', '[]', 'null', '"x"', '{}', JSON.stringify({ format: 'other', version: 1, connections: {} }), JSON.stringify({ format: HISTORY_FILE_FORMAT, version: 2, connections: { c1: [good] } }), JSON.stringify({ format: HISTORY_FILE_FORMAT, version: 1, connections: [] })]) {
      assert.equal(readHistoryFile(text).size, 0, text);
    }
    assert.equal(readHistoryFile(file([good])).get('c1')?.length, 1);
  });

  it('leaves out entries with a field of the wrong type, out of range or too long', () => {
    const bad: unknown[] = [
      null, 1, 'x', [], {},
      { ...good, at: 'yesterday' }, { ...good, at: '1970-01-01T00:00:00Z' }, { ...good, at: '2999-01-01T00:00:00Z' }, { ...good, at: 12 },
      { ...good, method: 'get' }, { ...good, method: 'GET\r\nX: y' }, { ...good, method: 'A'.repeat(17) },
      { ...good, url: 'javascript:alert(1)' }, { ...good, url: 'file:///etc/passwd' }, { ...good, url: 'https://u:p@em.example.com/' }, { ...good, url: `https://e.com/${'a'.repeat(20000)}` }, { ...good, url: 5 },
      { ...good, status: 99 }, { ...good, status: 600 }, { ...good, status: 200.5 }, { ...good, status: '200' },
      { ...good, durationMs: -1 }, { ...good, durationMs: 'NaN' }, { ...good, durationMs: 1e12 }, { ...good, size: -5 }, { ...good, size: null },
      { ...good, error: 'e'.repeat(3000) }, { ...good, error: 5 }, { ...good, credentials: 'yes' }, { ...good, requestBodyOmitted: 1 },
      { ...good, response: 'x' }, { ...good, response: { ...goodResponse, status: 0 } }, { ...good, response: { ...goodResponse, headers: 'x' } },
      { ...good, response: { ...goodResponse, headers: [['bad name', 'v']] } }, { ...good, response: { ...goodResponse, headers: [['a', 'b', 'c']] } },
      { ...good, response: { ...goodResponse, headers: Array(101).fill(['a', 'b']) } }, { ...good, response: { ...goodResponse, receivedAt: 'x' } },
      { ...good, response: { ...goodResponse, body: 'x'.repeat(PERSIST_BODY_LIMIT + 1) } }, { ...good, response: { ...goodResponse, body: undefined, bodyBase64: '!!!' } },
      { ...good, response: { ...goodResponse, bodyBase64: 'AA==' } }, { ...good, response: { ...goodResponse, body: 5 } },
    ];
    const read = readHistoryFile(file([...bad, good]));
    assert.equal(read.get('c1')?.length, 1, 'only the good entry');
  });

  it('never gives back a credential header, even from a file that holds one', () => {
    const response = { ...goodResponse, headers: [['Set-Cookie', 'a=b'], ['X-RestSvcSessionId', 'abc'], ['Authorization', 'Basic x'], ['x-auth-token', 't'], ['etag', '"1"']] };
    const [entry] = readHistoryFile(file([{ ...good, response }])).get('c1')!;
    assert.deepEqual(entry.raw!.headers, [['etag', '"1"']]);
  });

  it('keeps the newest 500 entries of a connection and at most 200 connections', () => {
    const many = Array.from({ length: HISTORY_LIMIT + 50 }, (_, i) => ({ ...good, at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString() }));
    const read = readHistoryFile(file(many)).get('c1')!;
    assert.equal(read.length, HISTORY_LIMIT);
    assert.equal(read[0].at.toISOString(), many[50].at);
    const connections = Object.fromEntries(Array.from({ length: MAX_FILE_CONNECTIONS + 20 }, (_, i) => [`c${i}`, [good]]));
    assert.equal(readHistoryFile(JSON.stringify({ format: HISTORY_FILE_FORMAT, version: 1, connections })).size, MAX_FILE_CONNECTIONS);
  });

  it('pollutes no prototype with a connection named __proto__ or constructor', () => {
    const text = `{"format":"${HISTORY_FILE_FORMAT}","version":1,"connections":{"__proto__":[${JSON.stringify(good)}],"constructor":[${JSON.stringify(good)}]}}`;
    const read = readHistoryFile(text);
    assert.deepEqual([...read.keys()].sort(), ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>).method, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'method'), false);
  });

  it('never throws, and gives only entries within bounds, whatever the file holds', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(good), fc.constant(goodResponse));
    const entry = fc.record({ at: value, method: fc.oneof(value, fc.constantFrom('GET', 'POST')), url: fc.oneof(value, fc.webUrl()), status: value, durationMs: value, size: value, response: fc.oneof(value, fc.record({ status: value, statusText: value, headers: fc.array(fc.array(value)), durationMs: value, receivedAt: value, body: value })) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue().map((v) => JSON.stringify(v)), fc.array(entry).map((list) => file(list)), fc.string()), (text) => {
        for (const [id, list] of readHistoryFile(text)) {
          assert.ok(id.length > 0 && list.length <= HISTORY_LIMIT);
          for (const e of list) {
            assert.ok(/^[A-Z]{1,16}$/.test(e.method) && /^https?:/.test(e.url) && Number.isFinite(e.at.getTime()));
            assert.ok(!e.raw || e.raw.body.length <= PERSIST_BODY_LIMIT);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
