import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { completeConnectionUrl, displayOrigin } from '../../src/api/kinds/connection-url';
import { hasQueryType, queryStringOf } from '../../src/ui/query-string';

describe('completing a connection URL', () => {
  it('adds https, the EM port and /api/ to a bare host name', () => {
    assert.deepEqual(completeConnectionUrl('em', 'em.example.com'), { ok: true, url: 'https://em.example.com:9398/api/' });
  });

  it('adds the VSPC port and /api/v3/', () => {
    assert.deepEqual(completeConnectionUrl('vspc', 'https://vspc.example.com'), { ok: true, url: 'https://vspc.example.com:1280/api/v3/' });
  });

  it('keeps a port and path the user typed, adding the trailing slash', () => {
    assert.deepEqual(completeConnectionUrl('em', ' https://10.0.0.5:19398/api '), { ok: true, url: 'https://10.0.0.5:19398/api/' });
  });

  it('keeps an explicit 443 instead of replacing it with the default port', () => {
    assert.deepEqual(completeConnectionUrl('em', 'https://em.example.com:443/api/'), { ok: true, url: 'https://em.example.com:443/api/' });
  });

  it('handles IPv6 literals', () => {
    assert.deepEqual(completeConnectionUrl('em', 'https://[::1]'), { ok: true, url: 'https://[::1]:9398/api/' });
    assert.deepEqual(completeConnectionUrl('em', 'https://[::1]:8443/'), { ok: true, url: 'https://[::1]:8443/api/' });
  });

  it('refuses http, other schemes, credentials, queries and garbage', () => {
    assert.deepEqual(completeConnectionUrl('em', 'http://em.example.com:9398/api/'), { ok: false, problem: 'notHttps' });
    assert.deepEqual(completeConnectionUrl('em', 'ftp://em.example.com'), { ok: false, problem: 'notHttps' });
    assert.deepEqual(completeConnectionUrl('em', 'https://admin:secret@em.example.com'), { ok: false, problem: 'credentials' });
    assert.deepEqual(completeConnectionUrl('em', 'https://em.example.com/api/?x=1'), { ok: false, problem: 'query' });
    assert.deepEqual(completeConnectionUrl('em', '   '), { ok: false, problem: 'empty' });
    assert.deepEqual(completeConnectionUrl('em', 'https://exa mple'), { ok: false, problem: 'invalid' });
  });

  it('shows host and port for descriptions', () => {
    assert.equal(displayOrigin('https://em.example.com:9398/api/'), 'em.example.com:9398');
  });
});

describe('query strings typed for the query service', () => {
  it('keeps only the query of a URL or path', () => {
    assert.equal(queryStringOf('https://em:9398/api/query?type=Job&pageSize=3'), 'type=Job&pageSize=3');
    assert.equal(queryStringOf('query?type=Job'), 'type=Job');
    assert.equal(queryStringOf(' ?type=Job '), 'type=Job');
    assert.equal(queryStringOf('type=Job&filter=jobtype==backup;platform==hyperv'), 'type=Job&filter=jobtype==backup;platform==hyperv');
  });

  it('needs a type', () => {
    assert.equal(hasQueryType('format=Entities&type=Backup'), true);
    assert.equal(hasQueryType('format=Entities'), false);
    assert.equal(hasQueryType('subtype=Job'), false);
  });
});
