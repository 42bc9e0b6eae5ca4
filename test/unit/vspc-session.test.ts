import { strict as assert } from 'node:assert';
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
} from '../../src/api';
import { startSimulators, Simulators } from '../simulator';

let sims: Simulators;
let legacy: Simulators;
const logLines: string[] = [];
const notices: string[] = [];
const errorTexts: string[] = [];

function transport(extra: Partial<TransportOptions> = {}): TransportOptions {
  return {
    timeoutMs: 5000,
    maxBodyBytes: 10 * 1024 * 1024,
    ca: sims.certificate.pem + '\n' + legacy.certificate.pem,
    log: (line) => logLines.push(line),
    notice: (message) => notices.push(message),
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

  it('logoff reads /users/me and deletes the user\u2019s tokens', async () => {
    const s = session();
    await s.logon();
    const before = sims.vspc.activeTokens();
    assert.ok(before > 0);
    sims.vspc.clearRequests();
    await s.logoff();
    const [me, del] = sims.vspc.requests;
    assert.equal(me.method, 'GET');
    assert.match(me.path, /^\/api\/v3\/users\/me/);
    assert.equal(del.method, 'DELETE');
    assert.match(del.path, /^\/api\/v3\/users\/[^/]+\/tokens$/);
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
    let href: string | undefined = `${url('/organizations/companies')}?limit=37`;
    const names: string[] = [];
    let total = 0;
    let pages = 0;
    while (href) {
      const { resource } = await s.get(href);
      names.push(...resource.children.map((c) => c.uid ?? ''));
      total = resource.paging?.total ?? 0;
      href = resource.paging?.next;
      pages++;
      assert.ok(pages < 1000);
    }
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

  it('waits out a 429 and retries, telling the user', async () => {
    const s = session();
    await s.logon();
    notices.length = 0;
    sims.vspc.setFault({ kind: 'throttle', path: '/api/v3/about', times: 1 });
    const started = Date.now();
    const r = await s.get(url('/about'));
    assert.ok(r.resource.fields.length > 0);
    assert.ok(Date.now() - started >= 900, 'waited retryAfter');
    assert.equal(notices.length, 1);
    assert.match(notices[0], /retrying in \d+ s/);
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

  it('no password or token in log lines and error messages', () => {
    const password = sims.vspc.users.admin.password;
    const tokens = new Set<string>();
    for (const r of sims.vspc.requests) {
      const auth = r.headers.authorization;
      if (typeof auth === 'string') tokens.add(auth.replace(/^Bearer /, ''));
    }
    for (const text of [...logLines, ...errorTexts, ...notices]) {
      assert.ok(!text.includes(password), `password in: ${text}`);
      for (const t of tokens) assert.ok(!text.includes(t), `token in: ${text}`);
    }
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
