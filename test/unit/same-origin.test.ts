import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConnectionDefinition, createSession, TransportOptions } from '../../src/api';
import { startSimulators, Simulators } from '../simulator';
import { createLoopbackCertificate, SimulatorCertificate } from '../simulator/tls';

/**
 * The session's credentials go to its own origin only: scheme, host and port. A link to the same host and port over
 * http://, or to the same host on another https port, is fetched without them.
 */

let sims: Simulators;
let cert: SimulatorCertificate;

type Seen = http.IncomingHttpHeaders[];

/**
 * One loopback port that speaks both: a TLS connection is piped to `tlsPort` (a simulator, so sessions log on through
 * this port), a plain-text one to an HTTP server that answers `body` and keeps the headers it saw.
 */
async function dualPort(tlsPort: number, body: { type: string; text: string }) {
  const clear: Seen = [];
  const plain = http.createServer((req, res) => {
    clear.push(req.headers);
    res.writeHead(200, { 'Content-Type': body.type });
    res.end(body.text);
  });
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  const plainPort = (plain.address() as AddressInfo).port;
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const front = net.createServer((socket) => {
    track(socket);
    socket.once('data', (first: Buffer) => {
      // A TLS handshake starts with record type 22; anything else is taken for plain HTTP.
      const upstream = net.connect(first[0] === 0x16 ? tlsPort : plainPort, '127.0.0.1');
      track(upstream);
      upstream.on('close', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
      upstream.write(first);
      socket.pipe(upstream).pipe(socket);
    });
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as AddressInfo).port;
  return {
    port,
    clear,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        plain.closeAllConnections();
        plain.close();
        front.close(() => resolve());
      }),
  };
}

/** An HTTPS server on another loopback port that answers `body` and keeps the headers it saw. */
async function otherPort(body: { type: string; text: string }) {
  const seen: Seen = [];
  const server = https.createServer({ key: cert.key, cert: cert.pem }, (req, res) => {
    seen.push(req.headers);
    res.writeHead(200, { 'Content-Type': body.type });
    res.end(body.text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function transport(): TransportOptions {
  return { timeoutMs: 5000, maxBodyBytes: 10 * 1024 * 1024, ca: `${sims.certificate.pem}\n${cert.pem}` };
}

const EM_LIST = { type: 'application/xml', text: '<EntityReferences xmlns="http://www.veeam.com/ent/v1.0"/>' };
const VSPC_OBJECT = { type: 'application/json', text: '{"data":{"name":"elsewhere"}}' };

before(async () => {
  sims = await startSimulators();
  cert = await createLoopbackCertificate();
});
after(async () => {
  await sims.close();
});

/** No credential of any kind in these headers. */
function noCredentials(seen: Seen, what: string): void {
  assert.ok(seen.length >= 1, `${what} was fetched`);
  for (const headers of seen) {
    assert.equal(headers.authorization, undefined, `${what}: Authorization sent`);
    assert.equal(headers['x-restsvcsessionid'], undefined, `${what}: X-RestSvcSessionId sent`);
    assert.equal(headers.cookie, undefined, `${what}: Cookie sent`);
  }
}

describe('the same-origin rule is scheme, host and port', () => {
  it('EM: http:// on the same host and port, and https on another port, get no session header', async () => {
    const dual = await dualPort(sims.em.port, EM_LIST);
    const elsewhere = await otherPort(EM_LIST);
    try {
      const def: ConnectionDefinition = { id: 'e', kind: 'em', name: 'em', url: `https://127.0.0.1:${dual.port}/api/`, username: sims.em.users.admin.username };
      const s = createSession(def, transport(), async () => sims.em.users.admin.password);
      await s.logon();
      sims.em.clearRequests();
      await s.get(`http://127.0.0.1:${dual.port}/api/jobs`).catch(() => undefined);
      noCredentials(dual.clear, 'the http:// link on the same port');
      await s.get(`https://127.0.0.1:${elsewhere.port}/api/jobs`).catch(() => undefined);
      noCredentials(elsewhere.seen, 'the https link on another port');
      // The session itself still works on its own origin, through the same port.
      assert.ok((await s.get(`https://127.0.0.1:${dual.port}/api/jobs`)).resource);
      assert.ok(sims.em.requests.some((r) => r.headers['x-restsvcsessionid']), 'the own origin gets the session');
      await s.logoff();
      await s.dispose();
    } finally {
      await dual.close();
      await elsewhere.close();
    }
  });

  it('VSPC: http:// on the same host and port, and https on another port, get no bearer token', async () => {
    const dual = await dualPort(sims.vspc.port, VSPC_OBJECT);
    const elsewhere = await otherPort(VSPC_OBJECT);
    try {
      const def: ConnectionDefinition = { id: 'v', kind: 'vspc', name: 'vspc', url: `https://127.0.0.1:${dual.port}/api/v3/`, username: sims.vspc.users.admin.username };
      const s = createSession(def, transport(), async () => sims.vspc.users.admin.password);
      await s.logon();
      sims.vspc.clearRequests();
      await s.get(`http://127.0.0.1:${dual.port}/api/v3/about`).catch(() => undefined);
      noCredentials(dual.clear, 'the http:// link on the same port');
      await s.get(`https://127.0.0.1:${elsewhere.port}/api/v3/about`).catch(() => undefined);
      noCredentials(elsewhere.seen, 'the https link on another port');
      assert.ok((await s.get(`https://127.0.0.1:${dual.port}/api/v3/about`)).resource);
      assert.ok(sims.vspc.requests.some((r) => /^Bearer /.test(r.headers.authorization ?? '')), 'the own origin gets the token');
      await s.logoff();
      await s.dispose();
    } finally {
      await dual.close();
      await elsewhere.close();
    }
  });
});
