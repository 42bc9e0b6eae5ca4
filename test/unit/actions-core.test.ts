// Actions through the one request flow, against the simulators of every kind over real HTTPS: one request per action,
// following the work to its end (success, failure, a session expiry, a 429), cancel, VSPC's x-request-id kept across a
// resend after a network failure, EM and VBR never resent, actions only to the connection's own origin, and the
// history's exchanges (a logon's without bodies).
import { strict as assert } from 'node:assert';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ActionResult, ApiKind, ApiSession, ConnectionDefinition, Exchange, TaskProgress, TransportOptions } from '../../src/api';
import { ApiError, createSession, NetworkError, ProtocolError } from '../../src/api';
import { startSimulators, type Simulators } from '../simulator';
import { apiFailure } from './api-failure';
import { assertNoSecrets } from './session-checks';

let sims: Simulators;
const exchanges: Exchange[] = [];
const FAST = { minDelayMs: 50, maxDelayMs: 200 };

before(async () => {
  sims = await startSimulators({ emTaskDurationMs: 600, vspcActionDurationMs: 600, vbrActionDurationMs: 600, vbrItems: 20, vspcItems: 20 });
});
after(() => sims.close());

interface Target {
  kind: ApiKind;
  sim: Simulators['em'] | Simulators['vspc'] | Simulators['vbr'];
  user: { username: string; password: string };
  /** A job's start, from its list. */
  startUrl(s: ApiSession): Promise<string>;
}

const targets = (): Target[] => [
  {
    kind: 'em',
    sim: sims.em,
    user: sims.em.users.admin,
    startUrl: async (s) => `${(await s.get(new URL('/api/jobs', sims.em.origin).href)).resource.children[0].href!.split('?')[0]}?action=start`,
  },
  {
    kind: 'vspc',
    sim: sims.vspc,
    user: sims.vspc.users.admin,
    startUrl: async (s) => `${(await s.get(new URL('/api/v3/infrastructure/backupServers/jobs?limit=1', sims.vspc.origin).href)).resource.children[0].href!.split('?')[0]}/start`,
  },
  {
    kind: 'vbr',
    sim: sims.vbr,
    user: sims.vbr.users.admin,
    startUrl: async (s) => `${(await s.get(new URL('/api/v1/jobs?limit=1', sims.vbr.origin).href)).resource.children[0].href!}/start`,
  },
];

function session(t: Target, extra: Partial<TransportOptions> = {}): ApiSession {
  const def: ConnectionDefinition = { id: t.kind, kind: t.kind, name: t.kind, url: t.sim.url, username: t.user.username };
  return createSession(def, { timeoutMs: 5000, maxBodyBytes: 16 << 20, ca: sims.certificate.pem, onExchange: (e) => exchanges.push(e), ...extra }, async () => t.user.password);
}

async function loggedOn<T>(t: Target, run: (s: ApiSession) => Promise<T>, extra?: Partial<TransportOptions>): Promise<T> {
  const s = session(t, extra);
  try {
    await s.logon();
    return await run(s);
  } finally {
    await s.logoff();
    await s.dispose();
  }
}

const posts = (t: Target, path?: string) => t.sim.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && (!path || r.path === path));
const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

beforeEach(() => {
  for (const t of targets()) {
    t.sim.clearFaults();
    t.sim.clearRequests();
  }
});

for (const name of ['em', 'vspc', 'vbr'] as const) {
  const target = () => targets().find((t) => t.kind === name)!;

  describe(`${name}: an action`, () => {
    it('is one request, and its work is followed to success with its progress on the way', async () => {
      const t = target();
      await loggedOn(t, async (s) => {
        const url = await t.startUrl(s);
        const result = await s.send({ method: 'POST', url });
        assert.deepEqual(posts(t, pathOf(url)).map((r) => r.method + ' ' + r.path), ['POST ' + pathOf(url)], 'exactly one POST');
        assert.ok(result.task, 'the work it started');
        assert.equal(new URL(result.task.url).origin, t.sim.origin);
        const seen: TaskProgress[] = [];
        const outcome = await s.follow(result.task, { ...FAST, onProgress: (p) => seen.push(p) });
        assert.equal(outcome.state, 'succeeded');
        assert.equal(seen[0].state, 'running');
        assert.equal(seen.at(-1)!.state, 'succeeded');
        for (let k = 1; k < seen.length; k++) assert.notDeepEqual([seen[k].state, seen[k].percent, seen[k].message], [seen[k - 1].state, seen[k - 1].percent, seen[k - 1].message], 'only changes are reported');
        if (name === 'vspc') assert.equal(outcome.result?.status, 200, 'the async action’s result read');
        assert.equal(posts(t).filter((r) => !/token|sessionMngr|logout/.test(r.path)).length, 1, 'following sends GETs only');
      });
    });

    it('ends in failure with the server’s message under the action-fails fault', async () => {
      const t = target();
      await loggedOn(t, async (s) => {
        const url = await t.startUrl(s);
        t.sim.setFault({ kind: 'action-fails', message: 'Repository sim-repo-1 is out of space', path: pathOf(url), times: 1 });
        const result = await s.send({ method: 'POST', url });
        const outcome = await s.follow(result.task!, FAST);
        assert.equal(outcome.state, 'failed');
        assert.match(outcome.message ?? '', /out of space/);
      });
    });

    it('is followed through a session expiry (logged on again, one POST in all)', async () => {
      const t = target();
      await loggedOn(t, async (s) => {
        const result = await s.send({ method: 'POST', url: await t.startUrl(s) });
        if ('expireAllSessions' in t.sim) t.sim.expireAllSessions();
        else t.sim.expireAllTokens();
        const outcome = await s.follow(result.task!, FAST);
        assert.equal(outcome.state, 'succeeded');
        assert.equal(posts(t).filter((r) => !/token|sessionMngr|logout/.test(r.path)).length, 1);
      });
    });

    it('is followed through a 429', async () => {
      const t = target();
      await loggedOn(t, async (s) => {
        const result = await s.send({ method: 'POST', url: await t.startUrl(s) });
        const taskPath = new URL(result.task!.url).pathname;
        t.sim.setFault((name === 'em' ? { kind: 'status', status: 429, path: taskPath, times: 1 } : { kind: 'throttle', retryAfter: 1, path: taskPath, times: 1 }) as never);
        const outcome = await s.follow(result.task!, FAST);
        assert.equal(outcome.state, 'succeeded');
        assert.ok(t.sim.requests.filter((r) => r.path.startsWith(taskPath)).length >= 2);
      });
    });

    it('is cancelled on the server by its API’s own cancel, sent once', async () => {
      const t = target();
      await loggedOn(t, async (s) => {
        const result: ActionResult = await s.send({ method: 'POST', url: await t.startUrl(s) });
        const task = result.task!;
        assert.ok(task.cancel, 'every kind has a cancel');
        assert.equal(await s.cancel(task), true);
        const cancels = posts(t, pathOf(task.cancel.url));
        assert.equal(cancels.length, 1);
        assert.equal(cancels[0].method, task.cancel.method);
        if (name !== 'em') {
          // EM's task is gone once deleted; VSPC's async action and VBR's session say they were cancelled.
          const outcome = await s.follow(task, FAST);
          assert.equal(outcome.state, 'canceled');
        }
      });
    });

    it('stops only the waiting when the caller aborts', async () => {
      const t = target();
      await loggedOn(t, async (s) => {
        const result = await s.send({ method: 'POST', url: await t.startUrl(s) });
        const stop = new AbortController();
        const following = s.follow(result.task!, { ...FAST, signal: stop.signal, onProgress: () => stop.abort() });
        const err = await apiFailure(following);
        assert.equal(err.kind, 'cancelled');
        assert.equal(posts(t).filter((r) => r.method === 'DELETE' || /\/stop$/.test(r.path)).filter((r) => !/logonSessions|tokens/.test(r.path)).length, 0, 'no cancel sent');
      });
    });

    it('is sent again after a 401 (it did not run) and runs once', async () => {
      const t = target();
      await loggedOn(t, async (s) => {
        const url = await t.startUrl(s);
        if ('expireAllSessions' in t.sim) t.sim.expireAllSessions();
        else t.sim.expireAllTokens();
        const result = await s.send({ method: 'POST', url });
        assert.ok(result.task);
        const sent = posts(t, pathOf(url));
        assert.equal(sent.length, 2, 'refused once with 401, then sent with the renewed session');
      });
    });

    it('after a network failure is sent again only when it carries a request id (VSPC), with the same id', async () => {
      const t = target();
      await loggedOn(t, async (s) => {
        const url = await t.startUrl(s);
        t.sim.setFault({ kind: 'reset', path: pathOf(url), times: 1 });
        if (name === 'vspc') {
          const result = await s.send({ method: 'POST', url });
          assert.ok(result.task);
          const sent = posts(t, pathOf(url));
          assert.equal(sent.length, 2);
          assert.match(sent[0].headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
          assert.equal(sent[1].headers['x-request-id'], sent[0].headers['x-request-id']);
          // A new user action is a new id.
          await s.send({ method: 'POST', url });
          assert.notEqual(posts(t, pathOf(url))[2].headers['x-request-id'], sent[0].headers['x-request-id']);
        } else {
          const err = await apiFailure(s.send({ method: 'POST', url }));
          assert.ok(err instanceof NetworkError, err.message);
          assert.match(err.hint ?? '', /may have reached the server/);
          assert.equal(posts(t, pathOf(url)).length, 1, 'never sent twice');
        }
      });
    });

    it('goes to its own origin only, and never with GET', async () => {
      const t = target();
      await loggedOn(t, async (s) => {
        const before = t.sim.requests.length;
        const other = targets().find((o) => o.kind !== name)!;
        const foreign = await apiFailure(s.send({ method: 'POST', url: new URL('/api/jobs/x?action=start', other.sim.origin).href }));
        assert.ok(foreign instanceof ProtocolError);
        assert.equal(other.sim.requests.filter((r) => r.method === 'POST' && r.path.includes('action=start')).length, 0);
        const notAction = await apiFailure(s.send({ method: 'GET' as never, url: new URL('/api/', t.sim.origin).href }));
        assert.ok(notAction instanceof ApiError);
        assert.equal(t.sim.requests.length, before);
      });
    });

    it('is recorded in the history with its body; the logon without either body, and no secret anywhere', async () => {
      const t = target();
      exchanges.length = 0;
      await loggedOn(t, async (s) => {
        const url = await t.startUrl(s);
        await s.send({ method: 'POST', url, body: '{"performActiveFull":false}', contentType: 'application/json' }).catch(() => undefined);
        const action = exchanges.find((e) => e.method === 'POST' && e.url === url);
        assert.ok(action?.raw, 'the action’s answer kept');
        assert.equal(action.requestBody, '{"performActiveFull":false}');
        assert.equal(action.requestContentType, 'application/json');
        assert.ok(action.size > 0 && action.durationMs >= 0 && action.status! >= 200);
        const logon = exchanges.filter((e) => e.credentials);
        assert.ok(logon.length >= 1);
        for (const e of logon) assert.ok(!e.raw && e.requestBody === undefined, `${e.method} ${e.url} keeps no body`);
        const texts = exchanges.flatMap((e) => [e.url, e.error ?? '', e.requestBody ?? '', e.raw?.body.toString('utf8') ?? '', JSON.stringify(e.raw?.headers ?? [])]);
        assertNoSecrets(texts, s.secrets(), [t.user]);
      });
      assert.ok(exchanges.some((e) => e.credentials && (e.method === 'DELETE' || /logout/.test(e.url))), 'the logoff is recorded');
    });
  });
}

describe('em: an action with a body (Clone)', () => {
  const t = () => targets()[0];
  const spec = (name: string) =>
    `<?xml version="1.0" encoding="utf-8"?>\n<JobCloneSpec xmlns="http://www.veeam.com/ent/v1.0"><BackupJobCloneInfo><JobName>${name}</JobName><FolderName>copy</FolderName><RepositoryUid>urn:veeam:Repository:1</RepositoryUid></BackupJobCloneInfo></JobCloneSpec>`;

  it('is sent with its body and content type, and refused by the server without one', async () => {
    await loggedOn(t(), async (s) => {
      const url = (await t().startUrl(s)).replace('action=start', 'action=clone');
      const result = await s.send({ method: 'POST', url, body: spec('Copy of SQL') });
      assert.equal(result.raw.status, 202);
      const sent = posts(t(), pathOf(url));
      assert.equal(sent.length, 1);
      assert.equal(sent[0].body, spec('Copy of SQL'));
      assert.equal(sent[0].headers['content-type'], 'application/xml');
      const refused = await apiFailure(s.send({ method: 'POST', url }));
      assert.equal(refused.kind, 'http');
      assert.ok(refused.raw && refused.raw.status === 400);
      assert.equal(posts(t(), pathOf(url)).length, 2);
    });
  });
});
