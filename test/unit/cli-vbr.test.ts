import { strict as assert } from 'node:assert';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { waitFor } from './wait-for';
import { startSimulators, type RequestRecord, type Simulators, type VbrIssuedToken, type VbrSimulator } from '../simulator';

/** The built command line (dist/cli.js, made by `npm run build`) against the Backup & Replication simulator, as a process. */
const CLI = resolve(__dirname, '../../../dist/cli.js');
/** 300 jobs: with the server's default page of 200, the job list is two pages. */
const JOBS = 300;
let sims: Simulators;
/** A 12.3 server: it accepts 1.0-rev1 … 1.2-rev1 only. */
let sims12: Simulators;
/** A server on Backup & Replication's own port, when this machine has it free (else undefined). */
let sims9419: Simulators | undefined;
let caFile: string;
let ca12: string;
let ca9419: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** What the server received during the run (runs are one at a time). */
  requests: RequestRecord[];
  /** The access and refresh tokens the server issued during the run, as they are after it. */
  issued: VbrIssuedToken[];
}

async function cli(args: string[], options: { server?: VbrSimulator; env?: Record<string, string | undefined> } = {}): Promise<Run> {
  const server = options.server ?? sims.vbr;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, VEEAM_USERNAME: server.users.admin.username, VEEAM_PASSWORD: server.users.admin.password, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const from = server.requests.length;
  const before = new Set(server.issuedTokens().map((t) => t.token));
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
  return { code, stdout, stderr, requests: server.requests.slice(from), issued: server.issuedTokens().filter((t) => !before.has(t.token)) };
}

/** Every token issued to the run was ended by its logout, and nothing printed holds a token or the password. */
function loggedOffAndQuiet(run: Run, password = sims.vbr.users.admin.password): void {
  assert.ok(run.issued.length > 0, 'the run logged on');
  for (const t of run.issued) assert.equal(t.active, false, `the ${t.kind} token still works (${t.ended ?? 'active'})`);
  assert.ok(run.issued.filter((t) => t.kind === 'access').every((t) => t.ended === 'logout'), 'every access token ended by a logout');
  assert.ok(run.requests.some((r) => r.method === 'POST' && r.path === '/api/oauth2/logout'), 'POST /api/oauth2/logout');
  noSecrets(run, password);
}

function noSecrets(run: Run, password = sims.vbr.users.admin.password): void {
  const secrets = [password, encodeURIComponent(password), Buffer.from(password).toString('base64'), ...run.issued.map((t) => t.token)];
  for (const text of [run.stdout, run.stderr]) for (const secret of secrets) assert.ok(!text.includes(secret), 'no token or password in the output');
}

const lines = (text: string) => text.split('\n').filter(Boolean);
const revisionsSent = (run: Run) => new Set(run.requests.filter((r) => r.path.startsWith('/api/')).map((r) => r.headers['x-api-version']));

before(async () => {
  sims = await startSimulators({ vbrItems: JOBS });
  sims12 = await startSimulators({ vbrRevisions: 'vbr12.3', vbrItems: 5 });
  for (const host of ['127.0.0.1', '::1']) {
    try {
      sims9419 = await startSimulators({ host, vbrPort: 9419, vbrItems: 5 });
      break;
    } catch {
      // Taken (another server on this machine): the port rule is then checked without a server on it.
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'veeam-cli-vbr-'));
  // Each set of simulators has a certificate of its own.
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, sims.certificate.pem);
  ca12 = join(dir, 'ca12.pem');
  writeFileSync(ca12, sims12.certificate.pem);
  ca9419 = join(dir, 'ca9419.pem');
  if (sims9419) writeFileSync(ca9419, sims9419.certificate.pem);
});
after(() => Promise.all([sims.close(), sims12.close(), sims9419?.close()]));
beforeEach(() => {
  sims.vbr.clearFaults();
  sims.vbr.clearRequests();
});

describe('veeam-api get with Backup & Replication URLs', () => {
  it('prints a collection as received, infers the kind from /api/v1, sends the newest revision, and logs off', async () => {
    const run = await cli(['get', `${sims.vbr.origin}/api/v1/jobs?limit=3`, '--ca', caFile]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const body = JSON.parse(run.stdout);
    assert.equal(body.data.length, 3);
    assert.equal(body.pagination.total, JOBS);
    assert.equal(run.requests[0].method, 'POST');
    assert.equal(run.requests[0].path, '/api/oauth2/token', 'an OAuth2 logon: the kind is vbr');
    assert.deepEqual([...revisionsSent(run)], ['1.3-rev1'], 'x-api-version on every request');
    assert.ok(run.requests.filter((r) => r.method === 'POST').every((r) => r.path.startsWith('/api/oauth2/')), 'no POST but the logon and the logout');
    loggedOffAndQuiet(run);
  });

  it('prints an item', async () => {
    const list = await cli(['get', `${sims.vbr.origin}/api/v1/jobs?limit=1`, '--ca', caFile]);
    const job = JSON.parse(list.stdout).data[0];
    const run = await cli(['get', `${sims.vbr.origin}/api/v1/jobs/${job.id}`, '--ca', caFile]);
    assert.equal(run.code, 0, run.stderr);
    const item = JSON.parse(run.stdout);
    assert.equal(item.id, job.id);
    assert.equal(item.name, job.name);
    loggedOffAndQuiet(run);
  });

  it('--api-version 1.2-rev1 is sent as x-api-version on every request', async () => {
    const run = await cli(['get', `${sims.vbr.origin}/api/v1/serverInfo`, '--ca', caFile, '--api-version', '1.2-rev1']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '', 'no fallback: the server has 1.2-rev1');
    assert.deepEqual([...revisionsSent(run)], ['1.2-rev1']);
    assert.ok(run.requests.some((r) => r.path === '/api/oauth2/token' && r.headers['x-api-version'] === '1.2-rev1'), 'the logon too');
    loggedOffAndQuiet(run);
  });

  it('--api-version is checked: a revision as 1.3-rev1, for vbr only (exit 2, nothing sent)', async () => {
    const url = `${sims.vbr.origin}/api/v1/jobs`;
    for (const args of [
      ['get', url, '--api-version', '1.2'],
      ['get', url, '--api-version', 'v1.2-rev1'],
      ['get', url, '--api-version', '1.2-rev1; x'],
      ['get', url, '--api-version', ''],
      ['get', url, '--kind', 'em', '--api-version', '1.2-rev1'],
      ['get', `${sims.em.origin}/api/jobs`, '--api-version', '1.2-rev1'],
      ['get', `${sims.vspc.origin}/api/v3/about`, '--api-version', '1.2-rev1'],
      ['get', url, '--kind', 'vbr13'],
    ]) {
      const run = await cli([...args, '--ca', caFile]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(lines(run.stderr)[0], /^veeam-api: --(api-version|kind) /);
      assert.equal(run.requests.length, 0);
    }
    const other = await cli(['get', `${sims.em.origin}/api/jobs`, '--api-version', '1.2-rev1', '--ca', caFile]);
    assert.match(other.stderr, /--api-version is for Backup & Replication \(vbr\) only; this run is em/);
  });

  it('infers vbr from port 9419 (a path outside /api/v1)', async (t) => {
    // Without a server: the revision is accepted, so the run is vbr (a refused connection, not a usage error).
    const free = await cli(['get', 'https://localhost:9419/swagger/ui/index.html', '--api-version', '1.3-rev1', '--timeout', '2', '--ca', caFile]);
    assert.notEqual(free.code, 2, free.stderr);
    if (!sims9419) return t.skip('port 9419 is taken on this machine');
    const server = sims9419.vbr;
    const run = await cli(['get', `${server.origin}/swagger/1.3-rev1/swagger.json`, '--ca', ca9419], { server });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).openapi, '3.0.1');
    assert.equal(run.requests[0].path, '/api/oauth2/token', 'an OAuth2 logon: the kind is vbr');
    loggedOffAndQuiet(run, server.users.admin.password);
  });

  it('keeps the port written in the URL: https://HOST/ and https://HOST:443/ never reach 9419', async (t) => {
    if (!sims9419) return t.skip('port 9419 is taken on this machine');
    const server = sims9419.vbr;
    const host = new URL(server.origin).host.replace(/:9419$/, '');
    const opened = server.connectionsOpened();
    for (const url of [`https://${host}/api/v1/jobs`, `https://${host}:443/api/v1/jobs`]) {
      const run = await cli(['get', url, '--ca', ca9419, '--timeout', '3'], { server });
      assert.equal(run.code, 5, `${url}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /:9419/);
    }
    assert.equal(server.connectionsOpened(), opened, 'the password went to port 9419');
  });

  it('a revision the server does not have falls back to the newest it supports, and says so on stderr', async () => {
    const server = sims12.vbr;
    const unknown = await cli(['get', `${server.origin}/api/v1/serverInfo`, '--ca', ca12, '--api-version', '9.9-rev9'], { server });
    assert.equal(unknown.code, 0, unknown.stderr);
    assert.ok(JSON.parse(unknown.stdout).name, 'the body');
    assert.deepEqual(lines(unknown.stderr), [`veeam-api: ${server.origin} does not accept API revision 9.9-rev9; using 1.2-rev1, the newest revision it supports that this command knows.`]);
    assert.equal(unknown.requests[0].headers['x-api-version'], '9.9-rev9');
    assert.equal(unknown.requests.at(-1)?.headers['x-api-version'], '1.2-rev1');
    loggedOffAndQuiet(unknown, server.users.admin.password);
    // The default, 13's newest, against 12.3.
    const newest = await cli(['get', `${server.origin}/api/v1/serverInfo`, '--ca', ca12], { server });
    assert.equal(newest.code, 0, newest.stderr);
    assert.match(newest.stderr, /does not accept API revision 1\.3-rev1; using 1\.2-rev1/);
    loggedOffAndQuiet(newest, server.users.admin.password);
  });
});

describe('veeam-api get with Backup & Replication: failures still log off', () => {
  it('404 (exit 6)', async () => {
    const run = await cli(['get', `${sims.vbr.origin}/api/v1/jobs/00000000-0000-0000-0000-000000000000`, '--ca', caFile]);
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /404/);
    assert.equal(lines(run.stderr).length, 1, run.stderr);
    loggedOffAndQuiet(run);
  });

  it('500 with the server\u2019s Error body (exit 6): its message is shown', async () => {
    sims.vbr.setFault({ kind: 'status', status: 500, path: '/api/v1/jobs' });
    const run = await cli(['get', `${sims.vbr.origin}/api/v1/jobs`, '--ca', caFile]);
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /500/);
    assert.match(run.stderr, /An unexpected error occurred on the backup server/);
    loggedOffAndQuiet(run);
  });

  it('a wrong password (exit 3): no token issued, the password not printed', async () => {
    const run = await cli(['get', `${sims.vbr.origin}/api/v1/jobs`, '--ca', caFile], { env: { VEEAM_PASSWORD: 'Wr0ng-Vbr-Secret' } });
    assert.equal(run.code, 3, run.stderr);
    assert.equal(lines(run.stderr).length, 1, run.stderr);
    assert.match(run.stderr, /refused the logon of vbradmin/);
    assert.equal(run.issued.length, 0);
    noSecrets(run, 'Wr0ng-Vbr-Secret');
  });

  it('a server that repeats the token and the password in its error: both redacted (exit 6)', async () => {
    sims.vbr.setFault({ kind: 'echo', path: '/api/v1/jobs' });
    const run = await cli(['get', `${sims.vbr.origin}/api/v1/jobs`, '--ca', caFile]);
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /<redacted>/);
    loggedOffAndQuiet(run);
  });

  it('Ctrl+C while the server does not answer: ends, and still logs off', async () => {
    sims.vbr.setFault({ kind: 'hang', path: '/api/v1/jobs' });
    const server = sims.vbr;
    const before = new Set(server.issuedTokens().map((t) => t.token));
    const env = { PATH: process.env.PATH, VEEAM_USERNAME: server.users.admin.username, VEEAM_PASSWORD: server.users.admin.password };
    const child = spawn(process.execPath, [CLI, 'get', `${server.origin}/api/v1/jobs`, '--ca', caFile], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await waitFor(() => server.requests.some((r) => r.path === '/api/v1/jobs'), 'the GET reached the server', 20_000);
    child.kill('SIGINT');
    assert.equal(await exited, 5, 'cancelled');
    const issued = server.issuedTokens().filter((t) => !before.has(t.token));
    assert.ok(issued.length > 0);
    for (const t of issued) assert.equal(t.active, false, `the ${t.kind} token still works`);
  });

  it('a refused logon form is echoed in a 400: the password does not reach the output', async () => {
    sims.vbr.setFault({ kind: 'echo', status: 400, path: '/api/oauth2/token', times: 1 });
    const run = await cli(['get', `${sims.vbr.origin}/api/v1/jobs`, '--ca', caFile]);
    assert.notEqual(run.code, 0);
    noSecrets(run);
    for (const t of run.issued) assert.equal(t.active, false);
  });
});

describe('veeam-api walk with Backup & Replication URLs', () => {
  it('reads every page of a collection (skip/limit) and every item, then logs off', async () => {
    const run = await cli(['walk', `${sims.vbr.origin}/api/v1/jobs`, '--ca', caFile, '--depth', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const urls = lines(run.stdout);
    assert.equal(new Set(urls).size, urls.length, 'no URL twice');
    const pages = urls.filter((u) => new URL(u).pathname === '/api/v1/jobs');
    const items = urls.filter((u) => /^\/api\/v1\/jobs\/[^/]+$/.test(new URL(u).pathname));
    assert.deepEqual(pages, [`${sims.vbr.origin}/api/v1/jobs`, `${sims.vbr.origin}/api/v1/jobs?skip=200&limit=200`], '300 jobs, 200 a page: two pages');
    assert.equal(items.length, JOBS, 'every job');
    assert.equal(urls.length, pages.length + items.length);
    const gets = run.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/jobs'));
    assert.equal(gets.length, urls.length, 'each printed URL fetched once');
    assert.ok(run.requests.filter((r) => r.method === 'POST').every((r) => r.path.startsWith('/api/oauth2/')), 'no action was sent');
    loggedOffAndQuiet(run);
  });

  it('a smaller page: every page through skip, sub-collections of each item', async () => {
    const run = await cli(['walk', `${sims.vbr.origin}/api/v1/sessions?limit=100`, '--ca', caFile, '--depth', '2']);
    assert.equal(run.code, 0, run.stderr);
    const urls = lines(run.stdout);
    const total = JSON.parse((await cli(['get', `${sims.vbr.origin}/api/v1/sessions?limit=1`, '--ca', caFile])).stdout).pagination.total as number;
    const pages = urls.filter((u) => new URL(u).pathname === '/api/v1/sessions');
    const items = urls.filter((u) => /^\/api\/v1\/sessions\/[^/]+$/.test(new URL(u).pathname));
    const taskLists = urls.filter((u) => /^\/api\/v1\/sessions\/[^/]+\/taskSessions$/.test(new URL(u).pathname));
    assert.equal(pages.length, Math.ceil(total / 100), 'every page');
    assert.equal(items.length, total, 'every session');
    assert.equal(taskLists.length, total, 'each session\u2019s task sessions');
    loggedOffAndQuiet(run);
  });

  it('a failure on the way: counted, exit 6, and the walk still logs off', async () => {
    sims.vbr.setFault({ kind: 'status', status: 500, path: '/api/v1/jobs/', times: 2 });
    const run = await cli(['walk', `${sims.vbr.origin}/api/v1/jobs`, '--ca', caFile, '--depth', '1']);
    assert.equal(run.code, 6, run.stderr);
    const errors = lines(run.stderr);
    assert.equal(errors.length, 3, run.stderr);
    assert.equal(errors[2], `veeam-api: 2 of ${lines(run.stdout).length + 2} requests failed.`);
    loggedOffAndQuiet(run);
  });
});
