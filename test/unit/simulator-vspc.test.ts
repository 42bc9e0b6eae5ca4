import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, FormData, request } from 'undici';
import { SIMULATOR_MFA_CODE, startSimulators, Simulators } from '../simulator';
import { buildVspcEstate } from '../simulator/vspc/estate';
import { parseMultipart } from '../simulator/vspc/forms';
import { waitFor } from './wait-for';

/* The VSPC simulator over real HTTPS: what the client code and the demo rely on. */

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

interface CallOptions {
  method?: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  headers?: Record<string, string>;
  body?: string | FormData;
  token?: string;
}

interface OAuthTokens {
  access_token: string | null;
  token_type: string;
  refresh_token: string | null;
  expires_in: number;
  mfa_token: string | null;
  encrypted_code: null;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function header(reply: Reply, name: string): string | undefined {
  const value = reply.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function body(reply: Reply): Body {
  assert.match(header(reply, 'content-type') ?? '', /^application\/json/, 'JSON answer');
  return JSON.parse(reply.text) as Body;
}

function multipart(fields: object): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  return form;
}

function assertErrors(reply: Reply, status: number, type?: string): Body {
  assert.equal(reply.status, status, reply.text);
  const b = body(reply);
  assert.ok(Array.isArray(b.errors) && b.errors.length > 0, 'errors array');
  for (const e of b.errors) {
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
    assert.equal(typeof e.code, 'number');
    assert.ok(['logical', 'retryableLogical', 'security', 'transport', 'unspecified'].includes(e.type), e.type);
  }
  if (type) assert.equal(b.errors[0].type, type);
  return b;
}

describe('VSPC simulator', () => {
  let sims: Simulators;
  let legacyOff: Simulators;
  let agent: Agent;
  let admin: OAuthTokens;

  async function call(path: string, options: CallOptions = {}, origin = sims.vspc.origin): Promise<Reply> {
    const headers = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const res = await request(path.startsWith('https://') ? path : origin + path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body,
      dispatcher: agent,
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  const api = (path: string, options: CallOptions = {}) => call(`/api/v3/${path}`, options);

  async function passwordGrant(user: { username: string; password: string }, origin?: string): Promise<Reply> {
    const form = new URLSearchParams({ grant_type: 'password', username: user.username, password: user.password });
    return call('/api/v3/token', { method: 'POST', headers: FORM, body: form.toString() }, origin);
  }

  async function logon(user = sims.vspc.users.admin): Promise<OAuthTokens> {
    const reply = await passwordGrant(user);
    assert.equal(reply.status, 200, reply.text);
    return body(reply) as OAuthTokens;
  }

  async function refreshGrant(refreshToken: string): Promise<Reply> {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
    return api('token', { method: 'POST', headers: FORM, body: form.toString() });
  }

  before(async () => {
    [sims, legacyOff] = await Promise.all([startSimulators({ vspcTokenLifetimeMs: 60 * 60_000 }), startSimulators({ vspcLegacyAuth: false, vspcItems: 5 })]);
    agent = new Agent({ connect: { ca: [sims.certificate.pem, legacyOff.certificate.pem] } });
    admin = await logon();
  });

  after(async () => {
    await agent.close();
    await Promise.all([sims.close(), legacyOff.close()]);
  });

  describe('the server', () => {
    test('listens on loopback HTTPS under /api/v3/, with the shared certificate', async () => {
      assert.match(sims.vspc.url, /^https:\/\/127\.0\.0\.1:\d+\/api\/v3\/$/);
      assert.equal(sims.vspc.url, `${sims.vspc.origin}/api/v3/`);
      assert.notEqual(sims.vspc.port, sims.em.port);
      const reply = await api('about', { token: admin.access_token! });
      assert.equal(reply.status, 200);
      assert.equal(typeof body(reply).data.serverVersion, 'string');
    });

    test('the estate is deterministic for a size, and sized as documented', () => {
      const a = buildVspcEstate(30);
      const b = buildVspcEstate(30);
      assert.deepEqual(a, b);
      assert.equal(a.companies.length, 30);
      assert.equal(a.jobs.length, 300);
      assert.equal(new Set(a.jobs.map((j) => j.name)).size, a.jobs.length, 'job names are unique');
      assert.equal(new Set(a.companies.map((c) => c.instanceUid)).size, 30);
    });
  });

  describe('POST /token', () => {
    test('password grant: a plain OAuth body, no envelope', async () => {
      const reply = await passwordGrant(sims.vspc.users.admin);
      assert.equal(reply.status, 200);
      const b = body(reply);
      assert.deepEqual(Object.keys(b).sort(), ['access_token', 'encrypted_code', 'expires_in', 'mfa_token', 'refresh_token', 'token_type']);
      assert.equal(typeof b.access_token, 'string');
      assert.equal(typeof b.refresh_token, 'string');
      assert.equal(b.token_type, 'bearer');
      assert.ok(b.expires_in > 3500 && b.expires_in <= 3600, String(b.expires_in));
      assert.equal(b.mfa_token, null);
      assert.equal(b.encrypted_code, null);
      assert.equal(header(reply, 'cache-control'), 'no-store');
    });

    test('bad credentials: 400 with an OAuth error body', async () => {
      for (const user of [{ username: sims.vspc.users.admin.username, password: 'wrong' }, { username: 'nobody', password: 'x' }]) {
        const reply = await passwordGrant(user);
        assert.equal(reply.status, 400);
        const b = body(reply);
        assert.equal(b.error, 'invalid_request');
        assert.equal(typeof b.error_description, 'string');
        assert.equal(b.error_uri, null);
        assert.equal(b.access_token, undefined);
      }
    });

    test('a body that is not a form, a missing or unknown grant type: 400', async () => {
      const json = await api('token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'password' }) });
      assert.equal(json.status, 400);
      assert.equal(body(json).error, 'invalid_request');
      const missing = await api('token', { method: 'POST', headers: FORM, body: 'username=a&password=b' });
      assert.equal(body(missing).error, 'invalid_request');
      const unknown = await api('token', { method: 'POST', headers: FORM, body: 'grant_type=client_credentials' });
      assert.equal(unknown.status, 400);
      assert.equal(body(unknown).error, 'unsupported_grant_type');
    });

    test('refresh grant: a new pair; each refresh token works once', async () => {
      const first = await logon();
      const refreshed = await refreshGrant(first.refresh_token!);
      assert.equal(refreshed.status, 200);
      const second = body(refreshed) as OAuthTokens;
      assert.notEqual(second.access_token, first.access_token);
      assert.notEqual(second.refresh_token, first.refresh_token);
      assert.equal((await api('users/me', { token: second.access_token! })).status, 200);
      const reused = await refreshGrant(first.refresh_token!);
      assert.equal(reused.status, 400);
      assert.equal(body(reused).error, 'invalid_request');
      assert.equal((await refreshGrant(second.refresh_token!)).status, 200);
    });

    test('an MFA account gets an mfa_token and no usable access token; the fixed code completes the logon', async () => {
      const reply = await passwordGrant(sims.vspc.users.mfa);
      assert.equal(reply.status, 200);
      const b = body(reply) as OAuthTokens;
      assert.equal(b.access_token, null);
      assert.equal(b.refresh_token, null);
      assert.equal(typeof b.mfa_token, 'string');
      assert.equal((await api('about', { token: b.mfa_token! })).status, 401);
      const wrong = await api('token', { method: 'POST', headers: FORM, body: new URLSearchParams({ grant_type: 'mfa', mfa_token: b.mfa_token!, mfa_code: '000000' }).toString() });
      assert.equal(wrong.status, 400);
      const right = await api('token', { method: 'POST', headers: FORM, body: new URLSearchParams({ grant_type: 'mfa', mfa_token: b.mfa_token!, mfa_code: SIMULATOR_MFA_CODE }).toString() });
      assert.equal(right.status, 200);
      assert.equal((await api('about', { token: (body(right) as OAuthTokens).access_token! })).status, 200);
    });
  });

  describe('the older /authentication endpoints', () => {
    test('usernamepassword (multipart): data is an array of one result', async () => {
      const reply = await api('authentication/usernamepassword', { method: 'POST', body: multipart(sims.vspc.users.admin) });
      assert.equal(reply.status, 200, reply.text);
      const b = body(reply);
      assert.ok(Array.isArray(b.data));
      assert.equal(b.data.length, 1);
      assert.deepEqual(b.meta, { pagingInfo: { total: 1, count: 1, offset: 0 } });
      const result = b.data[0];
      assert.deepEqual(Object.keys(result).sort(), ['accessToken', 'expirationTime', 'mfaToken', 'refreshToken']);
      assert.equal(result.mfaToken, null);
      assert.ok(Date.parse(result.expirationTime) > Date.now() + 59 * 60_000);
      assert.equal((await api('users/me', { token: result.accessToken })).status, 200);
    });

    test('refresh (multipart): data is an object; the refresh token is single-use', async () => {
      const logonReply = body(await api('authentication/usernamepassword', { method: 'POST', body: multipart(sims.vspc.users.admin) }));
      const refreshToken = logonReply.data[0].refreshToken as string;
      const reply = await api('authentication/refresh', { method: 'POST', body: multipart({ refreshToken }) });
      assert.equal(reply.status, 200, reply.text);
      const b = body(reply);
      assert.ok(!Array.isArray(b.data) && typeof b.data === 'object');
      assert.equal(typeof b.data.accessToken, 'string');
      assert.equal(typeof b.data.refreshToken, 'string');
      assert.equal((await api('about', { token: b.data.accessToken })).status, 200);
      assertErrors(await api('authentication/refresh', { method: 'POST', body: multipart({ refreshToken }) }), 401, 'security');
      // Tokens from either logon refresh through the other endpoint.
      assert.equal((await refreshGrant(b.data.refreshToken)).status, 200);
    });

    test('bad credentials, an MFA account and a body that is not multipart', async () => {
      assertErrors(await api('authentication/usernamepassword', { method: 'POST', body: multipart({ username: 'vspcadmin', password: 'nope' }) }), 401, 'security');
      const mfa = body(await api('authentication/usernamepassword', { method: 'POST', body: multipart(sims.vspc.users.mfa) }));
      assert.equal(mfa.data[0].accessToken, null);
      assert.equal(typeof mfa.data[0].mfaToken, 'string');
      const form = new URLSearchParams({ ...sims.vspc.users.admin }).toString();
      assertErrors(await api('authentication/usernamepassword', { method: 'POST', headers: FORM, body: form }), 400);
    });

    test('VSPC 9 mode: the older endpoints answer 404, /token works', async () => {
      for (const path of ['authentication/usernamepassword', 'authentication/refresh']) {
        const reply = await call(`/api/v3/${path}`, { method: 'POST', body: multipart(legacyOff.vspc.users.admin) }, legacyOff.vspc.origin);
        assertErrors(reply, 404);
      }
      assert.equal((await passwordGrant(legacyOff.vspc.users.admin, legacyOff.vspc.origin)).status, 200);
    });

    test('the multipart parser takes quoted boundaries, preamble and repeated names', () => {
      const text = 'preamble\r\n--b-1\r\nContent-Disposition: form-data; name="username"\r\n\r\nme\r\n--b-1\r\nContent-Disposition: form-data; name="username"\r\n\r\nsecond\r\n--b-1\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nx\r\n--b-1\r\nContent-Disposition: form-data; name="password"\r\n\r\np\u00e4ss\r\nword\r\n--b-1--\r\n';
      assert.deepEqual(parseMultipart('multipart/form-data; boundary="b-1"', text), { username: 'me', password: 'p\u00e4ss\r\nword' });
      assert.equal(parseMultipart('multipart/form-data; boundary=other', text), undefined);
      assert.equal(parseMultipart('application/x-www-form-urlencoded', 'a=b'), undefined);
    });
  });

  describe('access tokens', () => {
    test('missing, malformed or unknown tokens: 401 with a security error', async () => {
      for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: 'Bearer not-a-token' }] as Array<Record<string, string>>) {
        const reply = await api('organizations/companies', { headers });
        const b = assertErrors(reply, 401, 'security');
        assert.equal(Object.keys(b).join(), 'errors');
        assert.equal(header(reply, 'www-authenticate'), 'Bearer');
      }
    });

    test('expiry after a short lifetime: 401, then the refresh token still works', async () => {
      // Long enough for the logon and the checks below on a busy machine; the test then polls until the token expires.
      const lifetimeMs = 3000;
      const short = await startSimulators({ vspcTokenLifetimeMs: lifetimeMs, vspcItems: 3 });
      const shortAgent = new Agent({ connect: { ca: short.certificate.pem } });
      const shortCall = async (path: string, options: CallOptions, origin: string): Promise<Reply> => {
        const headers = { ...(options.headers ?? {}) };
        if (options.token) headers.authorization = `Bearer ${options.token}`;
        const res = await request(origin + path, { method: options.method ?? 'GET', headers, body: options.body, dispatcher: shortAgent });
        return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
      };
      try {
        const form = new URLSearchParams({ grant_type: 'password', ...short.vspc.users.admin }).toString();
        const asked = Date.now();
        const tokens = body(await shortCall('/api/v3/token', { method: 'POST', headers: FORM, body: form }, short.vspc.origin)) as OAuthTokens;
        // What is left of the short lifetime in whole seconds, not the default hour.
        assert.ok(tokens.expires_in >= 0 && tokens.expires_in <= lifetimeMs / 1000, `expires_in ${tokens.expires_in}`);
        assert.equal((await shortCall('/api/v3/about', { token: tokens.access_token! }, short.vspc.origin)).status, 200);
        assert.equal(short.vspc.activeTokens(), 1);
        await waitFor(() => short.vspc.activeTokens() === 0, 'the access token did not expire', lifetimeMs + 10_000);
        // Issued after `asked`, so it cannot have expired earlier than a lifetime after it.
        assert.ok(Date.now() - asked >= lifetimeMs, `the token expired ${Date.now() - asked} ms after the logon, before its ${lifetimeMs} ms lifetime`);
        const expired = assertErrors(await shortCall('/api/v3/about', { token: tokens.access_token! }, short.vspc.origin), 401, 'security');
        assert.match(expired.errors[0].message, /expired/);
        const refresh = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token! }).toString();
        const renewed = await shortCall('/api/v3/token', { method: 'POST', headers: FORM, body: refresh }, short.vspc.origin);
        assert.equal(renewed.status, 200);
        assert.equal((await shortCall('/api/v3/about', { token: (body(renewed) as OAuthTokens).access_token! }, short.vspc.origin)).status, 200);
      } finally {
        await shortAgent.close();
        await short.close();
      }
    });

    test('expireAllTokens: access tokens 401, refresh tokens still work; revokeAllTokens: both gone', async () => {
      const tokens = await logon();
      sims.vspc.expireAllTokens();
      assert.equal((await api('about', { token: tokens.access_token! })).status, 401);
      const renewed = body(await refreshGrant(tokens.refresh_token!)) as OAuthTokens;
      assert.equal((await api('about', { token: renewed.access_token! })).status, 200);
      sims.vspc.revokeAllTokens();
      assert.equal(sims.vspc.activeTokens(), 0);
      assert.equal((await api('about', { token: renewed.access_token! })).status, 401);
      assert.equal((await refreshGrant(renewed.refresh_token!)).status, 400);
      admin = await logon();
    });

    test('GET /users/me, then DELETE /users/{uid}/tokens ends every token of that user', async () => {
      const other = await logon();
      const reader = await logon(sims.vspc.users.readOnly as { username: string; password: string });
      const me = body(await api('users/me', { token: other.access_token! }));
      assert.equal(me.data.login, sims.vspc.users.admin.username);
      assert.match(me.data.instanceUid, /^[0-9a-f-]{36}$/);
      assert.equal(typeof me.data.profile, 'object');
      // A read-only user may not revoke someone else's tokens.
      assertErrors(await api(`users/${me.data.instanceUid}/tokens`, { method: 'DELETE', token: reader.access_token! }), 403, 'security');
      const deleted = await api(`users/${me.data.instanceUid}/tokens`, { method: 'DELETE', token: other.access_token! });
      assert.equal(deleted.status, 200);
      assert.deepEqual(body(deleted), { data: true });
      for (const token of [other.access_token!, admin.access_token!]) assert.equal((await api('about', { token })).status, 401);
      assert.equal((await refreshGrant(other.refresh_token!)).status, 400);
      // Other users keep theirs.
      assert.equal((await api('about', { token: reader.access_token! })).status, 200);
      assertErrors(await api('users/00000000-0000-0000-0000-000000000000/tokens', { method: 'DELETE', token: reader.access_token! }), 404);
      admin = await logon();
    });
  });

  describe('collections', () => {
    const paths = [
      'organizations/companies',
      'organizations/resellers',
      'organizations/locations',
      'infrastructure/backupServers',
      'infrastructure/backupServers/jobs',
      'protectedWorkloads/virtualMachines',
      'alarms/active',
    ];

    test('every collection: the envelope, items with an instanceUid, each item by its UID', async () => {
      const totals: Record<string, number> = {};
      for (const path of paths) {
        const reply = await api(`${path}?limit=3`, { token: admin.access_token! });
        assert.equal(reply.status, 200, path);
        const b = body(reply);
        assert.deepEqual(Object.keys(b).sort(), ['data', 'meta'], path);
        assert.equal(b.meta.pagingInfo.count, 3, path);
        assert.equal(b.meta.pagingInfo.offset, 0, path);
        totals[path] = b.meta.pagingInfo.total;
        const first = b.data[0];
        const item = await api(`${path}/${first.instanceUid}`, { token: admin.access_token! });
        assert.equal(item.status, 200, `${path}/{uid}`);
        assert.deepEqual(body(item), { data: first });
      }
      assert.ok(totals['organizations/companies'] >= 100 && totals['organizations/companies'] < 1000, 'companies in the hundreds');
      assert.ok(totals['infrastructure/backupServers/jobs'] >= 1000, 'jobs in the thousands');
      assert.ok(totals['organizations/resellers'] >= 2);
    });

    test('items carry nested objects and arrays', async () => {
      const company = body(await api('organizations/companies?limit=1', { token: admin.access_token! })).data[0];
      assert.equal(typeof company.subscription, 'object');
      assert.ok(Array.isArray(company.permissions));
      assert.ok(Array.isArray(company.companyServices.backupResources));
      const job = body(await api('infrastructure/backupServers/jobs?limit=1', { token: admin.access_token! })).data[0];
      assert.ok(Array.isArray(job.lastSessionTasks));
      assert.equal(typeof job.backupServerUid, 'string');
    });

    test('GET /about is a single object', async () => {
      const b = body(await api('about', { token: admin.access_token! }));
      assert.ok(!Array.isArray(b.data));
      assert.equal(b.meta, undefined);
    });

    test('unknown items and paths: 404 with errors; other methods: 405', async () => {
      assertErrors(await api('organizations/companies/00000000-0000-0000-0000-000000000000', { token: admin.access_token! }), 404, 'logical');
      assertErrors(await api('organizations/nothing', { token: admin.access_token! }), 404);
      assertErrors(await api('organizations/companies', { method: 'POST', token: admin.access_token!, headers: { 'content-type': 'application/json' }, body: '{}' }), 405);
      const outside = await call('/index.html');
      assert.equal(outside.status, 404);
    });

    test('jobs of one backup server, and locations of one organization', async () => {
      const server = body(await api('infrastructure/backupServers?limit=1', { token: admin.access_token! })).data[0];
      const jobs = body(await api(`infrastructure/backupServers/${server.instanceUid}/jobs?limit=500`, { token: admin.access_token! }));
      assert.ok(jobs.meta.pagingInfo.total > 0);
      assert.ok(jobs.data.every((j: Body) => j.backupServerUid === server.instanceUid));
      assertErrors(await api('infrastructure/backupServers/00000000-0000-0000-0000-000000000000/jobs', { token: admin.access_token! }), 404);
      const company = body(await api('organizations/companies?limit=1', { token: admin.access_token! })).data[0];
      const locations = body(await api(`organizations/${company.instanceUid}/locations`, { token: admin.access_token! }));
      assert.ok(locations.meta.pagingInfo.total >= 1);
      assert.ok(locations.data.every((l: Body) => l.organizationUid === company.instanceUid));
    });
  });

  describe('paging, filter and sort', () => {
    test('paging to the last item: count, total and offset; default limit 100', async () => {
      const first = body(await api('organizations/companies', { token: admin.access_token! }));
      const total = first.meta.pagingInfo.total as number;
      assert.equal(first.data.length, 100);
      assert.deepEqual(first.meta.pagingInfo, { total, count: 100, offset: 0 });
      const seen = new Set<string>();
      for (let offset = 0; offset < total; offset += 77) {
        const b = body(await api(`organizations/companies?limit=77&offset=${offset}`, { token: admin.access_token! }));
        assert.deepEqual(b.meta.pagingInfo, { total, count: Math.min(77, total - offset), offset });
        for (const item of b.data) seen.add(item.instanceUid);
      }
      assert.equal(seen.size, total);
      const beyond = body(await api(`organizations/companies?offset=${total}`, { token: admin.access_token! }));
      assert.deepEqual(beyond.meta.pagingInfo, { total, count: 0, offset: total });
      assert.deepEqual(beyond.data, []);
      const last = body(await api(`organizations/companies?limit=500&offset=${total - 1}`, { token: admin.access_token! }));
      assert.equal(last.data.length, 1);
    });

    test('limit must be 1–500 and offset a non-negative integer: otherwise 400', async () => {
      for (const query of ['limit=0', 'limit=501', 'limit=-1', 'limit=abc', 'offset=-1', 'offset=1.5']) {
        assertErrors(await api(`organizations/companies?${query}`, { token: admin.access_token! }), 400, 'logical');
      }
      assert.equal(body(await api('infrastructure/backupServers/jobs?limit=500', { token: admin.access_token! })).data.length, 500);
      assert.equal(body(await api('organizations/companies?limit=1', { token: admin.access_token! })).data.length, 1);
    });

    const get = async (collection: string, params: Record<string, unknown>): Promise<Body> => {
      const query = new URLSearchParams(Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])));
      const reply = await api(`${collection}?${query}`, { token: admin.access_token! });
      assert.equal(reply.status, 200, reply.text);
      return body(reply);
    };

    test('filter on name: contains, equals, notEquals, in, with collation', async () => {
      const acme = await get('organizations/companies', { filter: [{ property: 'name', operation: 'contains', collation: 'ignorecase', value: 'acme' }], limit: 500 });
      assert.ok(acme.meta.pagingInfo.total >= 2);
      assert.ok(acme.data.every((c: Body) => /acme/i.test(c.name)));
      const ordinal = await get('organizations/companies', { filter: [{ property: 'name', operation: 'contains', value: 'acme' }] });
      assert.equal(ordinal.meta.pagingInfo.total, 0, 'ordinal is case-sensitive');
      const name = acme.data[0].name as string;
      const equals = await get('organizations/companies', { filter: [{ property: 'name', operation: 'equals', value: name }] });
      assert.equal(equals.meta.pagingInfo.total, 1);
      const all = (await get('organizations/companies', { limit: 1 })).meta.pagingInfo.total;
      const notEquals = await get('organizations/companies', { filter: [{ property: 'name', operation: 'notEquals', value: name }] });
      assert.equal(notEquals.meta.pagingInfo.total, all - 1);
      const names = acme.data.slice(0, 2).map((c: Body) => c.name);
      const within = await get('organizations/companies', { filter: [{ property: 'name', operation: 'in', value: names }] });
      assert.deepEqual(within.data.map((c: Body) => c.name).sort(), [...names].sort());
      const special = await get('organizations/companies', { filter: [{ property: 'name', operation: 'contains', value: '"Bau" <GmbH>' }] });
      assert.equal(special.meta.pagingInfo.total, 1);
    });

    test('filter: lessThan, greaterThan, nested properties, and/or/not', async () => {
      const small = await get('protectedWorkloads/virtualMachines', { filter: [{ property: 'restorePoints', operation: 'lessThan', value: 3 }], limit: 500 });
      assert.ok(small.meta.pagingInfo.total > 0);
      assert.ok(small.data.every((v: Body) => v.restorePoints < 3));
      const big = await get('protectedWorkloads/virtualMachines', { filter: [{ property: 'restorePoints', operation: 'greaterThan', value: 2 }], limit: 1 });
      const all = (await get('protectedWorkloads/virtualMachines', { limit: 1 })).meta.pagingInfo.total;
      assert.equal(small.meta.pagingInfo.total + big.meta.pagingInfo.total, all);
      const errors = await get('alarms/active', { filter: [{ property: 'lastActivation.status', operation: 'equals', value: 'Error' }], limit: 500 });
      assert.ok(errors.data.length > 0 && errors.data.every((a: Body) => a.lastActivation.status === 'Error'));
      const either = await get('organizations/companies', {
        filter: [{ operation: 'or', items: [{ property: 'name', operation: 'contains', value: 'Acme' }, { property: 'name', operation: 'contains', value: 'Globex' }] }],
        limit: 500,
      });
      assert.ok(either.data.some((c: Body) => c.name.includes('Acme')) && either.data.some((c: Body) => c.name.includes('Globex')));
      assert.ok(either.data.every((c: Body) => /Acme|Globex/.test(c.name)));
      const both = await get('organizations/companies', {
        filter: [{ operation: 'and', items: [{ property: 'name', operation: 'contains', value: 'Acme' }, { operation: 'not', items: [{ property: 'status', operation: 'equals', value: 'Active' }] }] }],
        limit: 500,
      });
      assert.ok(both.data.every((c: Body) => c.name.includes('Acme') && c.status !== 'Active'));
    });

    test('sort on name, both directions, combined with filter and paging', async () => {
      const asc = await get('organizations/companies', { sort: [{ property: 'name', direction: 'ascending' }], limit: 500 });
      const names = asc.data.map((c: Body) => c.name as string);
      assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const desc = await get('organizations/companies', { sort: [{ property: 'name', direction: 'descending' }], limit: 500 });
      assert.deepEqual(desc.data.map((c: Body) => c.name), [...names].reverse());
      const page2 = await get('organizations/companies', {
        filter: [{ property: 'name', operation: 'contains', collation: 'ignorecase', value: 'a' }],
        sort: [{ property: 'name', direction: 'descending' }],
        limit: 5,
        offset: 5,
      });
      const allMatching = await get('organizations/companies', {
        filter: [{ property: 'name', operation: 'contains', collation: 'ignorecase', value: 'a' }],
        sort: [{ property: 'name', direction: 'descending' }],
        limit: 500,
      });
      assert.deepEqual(page2.data, allMatching.data.slice(5, 10));
      assert.equal(page2.meta.pagingInfo.total, allMatching.meta.pagingInfo.total);
    });

    test('bad filter or sort: 400 with errors', async () => {
      const bad: Array<Record<string, string>> = [
        { filter: '[{"property":"name"' },
        { filter: JSON.stringify([{ property: 'name', operation: 'resembles', value: 'x' }]) },
        { filter: JSON.stringify([{ property: 'noSuchField', operation: 'equals', value: 'x' }]) },
        { filter: JSON.stringify([{ operation: 'and' }]) },
        { filter: JSON.stringify([{ property: 'name', operation: 'in', value: 'x' }]) },
        { sort: '[{"property":' },
        { sort: JSON.stringify([{ property: 'name', direction: 'sideways' }]) },
      ];
      for (const params of bad) {
        const reply = await api(`organizations/companies?${new URLSearchParams(params)}`, { token: admin.access_token! });
        assertErrors(reply, 400, 'logical');
      }
    });
  });

  describe('faults and the control endpoints', () => {
    test('throttle: 429 with retryAfter in the error and a Retry-After header', async () => {
      sims.vspc.setFault({ kind: 'throttle', retryAfter: 3, times: 1, path: '/api/v3/organizations' });
      const reply = await api('organizations/companies', { token: admin.access_token! });
      const b = assertErrors(reply, 429, 'retryableLogical');
      assert.equal(b.errors[0].retryAfter, 3);
      assert.equal(header(reply, 'retry-after'), '3');
      assert.equal((await api('organizations/companies', { token: admin.access_token! })).status, 200, 'times: 1');
    });

    test('status: 520 for server errors, with an errors body', async () => {
      sims.vspc.setFault({ kind: 'status', times: 1 });
      assertErrors(await api('about', { token: admin.access_token! }), 520, 'unspecified');
      sims.vspc.setFault({ kind: 'status', status: 409, times: 1 });
      assertErrors(await api('about', { token: admin.access_token! }), 409, 'logical');
    });

    test('expire: that request\u2019s access token ends, its refresh token survives', async () => {
      const tokens = await logon();
      sims.vspc.setFault({ kind: 'expire', times: 1 });
      assertErrors(await api('about', { token: tokens.access_token! }), 401, 'security');
      assert.equal((await api('about', { token: tokens.access_token! })).status, 401);
      assert.equal((await refreshGrant(tokens.refresh_token!)).status, 200);
    });

    test('truncated, html and huge answers', async () => {
      sims.vspc.setFault({ kind: 'html', times: 1 });
      const html = await api('about', { token: admin.access_token! });
      assert.equal(html.status, 502);
      assert.match(header(html, 'content-type') ?? '', /text\/html/);
      sims.vspc.setFault({ kind: 'huge', sizeBytes: 200_000, times: 1 });
      const huge = await api('organizations/companies', { token: admin.access_token! });
      assert.equal(huge.text.length, 200_000);
      const parsed = JSON.parse(huge.text) as Body;
      assert.equal(parsed.meta.pagingInfo.count, parsed.data.length);
      assert.ok(parsed.data.length > 1000);
      sims.vspc.setFault({ kind: 'truncated', times: 1 });
      const truncated = await api('organizations/companies', { token: admin.access_token! });
      assert.equal(truncated.status, 200);
      assert.equal(Number(header(truncated, 'content-length')), Buffer.byteLength(truncated.text));
      assert.throws(() => JSON.parse(truncated.text));
      sims.vspc.setFault({ kind: 'reset', times: 1 });
      await assert.rejects(api('organizations/companies', { token: admin.access_token! }));
    });

    test('HTTP control: faults, expire, revoke, the request log, the token count', async () => {
      const control = (path: string, method: 'GET' | 'POST' | 'DELETE', payload?: unknown) =>
        call(`/__simulator/${path}`, { method, body: payload === undefined ? undefined : JSON.stringify(payload) });
      assert.equal((await control('faults', 'POST', { kind: 'throttle', retryAfter: 1 })).status, 204);
      assert.equal((await api('about', { token: admin.access_token! })).status, 429);
      assert.equal((await control('faults', 'DELETE')).status, 204);
      assert.equal((await api('about', { token: admin.access_token! })).status, 200);
      assert.equal((await control('faults', 'POST', { kind: 'nonsense' })).status, 400);

      assert.equal((await control('requests', 'DELETE')).status, 204);
      await api('about?x=1', { token: admin.access_token! });
      const log = JSON.parse((await control('requests', 'GET')).text) as Array<{ method: string; path: string; headers: Record<string, string> }>;
      assert.deepEqual(log.map((r) => `${r.method} ${r.path}`), ['GET /api/v3/about?x=1']);
      assert.equal(log[0].headers.authorization, `Bearer ${admin.access_token}`);
      assert.deepEqual(sims.vspc.requests.map((r) => r.path), ['/api/v3/about?x=1']);

      const tokens = await logon();
      assert.ok(JSON.parse((await control('tokens', 'GET')).text).active >= 1);
      assert.equal((await control('expire', 'POST')).status, 204);
      assert.equal((await api('about', { token: tokens.access_token! })).status, 401);
      const renewed = body(await refreshGrant(tokens.refresh_token!)) as OAuthTokens;
      assert.equal((await control('revoke', 'POST')).status, 204);
      assert.equal((await api('about', { token: renewed.access_token! })).status, 401);
      assert.equal((await refreshGrant(renewed.refresh_token!)).status, 400);
      assert.equal(JSON.parse((await control('tokens', 'GET')).text).active, 0);
      assert.equal((await control('nothing', 'GET')).status, 404);
      sims.vspc.clearRequests();
      assert.equal(sims.vspc.requests.length, 0);
      admin = await logon();
    });
  });
});
