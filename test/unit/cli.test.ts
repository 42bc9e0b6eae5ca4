import { strict as assert } from 'node:assert';
import { execFile, spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulators, Simulators, type RequestRecord } from '../simulator';
import { TestProxy } from '../simulator/proxy';

/** The built command line (dist/cli.js, made by `npm run build`) run as a process. */
const CLI = resolve(__dirname, '../../../dist/cli.js');
let sims: Simulators;
let caFile: string;

/**
 * One run of the command line, and what it did on the simulators, told apart from what other tests did: the
 * requests that arrived while it ran (runs are one at a time), the EM sessions it left open, the VSPC access tokens
 * it used that still work (a VSPC logoff ends every token of the user, so a count before and after would mislead).
 */
interface Run {
  code: number;
  stdout: string;
  stderr: string;
  em: RequestRecord[];
  vspc: RequestRecord[];
  emSessionsLeft: number;
  vspcTokensLeft: number;
}

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const fullEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    VEEAM_USERNAME: sims.em.users.admin.username,
    VEEAM_PASSWORD: sims.em.users.admin.password,
    ...env,
  };
  for (const k of Object.keys(fullEnv)) if (fullEnv[k] === undefined) delete fullEnv[k];
  const emFrom = sims.em.requests.length;
  const vspcFrom = sims.vspc.requests.length;
  const emSessionsBefore = sims.em.activeSessions();
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, [CLI, ...args], { env: fullEnv, timeout: 30_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
  const em = sims.em.requests.slice(emFrom);
  const vspc = sims.vspc.requests.slice(vspcFrom);
  const bearers = new Set(vspc.map((r) => /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1]).filter((t): t is string => t !== undefined));
  let vspcTokensLeft = 0;
  for (const token of bearers) if ((await vspcStatusWith(token)) !== 401) vspcTokensLeft++;
  return { code, stdout, stderr, em, vspc, emSessionsLeft: sims.em.activeSessions() - emSessionsBefore, vspcTokensLeft };
}

/** The status of GET /api/v3/about with this access token. */
function vspcStatusWith(token: string): Promise<number | undefined> {
  return new Promise((done, fail) => {
    const req = request(`${sims.vspc.origin}/api/v3/about`, { ca: sims.certificate.pem, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode));
    });
    req.on('error', fail);
    req.end();
  });
}

function noSecrets(run: Run): void {
  const password = sims.em.users.admin.password;
  const tokens = run.em.map((r) => r.headers['x-restsvcsessionid']).filter(Boolean) as string[];
  for (const text of [run.stdout, run.stderr]) {
    assert.ok(!text.includes(password), 'no password in the output');
    for (const t of tokens) assert.ok(!text.includes(t), 'no token in the output');
  }
}

before(async () => {
  sims = await startSimulators();
  caFile = join(mkdtempSync(join(tmpdir(), 'veeam-cli-')), 'ca.pem');
  writeFileSync(caFile, sims.certificate.pem);
});
after(() => sims.close());
beforeEach(() => {
  sims.em.clearFaults();
  sims.vspc.clearFaults();
  sims.em.clearRequests();
  sims.vspc.clearRequests();
});

describe('veeam-api get', () => {
  it('prints the body as received, logs on and off (exit 0)', async () => {
    const run = await cli(['get', `${sims.em.origin}/api/jobs`, '--ca', caFile]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^<\?xml|^<EntityReferences/);
    assert.match(run.stdout, /JobReference/);
    assert.equal(run.em.filter((r) => r.method === 'DELETE').length, 1, 'logged off');
    assert.equal(run.emSessionsLeft, 0);
    noSecrets(run);
  });

  it('prints JSON with --accept json and trusts a --fingerprint', async () => {
    const run = await cli(['get', `${sims.em.origin}/api/jobs`, '--accept', 'json', '--fingerprint', sims.certificate.fingerprint256]);
    assert.equal(run.code, 0, run.stderr);
    const body = JSON.parse(run.stdout);
    assert.ok(Array.isArray(body.Refs));
  });

  it('--insecure works and warns', async () => {
    const run = await cli(['get', `${sims.em.origin}/api/jobs`, '--insecure']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /warning: --insecure/);
  });

  it('exit 2 on usage errors', async () => {
    for (const args of [[], ['fetch', sims.em.url], ['get'], ['get', 'not a url'], ['get', sims.em.url, '--depth', 'x'], ['get', sims.em.url, '--accept', 'yaml']]) {
      const run = await cli(args);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr.split('\n')[0].startsWith('veeam-api: '), true);
    }
    const noCreds = await cli(['get', sims.em.url, '--ca', caFile], { VEEAM_USERNAME: undefined, VEEAM_PASSWORD: undefined });
    assert.equal(noCreds.code, 2);
    assert.match(noCreds.stderr, /VEEAM_USERNAME/);
  });

  it('exit 3 on a wrong password, and the password is not printed', async () => {
    const run = await cli(['get', sims.em.url, '--ca', caFile], { VEEAM_PASSWORD: 'Wr0ng-Secret' });
    assert.equal(run.code, 3, run.stderr);
    assert.ok(!run.stderr.includes('Wr0ng-Secret'));
    assert.equal(run.stderr.trim().split('\n').length, 1, 'one line');
  });

  it('exit 4 on an untrusted certificate or a wrong fingerprint', async () => {
    const untrusted = await cli(['get', sims.em.url]);
    assert.equal(untrusted.code, 4, untrusted.stderr);
    assert.match(untrusted.stderr, /self-signed/);
    const wrong = await cli(['get', sims.em.url, '--fingerprint', 'AB'.repeat(32)]);
    assert.equal(wrong.code, 4, wrong.stderr);
  });

  it('exit 5 on a refused connection and on a timeout', async () => {
    const refused = await cli(['get', 'https://127.0.0.1:9/api/', '--ca', caFile]);
    assert.equal(refused.code, 5, refused.stderr);
    sims.em.setFault({ kind: 'hang', path: '/api/jobs' });
    const hung = await cli(['get', `${sims.em.origin}/api/jobs`, '--ca', caFile, '--timeout', '1']);
    assert.equal(hung.code, 5, hung.stderr);
    assert.match(hung.stderr, /did not answer within 1 s/);
  });

  it('goes through HTTPS_PROXY, or --proxy, except with --direct or a NO_PROXY host; a proxy wanting credentials is exit 5', async () => {
    const proxy = await TestProxy.start();
    const guarded = await TestProxy.start({ auth: 'u:Proxy-Pass-9' });
    try {
      const viaEnv = await cli(['get', sims.em.url, '--ca', caFile], { HTTPS_PROXY: proxy.url() });
      assert.equal(viaEnv.code, 0, viaEnv.stderr);
      const tunnels = proxy.connects.length;
      assert.ok(tunnels >= 1, 'HTTPS_PROXY was used');
      const direct = await cli(['get', sims.em.url, '--ca', caFile, '--direct'], { HTTPS_PROXY: proxy.url() });
      assert.equal(direct.code, 0, direct.stderr);
      const excepted = await cli(['get', sims.em.url, '--ca', caFile], { HTTPS_PROXY: proxy.url(), NO_PROXY: '127.0.0.1' });
      assert.equal(excepted.code, 0, excepted.stderr);
      assert.equal(proxy.connects.length, tunnels, '--direct and NO_PROXY went around the proxy');
      const flag = await cli(['get', sims.em.url, '--ca', caFile, '--proxy', proxy.url()]);
      assert.equal(flag.code, 0, flag.stderr);
      assert.ok(proxy.connects.length > tunnels, '--proxy was used');
      const refused = await cli(['get', sims.em.url, '--ca', caFile, '--proxy', guarded.url()]);
      assert.equal(refused.code, 5, refused.stderr);
      assert.match(refused.stderr, /asks for authentication \(407/);
      const both = await cli(['get', sims.em.url, '--proxy', proxy.url(), '--direct']);
      assert.equal(both.code, 2);
      for (const run of [viaEnv, direct, excepted, flag, refused]) noSecrets(run);
    } finally {
      await proxy.close();
      await guarded.close();
    }
  });

  it('exit 6 on an HTTP error status, still logging off', async () => {
    const run = await cli(['get', `${sims.em.origin}/api/noSuchThing`, '--ca', caFile]);
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /404/);
    assert.equal(run.emSessionsLeft, 0);
  });

  it('exit 7 on a malformed body (printed as received)', async () => {
    sims.em.setFault({ kind: 'truncated', path: '/api/jobs' });
    const run = await cli(['get', `${sims.em.origin}/api/jobs`, '--ca', caFile]);
    assert.equal(run.code, 7, run.stderr);
    assert.match(run.stderr, /malformed or truncated/);
    assert.ok(run.stdout.length > 0);
    assert.equal(run.emSessionsLeft, 0);
  });
});

describe('veeam-api walk', () => {
  it('walks breadth-first, prints each URL once, follows no action and no Up link', async () => {
    const run = await cli(['walk', `${sims.em.origin}/api/jobs`, '--ca', caFile, '--depth', '2']);
    assert.equal(run.code, 0, run.stderr);
    const urls = run.stdout.trim().split('\n');
    assert.equal(urls[0], `${sims.em.origin}/api/jobs`);
    assert.equal(new Set(urls).size, urls.length, 'no URL twice');
    assert.ok(urls.length > 10, `walked ${urls.length}`);
    assert.ok(urls.some((u) => u.includes('format=Entity')), 'Alternate links are followed');
    assert.ok(!urls.some((u) => u.includes('action=')), 'no action link is fetched');
    assert.ok(!urls.some((u) => /\/api\/backupServers\/[^/?]+$/.test(u)), 'Up links (to the backup server) are not followed');
    const methods = new Set(run.em.map((r) => r.method));
    assert.deepEqual([...methods].sort(), ['DELETE', 'GET', 'POST']);
    assert.equal(run.em.filter((r) => r.method === 'POST').length, 1, 'the only POST is the logon');
    assert.equal(run.emSessionsLeft, 0);
  });

  it('follows a query result to its next pages', async () => {
    const run = await cli(['walk', `${sims.em.origin}/api/query?type=Job&format=Refs&pageSize=3`, '--ca', caFile, '--depth', '3']);
    assert.equal(run.code, 0, run.stderr);
    const pages = run.stdout.split('\n').filter((u) => u.includes('/api/query'));
    assert.ok(pages.length >= 3, pages.join('\n'));
  });

  it('depth 0 fetches only the URL', async () => {
    const run = await cli(['walk', sims.em.url, '--ca', caFile, '--depth', '0']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split('\n'), [sims.em.url]);
  });
});

describe('veeam-api when the reader of its output goes away', () => {
  it('walk | head: stops, logs off and exits 0 without a word on stderr', async () => {
    const sessionsBefore = sims.em.activeSessions();
    const env = { PATH: process.env.PATH, VEEAM_USERNAME: sims.em.users.admin.username, VEEAM_PASSWORD: sims.em.users.admin.password };
    const child = spawn(process.execPath, [CLI, 'walk', `${sims.em.url}jobs`, '--ca', caFile, '--depth', '3'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read one line, then close the pipe as `head -1` does.
    await new Promise<void>((resolve) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) {
          child.stdout.destroy();
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    assert.equal(code, 0, stderr);
    assert.equal(stderr, '', 'nothing said on stderr');
    assert.equal(sims.em.activeSessions(), sessionsBefore, 'the session was logged off');
  });
});

describe('veeam-api with Service Provider Console URLs', () => {
  const vspcEnv = () => ({ VEEAM_USERNAME: sims.vspc.users.admin.username, VEEAM_PASSWORD: sims.vspc.users.admin.password });

  it('get infers --kind vspc from /api/v3 and prints the JSON as received', async () => {
    const run = await cli(['get', `${sims.vspc.origin}/api/v3/organizations/companies?limit=3`, '--ca', caFile], vspcEnv());
    assert.equal(run.code, 0, run.stderr);
    const body = JSON.parse(run.stdout);
    assert.equal(body.data.length, 3);
    assert.ok(body.meta.pagingInfo.total > 3);
    const methods = run.vspc.map((r) => `${r.method} ${r.path.split('?')[0]}`);
    assert.equal(methods[0], 'POST /api/v3/token');
    assert.ok(methods.at(-1)?.startsWith('DELETE /api/v3/users/'), `logged off: ${methods.join(', ')}`);
    assert.ok(!run.stdout.includes(sims.vspc.users.admin.password));
    assert.equal(run.vspcTokensLeft, 0, 'its access token no longer works');
  });

  it('walk reads every page of a collection and every item, then logs off', async () => {
    const run = await cli(['walk', `${sims.vspc.origin}/api/v3/organizations/resellers?limit=2`, '--ca', caFile, '--depth', '1'], vspcEnv());
    assert.equal(run.code, 0, run.stderr);
    const urls = run.stdout.trim().split('\n');
    const pages = urls.filter((u) => u.includes('/organizations/resellers?'));
    const items = urls.filter((u) => /\/organizations\/resellers\/[^/?]+$/.test(u));
    const totalResellers = JSON.parse((await cli(['get', `${sims.vspc.origin}/api/v3/organizations/resellers`, '--ca', caFile], vspcEnv())).stdout).meta.pagingInfo.total;
    assert.equal(items.length, totalResellers, 'every item');
    assert.equal(pages.length, Math.ceil(totalResellers / 2), 'every page');
    assert.ok(run.vspc.some((r) => r.method === 'DELETE' && r.path.startsWith('/api/v3/users/')), 'logged off');
    assert.equal(run.vspcTokensLeft, 0, 'its access tokens no longer work');
  });

  it('exit 3 for a wrong password and for an MFA account', async () => {
    const wrong = await cli(['get', sims.vspc.url + 'about', '--ca', caFile], { ...vspcEnv(), VEEAM_PASSWORD: 'nope-nope' });
    assert.equal(wrong.code, 3, wrong.stderr);
    const mfa = await cli(['get', sims.vspc.url + 'about', '--ca', caFile], { VEEAM_USERNAME: sims.vspc.users.mfa.username, VEEAM_PASSWORD: sims.vspc.users.mfa.password });
    assert.equal(mfa.code, 3, mfa.stderr);
    assert.match(mfa.stderr, /multi-factor/);
  });
});
