import { strict as assert } from 'node:assert';
import { request } from 'node:https';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  ApiError,
  AuthError,
  CancelledError,
  ConnectionDefinition,
  createSession,
  HttpStatusError,
  ProtocolError,
  TransportOptions,
  type WaitNotice,
} from '../../src/api';
import { startSimulators, Simulators } from '../simulator';
import { assertNoSecrets, throttledOnce, walkPages } from './session-checks';

let sims: Simulators;
let legacy: Simulators;
const logLines: string[] = [];
const notices: WaitNotice[] = [];
const errorTexts: string[] = [];

function transport(extra: Partial<TransportOptions> = {}): TransportOptions {
  return {
    timeoutMs: 5000,
    maxBodyBytes: 10 * 1024 * 1024,
    ca: sims.certificate.pem + '\n' + legacy.certificate.pem,
    log: (line) => logLines.push(line),
    notice: (notice) => notices.push(notice),
    ...extra,
  };
}

function session(extra: Partial<ConnectionDefinition> = {}, password = sims.vspc.users.admin.password, target = sims) {
  const def: ConnectionDefinition = { id: 'v', kind: 'vspc', name: 'vspc', url: target.vspc.url, username: target.vspc.users.admin.username, ...extra };
  return createSession(def, transport(), async () => password);
}

async function rejectsWith<T extends ApiError>(p: Promise<unknown>, type: new (...args: never[]) => T, check?: (e: T) => void): Promise<T> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    errorTexts.push(err.message, err.hint ?? '');
    check?.(err);
    return err;
  }
  assert.fail(`expected ${type.name}, but it resolved`);
}

const posts = (target: Simulators, path: string) => target.vspc.requests.filter((r) => r.method === 'POST' && r.path.startsWith(`/api/v3${path}`)).length;
const url = (path: string, target = sims) => new URL(`/api/v3${path}`, target.vspc.origin).href;

/** The status of GET /api/v3/about with this access token, outside any session. */
function statusWith(token: string): Promise<number | undefined> {
  return new Promise((done, fail) => {
    const req = request(url('/about'), { ca: sims.certificate.pem, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode));
    });
    req.on('error', fail);
    req.end();
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) assert.fail(`timed out waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

before(async () => {
  sims = await startSimulators({ vspcTokenLifetimeMs: 60 * 60_000 });
  legacy = await startSimulators({ vspcLegacyAuth: true });
});
after(async () => {
  await sims.close();
  await legacy.close();
});
beforeEach(() => {
  sims.vspc.clearFaults();
  sims.vspc.clearRequests();
});

describe('VSPC logon', () => {
  it('logs on with /token, reads /users/me, sends the bearer token on its origin only', async () => {
    const s = session();
    const info = await s.logon();
    assert.match(info.apiVersion ?? '', /^v3/);
    assert.ok(info.root.links.length > 5, 'the navigation root lists collections');
    assert.ok(info.root.links.every((l) => l.group), 'filed under groups');
    assert.equal(posts(sims, '/token'), 1);
    const token = sims.vspc.requests.find((r) => r.method === 'POST')!;
    assert.match(String(token.headers['content-type']), /application\/x-www-form-urlencoded/);
    const me = sims.vspc.requests.find((r) => r.path.startsWith('/api/v3/users/me'))!;
    assert.match(String(me.headers.authorization), /^Bearer \S+/);
    assert.ok(!info.raw.body.toString().includes('access_token'), 'the logon info keeps no token response');
    await s.logoff();
    await s.dispose();
  });

  it('falls back to /authentication/usernamepassword when /token is missing', async () => {
    const old = await startSimulators({ vspcLegacyAuth: true });
    try {
      // A VSPC 9 has /token and no legacy endpoint; an older one is simulated by faulting /token with 404.
      old.vspc.setFault({ kind: 'status', status: 404, path: '/api/v3/token' });
      const def: ConnectionDefinition = { id: 'o', kind: 'vspc', name: 'old', url: old.vspc.url, username: old.vspc.users.admin.username };
      const s = createSession(def, { ...transport(), ca: old.certificate.pem }, async () => old.vspc.users.admin.password);
      await s.logon();
      assert.equal(posts(old, '/authentication/usernamepassword'), 1);
      const legacyPost = old.vspc.requests.find((r) => r.path.startsWith('/api/v3/authentication/usernamepassword'))!;
      assert.match(String(legacyPost.headers['content-type']), /multipart\/form-data; boundary=/);
      const companies = await s.get(url('/organizations/companies', old));
      assert.ok(companies.resource.children.length > 0);
      await s.logoff();
      await s.dispose();
    } finally {
      await old.close();
    }
  });

  it('a wrong password is an AuthError with the server message and never the password', async () => {
    const s = session({}, 'Not-The-Pa55word');
    await rejectsWith(s.logon(), AuthError, (e) => {
      assert.equal(e.reason, 'credentials');
      assert.doesNotMatch(e.detail, /Not-The-Pa55word/);
    });
    assert.equal(s.state, 'loggedOff');
    await s.dispose();
  });

  it('an MFA account gets a clear "not supported yet" message', async () => {
    const s = session({ username: sims.vspc.users.mfa.username }, sims.vspc.users.mfa.password);
    await rejectsWith(s.logon(), AuthError, (e) => {
      assert.equal(e.reason, 'mfa');
      assert.match(e.message, /multi-factor/);
    });
    await s.dispose();
  });
});

describe('VSPC tokens', () => {
  it('refreshes once for many concurrent requests after the access token expired', async () => {
    const s = session();
    await s.logon();
    sims.vspc.clearRequests();
    sims.vspc.expireAllTokens();
    const results = await Promise.all(Array.from({ length: 8 }, () => s.get(url('/organizations/companies'))));
    assert.equal(results.length, 8);
    assert.equal(posts(sims, '/token'), 1, 'one refresh');
    const refresh = sims.vspc.requests.find((r) => r.method === 'POST')!;
    assert.ok(refresh);
    await s.logoff();
    await s.dispose();
  });

  it('refreshes ahead of expiry', async () => {
    const short = await startSimulators({ vspcTokenLifetimeMs: 2_000 });
    try {
      const def: ConnectionDefinition = { id: 's', kind: 'vspc', name: 's', url: short.vspc.url, username: short.vspc.users.admin.username };
      const s = createSession(def, { ...transport(), ca: short.certificate.pem }, async () => short.vspc.users.admin.password);
      await s.logon();
      short.vspc.clearRequests();
      await new Promise((r) => setTimeout(r, 1600));
      await s.get(url('/about', short));
      // The token lives 2 s; 1.6 s later it is within a quarter of its lifetime: refreshed before the request, no 401.
      assert.equal(posts(short, '/token'), 1);
      assert.deepEqual(short.vspc.requests.map((r) => r.method), ['POST', 'GET'], 'refresh, then the request: no 401 first');
      await s.logoff();
      await s.dispose();
    } finally {
      await short.close();
    }
  });

  it('logs on afresh when every token was revoked (server restart)', async () => {
    const s = session();
    await s.logon();
    sims.vspc.clearRequests();
    sims.vspc.revokeAllTokens();
    const r = await s.get(url('/organizations/companies'));
    assert.ok(r.resource.children.length > 0);
    assert.equal(posts(sims, '/token'), 2, 'a refused refresh, then one logon');
    assert.equal(s.state, 'loggedOn');
    await s.logoff();
    await s.dispose();
  });

  it('logoff reads /users/me and the user\u2019s identities, and revokes the tokens of this session\u2019s identity', async () => {
    const s = session();
    await s.logon();
    const before = sims.vspc.activeTokens();
    assert.ok(before > 0);
    sims.vspc.clearRequests();
    await s.logoff();
    assert.deepEqual(
      sims.vspc.requests.map((r) => `${r.method} ${r.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '{uid}')}`),
      ['GET /api/v3/users/me', 'GET /api/v3/users/{uid}/logins', 'DELETE /api/v3/users/{uid}/tokens?userLoginId=1101'],
    );
    assert.equal(s.state, 'loggedOff');
    await s.dispose();
  });

  it('logoff ends this identity only: another application signed in as the same user keeps working', async () => {
    // An integration that uses the administrator's API key: another identity of the same user.
    const tool = sims.vspc.otherIdentityToken('admin');
    assert.equal(await statusWith(tool.accessToken), 200);
    const s = session();
    await s.logon();
    const window2 = session();
    await window2.logon();
    await s.logoff();
    assert.equal(await statusWith(tool.accessToken), 200, 'the API key\u2019s token was revoked too');
    // A second session of the same identity loses its tokens as well: the API revokes per identity, never one token.
    // It logs on again by itself, once.
    const tokenPostsBefore = posts(sims, '/token');
    assert.ok((await window2.get(url('/about'))).resource);
    assert.ok(posts(sims, '/token') - tokenPostsBefore <= 2, 'a refused refresh and one logon at most');
    await window2.logoff();
    assert.equal(await statusWith(tool.accessToken), 200);
    await s.dispose();
    await window2.dispose();
  });

  it('when this session\u2019s identity cannot be known, logoff revokes nothing and says the token stays valid until it expires', async () => {
    // A Read-only User may not read user identities, so which of them this session is cannot be known.
    const reader = sims.vspc.users.readOnly;
    const s = session({ username: reader.username }, reader.password);
    const from = sims.vspc.issuedTokens().length;
    await s.logon();
    const access = sims.vspc.issuedTokens().slice(from).find((t) => t.kind === 'access')!;
    sims.vspc.clearRequests();
    const linesFrom = logLines.length;
    await s.logoff();
    assert.ok(!sims.vspc.requests.some((r) => r.method === 'DELETE'), 'no DELETE that would end every session of the user');
    assert.ok(logLines.slice(linesFrom).some((l) => /stays valid until it expires/.test(l)), logLines.slice(linesFrom).join('\n'));
    assert.equal(await statusWith(access.token), 200, 'the token was left to expire');
    assert.equal(s.state, 'loggedOff');
    await s.dispose();
  });

  it('a link to another origin gets no bearer token', async () => {
    const s = session();
    await s.logon();
    legacy.vspc.clearRequests();
    await s.get(url('/about', legacy)).catch(() => undefined);
    assert.ok(legacy.vspc.requests.length >= 1);
    assert.ok(legacy.vspc.requests.every((r) => r.headers.authorization === undefined));
    await s.logoff();
    await s.dispose();
  });
});

describe('VSPC collections', () => {
  it('pages to the last item with limit/offset', async () => {
    const s = session();
    await s.logon();
    const { uids: names, total, pages } = await walkPages(s, `${url('/organizations/companies')}?limit=37`);
    assert.ok(total > 37, `total ${total}`);
    assert.equal(names.length, total);
    assert.equal(new Set(names).size, total, 'no item twice');
    assert.equal(pages, Math.ceil(total / 37));
    await s.logoff();
    await s.dispose();
  });

  it('an item has fields and links to its sub-collections', async () => {
    const s = session();
    await s.logon();
    const list = await s.get(url('/organizations/companies'));
    const first = list.resource.children[0];
    assert.ok(first.href && first.name);
    const item = await s.get(first.href);
    assert.equal(item.resource.uid, first.uid);
    assert.ok(item.resource.fields.length > 3);
    assert.ok(item.resource.fields.some((f) => f.children), 'nested fields');
    await s.logoff();
    await s.dispose();
  });

  it('waits out a 429 for as long as retryAfter says, not much longer, and tells the user', async () => {
    const s = session();
    await s.logon();
    sims.vspc.setFault({ kind: 'throttle', retryAfter: 1, path: '/api/v3/about', times: 1 });
    const r = await throttledOnce(s, url('/about'), notices, 1);
    assert.ok(r.resource.fields.length > 0);
    await s.logoff();
    await s.dispose();
  });

  it('a 429 that does not say how long waits 5 s; a long retryAfter is cut to 60 s', async () => {
    const s = session();
    await s.logon();
    notices.length = 0;
    sims.vspc.setFault({ kind: 'throttle-bare', path: '/api/v3/about', times: 1 });
    const started = Date.now();
    const r = await s.get(url('/about'));
    const waited = Date.now() - started;
    assert.ok(r.resource.fields.length > 0);
    assert.ok(waited >= 4950 && waited < 7000, `waited ${waited} ms without retryAfter`);
    assert.deepEqual(notices, [{ code: 'throttled', seconds: 5 }]);

    notices.length = 0;
    sims.vspc.setFault({ kind: 'throttle', retryAfter: 3600, path: '/api/v3/about', times: 1 });
    const controller = new AbortController();
    const pending = s.get(url('/about'), controller.signal);
    await until(() => notices.length > 0, 'the throttling notice');
    assert.deepEqual(notices, [{ code: 'throttled', seconds: 60 }]);
    controller.abort();
    await rejectsWith(pending, CancelledError);
    await s.logoff();
    await s.dispose();
  });

  it('a cancelled 429 wait ends at once', async () => {
    const s = session();
    await s.logon();
    sims.vspc.setFault({ kind: 'throttle', path: '/api/v3/about' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await rejectsWith(s.get(url('/about'), controller.signal), CancelledError);
    await s.logoff();
    await s.dispose();
  });

  it('520 shows the server message; truncated JSON is a ProtocolError', async () => {
    const s = session();
    await s.logon();
    sims.vspc.setFault({ kind: 'status', status: 520, path: '/api/v3/organizations/companies' });
    await rejectsWith(s.get(url('/organizations/companies')), HttpStatusError, (e) => {
      assert.equal(e.status, 520);
      assert.ok(e.serverMessage);
    });
    sims.vspc.setFault({ kind: 'truncated', path: '/api/v3/organizations/companies' });
    await rejectsWith(s.get(url('/organizations/companies')), ProtocolError, (e) => assert.ok(e.raw));
    await s.logoff();
    await s.dispose();
  });
});

describe('VSPC navigation from the server', () => {
  it('follows the server\u2019s own OpenAPI document when it publishes one, else the shipped map', async () => {
    const own = await startSimulators({ vspcOpenApiDocument: true });
    try {
      const def: ConnectionDefinition = { id: 'd', kind: 'vspc', name: 'd', url: own.vspc.url, username: own.vspc.users.admin.username };
      const s = createSession(def, { ...transport(), ca: own.certificate.pem }, async () => own.vspc.users.admin.password);
      const info = await s.logon();
      const byPath = new Map(info.root.links.map((l) => [new URL(l.href).pathname, l]));
      assert.equal(byPath.size, 9, [...byPath.keys()].join(', '));
      assert.deepEqual(
        [byPath.get('/api/v3/organizations/resellers')?.name, byPath.get('/api/v3/organizations/resellers')?.group],
        ['Resellers', 'Organizations'],
      );
      assert.equal(byPath.get('/api/v3/about')?.type, 'VspcObject', 'no paging parameters: one object');
      assert.ok(!byPath.has('/api/v3/token'), 'no POST-only or authentication paths');
      // Items and sub-collections follow the document too.
      const servers = await s.get(byPath.get('/api/v3/infrastructure/backupServers')!.href);
      const server = await s.get(servers.resource.children[0].href!);
      assert.deepEqual(server.resource.links.map((l) => l.name), ['Jobs Configured on Backup Server']);
      const jobs = await s.get(server.resource.links[0].href);
      assert.ok(jobs.resource.children.length > 0);
      await s.logoff();
      await s.dispose();
    } finally {
      await own.close();
    }
    const shipped = session();
    const info = await shipped.logon();
    assert.ok(info.root.links.length > 100, 'without a document, the shipped map of API 3.6');
    await shipped.logoff();
    await shipped.dispose();
  });
});

describe('VSPC secrets', () => {
  // Last in the file, so every session above has logged its lines by now.
  it('no token the servers issued and no password appears in any log line, notice or error message, in any encoding', () => {
    const tokens = [...sims.vspc.issuedTokens(), ...legacy.vspc.issuedTokens()].map((t) => t.token);
    assert.ok(tokens.length > 10, `the servers issued ${tokens.length} tokens`);
    const accounts = [sims.vspc.users.admin, sims.vspc.users.readOnly, sims.vspc.users.mfa];
    assert.ok(logLines.length > 50, `requests were logged (${logLines.length} lines)`);
    assertNoSecrets([...logLines, ...errorTexts, ...notices.map((n) => JSON.stringify(n))], [...tokens, 'Not-The-Pa55word'], accounts);
  });
});
