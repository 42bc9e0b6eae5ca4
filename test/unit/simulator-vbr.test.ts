import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { createLoopbackCertificate } from '../simulator/tls';
import { buildVbrEstate } from '../simulator/vbr/estate';
import { nameMatcher } from '../simulator/vbr/query';
import { startVbrSimulator, type VbrServer } from '../simulator/vbr/server';
import { startSimulators, type Simulators } from '../simulator';

/* The VBR simulator over real HTTPS: what the VBR kind of the client will rely on. */

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

const REV = '1.3-rev1';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function json(reply: Reply): Body {
  assert.match(String(reply.headers['content-type'] ?? ''), /^application\/json/, `JSON answer: ${reply.text.slice(0, 200)}`);
  return JSON.parse(reply.text) as Body;
}

function assertError(reply: Reply, status: number, errorCode?: string): Body {
  assert.equal(reply.status, status, reply.text);
  const b = json(reply);
  assert.equal(typeof b.errorCode, 'string');
  assert.equal(typeof b.message, 'string');
  assert.ok(b.message.length > 0);
  if (errorCode) assert.equal(b.errorCode, errorCode);
  return b;
}

describe('VBR simulator', () => {
  let vbr: VbrServer;
  let vbr12: VbrServer;
  let shortLived: VbrServer;
  let agent: Agent;
  let token: string;

  async function call(path: string, options: { method?: string; headers?: Record<string, string>; body?: string; token?: string; revision?: string | null } = {}, server = vbr): Promise<Reply> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.revision !== null) headers['x-api-version'] = options.revision ?? REV;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await request(server.origin + path, { method: (options.method ?? 'GET') as 'GET', headers, body: options.body, dispatcher: agent });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  const logonReply = (user = vbr.users.admin, server = vbr, revision?: string | null) =>
    call('/api/oauth2/token', { method: 'POST', headers: FORM, body: new URLSearchParams({ grant_type: 'password', username: user.username, password: user.password }).toString(), revision }, server);

  async function logon(user = vbr.users.admin, server = vbr): Promise<Body> {
    const reply = await logonReply(user, server);
    assert.equal(reply.status, 200, reply.text);
    return json(reply);
  }

  const refresh = (refreshToken: string, server = vbr) =>
    call('/api/oauth2/token', { method: 'POST', headers: FORM, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString() }, server);

  const get = (path: string, t = token) => call(path, { token: t });

  before(async () => {
    const certificate = await createLoopbackCertificate();
    const tls = { key: certificate.key, cert: certificate.pem };
    [vbr, vbr12, shortLived] = await Promise.all([
      startVbrSimulator({ host: '127.0.0.1', port: 0, tls, actionDurationMs: 300 }),
      startVbrSimulator({ host: '127.0.0.1', port: 0, tls, revisions: 'vbr12.3', items: 20 }),
      startVbrSimulator({ host: '127.0.0.1', port: 0, tls, items: 5, accessTokenLifetimeMs: 300, refreshTokenLifetimeMs: 600 }),
    ]);
    agent = new Agent({ connect: { ca: certificate.pem } });
    token = (await logon()).access_token;
  });

  after(async () => {
    await agent.close();
    await Promise.all([vbr.close(), vbr12.close(), shortLived.close()]);
  });

  describe('logon', () => {
    test('listens on loopback HTTPS under /api/', () => {
      assert.match(vbr.url, /^https:\/\/127\.0\.0\.1:\d+\/api\/$/);
    });

    test('password grant: a TokenModel with .issued and .expires, no-store', async () => {
      const reply = await logonReply();
      const b = json(reply);
      assert.equal(reply.status, 200);
      assert.equal(b.token_type, 'bearer');
      assert.equal(b.expires_in, 3600);
      assert.ok(b.access_token.length > 20 && b.refresh_token.length > 20);
      assert.notEqual(b.access_token, b.refresh_token);
      assert.equal(Date.parse(b['.expires']) - Date.parse(b['.issued']), 3600_000);
      assert.match(b['.issued'], /GMT$/);
      assert.equal(reply.headers['cache-control'], 'no-store');
      assert.equal((await get('/api/v1/serverInfo', b.access_token)).status, 200);
    });

    test('a wrong password, and an account without a role: 401 AccessDenied', async () => {
      assertError(await logonReply({ username: vbr.users.admin.username, password: 'wrong' }), 401, 'AccessDenied');
      const b = assertError(await logonReply(vbr.users.noRole), 401, 'AccessDenied');
      assert.match(b.message, /role/);
    });

    test('a body that is not a form, or no grant type: 400', async () => {
      assertError(await call('/api/oauth2/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }), 400, 'BadRequest');
      assertError(await call('/api/oauth2/token', { method: 'POST', headers: FORM, body: 'username=a' }), 400, 'BadRequest');
    });
  });

  describe('x-api-version', () => {
    test('missing or unknown on logon and on data: 400 naming every supported revision', async () => {
      for (const reply of [await logonReply(vbr.users.admin, vbr, null), await logonReply(vbr.users.admin, vbr, '9.9-rev9'), await call('/api/v1/jobs', { token, revision: null })]) {
        const b = assertError(reply, 400, 'NotImplemented');
        assert.match(b.message, /^Unsupported RESTAPI version\. The following versions are supported: /);
        for (const r of vbr.revisions) assert.ok(b.message.includes(`v${r}`), `${r} listed in ${b.message}`);
      }
    });

    test('a 12.3 server refuses 1.3-rev1 and lists 1.2-rev1 as its newest; a refused revision is no failed logon', async () => {
      const b = assertError(await logonReply(vbr12.users.admin, vbr12), 400, 'NotImplemented');
      assert.match(b.message, /v1\.2-rev1\.$/);
      assert.equal(vbr12.issuedTokens().length, 0);
      assert.equal((await logonReply(vbr12.users.admin, vbr12, '1.2-rev1')).status, 200);
    });

    test('every supported revision is accepted, with or without a v', async () => {
      for (const r of vbr.revisions) assert.equal((await call('/api/v1/serverInfo', { token, revision: r })).status, 200, r);
      assert.equal((await call('/api/v1/serverInfo', { token, revision: `v${REV}` })).status, 200);
    });
  });

  describe('tokens', () => {
    test('a refresh token works once; the old access token lives on until it expires', async () => {
      const first = await logon();
      const second = json(await refresh(first.refresh_token));
      assert.notEqual(second.access_token, first.access_token);
      assertError(await refresh(first.refresh_token), 401, 'AccessDenied');
      assert.equal((await get('/api/v1/jobs?limit=1', second.access_token)).status, 200);
      assert.equal((await get('/api/v1/jobs?limit=1', first.access_token)).status, 200);
      assert.equal((await refresh(second.refresh_token)).status, 200);
    });

    test('logout: 200, then the access and the refresh token both refused', async () => {
      const pair = await logon();
      const out = await call('/api/oauth2/logout', { method: 'POST', token: pair.access_token });
      assert.equal(out.status, 200);
      assert.deepEqual(json(out), {});
      const refused = assertError(await get('/api/v1/jobs', pair.access_token), 401, 'Unauthorized');
      assert.ok(refused);
      assertError(await refresh(pair.refresh_token), 401, 'AccessDenied');
      assertError(await call('/api/oauth2/logout', { method: 'POST', token: pair.access_token }), 401);
      const issued = vbr.issuedTokens().filter((t) => t.token === pair.access_token || t.token === pair.refresh_token);
      assert.deepEqual(issued.map((t) => [t.kind, t.active, t.ended]), [['access', false, 'logout'], ['refresh', false, 'logout']]);
    });

    test('no bearer token: 401 with WWW-Authenticate; serverTime needs none', async () => {
      const reply = await call('/api/v1/jobs');
      assertError(reply, 401, 'Unauthorized');
      assert.equal(reply.headers['www-authenticate'], 'Bearer');
      assert.equal((await call('/api/v1/serverTime')).status, 200);
    });

    test('configurable lifetimes: access and refresh tokens expire', async () => {
      const pair = await logon(shortLived.users.admin, shortLived);
      assert.equal(pair.expires_in, 0); // 300 ms rounds to 0 s
      await new Promise((resolve) => setTimeout(resolve, 350));
      assertError(await call('/api/v1/jobs', { token: pair.access_token }, shortLived), 401, 'Unauthorized');
      assert.equal((await refresh(pair.refresh_token, shortLived)).status, 200);
      const other = await logon(shortLived.users.admin, shortLived);
      await new Promise((resolve) => setTimeout(resolve, 650));
      assertError(await refresh(other.refresh_token, shortLived), 401, 'AccessDenied');
    });

    test('revokeAllTokens ends every token (a service restart)', async () => {
      const pair = await logon(shortLived.users.admin, shortLived);
      shortLived.revokeAllTokens();
      assertError(await call('/api/v1/serverInfo', { token: pair.access_token }, shortLived), 401);
      assertError(await refresh(pair.refresh_token, shortLived), 401);
      assert.equal(shortLived.activeTokens(), 0);
    });
  });

  describe('collections', () => {
    test('the estate is deterministic, a few hundred jobs and sessions, with hostile names', () => {
      const a = buildVbrEstate(300);
      assert.deepEqual(a, buildVbrEstate(300));
      assert.equal(a.jobs.length, 300);
      assert.ok(a.sessions.length >= 300 && a.sessions.length <= 600, `${a.sessions.length} sessions`);
      assert.equal(new Set(a.jobs.map((j) => j.name)).size, 300, 'job names are unique');
      const names = a.jobs.map((j) => String(j.name)).join('\n');
      for (const needle of ['<b>', '&', '"', "'", '🚀', '日本語']) assert.ok(names.includes(needle), needle);
      for (const c of a.credentials) assert.ok(!Object.keys(c).some((k) => /password|secret|key/i.test(k)), 'no secret in a credentials record');
    });

    test('paging: data and pagination {total, count, skip, limit}; default limit 200', async () => {
      const first = json(await get('/api/v1/jobs'));
      assert.deepEqual(first.pagination, { total: 300, count: 200, skip: 0, limit: 200 });
      const last = json(await get('/api/v1/jobs?skip=290&limit=50'));
      assert.deepEqual(last.pagination, { total: 300, count: 10, skip: 290, limit: 50 });
      const all = [];
      for (let skip = 0; ; skip += 100) {
        const page = json(await get(`/api/v1/jobs?skip=${skip}&limit=100`));
        all.push(...page.data);
        if (page.data.length === 0 || all.length >= page.pagination.total) break;
      }
      assert.equal(new Set(all.map((j) => j.id)).size, 300);
      assertError(await get('/api/v1/jobs?limit=-1'), 400, 'BadRequest');
      assertError(await get('/api/v1/jobs?orderColumn=Bogus'), 400, 'BadRequest');
    });

    test('every collection answers a page', async () => {
      for (const path of ['jobs/states', 'sessions', 'taskSessions', 'backups', 'backupObjects', 'restorePoints', 'backupInfrastructure/repositories', 'backupInfrastructure/repositories/states', 'backupInfrastructure/managedServers', 'backupInfrastructure/proxies', 'credentials']) {
        const b = json(await get(`/api/v1/${path}?limit=5`));
        assert.ok(Array.isArray(b.data) && b.data.length > 0, path);
        assert.ok(b.pagination.total >= b.data.length, path);
      }
      const info = json(await get('/api/v1/serverInfo'));
      assert.equal(typeof info.buildVersion, 'string');
    });

    test('nameFilter: whole value, or * for a substring; case-insensitive', async () => {
      const exact = json(await get(`/api/v1/jobs?nameFilter=${encodeURIComponent('Müller & Söhne "Bau" <b>Nightly</b>')}`));
      assert.equal(exact.pagination.total, 1);
      assert.equal(json(await get('/api/v1/jobs?nameFilter=Nightly')).pagination.total, 0);
      const sub = json(await get('/api/v1/jobs?nameFilter=*sql*&limit=1000'));
      assert.ok(sub.data.length > 0 && sub.data.every((j: Body) => /sql/i.test(j.name) || /sql/i.test(j.description)));
      assert.ok(nameMatcher('Berlin*')({ id: 'x', name: 'berlin SQL' }));
      assert.ok(!nameMatcher('Berlin*')({ id: 'x', name: 'Old Berlin' }));
    });

    test('orderColumn and orderAsc', async () => {
      const b = json(await get('/api/v1/jobs?orderColumn=Name&orderAsc=false&limit=1000'));
      const names = b.data.map((j: Body) => j.name as string);
      assert.deepEqual(names, [...names].sort((x, y) => y.localeCompare(x, 'en', { sensitivity: 'base' })));
    });

    test('items by id, sub-collections, and a 404 with the VBR error body', async () => {
      const session = json(await get('/api/v1/sessions?limit=1')).data[0];
      assert.deepEqual(json(await get(`/api/v1/sessions/${session.id}`)), session);
      const tasks = json(await get(`/api/v1/sessions/${session.id}/taskSessions`));
      assert.ok(tasks.data.length > 0 && tasks.data.every((t: Body) => t.sessionId === session.id));
      const job = json(await get(`/api/v1/jobs/${session.resourceId}`));
      assert.equal(job.name, session.name);
      const backup = json(await get('/api/v1/backups?limit=1')).data[0];
      const objects = json(await get(`/api/v1/backups/${backup.id}/objects`)).data;
      const points = json(await get(`/api/v1/backupObjects/${objects[0].id}/restorePoints`)).data;
      assert.ok(points.length > 0 && points.every((p: Body) => p.backupId === backup.id));
      const missing = '00000000-0000-4000-8000-000000000000';
      const b = assertError(await get(`/api/v1/jobs/${missing}`), 404, 'NotFound');
      assert.equal(b.resourceId, missing);
      assertError(await get('/api/v1/nothingHere'), 404, 'NotFound');
      assertError(await get(`/api/v1/sessions/${missing}/taskSessions`), 404, 'NotFound');
    });

    test('POST start: 201 with a session that runs, then stops; a viewer gets 403', async () => {
      const job = json(await get('/api/v1/jobs?limit=1')).data[0];
      const started = await call(`/api/v1/jobs/${job.id}/start`, { method: 'POST', token });
      assert.equal(started.status, 201, started.text);
      const session = json(started);
      assert.equal(session.state, 'Working');
      assert.equal(session.resourceId, job.id);
      await new Promise((resolve) => setTimeout(resolve, 350));
      const done = json(await get(`/api/v1/sessions/${session.id}`));
      assert.equal(done.state, 'Stopped');
      assert.equal(done.result.result, 'Success');
      const viewer = await logon(vbr.users.viewer);
      assertError(await call(`/api/v1/jobs/${job.id}/start`, { method: 'POST', token: viewer.access_token }), 403, 'Forbidden');
      assertError(await call('/api/v1/jobs', { method: 'POST', token }), 405);
    });

    test('POST start takes an optional JobStartSpec, as its document declares, and refuses one that is not', async () => {
      const doc = json(await call(`/swagger/${REV}/swagger.json`, { revision: null }));
      const declared = doc.paths['/api/v1/jobs/{id}/start'].post.requestBody;
      assert.deepEqual(declared, { required: false, content: { 'application/json': { schema: { $ref: '#/components/schemas/JobStartSpec' } } } });
      assert.deepEqual(doc.components.schemas.JobStartSpec.required, ['performActiveFull']);
      const job = json(await get('/api/v1/jobs?limit=1&skip=1')).data[0];
      const post = (body: string) => call(`/api/v1/jobs/${job.id}/start`, { method: 'POST', token, headers: { 'content-type': 'application/json' }, body });
      const started = await post('{\n  "performActiveFull": false\n}');
      assert.equal(started.status, 201, started.text);
      assert.equal(json(started).resourceId, job.id);
      assertError(await post('{"performActiveFull": "yes"}'), 400);
      assertError(await post('{"performActiveFull": tru'), 400);
      assertError(await post('[true]'), 400);
    });
  });

  describe('OpenAPI document', () => {
    test('served per revision without token or revision header, and parses', async () => {
      const page = await call('/swagger/ui/index.html', { revision: null });
      assert.equal(page.status, 200);
      assert.ok(page.text.includes(`/swagger/${REV}/swagger.json`));
      const reply = await call(`/swagger/${REV}/swagger.json`, { revision: null });
      const doc = json(reply);
      assert.equal(doc.openapi, '3.0.1');
      assert.equal(doc.info.version, REV);
      assert.equal((await call('/swagger/1.0-rev1/swagger.json', { revision: null })).status, 404, 'not a revision of this server');
    });

    test('lists the collections, items, sub-collections and actions the simulator serves', async () => {
      const doc = json(await call(`/swagger/${REV}/swagger.json`, { revision: null }));
      for (const path of ['/api/v1/jobs', '/api/v1/jobs/{id}', '/api/v1/jobs/states', '/api/v1/sessions/{id}/taskSessions', '/api/v1/backupInfrastructure/repositories/states', '/api/v1/credentials', '/api/v1/serverInfo', '/api/oauth2/token']) {
        assert.ok(doc.paths[path], path);
      }
      assert.ok(doc.paths['/api/v1/jobs/{id}/start'].post);
      const list = doc.paths['/api/v1/jobs'].get;
      const names = list.parameters.map((p: Body) => p.name);
      for (const n of ['x-api-version', 'skip', 'limit', 'orderColumn', 'orderAsc', 'nameFilter']) assert.ok(names.includes(n), n);
      assert.equal(list.tags[0], 'Jobs');
      // Every $ref resolves, and at least one cycle runs through allOf.
      const text = JSON.stringify(doc);
      for (const [, name] of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) assert.ok(doc.components.schemas[name], name);
      assert.deepEqual(doc.components.schemas.BackupJobModel.allOf[0], { $ref: '#/components/schemas/JobModel' });
      assert.ok(JSON.stringify(doc.components.schemas.JobModel).includes('BackupJobModel'));
    });
  });

  describe('faults', () => {
    test('429 with Retry-After and an error body; 500 with an error body', async () => {
      vbr.setFault({ kind: 'throttle', retryAfter: 2, times: 1 });
      const throttled = await get('/api/v1/jobs');
      assertError(throttled, 429, 'TooManyRequests');
      assert.equal(throttled.headers['retry-after'], '2');
      vbr.setFault({ kind: 'status', status: 500, path: '/api/v1/backups', times: 1 });
      assertError(await get('/api/v1/backups'), 500, 'UnknownError');
      assert.equal((await get('/api/v1/backups')).status, 200, 'times: 1');
    });

    test('html, truncated, slow', async () => {
      vbr.setFault({ kind: 'html', times: 1 });
      const html = await get('/api/v1/jobs');
      assert.equal(html.status, 502);
      assert.match(String(html.headers['content-type']), /text\/html/);
      vbr.setFault({ kind: 'truncated', times: 1 });
      const cut = await get('/api/v1/jobs?limit=5');
      assert.throws(() => JSON.parse(cut.text));
      vbr.setFault({ kind: 'slow', delayMs: 200, times: 1 });
      const started = Date.now();
      assert.equal((await get('/api/v1/serverInfo')).status, 200);
      assert.ok(Date.now() - started >= 190);
    });

    test('huge: a valid list of the asked size, streamed', async () => {
      vbr.setFault({ kind: 'huge', sizeBytes: 3_000_000, times: 1 });
      const reply = await get('/api/v1/jobs');
      assert.equal(Buffer.byteLength(reply.text), 3_000_000);
      assert.equal(reply.headers['content-length'], '3000000');
      const b = JSON.parse(reply.text) as Body;
      assert.equal(b.data.length, b.pagination.total);
      assert.ok(b.data.length > 10_000);
    });

    test('expire ends one access token; revoke ends them all', async () => {
      const pair = await logon();
      vbr.setFault({ kind: 'expire', times: 1 });
      assertError(await get('/api/v1/jobs', pair.access_token), 401, 'Unauthorized');
      assertError(await get('/api/v1/jobs', pair.access_token), 401, 'Unauthorized');
      const renewed = json(await refresh(pair.refresh_token));
      vbr.setFault({ kind: 'revoke', times: 1 });
      assertError(await get('/api/v1/jobs', renewed.access_token), 401);
      assertError(await refresh(renewed.refresh_token), 401, 'AccessDenied');
      token = (await logon()).access_token;
    });

    test('the control endpoint sets and clears faults, and lists requests', async () => {
      const set = await call('/__simulator/faults', { method: 'POST', body: JSON.stringify({ kind: 'status', status: 503 }), revision: null });
      assert.equal(set.status, 204);
      assertError(await get('/api/v1/jobs'), 503);
      assert.equal((await call('/__simulator/faults', { method: 'DELETE', revision: null })).status, 204);
      assert.equal((await get('/api/v1/jobs?limit=1')).status, 200);
      const log = json(await call('/__simulator/requests', { revision: null })) as unknown as Array<{ path: string; headers: Record<string, string> }>;
      assert.ok(log.some((r) => r.path === '/api/v1/jobs?limit=1' && r.headers['x-api-version'] === REV));
      assert.ok(!log.some((r) => r.path.startsWith('/__simulator')));
    });
  });

  describe('on the shared core, started with the others', () => {
    let sims: Simulators;
    let simsAgent: Agent;

    before(async () => {
      sims = await startSimulators({ vbrRevisions: 'vbr12.3', vbrItems: 7, vbrAccessTokenLifetimeMs: 120_000 });
      simsAgent = new Agent({ connect: { ca: sims.certificate.pem } });
    });

    after(async () => {
      await simsAgent.close();
      await sims.close();
    });

    const send = async (path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> => {
      const res = await request(sims.vbr.origin + path, { method: (init.method ?? 'GET') as 'GET', headers: init.headers, body: init.body, dispatcher: simsAgent });
      return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
    };

    test('startSimulators starts VBR beside EM and VSPC, on its own port, with its options', async () => {
      assert.match(sims.vbr.url, /^https:\/\/127\.0\.0\.1:\d+\/api\/$/);
      assert.equal(new Set([sims.em.port, sims.vspc.port, sims.vbr.port]).size, 3);
      assert.deepEqual(sims.vbr.revisions.at(-1), '1.2-rev1');
      const { admin } = sims.vbr.users;
      const headers = { ...FORM, 'x-api-version': '1.2-rev1' };
      const pair = json(await send('/api/oauth2/token', { method: 'POST', headers, body: new URLSearchParams({ grant_type: 'password', username: admin.username, password: admin.password }).toString() }));
      assert.equal(pair.expires_in, 120);
      const jobs = json(await send('/api/v1/jobs', { headers: { 'x-api-version': '1.2-rev1', authorization: `Bearer ${pair.access_token}` } }));
      assert.equal(jobs.pagination.total, 7);
      assert.ok(sims.vbr.connectionsOpened() >= 1);
    });

    test('its own control endpoints (tokens, revoke) beside the core\'s; a malformed URL is a 400 Error', async () => {
      const { admin } = sims.vbr.users;
      await send('/api/oauth2/token', { method: 'POST', headers: { ...FORM, 'x-api-version': '1.2-rev1' }, body: new URLSearchParams({ grant_type: 'password', username: admin.username, password: admin.password }).toString() });
      assert.ok(json(await send('/__simulator/tokens')).active >= 1);
      assert.equal((await send('/__simulator/revoke', { method: 'POST' })).status, 204);
      assert.equal(json(await send('/__simulator/tokens')).active, 0);
      assert.ok(json(await send('/__simulator/connections')).opened >= 1);
      assertError(await send('/api/v1/jobs/%E0%A4%A', { headers: { 'x-api-version': '1.2-rev1' } }), 400, 'BadRequest');
      assert.equal((await send('/__simulator/faults', { method: 'POST', body: JSON.stringify({ kind: 'nonsense' }) })).status, 400);
    });
  });
});
