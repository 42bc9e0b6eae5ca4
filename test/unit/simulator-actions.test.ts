import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'undici';
import { startSimulators, Simulators } from '../simulator';

/* Actions on the three simulators over real HTTPS: each runs to its end (success or failure), can be canceled,
   and the request log shows exactly what was sent. */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const DURATION_MS = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const parse = (reply: Reply): Body => JSON.parse(reply.text) as Body;

describe('simulator actions', () => {
  let sims: Simulators;
  let agent: Agent;

  async function call(url: string, method = 'GET', headers: Record<string, string> = {}, body?: string): Promise<Reply> {
    const res = await request(url, { method: method as 'GET', headers, body, dispatcher: agent });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  /** Polls `read` until `done` holds (at most ~5 s). */
  async function until(read: () => Promise<Body>, done: (b: Body) => boolean): Promise<Body> {
    for (let i = 0; i < 100; i++) {
      const b = await read();
      if (done(b)) return b;
      await sleep(50);
    }
    assert.fail('did not end in time');
  }

  before(async () => {
    sims = await startSimulators({ emTaskDurationMs: DURATION_MS, vspcActionDurationMs: DURATION_MS, vbrActionDurationMs: DURATION_MS, vspcItems: 5, vbrItems: 5, jobs: 6 });
    agent = new Agent({ connect: { ca: sims.certificate.pem } });
  });

  after(async () => {
    await agent.close();
    await sims.close();
  });

  describe('EM: 202 Task, Running then Finished', () => {
    let token: string;
    const em = (path: string, method = 'GET', accept = 'application/json') =>
      call(`${sims.em.origin}/api/${path}`, method, { 'x-restsvcsessionid': token, accept });

    before(async () => {
      const { username, password } = sims.em.users.admin;
      const res = await call(`${sims.em.origin}/api/sessionMngr/?v=latest`, 'POST', { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` });
      assert.equal(res.status, 201, res.text);
      token = res.headers['x-restsvcsessionid'] as string;
    });

    async function firstJob(): Promise<{ id: string; name: string }> {
      const jobs = parse(await em('jobs?format=Entity'));
      const job = jobs.Jobs[0];
      return { id: job.UID.split(':').pop(), name: job.Name };
    }

    test('start: the task runs for the configured time and finishes with success; the job runs a new session', async () => {
      const job = await firstJob();
      const before = parse(await em(`jobs/${job.id}/backupSessions?format=Entity`)).BackupJobSessions.length;
      sims.em.clearRequests();
      const started = await em(`jobs/${job.id}?action=start`, 'POST');
      assert.equal(started.status, 202, started.text);
      const task = parse(started);
      assert.equal(task.State, 'Running');
      assert.equal(task.Operation, 'StartJob');
      assert.match(task.TaskId, /^task-\d+$/);
      assert.equal(started.headers.location, `${sims.em.url}tasks/${task.TaskId}`);
      const running = parse(await em(`jobs/${job.id}/backupSessions?format=Entity`)).BackupJobSessions;
      assert.equal(running.length, before + 1);
      assert.equal(running[0].State, 'Working');
      assert.equal(parse(await em(`tasks/${task.TaskId}`)).State, 'Running', 'still running before the time is up');
      const done = await until(async () => parse(await em(`tasks/${task.TaskId}`)), (t) => t.State === 'Finished');
      assert.equal(done.Result.Success, true);
      assert.match(done.Result.Message, /triggered to start/);
      const ended = parse(await em(`jobs/${job.id}/backupSessions?format=Entity`)).BackupJobSessions[0];
      assert.equal(ended.State, 'Stopped');
      assert.equal(ended.Result, 'Success');
      assert.ok(parse(await em('tasks')).Tasks.some((t: Body) => t.TaskId === task.TaskId));
      assert.deepEqual(sims.em.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`), [`POST /api/jobs/${job.id}?action=start`]);
    });

    test('action-fails: the task finishes with Success="false" and its message (XML); the session Failed', async () => {
      const job = await firstJob();
      sims.em.setFault({ kind: 'action-fails', path: `/api/jobs/${job.id}?action=retry`, times: 1, message: 'Simulated: repository offline.' });
      const started = await em(`jobs/${job.id}?action=retry`, 'POST', 'application/xml');
      assert.equal(started.status, 202, started.text);
      assert.match(started.text, /<State>Running<\/State>/);
      const id = /<TaskId>(task-\d+)<\/TaskId>/.exec(started.text)![1];
      for (let i = 0; i < 100; i++) {
        const t = await em(`tasks/${id}`, 'GET', 'application/xml');
        if (t.text.includes('<State>Finished</State>')) {
          assert.match(t.text, /<Result Success="false"><Message>Simulated: repository offline\.<\/Message><\/Result>/);
          break;
        }
        assert.ok(i < 99, 'finished in time');
        await sleep(50);
      }
      const session = parse(await em(`jobs/${job.id}/backupSessions?format=Entity`)).BackupJobSessions[0];
      assert.equal(session.Result, 'Failed');
      assert.equal(session.IsRetry, true);
    });

    test('DELETE of a running task cancels it: the task is gone and the job session stops', async () => {
      const job = await firstJob();
      const task = parse(await em(`jobs/${job.id}?action=start`, 'POST'));
      assert.equal((await em(`tasks/${task.TaskId}`, 'DELETE')).status, 204);
      assert.equal((await em(`tasks/${task.TaskId}`)).status, 404);
      const session = parse(await em(`jobs/${job.id}/backupSessions?format=Entity`)).BackupJobSessions[0];
      assert.equal(session.State, 'Stopped');
      assert.equal(session.Result, 'Warning');
    });
  });

  describe('VSPC: 202 with Location, async action to its end', () => {
    let token: string;
    const vspc = (path: string, method = 'GET', headers: Record<string, string> = {}) =>
      call(path.startsWith('/') ? sims.vspc.origin + path : `${sims.vspc.origin}/api/v3/${path}`, method, { authorization: `Bearer ${token}`, ...headers });

    before(async () => {
      const { username, password } = sims.vspc.users.admin;
      const res = await call(`${sims.vspc.origin}/api/v3/token`, 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ grant_type: 'password', username, password }).toString());
      token = parse(res).access_token;
    });

    const job = async (n: number) => parse(await vspc('infrastructure/backupServers/jobs?limit=10')).data[n];

    test('start: running, then succeed; the result is the job; the job ran', async () => {
      const j = await job(0);
      const started = await vspc(`infrastructure/backupServers/jobs/${j.instanceUid}/start`, 'POST');
      assert.equal(started.status, 202, started.text);
      const location = started.headers.location as string;
      assert.match(location, /^\/api\/v3\/asyncActions\/[0-9a-f-]{36}$/);
      const action = parse(await vspc(location)).data;
      assert.equal(action.status, 'running');
      assert.equal(action.actionName, 'StartBackupServerJob');
      assert.equal(parse(await vspc(`infrastructure/backupServers/jobs/${j.instanceUid}`)).data.status, 'Running');
      assert.equal((await vspc(`${location}/result`)).status, 400, 'no result while running');
      const done = await until(async () => parse(await vspc(location)).data, (a) => a.status !== 'running');
      assert.equal(done.status, 'succeed');
      const result = parse(await vspc(`${location}/result`));
      assert.equal(result.data.instanceUid, j.instanceUid);
      assert.equal(result.data.status, 'Success');
      assert.ok(parse(await vspc('asyncActions')).data.some((a: Body) => a.id === action.id));
    });

    test('action-fails: the action ends failed, the result carries the error, the job Failed', async () => {
      const j = await job(1);
      sims.vspc.setFault({ kind: 'action-fails', times: 1 });
      const started = await vspc(`infrastructure/backupServers/jobs/${j.instanceUid}/start`, 'POST');
      assert.equal(started.status, 202);
      const location = started.headers.location as string;
      const done = await until(async () => parse(await vspc(location)).data, (a) => a.status !== 'running');
      assert.equal(done.status, 'failed');
      const result = parse(await vspc(`${location}/result`));
      assert.equal(result.data, null);
      assert.match(result.errors[0].message, /simulated/);
      assert.equal(parse(await vspc(`infrastructure/backupServers/jobs/${j.instanceUid}`)).data.status, 'Failed');
    });

    test('DELETE cancels a running action; an ended one cannot be canceled', async () => {
      const j = await job(2);
      const location = (await vspc(`infrastructure/backupServers/jobs/${j.instanceUid}/start`, 'POST')).headers.location as string;
      const canceled = await vspc(location, 'DELETE');
      assert.equal(canceled.status, 200, canceled.text);
      assert.equal(parse(await vspc(location)).data.status, 'canceled');
      assert.equal((await vspc(location, 'DELETE')).status, 400);
      assert.equal(parse(await vspc(`${location}/result`)).data, null);
      assert.equal((await vspc('asyncActions/00000000-0000-4000-8000-000000000000')).status, 404);
    });

    test('x-request-id: the same id twice runs once, the second answers as the first; the id names the action', async () => {
      const j = await job(3);
      const id = randomUUID();
      sims.vspc.clearRequests();
      const first = await vspc(`infrastructure/backupServers/jobs/${j.instanceUid}/start`, 'POST', { 'x-request-id': id });
      const second = await vspc(`infrastructure/backupServers/jobs/${j.instanceUid}/start`, 'POST', { 'x-request-id': id });
      assert.equal(first.status, 202);
      assert.equal(first.headers.location, `/api/v3/asyncActions/${id}`);
      assert.equal(second.status, 202);
      assert.equal(second.headers.location, first.headers.location);
      assert.equal(second.text, first.text);
      const mine = parse(await vspc('asyncActions')).data.filter((a: Body) => a.id === id);
      assert.equal(mine.length, 1, 'one action for the id');
      const posts = sims.vspc.requests.filter((r) => r.method === 'POST');
      assert.equal(posts.length, 2, 'both requests reached the server');
      assert.ok(posts.every((r) => r.headers['x-request-id'] === id));
      assert.equal((await vspc(`infrastructure/backupServers/jobs/${j.instanceUid}/start`, 'POST', { 'x-request-id': 'not-a-uid' })).status, 400);
    });

    test('a read-only user cannot start anything', async () => {
      const { username, password } = sims.vspc.users.readOnly;
      const ro = parse(await call(`${sims.vspc.origin}/api/v3/token`, 'POST', { 'content-type': 'application/x-www-form-urlencoded' }, new URLSearchParams({ grant_type: 'password', username, password }).toString())).access_token;
      const j = await job(4);
      assert.equal((await call(`${sims.vspc.url}infrastructure/backupServers/jobs/${j.instanceUid}/start`, 'POST', { authorization: `Bearer ${ro}` })).status, 403);
    });
  });

  describe('VBR: job sessions that progress and end', () => {
    let token: string;
    const vbr = (path: string, method = 'GET') =>
      call(`${sims.vbr.origin}/api/v1/${path}`, method, { authorization: `Bearer ${token}`, 'x-api-version': '1.3-rev1' });

    before(async () => {
      const { username, password } = sims.vbr.users.admin;
      const res = await call(`${sims.vbr.origin}/api/oauth2/token`, 'POST', { 'content-type': 'application/x-www-form-urlencoded', 'x-api-version': '1.3-rev1' }, new URLSearchParams({ grant_type: 'password', username, password }).toString());
      token = parse(res).access_token;
    });

    const jobState = async (id: string) => parse(await vbr('jobs/states')).data.find((s: Body) => s.id === id);

    test('start: Working with progressPercent, then Stopped/Success; the job state follows', async () => {
      const job = parse(await vbr('jobs')).data[0];
      sims.vbr.clearRequests();
      const started = await vbr(`jobs/${job.id}/start`, 'POST');
      assert.equal(started.status, 201, started.text);
      const session = parse(started);
      assert.equal(session.state, 'Working');
      assert.equal((await jobState(job.id)).status, 'Running');
      await sleep(DURATION_MS / 2);
      const mid = parse(await vbr(`sessions/${session.id}`));
      assert.ok(mid.progressPercent > 0 && mid.progressPercent < 100, String(mid.progressPercent));
      const done = await until(async () => parse(await vbr(`sessions/${session.id}`)), (s) => s.state === 'Stopped');
      assert.equal(done.result.result, 'Success');
      assert.equal(done.progressPercent, 100);
      const state = await jobState(job.id);
      assert.equal(state.lastResult, 'Success');
      assert.equal(state.sessionId, session.id);
      assert.deepEqual(sims.vbr.requests.filter((r) => r.method === 'POST').map((r) => r.path), [`/api/v1/jobs/${job.id}/start`]);
    });

    test('action-fails on retry: the session ends Failed with the message; the job lastResult Failed', async () => {
      const job = parse(await vbr('jobs')).data[1];
      sims.vbr.setFault({ kind: 'action-fails', path: `/api/v1/jobs/${job.id}/retry`, times: 1 });
      const session = parse(await vbr(`jobs/${job.id}/retry`, 'POST'));
      const done = await until(async () => parse(await vbr(`sessions/${session.id}`)), (s) => s.state === 'Stopped');
      assert.equal(done.result.result, 'Failed');
      assert.match(done.result.message, /simulated/);
      assert.equal((await jobState(job.id)).lastResult, 'Failed');
    });

    test('POST sessions/{id}/stop stops a running session; it keeps its progress and is canceled', async () => {
      const job = parse(await vbr('jobs')).data[2];
      const session = parse(await vbr(`jobs/${job.id}/start`, 'POST'));
      assert.equal((await vbr(`sessions/${session.id}/stop`, 'POST')).status, 200);
      const stopped = parse(await vbr(`sessions/${session.id}`));
      assert.equal(stopped.state, 'Stopped');
      assert.equal(stopped.result.isCanceled, true);
      assert.ok(stopped.progressPercent < 100);
      assert.notEqual((await jobState(job.id)).status, 'Running');
      await sleep(DURATION_MS + 50);
      assert.equal(parse(await vbr(`sessions/${session.id}`)).result.isCanceled, true, 'stays canceled');
    });

    test('jobs/{id}/stop stops the running session; stopping an idle job is a 400', async () => {
      const job = parse(await vbr('jobs')).data[3];
      const session = parse(await vbr(`jobs/${job.id}/start`, 'POST'));
      const stopped = await vbr(`jobs/${job.id}/stop`, 'POST');
      assert.equal(stopped.status, 201);
      assert.equal(parse(stopped).id, session.id);
      assert.equal(parse(stopped).state, 'Stopped');
      assert.equal((await vbr(`jobs/${job.id}/stop`, 'POST')).status, 400);
    });
  });

  test('the request log keeps the bodies of POSTs (bounded) and none for GETs', async () => {
    sims.vbr.clearRequests();
    const form = new URLSearchParams({ grant_type: 'password', username: 'vbradmin', password: 'x' }).toString();
    await call(`${sims.vbr.origin}/api/oauth2/token`, 'POST', { 'content-type': 'application/x-www-form-urlencoded', 'x-api-version': '1.3-rev1' }, form);
    await call(`${sims.vbr.origin}/api/v1/serverTime`, 'GET', { 'x-api-version': '1.3-rev1' });
    await call(`${sims.vbr.origin}/api/v1/nothing`, 'POST', { 'x-api-version': '1.3-rev1' }, 'x'.repeat(70 * 1024));
    const [post, get, big] = sims.vbr.requests;
    assert.equal(post.body, form);
    assert.equal(get.body, undefined);
    assert.equal(big.body!.length, 64 * 1024);
    assert.equal(big.bodyTruncated, true);
  });
});
