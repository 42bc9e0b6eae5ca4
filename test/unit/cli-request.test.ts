import { strict as assert } from 'node:assert';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { waitFor } from './wait-for';
import { startSimulators, type Credentials, type RequestRecord, type Simulators } from '../simulator';

/**
 * `veeam-api request` (dist/cli.js, made by `npm run build`, run as a process) against the three simulators: one
 * request sent once, the task, async action or session it started followed to its end, and every new exit path.
 */
const CLI = resolve(__dirname, '../../../dist/cli.js');
/** How long an action runs on the simulators most tests use: long enough for a reading while it runs. */
const ACTION_MS = 1500;
const FAILURE = 'Simulated: the repository is offline.';

type Kind = 'em' | 'vspc' | 'vbr';
const KINDS: Kind[] = ['em', 'vspc', 'vbr'];

let sims: Simulators;
/** Actions that run two minutes: for --wait-timeout and Ctrl+C. */
let slow: Simulators;
let dir: string;
let caFile: string;
let slowCa: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** What the server received during the run (runs are one at a time). */
  requests: RequestRecord[];
}

/** The server of a kind in a set of simulators, its administrator, and what a run of it must leave behind. */
function server(kind: Kind, set = sims) {
  return set[kind];
}

function admin(kind: Kind, set = sims): Credentials {
  return set[kind].users.admin;
}

/** Every secret a server issued (EM session ids, VSPC and VBR access and refresh tokens), and whether it still works. */
function issued(kind: Kind, set = sims): Array<{ token: string; active: boolean; kind?: string }> {
  if (kind === 'em') return set.em.issuedSessions().map((s) => ({ token: s.token, active: s.live }));
  return (kind === 'vspc' ? set.vspc : set.vbr).issuedTokens();
}

/** Requests that log on or off: everything else a run sends is what the test is about. */
const CREDENTIAL_PATH = /^\/api\/(sessionMngr\/|logonSessions\/|v3\/token$|v3\/users\/[^/]+\/tokens|oauth2\/)/;
const actions = (run: Run) => run.requests.filter((r) => r.method !== 'GET' && !CREDENTIAL_PATH.test(r.path.split('?')[0]));

/**
 * One run of the command line. `keptTokens`: the account's session cannot be ended by its logoff (a VSPC Read-only
 * User may not read its identities, so the client revokes nothing and leaves the token to expire: vspc-session.test.ts).
 */
async function cli(kind: Kind, args: string[], options: { set?: Simulators; user?: Credentials; input?: string; keptTokens?: boolean } = {}): Promise<Run> {
  const set = options.set ?? sims;
  const target = server(kind, set);
  const user = options.user ?? admin(kind, set);
  const env = { PATH: process.env.PATH ?? '', VEEAM_USERNAME: user.username, VEEAM_PASSWORD: user.password };
  const from = target.requests.length;
  const before = new Set(issued(kind, set).map((t) => t.token));
  const ca = set === slow ? slowCa : caFile;
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    const child = execFile(process.execPath, [CLI, ...args, '--ca', ca], { env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end(options.input ?? '');
  });
  const run = { code, stdout, stderr, requests: target.requests.slice(from) };
  // Every run: logged off, and nothing printed holds the password or a token the server issued to it.
  const mine = issued(kind, set).filter((t) => !before.has(t.token));
  const secrets = [user.password, encodeURIComponent(user.password), Buffer.from(user.password).toString('base64'), ...mine.map((t) => t.token)];
  for (const text of [stdout, stderr]) for (const secret of secrets) assert.ok(!text.includes(secret), `a secret in the output of ${args.join(' ')}`);
  if (code !== 2 && !options.keptTokens) {
    assert.ok(mine.length > 0, 'the run logged on');
    for (const t of mine.filter((t) => t.kind !== 'refresh' || kind === 'vbr')) assert.equal(t.active, false, `${kind}: a token of the run still works after it`);
  }
  return run;
}

const lines = (text: string) => text.split('\n').filter(Boolean);

/** Jobs to act on, a different one for each test (a job that runs may refuse another start). */
const jobs: Record<Kind, string[]> = { em: [], vspc: [], vbr: [] };
const slowJobs: Record<Kind, string[]> = { em: [], vspc: [], vbr: [] };

async function jobIds(kind: Kind, set: Simulators): Promise<string[]> {
  const s = server(kind, set);
  const url = kind === 'em' ? `${s.url}jobs?format=Entity` : kind === 'vspc' ? `${s.url}infrastructure/backupServers/jobs?limit=40` : `${s.origin}/api/v1/jobs?limit=40`;
  const run = await cli(kind, ['get', url, '--accept', 'json'], { set });
  assert.equal(run.code, 0, run.stderr);
  const body = JSON.parse(run.stdout);
  if (kind === 'em') return (body.Jobs as Array<{ UID: string }>).map((j) => j.UID.split(':').pop()!);
  return (body.data as Array<{ instanceUid?: string; id?: string }>).map((j) => (kind === 'vspc' ? j.instanceUid! : j.id!));
}

/** The URL that starts a job (EM's action link, VSPC's and VBR's start operation). */
function startUrl(kind: Kind, id: string, set = sims): string {
  const s = server(kind, set);
  if (kind === 'em') return `${s.url}jobs/${id}?action=start`;
  if (kind === 'vspc') return `${s.url}infrastructure/backupServers/jobs/${id}/start`;
  return `${s.origin}/api/v1/jobs/${id}/start`;
}

const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

/** The one request a run sent besides its logon and logoff: a POST of exactly `url`. */
function sentOnce(run: Run, url: string): RequestRecord {
  assert.deepEqual(
    actions(run).map((r) => `${r.method} ${r.path}`),
    [`POST ${pathOf(url)}`],
    'exactly one request besides the logon and logoff',
  );
  return actions(run)[0];
}

before(async () => {
  sims = await startSimulators({ emTaskDurationMs: ACTION_MS, vspcActionDurationMs: ACTION_MS, vbrActionDurationMs: ACTION_MS, jobs: 12, vspcItems: 5, vbrItems: 30 });
  slow = await startSimulators({ emTaskDurationMs: 120_000, vspcActionDurationMs: 120_000, vbrActionDurationMs: 120_000, jobs: 6, vspcItems: 2, vbrItems: 6 });
  dir = mkdtempSync(join(tmpdir(), 'veeam-cli-request-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, sims.certificate.pem);
  slowCa = join(dir, 'slow-ca.pem');
  writeFileSync(slowCa, slow.certificate.pem);
  for (const kind of KINDS) {
    jobs[kind] = await jobIds(kind, sims);
    slowJobs[kind] = await jobIds(kind, slow);
  }
});
after(() => Promise.all([sims?.close(), slow?.close()]));
beforeEach(() => {
  for (const kind of KINDS) {
    sims[kind].clearFaults();
    slow[kind].clearFaults();
  }
});

const nextJob = (kind: Kind) => {
  const id = jobs[kind].shift();
  assert.ok(id, `${kind}: enough jobs`);
  return id;
};

/** What the final (or first) document says, per kind. */
const FIRST_ANSWER: Record<Kind, (stdout: string) => void> = {
  em: (out) => {
    assert.match(out, /<Task\b/);
    assert.match(out, /<Operation>StartJob<\/Operation>/);
    assert.match(out, /<State>Running<\/State>/);
  },
  vspc: (out) => assert.equal(JSON.parse(out).data.status, 'running'),
  vbr: (out) => assert.equal(JSON.parse(out).state, 'Working'),
};

for (const kind of KINDS) {
  describe(`veeam-api request: ${kind}`, () => {
    it('POST of a job\u2019s start: sent once, its answer printed, nothing on stderr', async () => {
      const url = startUrl(kind, nextJob(kind));
      const run = await cli(kind, ['request', 'POST', url]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stderr, '');
      FIRST_ANSWER[kind](run.stdout);
      const post = sentOnce(run, url);
      if (kind === 'vspc') assert.match(post.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/i, 'VSPC: an x-request-id');
      assert.ok(!run.requests.some((r) => r.method === 'GET' && /\/(tasks|asyncActions|sessions)\//.test(r.path)), 'nothing followed without --wait');
    });

    it('--wait to success: a line per change on stderr, the final document on stdout, exit 0', async () => {
      const id = nextJob(kind);
      const url = startUrl(kind, id);
      const run = await cli(kind, ['request', 'POST', url, '--wait']);
      assert.equal(run.code, 0, run.stderr);
      sentOnce(run, url);
      const progress = lines(run.stderr);
      assert.ok(progress.length >= 2, `a line while it runs and one at its end: ${run.stderr}`);
      assert.match(progress[0], /: running\b/);
      assert.match(progress.at(-1)!, /: succeeded\b/);
      assert.equal(new Set(progress).size, progress.length, 'no line twice');
      if (kind === 'em') {
        assert.match(run.stdout, /<State>Finished<\/State>/);
        assert.match(run.stdout, /<Result Success="true">/);
      } else if (kind === 'vspc') {
        assert.equal(JSON.parse(run.stdout).data.instanceUid, id, 'the async action\u2019s result: the job');
      } else {
        const session = JSON.parse(run.stdout);
        assert.equal(session.state, 'Stopped');
        assert.equal(session.result.result, 'Success');
      }
      const polled = run.requests.filter((r) => r.method === 'GET' && /\/(tasks|asyncActions|sessions)\//.test(r.path));
      assert.ok(polled.length >= 2, 'the work was read until it ended');
    });

    it('--wait to failure (action-fails): exit 8, the server\u2019s message on stderr', async () => {
      const url = startUrl(kind, nextJob(kind));
      // On the action's path: the logon is a POST too.
      server(kind).setFault({ kind: 'action-fails', path: pathOf(url), times: 1, message: FAILURE } as never);
      const run = await cli(kind, ['request', 'POST', url, '--wait']);
      assert.equal(run.code, 8, run.stderr);
      sentOnce(run, url);
      const last = lines(run.stderr).at(-1)!;
      assert.match(last, /: failed\b/);
      assert.ok(last.includes(FAILURE), last);
      if (kind === 'em') assert.match(run.stdout, /<Result Success="false">/);
      else if (kind === 'vspc') assert.ok(JSON.parse(run.stdout).errors.length > 0, 'the result\u2019s errors');
      else assert.equal(JSON.parse(run.stdout).result.result, 'Failed');
    });

    it('--wait-timeout on a long action: stops waiting (exit 5), says it goes on, cancels nothing, logs off', async () => {
      const id = slowJobs[kind].shift()!;
      const url = startUrl(kind, id, slow);
      const started = Date.now();
      const run = await cli(kind, ['request', 'POST', url, '--wait', '--wait-timeout', '1'], { set: slow });
      assert.equal(run.code, 5, run.stderr);
      assert.ok(Date.now() - started < 30_000);
      assert.match(lines(run.stderr).at(-1)!, /^veeam-api: stopped waiting after 1 s \(--wait-timeout\); .* goes on on the server \(it was not canceled\)/);
      assert.equal(run.stdout, '', 'no final document');
      sentOnce(run, url);
    });

    it('Ctrl+C while waiting: stops waiting (exit 130), the work goes on, cancels nothing, logs off', async () => {
      const target = slow[kind];
      const url = startUrl(kind, slowJobs[kind].shift()!, slow);
      const user = admin(kind, slow);
      const before = new Set(issued(kind, slow).map((t) => t.token));
      const from = target.requests.length;
      const env = { PATH: process.env.PATH ?? '', VEEAM_USERNAME: user.username, VEEAM_PASSWORD: user.password };
      const child = spawn(process.execPath, [CLI, 'request', 'POST', url, '--wait', '--ca', slowCa], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
      await waitFor(() => /: running\b/.test(stderr), 'a progress line', 30_000);
      child.kill('SIGINT');
      assert.equal(await exited, 130, stderr);
      assert.match(lines(stderr).at(-1)!, /^veeam-api: stopped waiting; .* goes on on the server \(it was not canceled\)/);
      assert.equal(stdout, '');
      sentOnce({ code: 130, stdout, stderr, requests: target.requests.slice(from) }, url);
      for (const t of issued(kind, slow).filter((t) => !before.has(t.token) && (t.kind !== 'refresh' || kind === 'vbr'))) assert.equal(t.active, false, 'logged off');
    });
  });
}

describe('veeam-api request: bodies (EM Clone)', () => {
  const spec = (name: string) =>
    `<?xml version="1.0" encoding="utf-8"?>\n<JobCloneSpec xmlns="http://www.veeam.com/ent/v1.0"><BackupJobCloneInfo><JobName>${name}</JobName><FolderName>copy</FolderName><RepositoryUid>urn:veeam:Repository:1</RepositoryUid></BackupJobCloneInfo></JobCloneSpec>\n`;

  it('--data FILE: the file is the POST\u2019s body, sent as application/xml', async () => {
    const file = join(dir, 'clone.xml');
    const body = spec('Clone \u00e9t\u00e9 & <1>'.replace('&', '&amp;').replace('<1>', '&lt;1&gt;'));
    writeFileSync(file, body);
    const url = `${sims.em.url}jobs/${nextJob('em')}?action=clone`;
    const run = await cli('em', ['request', 'POST', url, '--data', file]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /<Operation>CloneJob<\/Operation>/);
    const post = sentOnce(run, url);
    assert.equal(post.body, body);
    assert.match(post.headers['content-type'] ?? '', /^application\/xml\b/);
  });

  it('--data - reads stdin; JSON with --accept json; --content-type overrides', async () => {
    const body = JSON.stringify({ BackupJobCloneInfo: { JobName: 'From stdin', FolderName: 'copy', RepositoryUid: 'urn:veeam:Repository:1' } });
    const url = `${sims.em.url}jobs/${nextJob('em')}?action=clone`;
    const run = await cli('em', ['request', 'post', url, '--data', '-', '--accept', 'json'], { input: body });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).Operation, 'CloneJob');
    const post = sentOnce(run, url);
    assert.equal(post.body, body);
    assert.match(post.headers['content-type'] ?? '', /^application\/json\b/);
    const typed = await cli('em', ['request', 'POST', url, '--data', '-', '--content-type', 'application/vnd.test+xml'], { input: spec('Typed') });
    assert.equal(typed.code, 0, typed.stderr);
    assert.equal(sentOnce(typed, url).headers['content-type'], 'application/vnd.test+xml');
  });

  it('without its body the server refuses the clone: its 400 on stderr (exit 6), the POST sent once', async () => {
    const url = `${sims.em.url}jobs/${nextJob('em')}?action=clone`;
    const run = await cli('em', ['request', 'POST', url, '--wait']);
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /400/);
    assert.match(run.stderr, /JobCloneSpec/);
    assert.equal(run.stdout, '');
    assert.equal(sentOnce(run, url).body, undefined);
  });

  it('a body file that cannot be read, or is not UTF-8: usage (exit 2), nothing sent', async () => {
    const bad = join(dir, 'latin1.xml');
    writeFileSync(bad, Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e]));
    for (const [file, text] of [[join(dir, 'missing.xml'), /Cannot read the body file .*ENOENT/], [bad, /is not UTF-8 text/]] as const) {
      sims.em.clearRequests();
      const run = await cli('em', ['request', 'POST', `${sims.em.url}jobs/${jobs.em[0]}?action=clone`, '--data', file]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, text);
      assert.equal(run.requests.length, 0, 'no logon, nothing sent');
    }
  });
});

describe('veeam-api request: refusals and other paths', () => {
  for (const kind of ['vspc', 'vbr'] as const) {
    it(`${kind}: a user who may not run it gets 403: the forbidden exit code (3), the POST sent once`, async () => {
      const url = startUrl(kind, nextJob(kind));
      const user = kind === 'vspc' ? sims.vspc.users.readOnly : sims.vbr.users.viewer;
      const run = await cli(kind, ['request', 'POST', url, '--wait'], { user, keptTokens: kind === 'vspc' });
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /403|[Ff]orbidden/);
      assert.equal(run.stdout, '');
      sentOnce(run, url);
    });
  }

  it('an unknown method, a missing URL, a request-only flag on get: usage (exit 2), nothing sent', async () => {
    const url = startUrl('vbr', jobs.vbr[0]);
    for (const [args, text] of [
      [['request', 'FETCH', url], /METHOD must be GET, POST, PUT, PATCH or DELETE, not \u201cFETCH\u201d/],
      [['request', 'HEAD', url], /not \u201cHEAD\u201d/],
      [['request', 'POST'], /request needs a URL/],
      [['request'], /request needs a METHOD/],
      [['get', url, '--wait'], /--wait is for the request command only/],
      [['request', 'GET', url, '--data', '-'], /--data is for a request other than GET/],
      [['request', 'POST', url, '--wait-timeout', '5'], /--wait-timeout is for --wait/],
      [['request', 'POST', url, '--wait', '--wait-timeout', '0'], /--wait-timeout must be a number of seconds > 0/],
      [['request', 'POST', url, '--data', '-', '--content-type', 'text/xml\r\nX-Evil: 1'], /--content-type must be a media type/],
    ] as const) {
      sims.vbr.clearRequests();
      const run = await cli('vbr', [...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(lines(run.stderr)[0], text);
      assert.equal(run.requests.length, 0, 'nothing sent');
    }
  });

  it('the connection breaks while the request is sent: exit 5, said to have maybe reached the server, not sent again', async () => {
    const url = startUrl('em', nextJob('em'));
    sims.em.setFault({ kind: 'reset', path: pathOf(url), times: 1 });
    const run = await cli('em', ['request', 'POST', url, '--wait']);
    assert.equal(run.code, 5, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(lines(run.stderr).at(-1), `veeam-api: the POST to ${url} may have reached the server; it was not sent again.`);
    sentOnce(run, url);
  });

  it('server text in progress lines cannot drive the terminal', async () => {
    const url = startUrl('vbr', nextJob('vbr'));
    sims.vbr.setFault({ kind: 'action-fails', path: pathOf(url), times: 1, message: 'bad\u001b]52;c;cm0gLXJmIH4K\u0007 \u001b[2J\u202eevil\r\nspoof' });
    const run = await cli('vbr', ['request', 'POST', url, '--wait']);
    assert.equal(run.code, 8, run.stderr);
    assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/, 'only the newlines that end lines');
    assert.match(lines(run.stderr).at(-1)!, /: failed\b.*bad\ufffd\]52;c;cm0gLXJmIH4K\ufffd \ufffd\[2J\ufffdevil spoof$/);
  });

  it('SIGTERM while waiting: exit 143, the work goes on, logged off', async () => {
    const target = slow.vbr;
    const url = startUrl('vbr', slowJobs.vbr.shift()!, slow);
    const user = admin('vbr', slow);
    const before = new Set(issued('vbr', slow).map((t) => t.token));
    const env = { PATH: process.env.PATH ?? '', VEEAM_USERNAME: user.username, VEEAM_PASSWORD: user.password };
    const child = spawn(process.execPath, [CLI, 'request', 'POST', url, '--wait', '--ca', slowCa], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    await waitFor(() => /: running\b/.test(stderr), 'a progress line', 30_000);
    child.kill('SIGTERM');
    assert.equal(await exited, 143, stderr);
    assert.match(stderr, /stopped waiting; .* goes on on the server/);
    assert.ok(!target.requests.some((r) => /\/sessions\/[^/]+\/stop$/.test(r.path)), 'the session was not stopped');
    for (const t of issued('vbr', slow).filter((t) => !before.has(t.token))) assert.equal(t.active, false, 'logged off');
  });

  it('work canceled on the server while waiting (VBR job stopped by another run): exit 8, said canceled', async () => {
    const id = slowJobs.vbr.shift()!;
    const url = startUrl('vbr', id, slow);
    const user = admin('vbr', slow);
    const env = { PATH: process.env.PATH ?? '', VEEAM_USERNAME: user.username, VEEAM_PASSWORD: user.password };
    const child = spawn(process.execPath, [CLI, 'request', 'POST', url, '--wait', '--ca', slowCa], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    await waitFor(() => /: running\b/.test(stderr), 'a progress line', 30_000);
    const stop = await cli('vbr', ['request', 'POST', `${slow.vbr.origin}/api/v1/jobs/${id}/stop`], { set: slow });
    assert.equal(stop.code, 0, stop.stderr);
    assert.equal(await exited, 8, stderr);
    assert.match(lines(stderr).at(-1)!, /: canceled\b/);
    assert.equal(JSON.parse(stdout).result.isCanceled, true, 'the final session on stdout');
  });

  it('request GET URL is get URL: the body, no action', async () => {
    const url = `${sims.vbr.origin}/api/v1/jobs/${jobs.vbr[0]}`;
    const run = await cli('vbr', ['request', 'GET', url]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).id, jobs.vbr[0]);
    assert.deepEqual(actions(run), []);
  });

  it('--wait on an answer that starts nothing: says so on stderr, the answer on stdout, exit as the request', async () => {
    const url = `${sims.vbr.origin}/api/v1/jobs/${nextJob('vbr')}/disable`;
    const run = await cli('vbr', ['request', 'POST', url, '--wait']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {});
    assert.match(run.stderr, /^veeam-api: the answer \(200\) names no task, async action or session to wait for\.\n$/);
    sentOnce(run, url);
  });

  it('--help says that requests are sent at once, without confirmation, and that "actions": "off" has no equivalent', async () => {
    const help = await new Promise<string>((done) => execFile(process.execPath, [CLI, '--help'], (_err, stdout) => done(stdout)));
    assert.match(help, /veeam-api request METHOD URL/);
    assert.match(help, /asks no confirmation/);
    assert.match(help, /"actions": "off"/);
    assert.match(help, /8 request --wait: the work ended failed or canceled/);
  });
});
