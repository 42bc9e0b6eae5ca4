import { strict as assert } from 'node:assert';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ConnectionDefinition, createSession, NetworkError, TlsError, TransportOptions } from '../../src/api';
import { startSimulators, Simulators } from '../simulator';
import { TestProxy } from '../simulator/proxy';
import { apiFailure } from './api-failure';

let sims: Simulators;
let proxy: TestProxy;
let authProxy: TestProxy;
const logLines: string[] = [];

// The extension's default request timeout: no test here waits for a timeout, and a busy machine must not meet one.
function transport(extra: Partial<TransportOptions> = {}): TransportOptions {
  return { timeoutMs: 30_000, maxBodyBytes: 10 * 1024 * 1024, ca: sims.certificate.pem, log: (line) => logLines.push(line), ...extra };
}

function em(t: Partial<TransportOptions>, extra: Partial<ConnectionDefinition> = {}) {
  const def: ConnectionDefinition = { id: 'p', kind: 'em', name: 'em', url: sims.em.url, username: sims.em.users.admin.username, ...extra };
  return createSession(def, transport(t), async () => sims.em.users.admin.password);
}

function vspc(t: Partial<TransportOptions>) {
  const def: ConnectionDefinition = { id: 'v', kind: 'vspc', name: 'vspc', url: sims.vspc.url, username: sims.vspc.users.admin.username };
  return createSession(def, transport(t), async () => sims.vspc.users.admin.password);
}

const emTarget = () => new URL(sims.em.url).host;
const vspcTarget = () => new URL(sims.vspc.url).host;

before(async () => {
  sims = await startSimulators();
  proxy = await TestProxy.start();
  authProxy = await TestProxy.start({ auth: 'proxyuser:Proxy-Pass-1' });
});
after(async () => {
  await sims.close();
  await proxy.close();
  await authProxy.close();
});
beforeEach(() => {
  proxy.clear();
  authProxy.clear();
  sims.em.clearRequests();
  sims.vspc.clearRequests();
});

describe('through a proxy', () => {
  it('EM: tunnels to the server, and the credentials reach only the server', async () => {
    const s = em({ proxy: { url: proxy.url(), source: 'http.proxy' } });
    const info = await s.logon();
    const first = info.root.links.find((l) => l.rel === 'Down');
    assert.ok(first);
    await s.get(first.href);
    const token = sims.em.requests.map((r) => r.headers['x-restsvcsessionid']).find(Boolean);
    await s.logoff();
    await s.dispose();

    assert.ok(proxy.connects.length >= 1, 'the proxy was asked to connect');
    assert.ok(proxy.connects.every((c) => c.target === emTarget() && c.status === 200));
    // The proxy saw only CONNECT headers, and tunnelled bytes it cannot read.
    for (const c of proxy.connects) {
      assert.equal(c.headers.authorization, undefined);
      assert.equal(c.headers['x-restsvcsessionid'], undefined);
    }
    const carried = proxy.carriedText();
    assert.ok(carried.length > 1000, 'the session went through the tunnel');
    assert.ok(token, 'the server got a session token');
    assert.ok(!carried.includes(String(token)), 'the token is not readable by the proxy');
    assert.ok(!carried.includes(sims.em.users.admin.password), 'the password is not readable by the proxy');
    assert.ok(!carried.includes(Buffer.from(`${sims.em.users.admin.username}:${sims.em.users.admin.password}`).toString('base64')));
    // And the server got them.
    const logon = sims.em.requests.find((r) => r.method === 'POST' && r.path.includes('/sessionMngr/'));
    assert.match(String(logon?.headers.authorization), /^Basic /);
    assert.ok(logLines.some((l) => l.includes(`Proxy for every host: ${proxy.url()}`) && l.includes('http.proxy')));
  });

  it('VSPC: the bearer token goes through the tunnel to the server only', async () => {
    const s = vspc({ proxy: { url: proxy.url() } });
    await s.logon();
    await s.logoff();
    await s.dispose();
    assert.ok(proxy.connects.length >= 1 && proxy.connects.every((c) => c.target === vspcTarget()));
    assert.ok(sims.vspc.requests.some((r) => /^Bearer /.test(String(r.headers.authorization))));
    assert.ok(!proxy.carriedText().includes(sims.vspc.users.admin.password));
  });

  it('proxy authentication: refused without credentials with a clear message; with them, they go to the proxy only', async () => {
    const refused = await apiFailure(em({ proxy: { url: authProxy.url(), source: 'http.proxy' } }).logon());
    assert.ok(refused instanceof NetworkError);
    assert.match(refused.message, /proxy http:\/\/127\.0\.0\.1:\d+ asks for authentication \(407/);
    assert.match(refused.hint ?? '', /http\.proxyAuthorization/);
    assert.equal(authProxy.connects.at(-1)?.status, 407);

    const wrong = await apiFailure(em({ proxy: { url: authProxy.url('proxyuser:nope') } }).logon());
    assert.match(wrong.message, /407/);
    assert.ok(!wrong.message.includes('nope') && !(wrong.hint ?? '').includes('nope'), 'the proxy password is not in the message');

    authProxy.clear();
    const s = em({ proxy: { url: authProxy.url('proxyuser:Proxy-Pass-1') } });
    await s.logon();
    await s.logoff();
    await s.dispose();
    assert.ok(authProxy.connects.length >= 1 && authProxy.connects.every((c) => c.status === 200));
    // The proxy credentials never reach the server, and the log shows the proxy without them.
    assert.ok(sims.em.requests.length > 0);
    for (const r of sims.em.requests) assert.equal(r.headers['proxy-authorization'], undefined);
    assert.ok(!logLines.join('\n').includes('Proxy-Pass-1'));

    const byHeader = em({ proxy: { url: authProxy.url(), authorization: `Basic ${Buffer.from('proxyuser:Proxy-Pass-1').toString('base64')}` } });
    await byHeader.logon();
    await byHeader.logoff();
    await byHeader.dispose();
  });

  it('a host in noProxy, and a connection set to go direct, bypass the proxy', async () => {
    const listed = em({ proxy: { url: proxy.url(), noProxy: ['127.0.0.1'] } });
    await listed.logon();
    await listed.logoff();
    await listed.dispose();
    assert.equal(proxy.connects.length, 0);
    assert.ok(sims.em.requests.length > 0);

    const direct = em({ proxy: 'direct' });
    const saved = process.env.HTTPS_PROXY;
    process.env.HTTPS_PROXY = proxy.url();
    try {
      await direct.logon();
      await direct.logoff();
    } finally {
      if (saved === undefined) delete process.env.HTTPS_PROXY;
      else process.env.HTTPS_PROXY = saved;
      await direct.dispose();
    }
    assert.equal(proxy.connects.length, 0);
  });

  describe('from the environment', () => {
    const saved = { HTTPS_PROXY: process.env.HTTPS_PROXY, NO_PROXY: process.env.NO_PROXY };
    afterEach(() => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    it('HTTPS_PROXY is used when no proxy is configured, and NO_PROXY is honoured', async () => {
      process.env.HTTPS_PROXY = proxy.url();
      delete process.env.NO_PROXY;
      const s = em({});
      await s.logon();
      await s.logoff();
      await s.dispose();
      assert.ok(proxy.connects.length >= 1);

      proxy.clear();
      process.env.NO_PROXY = `localhost,127.0.0.1`;
      const bypass = em({});
      await bypass.logon();
      await bypass.logoff();
      await bypass.dispose();
      assert.equal(proxy.connects.length, 0);
    });
  });

  it('a pinned certificate is checked on the tunnelled connection too', async () => {
    const pinnedOk = em({ ca: undefined, fingerprint: sims.certificate.fingerprint256, proxy: { url: proxy.url() } });
    await pinnedOk.logon();
    await pinnedOk.logoff();
    await pinnedOk.dispose();

    const wrongPin = 'AA:'.repeat(31) + 'AA';
    const refused = await apiFailure(em({ ca: undefined, fingerprint: wrongPin, proxy: { url: proxy.url() } }).logon());
    assert.ok(refused instanceof TlsError);
    assert.match(refused.message, /certificate has changed/);
    assert.ok(refused.message.includes(sims.certificate.fingerprint256), 'names the new fingerprint');
    assert.ok(refused.message.includes(wrongPin), 'names the trusted one');
  });

  it('an unreachable proxy, a proxy that refuses the target, and a proxy URL that is not one get their own messages', async () => {
    const closed = await TestProxy.start();
    const closedUrl = closed.url();
    await closed.close();
    const unreachable = await apiFailure(em({ proxy: { url: closedUrl, source: 'http.proxy' } }).logon());
    assert.ok(unreachable instanceof NetworkError);
    assert.match(unreachable.message, /proxy http:\/\/127\.0\.0\.1:\d+ \(http\.proxy\) cannot be reached: ECONNREFUSED/);

    const denying = await TestProxy.start({ deny: [emTarget()] });
    try {
      const denied = await apiFailure(em({ proxy: { url: denying.url() } }).logon());
      assert.match(denied.message, /refused to connect to 127\.0\.0\.1:\d+ \(it answered 403\)/);
    } finally {
      await denying.close();
    }

    const bad = await apiFailure(em({ proxy: { url: 'proxy.corp:3128', source: 'http.proxy' } }).logon());
    assert.match(bad.message, /is not a usable proxy URL/);
    const socks = await apiFailure(em({ proxy: { url: 'socks5://127.0.0.1:1080' } }).logon());
    assert.match(socks.message, /socks5: proxies are not supported/);
  });
});
