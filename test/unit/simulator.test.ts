import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'undici';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startSimulators, Simulators } from '../simulator';
import { buildEstate } from '../simulator/em/estate';

/* The EM simulator over real HTTPS: what the client code and the demo rely on. */

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface CallOptions {
  method?: 'GET' | 'POST' | 'DELETE' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  headersTimeout?: number;
  bodyTimeout?: number;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  // Lists are arrays even with one item; a lone top-level entity is not.
  isArray: (name, jpath) => ['Link', 'Ref', 'SupportedVersion', 'Days'].includes(name) || (name === 'Job' && jpath !== 'Job'),
});

type Xml = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function xml(text: string): Xml {
  assert.equal(XMLValidator.validate(text), true, 'body is well-formed XML');
  return parser.parse(text) as Xml;
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

function header(reply: Reply, name: string): string | undefined {
  const value = reply.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function linksOf(resource: Xml): Array<{ Rel: string; Href: string; Type?: string; Name?: string }> {
  return resource.Links?.Link ?? [];
}

describe('EM simulator', () => {
  let sims: Simulators;
  let agent: Agent;
  let adminToken: string;

  async function call(path: string, options: CallOptions = {}): Promise<Reply> {
    const url = path.startsWith('https://') ? path : sims.em.origin + path;
    const res = await request(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      dispatcher: agent,
      headersTimeout: options.headersTimeout,
      bodyTimeout: options.bodyTimeout,
    });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  async function logon(username: string, password: string, version = 'latest'): Promise<Reply> {
    return call(`/api/sessionMngr/?v=${version}`, { method: 'POST', headers: { authorization: basic(username, password) } });
  }

  async function logonToken(user: { username: string; password: string }): Promise<string> {
    const reply = await logon(user.username, user.password);
    assert.equal(reply.status, 201);
    return header(reply, 'x-restsvcsessionid')!;
  }

  const withToken = (token: string, extra: Record<string, string> = {}) => ({ 'x-restsvcsessionid': token, ...extra });

  before(async () => {
    sims = await startSimulators();
    agent = new Agent({ connect: { ca: sims.certificate.pem } });
    adminToken = await logonToken(sims.em.users.admin);
  });

  after(async () => {
    await agent.close();
    await sims.close();
  });

  describe('TLS', () => {
    test('the certificate is pinned by its fingerprint and covers 127.0.0.1', async () => {
      assert.match(sims.certificate.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      assert.match(sims.em.url, /^https:\/\/127\.0\.0\.1:\d+\/api\/$/);
      assert.equal(sims.em.url, `${sims.em.origin}/api/`);
      assert.equal((await call('/api/')).status, 200);
    });

    test('certificates of two simulators can be trusted together', async () => {
      const other = await startSimulators();
      const both = new Agent({ connect: { ca: [sims.certificate.pem, other.certificate.pem] } });
      try {
        assert.notEqual(other.certificate.fingerprint256, sims.certificate.fingerprint256);
        for (const url of [sims.em.url, other.em.url]) {
          const res = await request(url, { dispatcher: both });
          await res.body.text();
          assert.equal(res.statusCode, 200, url);
        }
      } finally {
        await both.close();
        await other.close();
      }
    });

    test('a client that does not trust the certificate is refused', async () => {
      const untrusting = new Agent();
      try {
        await assert.rejects(request(sims.em.url, { dispatcher: untrusting }), /self.signed|certificate/i);
      } finally {
        await untrusting.close();
      }
    });
  });

  describe('root and representation', () => {
    test('GET /api/ needs no auth and offers logon links and supported versions', async () => {
      const reply = await call('/api/');
      assert.equal(reply.status, 200);
      assert.equal(header(reply, 'content-type'), 'application/xml; charset=utf-8');
      const root = xml(reply.text).EnterpriseManager;
      assert.equal(root.xmlns, 'http://www.veeam.com/ent/v1.0');
      const links = linksOf(root);
      assert.ok(links.some((l) => l.Rel === 'Down' && l.Href === `${sims.em.url}logonSessions`));
      assert.ok(links.some((l) => l.Rel === 'Create' && l.Type === 'LogonSession' && l.Href === `${sims.em.url}sessionMngr/?v=latest`));
      const versions = root.SupportedVersions.SupportedVersion as Xml[];
      assert.deepEqual(versions.map((v) => v.Name), ['v1_5', 'v1_6', 'v1_7']);
      for (const v of versions) assert.equal(linksOf(v)[0].Href, `${sims.em.url}sessionMngr/?v=${v.Name}`);
    });

    test('hrefs are absolute and built from the Host header', async () => {
      const reply = await call('/api/', { headers: { host: `localhost:${sims.em.port}` } });
      assert.match(reply.text, new RegExp(`Href="https://localhost:${sims.em.port}/api/logonSessions"`));
      assert.doesNotMatch(reply.text, /127\.0\.0\.1/);
    });

    test('XML is the default even for Accept: */*; JSON when asked for', async () => {
      assert.match(header(await call('/api/', { headers: { accept: '*/*' } }), 'content-type')!, /^application\/xml/);
      const json = await call('/api/', { headers: { accept: 'application/json' } });
      assert.match(header(json, 'content-type')!, /^application\/json/);
      const body = JSON.parse(json.text);
      assert.equal(body.SupportedVersions.SupportedVersions.length, 3);
      assert.deepEqual(Object.keys(body.Links[0]), ['Rel', 'Href', 'Name', 'Type']);
      assert.equal(body.Links[0].Name, null);
    });

    test('unknown path is 404 and a wrong method is 405, both with an Error body', async () => {
      const missing = await call('/api/nothingHere', { headers: withToken(adminToken) });
      assert.equal(missing.status, 404);
      assert.equal(xml(missing.text).Error.StatusCode, '404');
      const wrong = await call('/api/jobs', { method: 'PUT', headers: withToken(adminToken), body: '' });
      assert.equal(wrong.status, 405);
      assert.equal(xml(wrong.text).Error.StatusCode, '405');
      assert.equal((await call('/api/', { method: 'DELETE' })).status, 405);
    });
  });

  describe('logon session', () => {
    test('POST sessionMngr with Basic auth answers 201 with token header, cookie, Location and LogonSession', async () => {
      const reply = await logon(sims.em.users.admin.username, sims.em.users.admin.password);
      assert.equal(reply.status, 201);
      const token = header(reply, 'x-restsvcsessionid')!;
      assert.match(token, /^[A-Za-z0-9+/]+=*$/);
      assert.equal(header(reply, 'set-cookie'), `X-RestSvcSessionId=${token}; Path=/api;`);
      const session = xml(reply.text).LogonSession;
      assert.equal(session.Type, 'LogonSession');
      assert.match(session.Href, new RegExp(`^${sims.em.url}logonSessions/[0-9a-f-]{36}$`));
      assert.equal(header(reply, 'location'), session.Href);
      assert.equal(session.UserName, sims.em.users.admin.username);
      assert.equal(session.Href, `${sims.em.url}logonSessions/${session.SessionId}`);
      assert.notEqual(token, session.SessionId);
      assert.ok(!Buffer.from(token, 'base64').toString().includes(session.SessionId), 'the token does not reveal the session id');

      const links = linksOf(session);
      assert.equal(links[0].Rel, 'Up');
      assert.equal(links[0].Href, sims.em.url);
      const down = links.filter((l) => l.Rel === 'Down');
      assert.ok(down.length >= 35, `many Down links (${down.length})`);
      for (const path of ['jobs', 'backupServers', 'backups', 'repositories', 'restorePoints', 'vmRestorePoints', 'query']) {
        assert.ok(down.some((l) => l.Href === `${sims.em.url}${path}`), `Down link to ${path}`);
      }
      assert.ok(down.some((l) => l.Type === 'JobReferenceList' && l.Href === `${sims.em.url}jobs`));
      assert.ok(down.some((l) => l.Type === 'Report' && l.Name === 'Summary' && l.Href === `${sims.em.url}reports/summary`));
      assert.ok(links.some((l) => l.Rel === 'Delete' && l.Href === session.Href));
    });

    test('every Down link of the session that lists something answers 200 with GET', async () => {
      const session = xml((await call((await logon(sims.em.users.admin.username, sims.em.users.admin.password)).headers.location as string, { headers: withToken(adminToken) })).text).LogonSession;
      const down = linksOf(session).filter((l) => l.Rel === 'Down' && l.Type !== 'QueryService');
      for (const link of down) {
        const reply = await call(link.Href, { headers: withToken(adminToken) });
        assert.equal(reply.status, 200, `${link.Href} → ${reply.status}`);
        xml(reply.text);
      }
    });

    test('older API versions log on too; an unsupported one is refused', async () => {
      for (const v of ['v1_7', 'v1_6', 'v1_5']) {
        assert.equal((await logon(sims.em.users.admin.username, sims.em.users.admin.password, v)).status, 201, v);
      }
      assert.equal((await logon(sims.em.users.admin.username, sims.em.users.admin.password, 'v1_2')).status, 400);
    });

    test('bad credentials or no Authorization → 401 with WWW-Authenticate and an Error body', async () => {
      for (const reply of [
        await logon(sims.em.users.admin.username, 'wrong-password'),
        await logon('nobody', 'x'),
        await call('/api/sessionMngr/?v=latest', { method: 'POST' }),
      ]) {
        assert.equal(reply.status, 401);
        assert.equal(header(reply, 'www-authenticate'), 'Basic Realm=RestSvc');
        assert.equal(header(reply, 'x-restsvcsessionid'), undefined);
        const error = xml(reply.text).Error;
        assert.equal(error.StatusCode, '401');
        assert.ok(error.Message.length > 0);
      }
    });

    test('a valid account without an EM role gets 401 that names the missing role', async () => {
      const reply = await logon(sims.em.users.noRole.username, sims.em.users.noRole.password);
      assert.equal(reply.status, 401);
      assert.equal(header(reply, 'www-authenticate'), 'Basic Realm=RestSvc');
      assert.match(xml(reply.text).Error.Message, /role/i);
    });

    test('a Restore Operator logs on but gets 403 on jobs and backup servers', async () => {
      const token = await logonToken(sims.em.users.restoreOperator);
      for (const path of ['/api/jobs', '/api/backupServers', '/api/jobs?format=Entity']) {
        const reply = await call(path, { headers: withToken(token) });
        assert.equal(reply.status, 403, path);
        assert.equal(xml(reply.text).Error.StatusCode, '403');
      }
      assert.equal((await call('/api/vmRestorePoints', { headers: withToken(token) })).status, 200);
      const repo = xml((await call('/api/repositories', { headers: withToken(token) })).text).EntityReferences.Ref[0];
      assert.equal((await call(`${repo.Href}?action=rescan`, { method: 'POST', headers: withToken(token) })).status, 403);
    });

    test('a tenant logon (LoginSpec body) gets a session that reaches only the cloud service', async () => {
      const spec = (password: string) =>
        `<LoginSpec xmlns="http://www.veeam.com/ent/v1.0"><TenantCredentials><Username>${sims.em.tenant.username}</Username>` +
        `<Password>${password}</Password></TenantCredentials></LoginSpec>`;
      const post = (body: string) =>
        call('/api/sessionMngr/?v=latest', {
          method: 'POST',
          headers: { authorization: basic(sims.em.users.admin.username, sims.em.users.admin.password), 'content-type': 'application/xml' },
          body,
        });
      assert.equal((await post(spec('wrong'))).status, 401);
      const reply = await post(spec(sims.em.tenant.password));
      assert.equal(reply.status, 201);
      const session = xml(reply.text).LogonSession;
      assert.equal(session.UserName, sims.em.tenant.username);
      assert.deepEqual(linksOf(session).map((l) => `${l.Rel} ${l.Href}`), [
        `Up ${sims.em.url}`,
        `Down ${sims.em.url}cloud`,
        `Delete ${session.Href}`,
      ]);
      const token = header(reply, 'x-restsvcsessionid')!;
      assert.equal((await call('/api/cloud', { headers: withToken(token) })).status, 200);
      assert.equal((await call('/api/jobs', { headers: withToken(token) })).status, 403);
      assert.equal((await call(session.Href, { method: 'DELETE', headers: withToken(token) })).status, 204);
    });

    test('the session cookie is accepted, and wins over the header', async () => {
      assert.equal((await call('/api/jobs', { headers: { cookie: `X-RestSvcSessionId=${adminToken}` } })).status, 200);
      const cookieGood = await call('/api/jobs', { headers: { cookie: `X-RestSvcSessionId=${adminToken}`, 'x-restsvcsessionid': 'bm90LWEtdG9rZW4=' } });
      assert.equal(cookieGood.status, 200);
      const cookieBad = await call('/api/jobs', { headers: { cookie: 'X-RestSvcSessionId=bm90LWEtdG9rZW4=', 'x-restsvcsessionid': adminToken } });
      assert.equal(cookieBad.status, 401);
    });

    test('no token or an unknown token → 401 on a protected resource', async () => {
      assert.equal((await call('/api/jobs')).status, 401);
      assert.equal((await call('/api/jobs', { headers: withToken('bm9wZQ==') })).status, 401);
    });

    test('DELETE of the logon session → 204, then the token stops working', async () => {
      const reply = await logon(sims.em.users.admin.username, sims.em.users.admin.password);
      const token = header(reply, 'x-restsvcsessionid')!;
      const session = xml(reply.text).LogonSession;
      const before = sims.em.activeSessions();
      const del = await call(session.Href, { method: 'DELETE', headers: withToken(token) });
      assert.equal(del.status, 204);
      assert.equal(del.text, '');
      assert.equal(sims.em.activeSessions(), before - 1);
      assert.equal((await call('/api/jobs', { headers: withToken(token) })).status, 401);
    });

    test('idle sessions expire; use keeps them alive', async () => {
      // Long enough that a busy machine keeps up with the uses below; the test then polls until the idle session expires.
      const idleMs = 3000;
      const short = await startSimulators({ idleTimeoutMs: idleMs });
      const shortAgent = new Agent({ connect: { ca: short.certificate.pem } });
      try {
        const get = async (token: string) =>
          (await request(`${short.em.url}jobs`, { headers: withToken(token), dispatcher: shortAgent })).statusCode;
        const open = async () => {
          const res = await request(`${short.em.url}sessionMngr/?v=latest`, {
            method: 'POST',
            headers: { authorization: basic(short.em.users.admin.username, short.em.users.admin.password) },
            dispatcher: shortAgent,
          });
          await res.body.text();
          return res.headers['x-restsvcsessionid'] as string;
        };
        const idle = await open();
        const busy = await open();
        const busyOpened = Date.now();
        assert.equal(short.em.activeSessions(), 2);
        // Use the busy session every 100 ms (far more often than the timeout) until it has lived longer than one idle
        // timeout and the unused one has expired; counting sessions does not count as a use.
        const deadline = busyOpened + idleMs + 10_000;
        while (Date.now() - busyOpened <= idleMs || short.em.activeSessions() !== 1) {
          assert.ok(Date.now() < deadline, `still ${short.em.activeSessions()} sessions ${Date.now() - busyOpened} ms after the logon`);
          await new Promise((r) => setTimeout(r, 100));
          assert.equal(await get(busy), 200, 'the session in use expired');
        }
        assert.equal(await get(idle), 401);
        assert.equal(await get(busy), 200);
        assert.equal(short.em.activeSessions(), 1);
      } finally {
        await shortAgent.close();
        await short.close();
      }
    });

    test('expireAllSessions() makes every token answer 401', async () => {
      const token = await logonToken(sims.em.users.admin);
      sims.em.expireAllSessions();
      assert.equal(sims.em.activeSessions(), 0);
      assert.equal((await call('/api/jobs', { headers: withToken(token) })).status, 401);
      adminToken = await logonToken(sims.em.users.admin);
    });
  });

  describe('estate', () => {
    test('GET /api/jobs lists JobReference Refs with Up, Alternate and Down links', async () => {
      const refs = xml((await call('/api/jobs', { headers: withToken(adminToken) })).text).EntityReferences.Ref as Xml[];
      assert.equal(refs.length, 12);
      for (const ref of refs) {
        assert.equal(ref.Type, 'JobReference');
        assert.match(ref.UID, /^urn:veeam:Job:[0-9a-f-]{36}$/);
        const links = linksOf(ref);
        assert.ok(links.some((l) => l.Rel === 'Up' && l.Type === 'BackupServerReference'));
        assert.ok(links.some((l) => l.Rel === 'Alternate' && l.Href === `${ref.Href}?format=Entity`));
        assert.ok(links.some((l) => l.Rel === 'Down' && /JobSessionReferenceList$/.test(l.Type!)));
      }
    });

    test('names are escaped in XML and come back intact', async () => {
      const reply = await call('/api/jobs', { headers: withToken(adminToken) });
      assert.match(reply.text, /Name="R&amp;D &lt;Lab&gt; &quot;Nightly&quot; Backup Copy"/);
      const refs = xml(reply.text).EntityReferences.Ref as Xml[];
      assert.ok(refs.some((r) => r.Name === 'R&D <Lab> "Nightly" Backup Copy'));
    });

    test('a job as EntityRef, as Job entity with action links, and the Jobs list', async () => {
      const ref = xml((await call('/api/jobs', { headers: withToken(adminToken) })).text).EntityReferences.Ref[0];
      const single = xml((await call(ref.Href, { headers: withToken(adminToken) })).text).EntityRef;
      assert.equal(single.Href, ref.Href);
      assert.equal(single.Type, 'JobReference');
      const job = xml((await call(`${ref.Href}?format=Entity`, { headers: withToken(adminToken) })).text).Job;
      assert.equal(job.Type, 'Job');
      assert.equal(job.Name, ref.Name);
      assert.equal(job.JobType, 'Backup');
      for (const rel of ['Start', 'Stop', 'Retry', 'Clone', 'ToggleScheduleEnabled']) {
        const link = linksOf(job).find((l) => l.Rel === rel);
        assert.ok(link, rel);
        assert.match(link.Href, /\?action=[A-Za-z]+$/);
      }
      const jobs = xml((await call('/api/jobs?format=Entity', { headers: withToken(adminToken) })).text).Jobs.Job as Xml[];
      assert.equal(jobs.length, 12);
    });

    test('job sessions, backups, restore points, VM restore points, repositories and reports are reachable', async () => {
      const allJobs = xml((await call('/api/jobs', { headers: withToken(adminToken) })).text).EntityReferences.Ref as Xml[];
      for (const job of allJobs) {
        const sessionsLink = linksOf(job).find((l) => l.Rel === 'Down')!;
        const sessions = xml((await call(sessionsLink.Href, { headers: withToken(adminToken) })).text).EntityReferences.Ref as Xml[];
        assert.equal(sessions.length, 3, job.Name);
        for (const s of sessions) assert.equal(`${s.Type}List`, sessionsLink.Type);
      }
      const backup = xml((await call('/api/backups', { headers: withToken(adminToken) })).text).EntityReferences.Ref[0];
      const points = linksOf(backup).find((l) => l.Type === 'RestorePointReferenceList')!;
      const point = xml((await call(points.Href, { headers: withToken(adminToken) })).text).EntityReferences.Ref[0];
      const vms = linksOf(point).find((l) => l.Type === 'VmRestorePointReferenceList')!;
      const vm = xml((await call(vms.Href, { headers: withToken(adminToken) })).text).EntityReferences.Ref[0];
      assert.equal(vm.Type, 'VmRestorePointReference');
      const repo = xml((await call('/api/repositories?format=Entity', { headers: withToken(adminToken) })).text).Repositories.Repository[0];
      assert.ok(Number(repo.Capacity) > Number(repo.FreeSpace));
      const summary = xml((await call('/api/reports/summary', { headers: withToken(adminToken) })).text).SummaryReport;
      const frames = linksOf(summary).filter((l) => l.Rel === 'Down');
      assert.ok(frames.length >= 4);
      for (const frame of frames) assert.equal((await call(frame.Href, { headers: withToken(adminToken) })).status, 200, frame.Href);
      const overview = xml((await call('/api/reports/summary/overview', { headers: withToken(adminToken) })).text).OverviewReportFrame;
      assert.equal(overview.BackupServers, '2');
    });

    test('the estate is deterministic for a given size and scales', async () => {
      assert.deepEqual(buildEstate(12), buildEstate(12));
      const big = buildEstate(10_000);
      assert.equal(big.jobs.length, 10_000);
      assert.equal(new Set(big.jobs.map((j) => j.id)).size, 10_000);
      const other = await startSimulators({ jobs: 30 });
      const otherAgent = new Agent({ connect: { ca: other.certificate.pem } });
      try {
        const res = await request(`${other.em.url}sessionMngr/?v=latest`, {
          method: 'POST',
          headers: { authorization: basic(other.em.users.admin.username, other.em.users.admin.password) },
          dispatcher: otherAgent,
        });
        await res.body.text();
        const list = await request(`${other.em.url}jobs`, { headers: withToken(res.headers['x-restsvcsessionid'] as string), dispatcher: otherAgent });
        assert.equal(xml(await list.body.text()).EntityReferences.Ref.length, 30);
      } finally {
        await otherAgent.close();
        await other.close();
      }
    });

    test('an action POST answers 202 with a Task that runs and then finishes', async () => {
      const job = xml((await call('/api/jobs?format=Entity', { headers: withToken(adminToken) })).text).Jobs.Job[0];
      const start = linksOf(job).find((l) => l.Rel === 'Start')!;
      const reply = await call(start.Href, { method: 'POST', headers: withToken(adminToken) });
      assert.equal(reply.status, 202);
      const task = xml(reply.text).Task;
      assert.match(task.TaskId, /^task-\d+$/);
      assert.equal(task.Href, `${sims.em.url}tasks/${task.TaskId}`);
      assert.equal(task.State, 'Running');
      assert.equal(task.Operation, 'StartJob');
      let state = task;
      for (let i = 0; i < 3 && state.State !== 'Finished'; i++) {
        state = xml((await call(task.Href, { headers: withToken(adminToken) })).text).Task;
      }
      assert.equal(state.State, 'Finished');
      assert.equal(state.Result.Success, 'true');
      assert.ok(state.Result.Message);
      assert.equal((await call(task.Href, { method: 'DELETE', headers: withToken(adminToken) })).status, 204);
      assert.equal((await call(task.Href, { headers: withToken(adminToken) })).status, 404);
      assert.equal((await call(`${job.Href.split('?')[0]}?action=explode`, { method: 'POST', headers: withToken(adminToken) })).status, 400);
    });

    test('every request is recorded, so tests can prove that browsing never POSTs', async () => {
      sims.em.clearRequests();
      await call('/api/jobs', { headers: withToken(adminToken, { accept: 'application/json' }) });
      await call('/api/backups', { headers: withToken(adminToken) });
      assert.deepEqual(sims.em.requests.map((r) => `${r.method} ${r.path}`), ['GET /api/jobs', 'GET /api/backups']);
      assert.equal(sims.em.requests[0].headers['x-restsvcsessionid'], adminToken);
      assert.equal(sims.em.requests[0].headers.accept, 'application/json');
      sims.em.clearRequests();
      assert.equal(sims.em.requests.length, 0);
    });
  });

  describe('JSON', () => {
    const json = () => withToken(adminToken, { accept: 'application/json' });

    test('logon session and references in JSON keep the server quirks', async () => {
      const reply = await call('/api/sessionMngr/?v=latest', {
        method: 'POST',
        headers: { authorization: basic(sims.em.users.admin.username, sims.em.users.admin.password), accept: 'application/json' },
      });
      assert.equal(reply.status, 201);
      const session = JSON.parse(reply.text);
      assert.equal(session.Type, 'LogonSession');
      assert.equal(session.UserName, sims.em.users.admin.username);
      assert.ok(session.Links.some((l: Xml) => l.Rel === 'Up' && l.Name === null));
      const refs = JSON.parse((await call('/api/jobs', { headers: json() })).text);
      assert.deepEqual(Object.keys(refs), ['Refs']);
      assert.equal(refs.Refs.length, 12);
      assert.deepEqual(Object.keys(refs.Refs[0]), ['Links', 'UID', 'Name', 'Href', 'Type']);
      const down = refs.Refs[0].Links.find((l: Xml) => l.Rel === 'Down');
      assert.equal(down.Name, null);
    });

    test('entities nest plural wrappers and repeated scalars become arrays', async () => {
      const jobs = JSON.parse((await call('/api/jobs?format=Entity', { headers: json() })).text);
      assert.ok(Array.isArray(jobs.Jobs));
      const daily = jobs.Jobs[0].JobScheduleOptions.OptionsDaily;
      assert.ok(Array.isArray(daily.Days) && daily.Days.length >= 5);
      assert.equal(typeof jobs.Jobs[0].ScheduleEnabled, 'boolean');
    });

    test('query results carry null slots, including the misspelt ones', async () => {
      const result = JSON.parse((await call('/api/query?type=Job&format=Entities&pageSize=2', { headers: json() })).text);
      assert.equal(result.Refs, null);
      assert.equal(result.Resources, null);
      assert.equal(result.Links, null);
      assert.equal(result.Entities.Jobs.Jobs.length, 2);
      assert.ok('EnterpiseRoles' in result.Entities);
      assert.equal(result.Entities.EnterpiseRoles, null);
      assert.equal(result.Entities.Backups, null);
      assert.equal(result.PagingInfo.PageSize, 2);
      const refs = JSON.parse((await call('/api/query?type=Job&format=Refs&pageSize=2', { headers: json() })).text);
      assert.equal(refs.Entities, null);
      assert.equal(refs.Refs.Refs.length, 2);
    });

    test('errors in JSON have the server shape', async () => {
      const reply = await call('/api/nothingHere', { headers: json() });
      assert.equal(reply.status, 404);
      const error = JSON.parse(reply.text);
      assert.deepEqual(Object.keys(error), ['FirstChanceExceptionMessage', 'Message', 'StackTrace', 'Status', 'StatusCode']);
      assert.equal(error.StatusCode, 404);
      assert.equal(error.StackTrace, null);
    });
  });

  describe('query service', () => {
    async function query(q: string): Promise<Xml> {
      const reply = await call(`/api/query?${q}`, { headers: withToken(adminToken) });
      assert.equal(reply.status, 200, reply.text);
      return xml(reply.text).QueryResult;
    }

    test('paging: PagingInfo with First/Previous/Next/Last links that work', async () => {
      const page2 = await query('type=Job&format=Refs&sortAsc=name&pageSize=5&page=2');
      const paging = page2.PagingInfo;
      assert.deepEqual([paging.PageNum, paging.PageSize, paging.PagesCount], ['2', '5', '3']);
      const rels = Object.fromEntries(linksOf(paging).map((l) => [l.Rel, l.Href]));
      assert.deepEqual(Object.keys(rels).sort(), ['First', 'Last', 'Next', 'Previous']);
      assert.match(rels.Next, /[?&]page=3$/);
      assert.match(rels.Previous, /[?&]page=1$/);
      assert.equal(page2.Refs.Ref.length, 5);
      const page3 = xml((await call(rels.Next, { headers: withToken(adminToken) })).text).QueryResult;
      assert.equal(page3.Refs.Ref.length, 2);
      assert.ok(!linksOf(page3.PagingInfo).some((l) => l.Rel === 'Next'));
      const first = xml((await call(rels.First, { headers: withToken(adminToken) })).text).QueryResult;
      assert.ok(!linksOf(first.PagingInfo).some((l) => l.Rel === 'Previous'));
      const names = [first, page2, page3].flatMap((p) => (p.Refs.Ref as Xml[]).map((r) => r.Name));
      assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b)));
    });

    test('page size defaults to 100', async () => {
      const result = await query('type=Job');
      assert.equal(result.PagingInfo.PageSize, '100');
      assert.equal(result.PagingInfo.PagesCount, '1');
      assert.equal(result.Refs.Ref.length, 12);
    });

    test('filters: == and != joined by ; (AND) and , (OR), sorting descending', async () => {
      const estate = buildEstate(12);
      const count = (pred: (j: (typeof estate.jobs)[number]) => boolean) => estate.jobs.filter(pred).length;
      const refsOf = (r: Xml) => (r.Refs?.Ref ?? []) as Xml[];
      assert.equal(refsOf(await query('type=Job&filter=jobtype==Replica')).length, count((j) => j.jobType === 'Replica'));
      assert.equal(
        refsOf(await query('type=Job&filter=jobtype==backup;platform==hyperv')).length,
        count((j) => j.jobType === 'Backup' && j.platform === 'HyperV'),
      );
      assert.equal(
        refsOf(await query('type=Job&filter=jobtype==Replica,platform==HyperV')).length,
        count((j) => j.jobType === 'Replica' || j.platform === 'HyperV'),
      );
      assert.equal(refsOf(await query('type=Job&filter=platform!=VMware')).length, count((j) => j.platform !== 'VMware'));
      const byName = refsOf(await query(`type=Job&filter=${encodeURIComponent('name=="SQL Cluster Backup"')}`));
      assert.deepEqual(byName.map((r) => r.Name), ['SQL Cluster Backup']);
      const desc = refsOf(await query('type=Job&sortDesc=name')).map((r) => r.Name);
      assert.deepEqual(desc, [...desc].sort((a, b) => b.localeCompare(a)));
      const entities = await query('type=Job&format=Entities&filter=jobtype==Replica');
      assert.ok((entities.Entities.Jobs.Job as Xml[]).every((j) => j.JobType === 'Replica'));
    });

    test('a bad query is a 400 Error', async () => {
      for (const q of ['type=Job&filter=name~~x', 'type=Job&filter=colour==red', 'type=Nothing', 'type=Job&pageSize=0']) {
        const reply = await call(`/api/query?${q}`, { headers: withToken(adminToken) });
        assert.equal(reply.status, 400, q);
        assert.equal(xml(reply.text).Error.StatusCode, '400');
      }
    });
  });

  describe('faults', () => {
    const jobs = () => call('/api/jobs', { headers: withToken(adminToken) });

    test('slow delays the answer', async () => {
      // The delay is long enough that an ordinary request on a busy machine stays well below it.
      sims.em.setFault({ kind: 'slow', delayMs: 3000, times: 1 });
      const started = Date.now();
      assert.equal((await jobs()).status, 200);
      assert.ok(Date.now() - started >= 2900, `the slow answer took ${Date.now() - started} ms`);
      const again = Date.now();
      assert.equal((await jobs()).status, 200);
      const took = Date.now() - again;
      assert.ok(took < 1500, `times: 1 applies once, but the next answer took ${took} ms`);
    });

    test('html sends a proxy error page', async () => {
      sims.em.setFault({ kind: 'html', times: 1 });
      const reply = await jobs();
      assert.equal(reply.status, 502);
      assert.equal(header(reply, 'content-type'), 'text/html');
      assert.match(reply.text, /<html>/i);
      sims.em.setFault({ kind: 'html', status: 504, times: 1 });
      assert.equal((await jobs()).status, 504);
    });

    test('truncated sends half the body with a matching Content-Length', async () => {
      const whole = await jobs();
      sims.em.setFault({ kind: 'truncated', times: 1 });
      const cut = await jobs();
      assert.equal(cut.status, 200);
      assert.equal(Number(header(cut, 'content-length')), Buffer.byteLength(cut.text));
      assert.ok(cut.text.length < whole.text.length * 0.6);
      assert.ok(whole.text.startsWith(cut.text));
      assert.notEqual(XMLValidator.validate(cut.text), true);
    });

    test('huge streams a valid XML body of the requested size', async () => {
      sims.em.setFault({ kind: 'huge', sizeBytes: 2_000_000, times: 1 });
      const reply = await jobs();
      assert.equal(reply.status, 200);
      assert.equal(Buffer.byteLength(reply.text), 2_000_000);
      assert.equal(Number(header(reply, 'content-length')), 2_000_000);
      assert.ok(xml(reply.text).EntityReferences.Ref.length > 1000);
    });

    test('reset breaks the connection in the middle of the body', async () => {
      sims.em.setFault({ kind: 'reset', times: 1 });
      await assert.rejects(jobs());
      assert.equal((await jobs()).status, 200);
    });

    test('hang never answers', async () => {
      sims.em.setFault({ kind: 'hang', times: 1 });
      await assert.rejects(call('/api/jobs', { headers: withToken(adminToken), headersTimeout: 300 }), (err: Error) => err.name === 'HeadersTimeoutError');
    });

    test('stall-headers sends headers and then nothing', async () => {
      sims.em.setFault({ kind: 'stall-headers', times: 1 });
      const res = await request(`${sims.em.url}jobs`, { headers: withToken(adminToken), dispatcher: agent, bodyTimeout: 300 });
      assert.equal(res.statusCode, 200);
      await assert.rejects(res.body.text(), (err: Error) => err.name === 'BodyTimeoutError');
    });

    test('status answers with that status and an EM Error body', async () => {
      sims.em.setFault({ kind: 'status', status: 503, times: 1 });
      const reply = await jobs();
      assert.equal(reply.status, 503);
      assert.equal(xml(reply.text).Error.StatusCode, '503');
    });

    test('expire ends the session of the request; requests without a token pass', async () => {
      const token = await logonToken(sims.em.users.admin);
      sims.em.setFault({ kind: 'expire', times: 1 });
      assert.equal((await call('/api/')).status, 200, 'no token: not consumed');
      assert.equal((await call('/api/jobs', { headers: withToken(token) })).status, 401);
      assert.equal((await call('/api/jobs', { headers: withToken(token) })).status, 401, 'the session is really gone');
      assert.equal((await jobs()).status, 200, 'the fault was used up');
    });

    test('the newest matching fault wins', async () => {
      sims.em.setFault({ kind: 'reset', path: '/api/jobs' });
      sims.em.setFault({ kind: 'status', status: 503, path: '/api/jobs' });
      assert.equal((await jobs()).status, 503);
      sims.em.clearFaults();
      assert.equal((await jobs()).status, 200);
    });

    test('a path prefix limits a fault; clearFaults removes it', async () => {
      sims.em.setFault({ kind: 'status', status: 500, path: '/api/backups' });
      assert.equal((await jobs()).status, 200);
      assert.equal((await call('/api/backups', { headers: withToken(adminToken) })).status, 500);
      assert.equal((await call('/api/backups?format=Entity', { headers: withToken(adminToken) })).status, 500);
      sims.em.clearFaults();
      assert.equal((await call('/api/backups', { headers: withToken(adminToken) })).status, 200);
    });
  });

  describe('control endpoints over HTTP', () => {
    test('faults, expiry and the request log can be driven from another process', async () => {
      const post = (path: string, body?: unknown) =>
        call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

      assert.equal((await post('/__simulator/faults', { kind: 'status', status: 503, path: '/api/jobs' })).status, 204);
      assert.equal((await call('/api/jobs', { headers: withToken(adminToken) })).status, 503);
      assert.equal((await call('/__simulator/faults', { method: 'DELETE' })).status, 204);
      assert.equal((await call('/api/jobs', { headers: withToken(adminToken) })).status, 200);
      assert.equal((await post('/__simulator/faults', { kind: 'explode' })).status, 400);

      assert.equal((await call('/__simulator/requests', { method: 'DELETE' })).status, 204);
      await call('/api/backups', { headers: withToken(adminToken) });
      const log = JSON.parse((await call('/__simulator/requests')).text);
      assert.deepEqual(log.map((r: Xml) => `${r.method} ${r.path}`), ['GET /api/backups']);
      assert.equal(log[0].headers['x-restsvcsessionid'], adminToken);

      assert.equal((await post('/__simulator/expire')).status, 204);
      assert.equal((await call('/api/jobs', { headers: withToken(adminToken) })).status, 401);
      adminToken = await logonToken(sims.em.users.admin);
    });
  });
});
