import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { createSession, type ApiSession } from '../../src/api';
import { startSimulators, Simulators } from '../simulator';
import { createLoopbackCertificate } from '../simulator/tls';
import { emList, startHostileEm, type HostileEm } from './hostile-em-server';

/**
 * Which links are followed with the session, as the README's Security section says: a relative href is resolved against
 * the response it came in, so it stays on that response's origin; the session goes to its own origin (scheme, host and
 * port) whoever pointed there, and nowhere else.
 */
let sims: Simulators;
let foreign: HostileEm;
let session: ApiSession;

before(async () => {
  sims = await startSimulators();
  const cert = await createLoopbackCertificate();
  // Another server, whose list points back at the simulator (absolute) and at itself (relative).
  foreign = await startHostileEm(cert, (path) => {
    if (path === '/elsewhere/jobs') return { body: emList(foreign.origin, [`${sims.em.origin}/api/jobs`, 'relative/item']) };
    return { body: emList(foreign.origin, []) };
  });
  session = createSession(
    { id: 'o', kind: 'em', name: 'o', url: sims.em.url, username: sims.em.users.admin.username },
    { timeoutMs: 10_000, maxBodyBytes: 16 * 1024 * 1024, ca: `${sims.certificate.pem}\n${cert.pem}` },
    async () => sims.em.users.admin.password,
  );
  await session.logon();
});
after(async () => {
  await session.logoff();
  await session.dispose();
  await foreign.close();
  await sims.close();
});

const sessionHeader = (headers: Record<string, unknown>) => headers['x-restsvcsessionid'] ?? headers.authorization ?? headers.cookie;

describe('links and the session', () => {
  it('a relative href in the server\u2019s own response is resolved against it and fetched with the session', async () => {
    const { resource } = await session.get(`${sims.em.origin}/api/jobs`);
    const ref = resource.children[0];
    const relative = new URL(ref.href!).pathname.split('/').pop()!;
    // The same item, written relative to the list.
    const resolved = new URL(relative, `${sims.em.origin}/api/jobs/`).href;
    sims.em.clearRequests();
    await session.get(resolved);
    const seen = sims.em.requests.find((r) => r.path.startsWith(new URL(resolved).pathname));
    assert.ok(seen, 'fetched from the simulator');
    assert.ok(seen.headers['x-restsvcsessionid'], 'with the session');
  });

  it('a list on another origin is fetched without credentials; its relative links stay on that origin, also without', async () => {
    const { resource } = await session.get(`${foreign.origin}/elsewhere/jobs`);
    assert.equal(sessionHeader(foreign.requests.at(-1)!.headers), undefined, 'no credential to the other origin');
    const relative = resource.children.find((c) => c.href?.includes('relative'))!;
    assert.equal(relative.href, `${foreign.origin}/elsewhere/relative/item`, 'resolved against the response it came in');
    await session.get(relative.href!);
    const seen = foreign.requests.at(-1)!;
    assert.equal(seen.path, '/elsewhere/relative/item');
    assert.equal(sessionHeader(seen.headers), undefined);
  });

  it('a link from another origin that points back to the connection\u2019s own server is followed with the session (it is the origin the session belongs to)', async () => {
    const { resource } = await session.get(`${foreign.origin}/elsewhere/jobs`);
    const back = resource.children.find((c) => c.href?.startsWith(sims.em.origin))!;
    sims.em.clearRequests();
    await session.get(back.href!);
    const seen = sims.em.requests.find((r) => r.path === '/api/jobs');
    assert.ok(seen?.headers['x-restsvcsessionid'], 'the session went with it');
  });
});
