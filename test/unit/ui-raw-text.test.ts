import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Fetched, RawResponse } from '../../src/api';
import { certificateProblem } from '../../src/api/transport/certificate-problem';
import { renderRawBytes, renderRawText } from '../../src/ui/raw-text';
import { PRETTY_LIMIT } from '../../src/api';
import { ResponseCache } from '../../src/ui/response-cache';

function raw(body: string, contentType: string, headers: Array<[string, string]> = []): RawResponse {
  return {
    method: 'GET',
    url: 'https://em.example.com:9398/api/jobs',
    status: 200,
    statusText: 'OK',
    headers: [['content-type', contentType], ...headers],
    body: Buffer.from(body),
    contentType,
    durationMs: 12,
    receivedAt: new Date('2026-01-02T03:04:05Z'),
  };
}

const secretHeaders: Array<[string, string]> = [
  ['x-restsvcsessionid', 'c2VjcmV0LXRva2Vu'],
  ['set-cookie', 'X-RestSvcSessionId=c2VjcmV0LXRva2Vu; Path=/api'],
];

describe('raw response text', () => {
  it('is the body alone by default', () => {
    const { text, language } = renderRawText(raw('<Jobs/>', 'application/xml'), false);
    assert.equal(language, 'xml');
    assert.ok(!text.includes('HTTP 200'));
  });

  it('puts headers in an XML comment after the declaration, tokens and cookies redacted', () => {
    const { text } = renderRawText(raw('<?xml version="1.0" encoding="utf-8"?><Jobs/>', 'application/xml', secretHeaders), true);
    assert.match(text, /^<\?xml[^>]*\?>\n<!--\n {2}GET https:\/\/em\.example\.com:9398\/api\/jobs\n {2}HTTP 200 OK/);
    assert.ok(text.includes('-->'));
    assert.ok(!text.includes('c2VjcmV0LXRva2Vu'), text);
  });

  it('puts headers in // comments above JSON', () => {
    const { text, language } = renderRawText(raw('{"Refs":[]}', 'application/json', secretHeaders), true);
    assert.equal(language, 'json');
    assert.match(text, /^\/\/ GET /);
    assert.ok(!text.includes('c2VjcmV0LXRva2Vu'));
    const body = text.split('\n').filter((l) => !l.startsWith('//')).join('\n');
    assert.deepEqual(JSON.parse(body), { Refs: [] });
  });
});

describe('the response cache', () => {
  const fetched = (size: number): Fetched => ({ resource: { links: [], fields: [], children: [] }, raw: raw('x'.repeat(size), 'text/plain') });
  const key = (href: string) => ({ connectionId: 'c1', href, representation: 'xml' });

  it('drops the least recently used entry past its count', () => {
    const cache = new ResponseCache(2, 1000);
    cache.set(key('a'), fetched(1));
    cache.set(key('b'), fetched(1));
    cache.get(key('a'));
    cache.set(key('c'), fetched(1));
    assert.ok(cache.get(key('a')));
    assert.equal(cache.get(key('b')), undefined);
    assert.ok(cache.get(key('c')));
  });

  it('stays under its byte budget and refuses what alone exceeds it', () => {
    const cache = new ResponseCache(10, 100);
    cache.set(key('a'), fetched(60));
    cache.set(key('b'), fetched(60));
    assert.equal(cache.get(key('a')), undefined);
    cache.set(key('huge'), fetched(101));
    assert.equal(cache.get(key('huge')), undefined);
    assert.equal(cache.size, 1);
  });

  it('keys by representation and clears one connection', () => {
    const cache = new ResponseCache();
    cache.set(key('a'), fetched(1));
    assert.equal(cache.get({ ...key('a'), representation: 'json' }), undefined);
    cache.set({ connectionId: 'c2', href: 'a', representation: 'xml' }, fetched(1));
    cache.clear('c1');
    assert.equal(cache.get(key('a')), undefined);
    assert.ok(cache.get({ connectionId: 'c2', href: 'a', representation: 'xml' }));
  });
});

describe('certificate problems', () => {
  it('reads why from Node codes', () => {
    assert.equal(certificateProblem('DEPTH_ZERO_SELF_SIGNED_CERT'), 'selfSigned');
    assert.equal(certificateProblem('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'unknownCa');
    assert.equal(certificateProblem('ERR_TLS_CERT_ALTNAME_INVALID'), 'nameMismatch');
    assert.equal(certificateProblem('CERT_HAS_EXPIRED'), 'expired');
    assert.equal(certificateProblem('PIN_MISMATCH'), 'pinMismatch');
    assert.equal(certificateProblem(undefined, { selfSigned: true } as never), 'selfSigned');
  });
});

describe('raw response bytes of a body too large to pretty-print', () => {
  const bigXml = () => raw(`<?xml version="1.0" encoding="utf-8"?>\n<EntityReferences>${'<Ref Name="x"/>'.repeat(Math.ceil(PRETTY_LIMIT / 15) + 10)}</EntityReferences>`, 'application/xml; charset=utf-8', secretHeaders);

  it('are the bytes as received, not a copy', () => {
    const r = bigXml();
    const { bytes, language } = renderRawBytes(r, false);
    assert.equal(language, 'xml');
    assert.equal(bytes, r.body, 'the body itself, not decoded and encoded again');
  });

  it('with headers: the declaration, the header comment (secrets redacted), then the rest as received', () => {
    const r = bigXml();
    const text = Buffer.from(renderRawBytes(r, true).bytes).toString('utf8');
    assert.ok(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<!--\n  GET https://em.example.com:9398/api/jobs\n  HTTP 200 OK'), text.slice(0, 200));
    assert.ok(!text.includes('c2VjcmV0LXRva2Vu'));
    assert.ok(text.endsWith('</EntityReferences>'));
    assert.equal(text.length, r.body.length + text.indexOf('-->\n') + 4 - '<?xml version="1.0" encoding="utf-8"?>\n'.length);
  });

  it('a small body still comes pretty-printed', () => {
    const { bytes } = renderRawBytes(raw('{"a":1}', 'application/json'), false);
    assert.equal(Buffer.from(bytes).toString('utf8'), renderRawText(raw('{"a":1}', 'application/json'), false).text);
  });
});
