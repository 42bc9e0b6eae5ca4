// The certificate offered for trust comes through the same path as the request: with a proxy, the certificate is read
// from the tunnelled connection the request made, never from a direct connection of its own.
import { strict as assert } from 'node:assert';
import * as http from 'node:http';
import * as https from 'node:https';
import type * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createSession, TlsError, type ConnectionDefinition, type TransportOptions } from '../../src/api';
import { HttpTransport } from '../../src/api/transport/http';
import { startSimulators, type Simulators } from '../simulator';
import { createLoopbackCertificate, type SimulatorCertificate } from '../simulator/tls';
import { NamingProxy } from './naming-proxy';
import { apiFailure } from './api-failure';

/** A name no resolver knows: only the proxy can reach it. */
const HIDDEN = 'em.behind-the-proxy.test';

let sims: Simulators;
let proxy: NamingProxy;
let other: SimulatorCertificate;
let target: { port: number; opened: () => number; close: () => Promise<void> };

function em(host: string, port: number, t: Partial<TransportOptions>) {
  const def: ConnectionDefinition = { id: 'c', kind: 'em', name: 'em', url: `https://${host}:${port}/api/`, username: sims.em.users.admin.username };
  return createSession(def, { timeoutMs: 5000, maxBodyBytes: 10 * 1024 * 1024, proxy: { url: proxy.url() }, ...t }, async () => sims.em.users.admin.password);
}

before(async () => {
  sims = await startSimulators();
  proxy = await NamingProxy.start({ [HIDDEN]: '127.0.0.1' });
  // A server with a certificate of its own, counting every connection it sees.
  other = await createLoopbackCertificate();
  let opened = 0;
  const server = https.createServer({ key: other.key, cert: other.pem }, (_req, res) => res.writeHead(404).end());
  server.on('connection', (_s: net.Socket) => opened++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target = {
    port: (server.address() as AddressInfo).port,
    opened: () => opened,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
});
after(async () => {
  await sims.close();
  await proxy.close();
  await target.close();
});
beforeEach(() => {
  proxy.connects.length = 0;
});

describe('the certificate to trust comes through the proxy', () => {
  it('an untrusted certificate behind the proxy is described from the tunnelled connection', async () => {
    const port = new URL(sims.em.url).port;
    const s = em(HIDDEN, Number(port), {});
    const err = await apiFailure(s.logon());
    await s.dispose();
    assert.ok(err instanceof TlsError, `${err.name}: ${err.message}`);
    assert.equal(err.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.ok(err.certificate, 'the error carries no certificate: it was looked for somewhere the proxy does not lead');
    assert.equal(err.certificate.fingerprint256, sims.certificate.fingerprint256);
    assert.ok(proxy.connects.length >= 1 && proxy.connects.every((c) => c.target === `${HIDDEN}:${port}` && c.status === 200), JSON.stringify(proxy.connects));

    // Trusted by that fingerprint, the logon goes through the same proxy.
    proxy.connects.length = 0;
    const trusted = em(HIDDEN, Number(port), { fingerprint: err.certificate.fingerprint256 });
    const info = await trusted.logon();
    assert.ok(info.userName);
    await trusted.logoff();
    await trusted.dispose();
    assert.ok(proxy.connects.length >= 1 && proxy.connects.every((c) => c.status === 200));
  });

  it('the target server sees no connection but the proxy\u2019s tunnels', async () => {
    const before = target.opened();
    const s = em(HIDDEN, target.port, {});
    const err = await apiFailure(s.logon());
    await s.dispose();
    assert.ok(err instanceof TlsError);
    assert.equal(err.certificate?.fingerprint256, other.fingerprint256);
    const tunnels = proxy.connects.filter((c) => c.status === 200).length;
    assert.ok(tunnels >= 1);
    assert.equal(target.opened() - before, tunnels, 'a connection reached the server other than through the proxy');
  });

  it('verification still holds through the tunnel: a certificate for another name is refused every time, and described', async () => {
    const port = Number(new URL(sims.em.url).port);
    for (let attempt = 0; attempt < 2; attempt++) {
      // Trusted as a CA, but issued for 127.0.0.1 and localhost, not for the name asked for.
      const s = em(HIDDEN, port, { ca: sims.certificate.pem });
      const err = await apiFailure(s.logon());
      await s.dispose();
      assert.ok(err instanceof TlsError, `attempt ${attempt + 1}: ${err.name}: ${err.message}`);
      assert.equal(err.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
      assert.match(err.message, /another host name/);
      assert.equal(err.certificate?.fingerprint256, sims.certificate.fingerprint256);
    }
    // One transport, several requests: no resumed TLS session skips the check.
    const s = em(HIDDEN, port, { ca: sims.certificate.pem });
    for (let i = 0; i < 3; i++) assert.ok((await apiFailure(s.logon())) instanceof TlsError);
    await s.dispose();
  });

  it('direct, an untrusted certificate is still refused and described, and a trusted one accepted', async () => {
    const direct = createSession(
      { id: 'd', kind: 'em', name: 'em', url: sims.em.url, username: sims.em.users.admin.username },
      { timeoutMs: 5000, maxBodyBytes: 1024 * 1024, proxy: 'direct' },
      async () => sims.em.users.admin.password,
    );
    const err = await apiFailure(direct.logon());
    assert.ok(err instanceof TlsError && err.certificate?.fingerprint256 === sims.certificate.fingerprint256);
    await direct.dispose();
    const trusted = createSession(
      { id: 'd', kind: 'em', name: 'em', url: sims.em.url, username: sims.em.users.admin.username },
      { timeoutMs: 5000, maxBodyBytes: 1024 * 1024, proxy: 'direct', ca: sims.certificate.pem },
      async () => sims.em.users.admin.password,
    );
    await trusted.logon();
    await trusted.logoff();
    await trusted.dispose();
    assert.equal(proxy.connects.length, 0);
  });

  it('a plain http:// request has no certificate to check and still goes (the sessions decide where to send what)', async () => {
    const server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/plain' }).end('plain'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = new HttpTransport({ timeoutMs: 5000, maxBodyBytes: 1024, proxy: 'direct' });
    try {
      const raw = await transport.send({ method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, headers: {} });
      assert.equal(raw.body.toString(), 'plain');
    } finally {
      await transport.close();
      await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
    }
  });
});
