import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  ApiError,
  CancelledError,
  ConnectionDefinition,
  createSession,
  HttpStatusError,
  NetworkError,
  ProtocolError,
  TimeoutError,
  TlsError,
  TransportOptions,
} from '../../src/api';
import { startSimulators, Simulators } from '../simulator';
import { createLoopbackCertificate, SimulatorCertificate } from '../simulator/tls';
import { waitFor } from './wait-for';

/** Faults of issue #5 that em-session and vspc-session do not already cover, over real HTTPS. */

let sims: Simulators;
let other: Simulators;
let cert: SimulatorCertificate;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

function transport(extra: Partial<TransportOptions> = {}): TransportOptions {
  return { timeoutMs: 5000, maxBodyBytes: 10 * 1024 * 1024, ca: [sims.certificate.pem, other.certificate.pem, cert.pem].join('\n'), ...extra };
}

function em(extra: Partial<ConnectionDefinition> = {}, t: Partial<TransportOptions> = {}) {
  const def: ConnectionDefinition = { id: 'h', kind: 'em', name: 'em', url: sims.em.url, username: sims.em.users.admin.username, ...extra };
  return createSession(def, transport(t), async () => sims.em.users.admin.password);
}

function vspc(t: Partial<TransportOptions> = {}) {
  const def: ConnectionDefinition = { id: 'v', kind: 'vspc', name: 'vspc', url: sims.vspc.url, username: sims.vspc.users.admin.username };
  return createSession(def, transport(t), async () => sims.vspc.users.admin.password);
}

async function failure<T extends ApiError>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    return err;
  }
  return assert.fail(`expected ${type.name}`);
}

/** An HTTPS server on loopback whose handler the test writes, and the sockets it saw close. */
async function rawServer(handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void) {
  const server = https.createServer({ key: cert.key, cert: cert.pem }, handler);
  const closed: number[] = [];
  const opened: number[] = [];
  server.on('connection', (socket: net.Socket) => {
    opened.push(Date.now());
    socket.on('close', () => closed.push(Date.now()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    opened,
    closed,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const emJobs = () => new URL('/api/jobs', sims.em.origin).href;
const vspcCompanies = () => new URL('/api/v3/organizations/companies', sims.vspc.origin).href;
const emLogons = () => sims.em.requests.filter((r) => r.method === 'POST' && r.path.includes('/sessionMngr/')).length;

before(async () => {
  cert = await createLoopbackCertificate();
  sims = await startSimulators({ idleTimeoutMs: 60_000 });
  other = await startSimulators();
  process.on('unhandledRejection', onUnhandled);
});
after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await sims.close();
  await other.close();
});
beforeEach(() => {
  sims.em.clearFaults();
  sims.vspc.clearFaults();
  sims.em.clearRequests();
  sims.vspc.clearRequests();
  other.em.clearRequests();
});

describe('faults end in a clear error within the timeout', () => {
  it('a host name that does not resolve', async () => {
    const s = createSession({ id: 'd', kind: 'em', name: 'dns', url: 'https://no-such-host.invalid:9398/api/', username: 'u' }, transport({ timeoutMs: 3000 }), async () => 'p');
    const started = Date.now();
    const err = await failure(s.logon(), ApiError);
    assert.ok(err.kind === 'network' || err.kind === 'timeout', err.message);
    assert.match(err.message, /no-such-host\.invalid/);
    assert.ok(Date.now() - started < 6000);
    await s.dispose();
  });

  it('a server that accepts the connection and never starts TLS (handshake timeout)', async () => {
    // What an unreachable host behind a firewall that drops packets looks like to the client: nothing, until the timeout.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const s = createSession({ id: 'u', kind: 'em', name: 'silent', url: `https://127.0.0.1:${port}/api/`, username: 'u' }, transport({ timeoutMs: 800 }), async () => 'p');
      const started = Date.now();
      const err = await failure(s.logon(), TimeoutError);
      assert.match(err.message, /Could not connect to 127\.0\.0\.1:\d+ within 1 s/);
      assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`);
      await s.dispose();
    } finally {
      silent.close();
    }
  });

  it('a port that does not speak TLS, and one that closes during the handshake', async () => {
    const plain = net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    const dropper = net.createServer((socket) => socket.once('data', () => socket.destroy()));
    await Promise.all([plain, dropper].map((srv) => new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))));
    try {
      const port = (srv: net.Server) => (srv.address() as AddressInfo).port;
      const notTls = createSession({ id: 'p', kind: 'em', name: 'plain', url: `https://127.0.0.1:${port(plain)}/api/`, username: 'u' }, transport(), async () => 'p');
      const e1 = await failure(notTls.logon(), ApiError);
      assert.ok(e1 instanceof TlsError || e1 instanceof NetworkError, e1.message);
      assert.match(e1.message, /TLS|HTTPS|closed/);
      await notTls.dispose();
      const dropped = createSession({ id: 'q', kind: 'em', name: 'drop', url: `https://127.0.0.1:${port(dropper)}/api/`, username: 'u' }, transport(), async () => 'p');
      const e2 = await failure(dropped.logon(), ApiError);
      assert.ok(e2 instanceof NetworkError || e2 instanceof TlsError, e2.message);
      assert.match(e2.message, /127\.0\.0\.1/);
      await dropped.dispose();
    } finally {
      plain.close();
      dropper.close();
    }
  });

  it('headers then a stalled body, on VSPC too, within the configured timeout', async () => {
    const s = vspc({ timeoutMs: 700 });
    await s.logon();
    for (const kind of ['hang', 'stall-headers'] as const) {
      sims.vspc.setFault({ kind, path: '/api/v3/organizations/companies', times: 1 });
      const started = Date.now();
      const err = await failure(s.get(vspcCompanies()), TimeoutError);
      assert.match(err.message, /within 1 s|for 1 s/);
      assert.ok(Date.now() - started < 3000);
    }
    await s.logoff();
    await s.dispose();
  });

  it('cancelling closes the socket on the server side', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    // Never answers; the caller cancels once the request has arrived, so it is surely in flight.
    const server = await rawServer(() => {
      abortedAt = Date.now();
      controller.abort();
    });
    try {
      // A request timeout far beyond the bound below: only the cancel can close the connection in time.
      const s = createSession({ id: 'c', kind: 'em', name: 'c', url: `${server.url}/api/`, username: 'u' }, transport({ timeoutMs: 60_000 }), async () => 'p');
      await failure(s.logon(controller.signal), CancelledError);
      assert.ok(server.opened.length >= 1);
      await waitFor(() => server.closed.length === server.opened.length, 'the server saw every connection close', 15_000);
      const closedAfter = Math.max(...server.closed) - abortedAt;
      assert.ok(closedAfter < 15_000, `closed ${closedAfter} ms after the cancel, not at once (the request timeout is 60 s)`);
      await s.dispose();
    } finally {
      await server.close();
    }
  });
});

describe('bodies that are not what they claim', () => {
  for (const api of ['em', 'vspc'] as const) {
    it(`${api}: an empty 200, a wrong content type and invalid UTF-8 name the URL and status, and keep the raw body`, async () => {
      const s = api === 'em' ? em() : vspc();
      await s.logon();
      const sim = api === 'em' ? sims.em : sims.vspc;
      const url = api === 'em' ? emJobs() : vspcCompanies();
      const path = new URL(url).pathname;
      const cases: Array<[string, RegExp]> = [
        ['empty', /empty/],
        ['wrong-type', /Content-Type “text\/plain”/],
        ['bad-utf8', /not valid UTF-8/],
      ];
      for (const [kind, pattern] of cases) {
        sim.setFault({ kind: kind as 'empty', path, times: 1 });
        const err = await failure(s.get(url), ProtocolError);
        assert.match(err.message, pattern);
        assert.ok(err.message.includes(url), `names the URL: ${err.message}`);
        assert.match(err.message, /200/);
        assert.ok(err.raw, 'the raw response stays viewable');
        if (kind !== 'empty') assert.ok(err.raw.body.length > 100);
      }
      await s.logoff();
      await s.dispose();
    });
  }

  it('a body over the cap without a Content-Length is stopped at the cap', async () => {
    let sent = 0;
    let stopped = false;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const server = await rawServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      const pump = () => {
        while (!stopped && sent < 64 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => (stopped = true));
      pump();
    });
    try {
      const s = createSession({ id: 'b', kind: 'em', name: 'b', url: `${server.url}/api/`, username: 'u' }, transport({ maxBodyBytes: 1024 * 1024 }), async () => 'p');
      const err = await failure(s.logon(), ProtocolError);
      assert.match(err.message, /larger than the 1\.0 MB limit/);
      assert.match(err.hint ?? '', /maximum response size/);
      await waitFor(() => stopped, 'the server saw the connection closed');
      assert.ok(sent < 16 * 1024 * 1024, `the server could send only ${sent} bytes before the client stopped reading`);
      await s.dispose();
    } finally {
      await server.close();
    }
  });
});

describe('redirects', () => {
  it('are not followed: same origin says where to; another origin is reported and gets nothing', async () => {
    const s = em();
    await s.logon();
    sims.em.setFault({ kind: 'redirect', path: '/api/jobs', location: '/api/backupServers', times: 1 });
    const same = await failure(s.get(emJobs()), HttpStatusError);
    assert.equal(same.status, 302);
    assert.match(same.message, /redirected \(302\) to https:\/\/127\.0\.0\.1:\d+\/api\/backupServers; redirects are not followed/);
    assert.equal(sims.em.requests.filter((r) => r.path.startsWith('/api/backupServers')).length, 0);

    const elsewhere = `${other.em.origin}/api/jobs`;
    sims.em.setFault({ kind: 'redirect', path: '/api/jobs', location: elsewhere, status: 307, times: 1 });
    const cross = await failure(s.get(emJobs()), HttpStatusError);
    assert.match(cross.message, /redirected \(307\) to another origin, https:\/\/127\.0\.0\.1:\d+\/api\/jobs; it was not followed, and no credentials were sent there/);
    assert.equal(other.em.requests.length, 0, 'nothing went to the other origin');
    assert.ok(cross.raw);
    await s.logoff();
    await s.dispose();
  });

  it('VSPC: a redirect of the logon itself is reported, the password not sent on', async () => {
    sims.vspc.setFault({ kind: 'redirect', path: '/api/v3/token', location: `${other.vspc.origin}/api/v3/token`, times: 1 });
    const s = vspc();
    const err = await failure(s.logon(), ApiError);
    assert.match(err.message, /redirect|302/);
    assert.equal(other.vspc.requests.length, 0);
    await s.dispose();
  });
});

describe('expiry and restarts: one logon, bounded retries', () => {
  it('EM: a session that expires in the middle of a walk costs one logon', async () => {
    const s = em();
    const info = await s.logon();
    const links = info.root.links.filter((l) => l.rel === 'Down').slice(0, 8);
    assert.ok(links.length >= 4);
    const before = emLogons();
    for (const [i, link] of links.entries()) {
      if (i === 2) sims.em.setFault({ kind: 'expire', times: 1 });
      await s.get(link.href);
    }
    assert.equal(emLogons() - before, 1);
    await s.logoff();
    await s.dispose();
  });

  it('EM: a server that refuses every session gives up after one new logon, without looping', async () => {
    const s = em();
    await s.logon();
    sims.em.setFault({ kind: 'expire' });
    const before = emLogons();
    const err = await failure(s.get(emJobs()), ApiError);
    assert.equal(err.kind, 'auth');
    assert.equal(emLogons() - before, 1);
    assert.equal(s.state, 'loggedOff');
    await s.dispose();
  });

  it('VSPC: after a restart (every token invalid) it logs on once, for many requests at once', async () => {
    const s = vspc();
    await s.logon();
    sims.vspc.revokeAllTokens();
    sims.vspc.clearRequests();
    const urls = ['/organizations/companies', '/infrastructure/backupServers', '/alarms/active', '/organizations/resellers'].map((p) => `${sims.vspc.origin}/api/v3${p}`);
    const results = await Promise.allSettled(urls.map((u) => s.get(u)));
    assert.ok(results.every((r) => r.status === 'fulfilled'), JSON.stringify(results.map((r) => r.status === 'rejected' && String(r.reason))));
    const tokenPosts = sims.vspc.requests.filter((r) => r.method === 'POST' && /\/token|\/authentication\//.test(r.path));
    assert.ok(tokenPosts.length <= 2, `one refresh attempt and one logon at most, saw ${tokenPosts.length}`);
    await s.logoff();
    await s.dispose();
  });

  it('a server that is restarting (connections refused) gets a few spaced retries of the new logon, then a clear error', async () => {
    const s = em();
    await s.logon();
    sims.em.setFault({ kind: 'expire', times: 1 });
    // After the 401, the new logon meets a reset connection twice (the service coming back), then succeeds.
    sims.em.setFault({ kind: 'reset', path: '/api/sessionMngr', times: 2 });
    const started = Date.now();
    const fetched = await s.get(emJobs());
    assert.ok(fetched.resource);
    assert.ok(Date.now() - started >= 400, 'the retries were spaced out');

    sims.em.setFault({ kind: 'expire', times: 1 });
    sims.em.setFault({ kind: 'reset', path: '/api/sessionMngr' });
    const before = sims.em.requests.filter((r) => r.path.startsWith('/api/sessionMngr')).length;
    const err = await failure(s.get(emJobs()), NetworkError);
    assert.match(err.message, /closed the connection/);
    const attempts = sims.em.requests.filter((r) => r.path.startsWith('/api/sessionMngr')).length - before;
    assert.equal(attempts, 3, 'three attempts, not a loop');
    await s.dispose();
  });
});

describe('twenty expansions at once', () => {
  it('one logon, one request per href, no unhandled rejection, even with some cancelled', async () => {
    const s = em();
    // A fresh session: the first wave also triggers the logon.
    const hrefs = ['jobs', 'backupServers', 'repositories', 'query?type=Job', 'backupSessions'].map((p) => `${sims.em.origin}/api/${p}`);
    sims.em.setFault({ kind: 'slow', delayMs: 150, path: '/api/jobs' });
    const controllers = Array.from({ length: 20 }, () => new AbortController());
    const all = controllers.map((c, i) => s.get(hrefs[i % hrefs.length], c.signal));
    controllers[0].abort(); // one caller of /api/jobs gives up; the three others still get it
    const results = await Promise.allSettled(all);
    assert.equal(results[0].status, 'rejected');
    assert.ok((results[0] as PromiseRejectedResult).reason instanceof CancelledError);
    assert.ok(results.slice(1).every((r) => r.status === 'fulfilled'), JSON.stringify(results.map((r) => r.status === 'rejected' && String(r.reason))));
    assert.equal(emLogons(), 1, 'one logon');
    for (const href of hrefs) {
      const path = new URL(href).pathname + new URL(href).search;
      assert.equal(sims.em.requests.filter((r) => r.method === 'GET' && r.path === path).length, 1, `one GET of ${path}`);
    }
    // Everyone cancelling aborts the shared request.
    const c1 = new AbortController();
    const c2 = new AbortController();
    sims.em.setFault({ kind: 'hang', path: '/api/repositories', times: 1 });
    const both = [s.get(hrefs[2], c1.signal), s.get(hrefs[2], c2.signal)];
    setTimeout(() => {
      c1.abort();
      c2.abort();
    }, 100);
    const cancelled = await Promise.allSettled(both);
    assert.ok(cancelled.every((r) => r.status === 'rejected' && r.reason instanceof CancelledError));
    await s.logoff();
    await s.dispose();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(unhandled, []);
  });

  it('a logon the first caller cancels still serves the others', async () => {
    const s = em();
    sims.em.setFault({ kind: 'slow', delayMs: 2000, path: '/api/sessionMngr', times: 1 });
    const first = new AbortController();
    const a = s.get(emJobs(), first.signal);
    const b = s.get(`${sims.em.origin}/api/backupServers`);
    // Cancelled while the logon is at the server, which holds it for 2 s: the logon is surely still running.
    await waitFor(() => emLogons() === 1, 'the logon reached the server');
    first.abort();
    const [ra, rb] = await Promise.allSettled([a, b]);
    assert.equal(ra.status, 'rejected');
    assert.equal(rb.status, 'fulfilled', rb.status === 'rejected' ? String(rb.reason) : '');
    assert.equal(emLogons(), 1);
    await s.logoff();
    await s.dispose();
  });
});
