import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApiError, AuthError, ConnectionDefinition, createSession, ProtocolError, TransportOptions } from '../../src/api';
import { startSimulators, Simulators } from '../simulator';
import { createLoopbackCertificate, SimulatorCertificate } from '../simulator/tls';
import { waitFor } from './wait-for';

/**
 * Every session the server issued is logged off, also when the logon failed after the token came, and a server that
 * refuses every session costs one new logon, not one per request.
 */

let sims: Simulators;
let cert: SimulatorCertificate;
const logLines: string[] = [];

function transport(): TransportOptions {
  return { timeoutMs: 5000, maxBodyBytes: 10 * 1024 * 1024, ca: `${sims.certificate.pem}\n${cert.pem}`, log: (line) => logLines.push(line) };
}

function em(url = sims.em.url) {
  const def: ConnectionDefinition = { id: 'o', kind: 'em', name: 'em', url, username: sims.em.users.admin.username };
  return createSession(def, transport(), async () => sims.em.users.admin.password);
}

function vspc() {
  const def: ConnectionDefinition = { id: 'v', kind: 'vspc', name: 'vspc', url: sims.vspc.url, username: sims.vspc.users.admin.username };
  return createSession(def, transport(), async () => sims.vspc.users.admin.password);
}

async function failure<T extends ApiError>(p: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    return err;
  }
  return assert.fail(`expected ${type.name}, but it resolved`);
}

/** The EM sessions issued since `from`, and for each whether the client sent a DELETE for it. */
function emSessionsSince(from: number) {
  return sims.em.issuedSessions().slice(from).map((s) => ({
    ...s,
    deleted: sims.em.requests.some((r) => r.method === 'DELETE' && r.path.toLowerCase() === `/api/logonsessions/${s.id}`.toLowerCase()),
  }));
}

/** Runs the hrefs four at a time, as a walk does; every result settles. */
async function inBatches(hrefs: string[], get: (href: string) => Promise<unknown>): Promise<PromiseSettledResult<unknown>[]> {
  const results: PromiseSettledResult<unknown>[] = [];
  for (let i = 0; i < hrefs.length; i += 4) results.push(...(await Promise.allSettled(hrefs.slice(i, i + 4).map(get))));
  return results;
}

before(async () => {
  sims = await startSimulators({ idleTimeoutMs: 60_000 });
  cert = await createLoopbackCertificate();
});
after(async () => {
  await sims.close();
});
beforeEach(() => {
  sims.em.clearFaults();
  sims.vspc.clearFaults();
  sims.em.clearRequests();
  sims.vspc.clearRequests();
  logLines.length = 0;
});

describe('EM: a logon that got a token and then failed is logged off', () => {
  for (const kind of ['html-body', 'truncated', 'wrong-type'] as const) {
    it(`201 with a token and ${kind === 'html-body' ? 'an HTML page' : kind === 'truncated' ? 'half a LogonSession' : 'a body labelled text/plain'}: the session named by Location is deleted`, async () => {
      const from = sims.em.issuedSessions().length;
      sims.em.setFault({ kind, path: '/api/sessionMngr', times: 1 });
      const s = em();
      await failure(s.logon(), ProtocolError);
      const issued = emSessionsSince(from);
      assert.equal(issued.length, 1, 'the server issued one session');
      assert.ok(issued[0].deleted, 'the client deleted it');
      assert.equal(issued[0].live, false, 'it is gone on the server');
      assert.equal(s.state, 'loggedOff');
      await s.dispose();
    });
  }

  it('without a Location header the session cannot be named: the log says it stays until it idles out', async () => {
    const token = 'T3JwaGFuVG9rZW4tMDAwMQ==';
    let origin = '';
    const seen: string[] = [];
    const server = https.createServer({ key: cert.key, cert: cert.pem }, (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.method === 'GET' && req.url === '/api/') {
        const body = `<EnterpriseManager xmlns="http://www.veeam.com/ent/v1.0" Href="${origin}/api/" Type="EnterpriseManager"><Links><Link Rel="Create" Type="LogonSession" Href="${origin}/api/sessionMngr/?v=latest"/></Links></EnterpriseManager>`;
        res.writeHead(200, { 'Content-Type': 'application/xml' });
        return res.end(body);
      }
      if (req.method === 'POST') {
        res.writeHead(201, { 'Content-Type': 'text/html', 'X-RestSvcSessionId': token });
        return res.end('<!DOCTYPE html><html><body>Welcome</body></html>');
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const s = em(`${origin}/api/`);
      await failure(s.logon(), ProtocolError);
      assert.ok(logLines.some((l) => /logon session .*could not be (named|deleted).*(idle|15 minutes)/i.test(l)), logLines.join('\n'));
      assert.ok(!logLines.some((l) => l.includes(token)), 'no token in the log');
      assert.ok(!seen.some((r) => r.startsWith('DELETE')), 'no guessed DELETE');
      await s.dispose();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('EM: a server that refuses every session', () => {
  it('40 links answering 401: one new logon, not one per link, and every session it opened is logged off', async () => {
    const s = em();
    const from = sims.em.issuedSessions().length;
    const info = await s.logon();
    // The logon session's own Down links (39 of them), and one more list.
    const hrefs = [...info.root.links.filter((l) => l.rel === 'Down').map((l) => l.href), `${sims.em.origin}/api/query?type=Job`].slice(0, 40);
    assert.equal(hrefs.length, 40);
    sims.em.setFault({ kind: 'unauthorized' });
    const results = await inBatches(hrefs, (href) => s.get(href));
    assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof AuthError), 'every link fails with an AuthError');
    const issued = emSessionsSince(from);
    const logoffs = issued.filter((i) => i.deleted).length;
    assert.ok(issued.length <= 2, `${issued.length} logons for 40 links`);
    assert.equal(logoffs, issued.length, `logons ${issued.length}, logoffs ${logoffs}`);
    assert.equal(s.state, 'loggedOff');

    // Logging on again is the user's choice, and works once the server accepts sessions again.
    sims.em.clearFaults();
    await s.logon();
    assert.ok((await s.get(hrefs[0])).resource);
    await s.logoff();
    const all = emSessionsSince(from);
    assert.ok(all.every((i) => i.deleted), 'a DELETE for every session');
    assert.equal(all.at(-1)?.live, false, 'the session of the new logon is gone (the refused ones were refused their DELETE too)');
    await s.dispose();
  });
});

describe('VSPC: tokens issued to a logon that then failed are revoked', () => {
  for (const fault of [
    { kind: 'redirect', path: '/api/v3/users/me', times: 1 },
    { kind: 'status', status: 520, path: '/api/v3/users/me', times: 1 },
  ] as const) {
    it(`/users/me ${fault.kind === 'redirect' ? 'redirected' : 'failed with 520'} after /token answered: the new tokens no longer work`, async () => {
      const from = sims.vspc.issuedTokens().length;
      sims.vspc.setFault(fault);
      const s = vspc();
      await failure(s.logon(), ApiError);
      const issued = sims.vspc.issuedTokens().slice(from);
      assert.deepEqual(issued.map((t) => t.kind).sort(), ['access', 'refresh']);
      assert.ok(issued.every((t) => !t.active), JSON.stringify(issued.map((t) => [t.kind, t.active])));
      assert.equal(s.state, 'loggedOff');
      await s.dispose();
    });
  }
});

describe('VSPC: a server that refuses every token', () => {
  it('40 links answering 401: at most one refresh or new logon, not one per link', async () => {
    const s = vspc();
    await s.logon();
    const from = sims.vspc.issuedTokens().length;
    sims.vspc.clearRequests();
    sims.vspc.setFault({ kind: 'unauthorized' });
    const paths = ['/about', '/organizations/companies', '/organizations/resellers', '/infrastructure/backupServers', '/alarms/active'];
    const hrefs = Array.from({ length: 40 }, (_, i) => `${sims.vspc.origin}/api/v3${paths[i % paths.length]}?offset=${i}`);
    const results = await inBatches(hrefs, (href) => s.get(href));
    assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof AuthError), 'every link fails with an AuthError');
    const tokenPosts = sims.vspc.requests.filter((r) => r.method === 'POST' && /\/token|\/authentication\//.test(r.path)).length;
    assert.ok(tokenPosts <= 1, `${tokenPosts} refreshes or logons for 40 links`);
    assert.ok(sims.vspc.issuedTokens().slice(from).length <= 2, 'one new pair at most');
    assert.equal(s.state, 'loggedOff');
    assert.ok(logLines.some((l) => /stays? valid until (it|they) expire/.test(l)), `the log says the token could not be revoked:\n${logLines.join('\n')}`);
    sims.vspc.clearFaults();
    await s.logon();
    assert.ok((await s.get(hrefs[0])).resource);
    await s.logoff();
    await s.dispose();
  });
});

describe('a logoff while the session is being renewed', () => {
  it('VSPC: the tokens the renewal brings are revoked at once, and the waiting request ends as cancelled', async () => {
    const s = vspc();
    await s.logon();
    sims.vspc.expireAllTokens();
    // The refresh (POST /token) answers after a second: long enough to log off while it runs.
    sims.vspc.setFault({ kind: 'slow', path: '/api/v3/token', delayMs: 1000, times: 1 });
    const pending = s.get(`${sims.vspc.origin}/api/v3/about`);
    await waitFor(() => sims.vspc.requests.some((r) => r.method === 'POST' && r.path.startsWith('/api/v3/token')), 'the refresh was sent');
    await s.logoff();
    const err = await failure(pending, ApiError);
    assert.equal(err.kind, 'cancelled', err.message);
    await waitFor(() => sims.vspc.activeTokens() === 0, `no token still works (${sims.vspc.activeTokens()} do)`);
    assert.equal(s.state, 'loggedOff');
    await s.dispose();
  });
});
