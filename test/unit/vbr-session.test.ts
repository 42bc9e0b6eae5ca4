// The Veeam Backup & Replication kind (`kind: 'vbr'`) over real HTTPS against the VBR simulator, through createSession:
// logon with `x-api-version` on every request, the one revision fallback, single-flight renewal with single-use refresh
// tokens, logout always, credentials to the own origin only, no secret in logs or errors, paging, the name filter,
// throttling and the errors of a failing server, and the tree from the server's own OpenAPI document.
import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ApiSession, ConnectionDefinition, TransportOptions, WaitNotice } from '../../src/api';
import { ApiError, AuthError, CancelledError, createSession, HttpStatusError, ProtocolError, readNameFilter, redactError, withNameFilter } from '../../src/api';
import { startSimulators, Simulators, type VbrIssuedToken, type VbrSimulator } from '../simulator';
import { createLoopbackCertificate, type SimulatorCertificate } from '../simulator/tls';
import { startVbrSimulator } from '../simulator/vbr/server';
import { apiFailure } from './api-failure';
import { assertNoSecrets, throttledOnce, walkPages } from './session-checks';
import { waitFor } from './wait-for';

let sims: Simulators;
/** A Veeam Backup & Replication 12.3: it knows revisions up to 1.2-rev1. */
let sims12: Simulators;
let cert: SimulatorCertificate;
const logLines: string[] = [];
const notices: WaitNotice[] = [];
const errorTexts: string[] = [];
/** Simulators started by single tests, whose tokens the last test checks too. */
const extraIssued: VbrIssuedToken[] = [];

/** 5 s, 16 MB, every simulator's certificate; log lines and notices kept for the last test. */
const transport = (extra: Partial<TransportOptions> = {}): TransportOptions => ({ ...BASE_TRANSPORT, ca: [sims.certificate.pem, sims12.certificate.pem, cert.pem].join('\n'), ...extra });
const BASE_TRANSPORT = { timeoutMs: 5000, maxBodyBytes: 16 * 1024 * 1024, log: (line: string) => logLines.push(line), notice: (notice: WaitNotice) => notices.push(notice) };

function session(extra: Partial<ConnectionDefinition> = {}, password = sims.vbr.users.admin.password, target: Pick<VbrSimulator, 'url' | 'users'> = sims.vbr): ApiSession {
  const def: ConnectionDefinition = { id: 'b', kind: 'vbr', name: 'vbr', url: target.url, username: target.users.admin.username, ...extra };
  return createSession(def, transport(), async () => password);
}

/** The error `p` rejects with, of that type; its texts are kept for the last test. */
async function rejectsWith<T extends ApiError>(p: Promise<unknown>, type: new (...args: never[]) => T, check?: (e: T) => void): Promise<T> {
  const err = await apiFailure(p);
  assert.ok(err instanceof type, `expected ${type.name}, got ${err.constructor.name}: ${err.message}`);
  errorTexts.push(err.message, err.hint ?? '');
  check?.(err);
  return err;
}

const url = (path: string, target: Pick<VbrSimulator, 'origin'> = sims.vbr) => new URL(path, target.origin).href;
const tokenPosts = (target: VbrSimulator = sims.vbr) => target.requests.filter((r) => r.method === 'POST' && r.path === '/api/oauth2/token');
const logouts = (target: VbrSimulator = sims.vbr) => target.requests.filter((r) => r.method === 'POST' && r.path === '/api/oauth2/logout');
/** The tokens issued from `from` on (an index into issuedTokens()). */
const issuedSince = (from: number, target: VbrSimulator = sims.vbr) => target.issuedTokens().slice(from);
const live = (tokens: VbrIssuedToken[]) => tokens.filter((t) => t.active);
/** A logged-on session to the 13 simulator for `run`, logged off and disposed of after it, whatever happens. */
async function loggedOn(run: (s: ApiSession) => Promise<void>): Promise<void> {
  const s = session();
  try {
    await s.logon();
    await run(s);
  } finally {
    await s.logoff();
    await s.dispose();
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A VBR simulator of its own with these token lifetimes, and a logged-on session to it; the tokens are kept for the last test. */
async function withLifetimes(accessMs: number, refreshMs: number | undefined, run: (vbr: VbrSimulator, s: ApiSession) => Promise<void>): Promise<void> {
  const short = await startSimulators({ vbrAccessTokenLifetimeMs: accessMs, vbrRefreshTokenLifetimeMs: refreshMs, vbrItems: 5 });
  const s = createSession({ id: 's', kind: 'vbr', name: 's', url: short.vbr.url, username: short.vbr.users.admin.username }, { ...transport(), ca: short.certificate.pem }, async () => short.vbr.users.admin.password);
  try {
    await s.logon();
    await run(short.vbr, s);
  } finally {
    await s.logoff();
    extraIssued.push(...short.vbr.issuedTokens());
    await s.dispose();
    await short.close();
  }
}

before(async () => {
  cert = await createLoopbackCertificate();
  sims = await startSimulators({ vbrAccessTokenLifetimeMs: 60 * 60_000 });
  sims12 = await startSimulators({ vbrRevisions: 'vbr12.3', vbrItems: 20 });
});
after(() => Promise.all([sims.close(), sims12.close()]));
// Each test starts without faults, with empty request logs.
beforeEach(() => [sims.vbr, sims12.vbr].forEach((vbr) => (vbr.clearFaults(), vbr.clearRequests())));

describe('VBR logon', () => {
  it('an OAuth refusal of the password (400 invalid_grant) is a credentials error, as a 401 is', async () => {
    const server = await rawServer((req, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'The user name or password is incorrect.' }));
    });
    try {
      const s = session({ url: `${server.url}/api/` });
      await rejectsWith(s.logon(), AuthError, (e) => {
        assert.equal(e.reason, 'credentials');
        assert.match(e.message, /refused the logon of .+: The user name or password is incorrect\./);
        assert.match(e.hint ?? '', /Veeam Backup Administrator/);
      });
      await s.dispose();
    } finally {
      await server.close();
    }
  });

  it('a server information its role may not read (403) leaves the root without its fields, not the logon failed', () => withFreshServer(async (vbr, session) => {
    vbr.setFault({ kind: 'status', status: 403, path: '/api/v1/serverInfo', times: 1 });
    const info = await session().logon();
    assert.deepEqual(info.root.fields, []);
    assert.ok(info.root.links.some((l) => l.name === 'Jobs'));
  }));

  it('sends x-api-version on every request, the logon included, and the bearer token on every request after it', async () => {
    const s = session();
    const info = await s.logon();
    assert.equal(info.apiVersion, '1.3-rev1', 'the newest revision this extension knows');
    await s.get(url('/api/v1/jobs'));
    await s.logoff();
    const seen = sims.vbr.requests;
    assert.ok(seen.length >= 5, seen.map((r) => r.path).join(', '));
    for (const r of seen) assert.equal(r.headers['x-api-version'], '1.3-rev1', `${r.method} ${r.path}`);
    const [token, ...rest] = seen;
    assert.equal(`${token.method} ${token.path}`, 'POST /api/oauth2/token');
    assert.match(String(token.headers['content-type']), /^application\/x-www-form-urlencoded/);
    assert.equal(token.headers.authorization, undefined, 'no bearer token before there is one');
    for (const r of rest) assert.match(String(r.headers.authorization), /^Bearer \S+$/, `${r.method} ${r.path}`);
    assert.deepEqual(
      rest.filter((r) => r.path.startsWith('/api/')).map((r) => `${r.method} ${r.path}`),
      ['GET /api/v1/serverInfo', 'GET /api/v1/jobs', 'POST /api/oauth2/logout'],
    );
    assert.ok(!info.raw.body.toString().includes('access_token'), 'the logon info keeps no token response');
    await s.dispose();
  });

  it('a revision the connection names is the one used', async () => {
    const s = session({ apiVersion: ' 1.1-rev0 ' });
    const info = await s.logon();
    assert.equal(info.apiVersion, '1.1-rev0');
    await s.get(url('/api/v1/jobs'));
    assert.deepEqual([...new Set(sims.vbr.requests.map((r) => r.headers['x-api-version']))], ['1.1-rev0']);
    assert.equal(tokenPosts().length, 1, 'no fallback');
    await s.logoff();
    await s.dispose();
  });

  it('a wrong password is AuthError "credentials" naming the roles, with the server\u2019s words and never the password', async () => {
    const from = sims.vbr.issuedTokens().length;
    const s = session({}, 'Not-The-Pa55word');
    await rejectsWith(s.logon(), AuthError, (e) => {
      assert.equal(e.reason, 'credentials');
      assert.equal(e.status, 401);
      assert.match(e.message, /refused the logon of vbradmin: Authentication failed/);
      assert.match(e.hint ?? '', /Veeam Backup Administrator/);
      assert.match(e.hint ?? '', /Veeam Backup Viewer/);
      assert.doesNotMatch(e.detail, /Not-The-Pa55word/);
    });
    assert.equal(s.state, 'loggedOff');
    assert.equal(tokenPosts().length, 1, 'no second try with the wrong password');
    assert.equal(issuedSince(from).length, 0);
    await s.dispose();
  });

  it('an account without a role is refused with the server\u2019s reason; a 403 at logon is the "role" reason', async () => {
    const { noRole } = sims.vbr.users;
    const s = session({ username: noRole.username }, noRole.password);
    await rejectsWith(s.logon(), AuthError, (e) => {
      // VBR answers 401 for both (the simulator's choice, FACTS.md): the server's message tells which.
      assert.equal(e.reason, 'credentials');
      assert.match(e.message, /no role/);
      assert.match(e.hint ?? '', /role/);
    });
    await s.dispose();
    sims.vbr.setFault({ kind: 'status', status: 403, path: '/api/oauth2/token', times: 1 });
    const forbidden = session();
    await rejectsWith(forbidden.logon(), AuthError, (e) => {
      assert.equal(e.reason, 'role');
      assert.equal(e.status, 403);
      assert.match(e.message, /may not use the Veeam Backup & Replication REST API/);
    });
    await forbidden.dispose();
  });

  it('a Veeam Backup Viewer browses; the server\u2019s 403 on an action path would be its words', async () => {
    const { viewer } = sims.vbr.users;
    const s = session({ username: viewer.username }, viewer.password);
    await s.logon();
    assert.ok((await s.get(url('/api/v1/jobs'))).resource.children.length > 0);
    sims.vbr.setFault({ kind: 'status', status: 403, path: '/api/v1/credentials', times: 1 });
    await rejectsWith(s.get(url('/api/v1/credentials')), AuthError, (e) => {
      assert.equal(e.reason, 'forbidden');
      assert.match(e.hint ?? '', /Veeam Backup Administrator/);
    });
    await s.logoff();
    await s.dispose();
  });
});

describe('VBR revisions', () => {
  it('a 12.3 server refuses 1.3-rev1: one retry with 1.2-rev1, which every later request carries', async () => {
    const s = session({ apiVersion: '1.3-rev1' }, sims12.vbr.users.admin.password, sims12.vbr);
    const info = await s.logon();
    assert.equal(info.apiVersion, '1.2-rev1');
    assert.match(info.root.name ?? '', /1\.2-rev1/);
    const posts = tokenPosts(sims12.vbr);
    assert.deepEqual(posts.map((r) => r.headers['x-api-version']), ['1.3-rev1', '1.2-rev1']);
    assert.ok(logLines.some((l) => /does not accept API revision 1\.3-rev1; it supports 1\.2-rev1/.test(l)));
    // Later requests, a renewal and the logout: all of them with the revision the server took.
    await s.get(url('/api/v1/jobs', sims12.vbr));
    sims12.vbr.expireAllTokens();
    await s.get(url('/api/v1/backups', sims12.vbr));
    await s.logoff();
    const after = sims12.vbr.requests.slice(1);
    assert.ok(after.some((r) => r.path === '/swagger/1.2-rev1/swagger.json'), 'the document of the revision in use');
    assert.ok(after.some((r) => r.path === '/api/oauth2/logout'));
    for (const r of after) assert.equal(r.headers['x-api-version'], '1.2-rev1', `${r.method} ${r.path}`);
    assert.equal(tokenPosts(sims12.vbr).length, 3, 'the refused one, the logon, one refresh');
    await s.dispose();
  });

  it('a revision the server does not have, named in the connection: the newest both know, once', async () => {
    const s = session({ apiVersion: '9.9-rev9' });
    assert.equal((await s.logon()).apiVersion, '1.3-rev1');
    assert.deepEqual(tokenPosts().map((r) => r.headers['x-api-version']), ['9.9-rev9', '1.3-rev1']);
    await s.logoff();
    await s.dispose();
  });

  it('without a revision in the connection, the same: the newest we know that the server has', async () => {
    const s = session({}, sims12.vbr.users.admin.password, sims12.vbr);
    assert.equal((await s.logon()).apiVersion, '1.2-rev1');
    assert.equal(tokenPosts(sims12.vbr).length, 2);
    await s.logoff();
    await s.dispose();
  });

  it('a server that supports no revision we know: a clear error after one request, no retry', async () => {
    const future = await startVbrSimulator({ host: '127.0.0.1', port: 0, tls: { key: cert.key, cert: cert.pem }, revisions: ['2.0-rev0', '2.1-rev3'], items: 5 });
    try {
      const s = session({}, future.users.admin.password, future);
      await rejectsWith(s.logon(), HttpStatusError, (e) => {
        assert.equal(e.status, 400);
        assert.match(e.message, /Unsupported RESTAPI version\. The following versions are supported: v2\.0-rev0, v2\.1-rev3\./);
        assert.match(e.hint ?? '', /revision/);
      });
      assert.equal(tokenPosts(future).length, 1);
      assert.equal(future.issuedTokens().length, 0);
      await s.dispose();
    } finally {
      await future.close();
    }
  });

  it('a server that refuses the revision it named too: one retry, then its error', async () => {
    // Lists revisions we know, and refuses each of them: a client that believed it would try forever.
    const seen: Array<string | undefined> = [];
    const server = await rawServer((req, res) => {
      seen.push(req.headers['x-api-version'] as string | undefined);
      req.resume();
      res.writeHead(400, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ errorCode: 'NotImplemented', message: 'Unsupported RESTAPI version. The following versions are supported: v1.2-rev1, v1.3-rev0.' }));
    });
    try {
      const s = createSession({ id: 'r', kind: 'vbr', name: 'r', url: `${server.url}/api/`, username: 'u' }, transport(), async () => 'Raw-Pa55word-9');
      await rejectsWith(s.logon(), HttpStatusError, (e) => assert.equal(e.status, 400));
      assert.deepEqual(seen, ['1.3-rev1', '1.3-rev0']);
      await s.dispose();
    } finally {
      await server.close();
    }
  });
});

describe('VBR tokens', () => {
  it('20 concurrent GETs after every access token expired: exactly one refresh_token grant, then the new refresh token next time', async () => {
    await loggedOn(async (s) => {
      const from = sims.vbr.issuedTokens().length;
      const firstRefresh = sims.vbr.issuedTokens().at(-1)!;
      assert.equal(firstRefresh.kind, 'refresh');
      sims.vbr.clearRequests();
      sims.vbr.expireAllTokens();
      const paths = ['/api/v1/jobs', '/api/v1/sessions', '/api/v1/backups', '/api/v1/credentials', '/api/v1/jobs/states'];
      const results = await Promise.all(Array.from({ length: 20 }, (_, k) => s.get(url(`${paths[k % paths.length]}?limit=${k + 1}`))));
      assert.ok(results.every((r) => r.resource.children.length > 0));
      assert.equal(tokenPosts().length, 1, 'one renewal for all twenty');
      assert.equal(sims.vbr.issuedTokens().find((t) => t.token === firstRefresh.token)?.ended, 'used', 'it was the refresh grant, not a logon');
      assert.equal(issuedSince(from).length, 2, 'one new pair');
      // The refresh token is single-use: the next renewal must use the new one (the old one would be refused).
      sims.vbr.clearRequests();
      sims.vbr.expireAllTokens();
      await s.get(url('/api/v1/jobs'));
      assert.equal(tokenPosts().length, 1, 'one refresh, accepted: no password logon after it');
      assert.equal(issuedSince(from).length, 4);
    });
  });

  it('renews ahead of expiry: no request meets an expired token', async () => {
    await withLifetimes(2_000, undefined, async (vbr, s) => {
      vbr.clearRequests();
      await sleep(1600);
      await s.get(url('/api/v1/jobs', vbr));
      // 2 s tokens, 1.6 s later: within a quarter of the lifetime, renewed before the request (the replaced token ended).
      const seen = vbr.requests.filter((r) => r.path !== '/api/oauth2/logout');
      assert.deepEqual(seen.map((r) => `${r.method} ${r.path}`), ['POST /api/oauth2/token', 'GET /api/v1/jobs']);
    });
  });

  it('a refused refresh (every token revoked) costs one password logon, and only that', async () => {
    await loggedOn(async (s) => {
      sims.vbr.clearRequests();
      sims.vbr.revokeAllTokens();
      const results = await Promise.all(Array.from({ length: 5 }, () => s.get(url('/api/v1/jobs'))));
      assert.ok(results.every((r) => r.resource.children.length > 0));
      assert.equal(tokenPosts().length, 2, 'the refused refresh, then one password logon');
      assert.ok(!sims.vbr.requests.some((r) => r.path.startsWith('/swagger/') || r.path === '/api/v1/serverInfo'), 'a renewal, not a whole new logon');
      assert.equal(s.state, 'loggedOn');
    });
  });

  it('an expired refresh token: one password logon', async () => {
    await withLifetimes(1_000, 1_200, async (vbr, s) => {
      await sleep(1400);
      vbr.clearRequests();
      assert.ok((await s.get(url('/api/v1/jobs', vbr))).resource.children.length > 0);
      assert.deepEqual(vbr.requests.map((r) => `${r.method} ${r.path}`), ['POST /api/oauth2/token', 'POST /api/oauth2/token', 'GET /api/v1/jobs']);
    });
  });

  it('a token refused right after its renewal: a refusal, no logon loop, every token it issued ended', async () => {
    const s = session();
    const from = sims.vbr.issuedTokens().length;
    await s.logon();
    // Every request with a token is refused and the token lives on: a proxy or server that turns sessions away.
    sims.vbr.setFault({ kind: 'unauthorized', path: '/api/v1/jobs' });
    sims.vbr.clearRequests();
    await rejectsWith(s.get(url('/api/v1/jobs')), AuthError, (e) => {
      assert.equal(e.reason, 'expired');
      assert.match(e.message, /refused the session right after renewing it/);
    });
    assert.equal(tokenPosts().length, 1, 'one refresh, no password logon');
    assert.equal(s.state, 'loggedOff');
    const before = sims.vbr.requests.length;
    await rejectsWith(s.get(url('/api/v1/backups')), AuthError, (e) => assert.equal(e.reason, 'expired'));
    assert.equal(sims.vbr.requests.length, before, 'refused at once, without asking the server');
    assert.deepEqual(live(issuedSince(from)), [], 'the tokens it issued are ended');
    // The user logs on again: that works.
    sims.vbr.clearFaults();
    await s.logon();
    assert.ok((await s.get(url('/api/v1/jobs'))).resource.children.length > 0);
    await s.logoff();
    assert.deepEqual(live(issuedSince(from)), []);
    await s.dispose();
  });
});

describe('VBR logout', () => {
  it('logoff() posts /api/oauth2/logout with the bearer token, and every token of the session ends', async () => {
    const s = session();
    const from = sims.vbr.issuedTokens().length;
    await s.logon();
    sims.vbr.clearRequests();
    await s.logoff();
    assert.deepEqual(sims.vbr.requests.map((r) => `${r.method} ${r.path}`), ['POST /api/oauth2/logout']);
    assert.match(String(logouts()[0].headers.authorization), /^Bearer \S+$/);
    assert.equal(s.state, 'loggedOff');
    const issued = issuedSince(from);
    assert.equal(issued.length, 2);
    assert.deepEqual(issued.map((t) => t.ended), ['logout', 'logout']);
    // Nothing held: a second logoff sends nothing.
    await s.logoff();
    assert.equal(logouts().length, 1);
    await s.dispose();
  });

  it('a logon that fails after the token was issued ends the token', async () => {
    const from = sims.vbr.issuedTokens().length;
    sims.vbr.setFault({ kind: 'status', status: 500, path: '/api/v1/serverInfo', times: 1 });
    const s = session();
    await rejectsWith(s.logon(), HttpStatusError, (e) => {
      assert.equal(e.status, 500);
      assert.match(e.message, /Reading the server information/);
    });
    assert.equal(s.state, 'loggedOff');
    assert.equal(logouts().length, 1);
    assert.equal(issuedSince(from).length, 2);
    assert.deepEqual(live(issuedSince(from)), []);
    await s.dispose();
  });

  it('a logon cancelled after the token was issued ends the token', async () => {
    const from = sims.vbr.issuedTokens().length;
    sims.vbr.setFault({ kind: 'hang', path: '/api/v1/serverInfo', times: 1 });
    const s = session();
    const controller = new AbortController();
    const pending = s.logon(controller.signal);
    await waitFor(() => sims.vbr.requests.some((r) => r.path === '/api/v1/serverInfo'), 'the logon reads the server information');
    controller.abort();
    await rejectsWith(pending, CancelledError);
    await waitFor(() => live(issuedSince(from)).length === 0, 'the issued tokens ended', 5000);
    assert.equal(logouts().length, 1);
    await s.dispose();
  });

  it('every token replaced during the session is ended: a renewal ahead of expiry leaves none alive', async () => {
    // Tokens of 4 s, renewed in their last second: the replaced access token still works for up to a second.
    await withLifetimes(4_000, undefined, async (vbr, s) => {
      await sleep(3200);
      await s.get(url('/api/v1/jobs', vbr));
      assert.equal(vbr.issuedTokens().length, 4, 'renewed once');
      await s.logoff();
      assert.deepEqual(live(vbr.issuedTokens()).map((t) => `${t.kind} ${t.ended ?? 'active'}`), []);
    });
  });
});

describe('VBR origins and secrets', () => {
  it('a link to another origin is fetched without the token (nor the revision header)', async () => {
    await loggedOn(async (s) => {
      await s.get(url('/api/v1/jobs', sims12.vbr)).catch(() => undefined);
      assert.ok(sims12.vbr.requests.length >= 1);
      for (const r of sims12.vbr.requests) {
        assert.equal(r.headers.authorization, undefined);
        assert.equal(r.headers['x-api-version'], undefined);
      }
    });
  });

  it('a server that echoes the token and the password: the session knows every token it was issued, so they can be taken out', async () => {
    const { admin } = sims.vbr.users;
    const s = session();
    const from = sims.vbr.issuedTokens().length;
    await s.logon();
    sims.vbr.expireAllTokens();
    await s.get(url('/api/v1/jobs'));
    sims.vbr.setFault({ kind: 'echo', path: '/api/v1/backups', times: 1 });
    const err = await apiFailure(s.get(url('/api/v1/backups')));
    assert.ok(err instanceof HttpStatusError);
    const issued = issuedSince(from).map((t) => t.token);
    assert.equal(issued.length, 4);
    for (const token of issued) assert.ok(s.secrets().includes(token), 'every access and refresh token is a secret of the session');
    assert.ok(err.message.includes(issued[2]), 'the server echoed the access token in use');
    redactError(err, [...s.secrets(), { user: admin.username, password: admin.password }]);
    errorTexts.push(err.message, err.hint ?? '', err.serverMessage ?? '');
    await s.logoff();

    // At logon: the form's password, echoed raw, percent-encoded and in base64.
    sims.vbr.setFault({ kind: 'echo', path: '/api/oauth2/token', times: 1 });
    const logon = await apiFailure(s.logon());
    assert.ok(logon.message.includes(encodeURIComponent(admin.password)) || logon.message.includes(admin.password));
    redactError(logon, [...s.secrets(), { user: admin.username, password: admin.password }]);
    errorTexts.push(logon.message, logon.hint ?? '');
    await s.dispose();
  });
});

describe('VBR collections', () => {
  it('walks every job exactly once by paging.next (skip and limit)', async () => {
    await loggedOn(async (s) => {
      const { uids: ids, total, pages } = await walkPages(s, `${url('/api/v1/jobs')}?limit=37`, (next) => assert.match(next, /[?&]skip=\d+/));
      assert.equal(total, 300);
      assert.equal(ids.length, total);
      assert.equal(new Set(ids).size, total, 'no job twice');
      assert.equal(pages, Math.ceil(300 / 37));
      // Without a limit the server pages by its own size (200): still every job, once.
      const first = await s.get(url('/api/v1/jobs'));
      const second = await s.get(first.resource.paging!.next!);
      assert.equal(second.resource.paging?.next, undefined);
      assert.deepEqual(new Set([...first.resource.children, ...second.resource.children].map((c) => c.uid)), new Set(ids));
      // A limit above the server's largest (1000) is lowered: the next page starts after what came, not after the limit.
      const big = await s.get(url('/api/v1/taskSessions?limit=5000'));
      assert.equal(big.resource.children.length, 1000);
      const rest = await s.get(big.resource.paging!.next!);
      assert.equal(new URL(big.resource.paging!.next!).searchParams.get('skip'), '1000');
      assert.equal(rest.resource.paging?.next, undefined);
      const all = new Set([...big.resource.children, ...rest.resource.children].map((c) => c.uid));
      assert.equal(all.size, big.resource.paging?.total);
    });
  });

  it('items are labelled by name and addressed by id; names with markup come back as written', async () => {
    await loggedOn(async (s) => {
      const { resource } = await s.get(url('/api/v1/jobs?limit=10'));
      assert.equal(resource.children[0].name, 'Müller & Söhne "Bau" <b>Nightly</b>');
      const item = await s.get(resource.children[0].href!);
      assert.equal(item.resource.uid, resource.children[0].uid);
      assert.equal(new URL(resource.children[0].href!).pathname, `/api/v1/jobs/${resource.children[0].uid}`);
      const credentials = await s.get(url('/api/v1/credentials'));
      assert.ok(credentials.resource.children.every((c) => c.name && c.name !== c.uid), 'credentials records by user name');
    });
  });

  it('filters by name through nameFilter, on every page, and clears the filter', async () => {
    await loggedOn(async (s) => {
      const jobs = `${url('/api/v1/jobs')}?limit=5&skip=10`;
      const filtered = withNameFilter('vbr', jobs, ' Berlin* ');
      const u = new URL(filtered);
      assert.equal(u.searchParams.get('nameFilter'), '*Berlin*');
      assert.equal(u.searchParams.get('skip'), null, 'from the first page');
      assert.equal(readNameFilter('vbr', filtered), 'Berlin');
      const { names } = await walkPages(s, filtered, (next) => assert.equal(new URL(next).searchParams.get('nameFilter'), '*Berlin*', 'the next page keeps the filter'));
      assert.ok(names.length > 5, `${names.length} jobs`);
      assert.ok(names.every((n) => /berlin/i.test(n)), names.join(', '));
      const markup = await s.get(withNameFilter('vbr', url('/api/v1/jobs'), '"Bau" <b>'));
      assert.deepEqual(markup.resource.children.map((c) => c.name), ['Müller & Söhne "Bau" <b>Nightly</b>']);
      const cleared = withNameFilter('vbr', filtered, '  ');
      assert.equal(new URL(cleared).searchParams.get('nameFilter'), null);
      assert.equal(readNameFilter('vbr', cleared), undefined);
    });
  });

  it('waits out a 429 for its Retry-After and says how long', async () => {
    await loggedOn(async (s) => {
      sims.vbr.setFault({ kind: 'throttle', retryAfter: 1, path: '/api/v1/jobs', times: 1 });
      const r = await throttledOnce(s, url('/api/v1/jobs'), notices, 1);
      assert.ok(r.resource.children.length > 0);
    });
  });

  it('500 with the VBR error body: HttpStatusError with the server\u2019s message', async () => {
    await loggedOn(async (s) => {
      sims.vbr.setFault({ kind: 'status', status: 500, path: '/api/v1/jobs', times: 1 });
      await rejectsWith(s.get(url('/api/v1/jobs')), HttpStatusError, (e) => {
        assert.equal(e.status, 500);
        assert.equal(e.serverMessage, 'An unexpected error occurred on the backup server. See the REST API service log for details.');
        assert.ok(e.message.includes(e.serverMessage!));
        assert.match(e.hint ?? '', /RestAPIService/);
        assert.ok(e.raw);
      });
      const missing = url('/api/v1/jobs/00000000-0000-0000-0000-000000000000');
      await rejectsWith(s.get(missing), HttpStatusError, (e) => {
        assert.equal(e.status, 404);
        assert.match(e.serverMessage ?? '', /was not found/);
      });
    });
  });

  it('an HTML page, a truncated or empty body, a wrong content type: ProtocolError (or the status, for a proxy\u2019s error page)', async () => {
    await loggedOn(async (s) => {
      const jobs = url('/api/v1/jobs');
      sims.vbr.setFault({ kind: 'html', status: 200, path: '/api/v1/jobs', times: 1 });
      await rejectsWith(s.get(jobs), ProtocolError, (e) => assert.ok(e.raw));
      sims.vbr.setFault({ kind: 'html-body', path: '/api/v1/jobs', times: 1 });
      await rejectsWith(s.get(jobs), ProtocolError);
      sims.vbr.setFault({ kind: 'truncated', path: '/api/v1/jobs', times: 1 });
      await rejectsWith(s.get(jobs), ProtocolError, (e) => assert.ok(e.raw));
      sims.vbr.setFault({ kind: 'empty', path: '/api/v1/jobs', times: 1 });
      await rejectsWith(s.get(jobs), ProtocolError);
      sims.vbr.setFault({ kind: 'wrong-type', path: '/api/v1/jobs', times: 1 });
      await rejectsWith(s.get(jobs), ProtocolError);
      sims.vbr.setFault({ kind: 'html', path: '/api/v1/jobs', times: 1 });
      await rejectsWith(s.get(jobs), HttpStatusError, (e) => {
        assert.equal(e.status, 502);
        assert.match(e.hint ?? '', /proxy/i);
      });
      assert.ok((await s.get(jobs)).resource.children.length > 0, 'the session is fine after all that');
    });
  });
});

/**
 * A VBR simulator of its own (a document is read once per server and revision in a process: each of these tests needs
 * a server no session has read yet), and a session to it; the tokens are kept for the last test.
 */
async function withFreshServer(run: (vbr: VbrSimulator, session: (extra?: Partial<ConnectionDefinition>) => ApiSession) => Promise<void>): Promise<void> {
  const fresh = await startSimulators({ vbrItems: 20 });
  const sessions: ApiSession[] = [];
  const open = (extra: Partial<ConnectionDefinition> = {}) => {
    const s = createSession({ id: 'f', kind: 'vbr', name: 'f', url: fresh.vbr.url, username: fresh.vbr.users.admin.username, ...extra }, { ...transport(), ca: fresh.certificate.pem }, async () => fresh.vbr.users.admin.password);
    sessions.push(s);
    return s;
  };
  try {
    await run(fresh.vbr, open);
  } finally {
    for (const s of sessions) {
      await s.logoff();
      await s.dispose();
    }
    extraIssued.push(...fresh.vbr.issuedTokens());
    await fresh.close();
  }
}

describe('VBR navigation from the server\u2019s own document', () => {
  it('reads /swagger/<revision>/swagger.json once at logon: its groups, collections, items, sub-collections and actions', () => withFreshServer(async (vbr, session) => {
    const s = session();
    const info = await s.logon();
    const docs = vbr.requests.filter((r) => r.path.startsWith('/swagger/'));
    assert.deepEqual(docs.map((r) => r.path), ['/swagger/1.3-rev1/swagger.json']);
    const byPath = new Map(info.root.links.map((l) => [new URL(l.href).pathname, l]));
    // serverTime is in the server's document, not in the shipped map: the tree follows the document.
    assert.equal(byPath.get('/api/v1/serverTime')?.type, 'VbrObject');
    assert.deepEqual([byPath.get('/api/v1/jobs')?.name, byPath.get('/api/v1/jobs')?.group, byPath.get('/api/v1/jobs')?.type], ['Jobs', 'Jobs', 'VbrCollection']);
    assert.ok(![...byPath.keys()].some((p) => p.startsWith('/api/oauth2')), 'no token or logout paths');
    assert.ok(new Set(info.root.links.map((l) => l.group)).size >= 8);
    assert.ok(info.root.fields.some((f) => f.name === 'buildVersion'), 'the server information on the root');
    // An item: its actions are links, never sent; a session's sub-collection is one.
    const jobs = await s.get(byPath.get('/api/v1/jobs')!.href);
    const job = await s.get(jobs.resource.children[0].href!);
    assert.deepEqual(job.resource.links.map((l) => l.name), ['Start Job', 'Stop Job', 'Retry Job', 'Enable Job', 'Disable Job']);
    const sessions = await s.get(byPath.get('/api/v1/sessions')!.href);
    const one = await s.get(sessions.resource.children[0].href!);
    const taskSessions = one.resource.links.find((l) => /task/i.test(l.name ?? ''));
    assert.ok(taskSessions, one.resource.links.map((l) => l.name).join(', '));
    assert.ok((await s.get(taskSessions.href)).resource.children.length > 0);
    assert.ok(!vbr.requests.some((r) => r.method === 'POST' && r.path.startsWith('/api/v1/')), 'browsing sends no action');
    // Logging on again in the same session does not read the document again, nor does another session to the server.
    await s.logoff();
    vbr.clearRequests();
    await s.logon();
    assert.ok(!vbr.requests.some((r) => r.path.startsWith('/swagger/')));
    const other = session();
    const again = await other.logon();
    assert.ok(!vbr.requests.some((r) => r.path.startsWith('/swagger/')), 'the document is read once per server and revision');
    assert.ok(again.root.links.some((l) => new URL(l.href).pathname === '/api/v1/serverTime'), 'and its map serves the new session');
    // Another revision is another document.
    const older = session({ apiVersion: '1.2-rev1' });
    await older.logon();
    assert.deepEqual(vbr.requests.filter((r) => r.path.startsWith('/swagger/')).map((r) => r.path), ['/swagger/1.2-rev1/swagger.json']);
  }));

  it('when the usual path answers 404, finds the document where the Swagger UI page says', () => withFreshServer(async (vbr, session) => {
    vbr.setFault({ kind: 'status', status: 404, path: '/swagger/1.3-rev1/' });
    vbr.setFault({ kind: 'status', status: 404, path: '/swagger/v1.3-rev1/' });
    const s = session();
    const info = await s.logon();
    const docs = vbr.requests.filter((r) => r.path.startsWith('/swagger/')).map((r) => r.path);
    assert.deepEqual(docs, ['/swagger/1.3-rev1/swagger.json', '/swagger/v1.3-rev1/swagger.json', '/swagger/ui/index.html', '/swagger/1.3-rev0/swagger.json']);
    assert.ok(info.root.links.some((l) => new URL(l.href).pathname === '/api/v1/serverTime'), 'the tree follows the document');
  }));

  it('a server without a document: the shipped map', () => withFreshServer(async (vbr, session) => {
    vbr.setFault({ kind: 'status', status: 404, path: '/swagger/' });
    const s = session();
    const info = await s.logon();
    const paths = info.root.links.map((l) => new URL(l.href).pathname);
    assert.ok(paths.includes('/api/v1/jobs') && paths.includes('/api/v1/serverInfo'));
    assert.ok(!paths.includes('/api/v1/serverTime'), 'the shipped map');
  }));
});

describe('VBR secrets', () => {
  // Last in the file, so every session above has logged its lines by now.
  it('no token the servers issued and no password appears in any log line, notice or error message, in any form', () => {
    const tokens = [...sims.vbr.issuedTokens(), ...sims12.vbr.issuedTokens(), ...extraIssued].map((t) => t.token);
    assert.ok(tokens.length > 20, `the servers issued ${tokens.length} tokens`);
    const { admin, viewer, noRole } = sims.vbr.users;
    assert.ok(logLines.length > 30, `requests were logged (${logLines.length} lines)`);
    assertNoSecrets([...logLines, ...errorTexts, ...notices.map((n) => JSON.stringify(n))], [...tokens, 'Not-The-Pa55word', 'Raw-Pa55word-9'], [admin, viewer, noRole]);
  });
});

/** An HTTPS server on loopback whose answers the test writes. */
async function rawServer(handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) {
  const server = https.createServer({ key: cert.key, cert: cert.pem }, handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
