import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { startSimulators, Simulators } from '../simulator';

/** How the command line reports what went wrong during a walk, and its size limit: the built dist/cli.js as a process. */
const CLI = resolve(__dirname, '../../../dist/cli.js');
let sims: Simulators;
let caFile: string;

interface Run { code: number; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const fullEnv = { PATH: process.env.PATH ?? '', VEEAM_USERNAME: sims.em.users.admin.username, VEEAM_PASSWORD: sims.em.users.admin.password, ...env };
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: fullEnv, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

const lines = (text: string) => text.split('\n').filter(Boolean);
const vspcEnv = () => ({ VEEAM_USERNAME: sims.vspc.users.admin.username, VEEAM_PASSWORD: sims.vspc.users.admin.password });

before(async () => {
  sims = await startSimulators();
  caFile = join(mkdtempSync(join(tmpdir(), 'veeam-cli-walk-')), 'ca.pem');
  writeFileSync(caFile, sims.certificate.pem);
});
after(() => sims.close());
beforeEach(() => {
  sims.em.clearFaults();
  sims.vspc.clearFaults();
});

describe('veeam-api walk: failures', () => {
  it('prints each failure once, on one line naming its URL once, then one line that counts them', async () => {
    sims.em.setFault({ kind: 'html', status: 200, path: '/api/jobs/', times: 3 });
    const run = await cli(['walk', `${sims.em.origin}/api/jobs`, '--ca', caFile, '--depth', '1']);
    assert.equal(run.code, 7, run.stderr);
    const errors = lines(run.stderr);
    assert.equal(errors.length, 4, run.stderr);
    const failed = errors.slice(0, 3);
    for (const line of failed) {
      const urls = line.match(/https:\/\/\S+?(?=[\s,:]|$)/g) ?? [];
      assert.equal(urls.length, 1, `one URL in: ${line}`);
      assert.match(line, /answered 200 with an HTML page/);
    }
    assert.equal(new Set(failed).size, 3, 'no failure printed twice');
    const fetched = lines(run.stdout).length;
    assert.equal(errors[3], `veeam-api: 3 of ${fetched + 3} requests failed.`);
    for (const line of failed) assert.ok(!run.stdout.includes(line.split(' ')[0]), 'a failed URL is not printed as fetched');
  });

  it('a 404 on a link the server gave still fails the walk (exit 6)', async () => {
    sims.em.setFault({ kind: 'status', status: 404, path: '/api/jobs/', times: 1 });
    const run = await cli(['walk', `${sims.em.origin}/api/jobs`, '--ca', caFile, '--depth', '1']);
    assert.equal(run.code, 6, run.stderr);
    assert.match(run.stderr, /404/);
    assert.match(lines(run.stderr).at(-1) ?? '', /^veeam-api: 1 of \d+ requests failed\.$/);
  });

  it('a sub-collection inferred from the VSPC map that the server lacks (404) is skipped, said once, and the walk succeeds', async () => {
    const list = JSON.parse((await cli(['get', `${sims.vspc.origin}/api/v3/infrastructure/backupServers?limit=1`, '--ca', caFile], vspcEnv())).stdout);
    const uid = list.data[0].instanceUid as string;
    const missing = `/api/v3/infrastructure/backupServers/${uid}/jobs`;
    sims.vspc.setFault({ kind: 'status', status: 404, path: missing });
    const run = await cli(['walk', `${sims.vspc.origin}/api/v3/infrastructure/backupServers`, '--ca', caFile, '--depth', '2'], vspcEnv());
    assert.equal(run.code, 0, run.stderr);
    // The fault answers 404 for the jobs list and everything under it: each is said once, as skipped.
    const said = lines(run.stderr).filter((l) => l.startsWith(`skipped ${sims.vspc.origin}${missing}:`));
    assert.equal(said.length, 1, run.stderr);
    assert.match(said[0], /: not on this server/);
    const skipped = lines(run.stderr).filter((l) => l.startsWith('skipped '));
    assert.equal(new Set(skipped).size, skipped.length, 'no skip said twice');
    assert.ok(!run.stdout.includes(missing), 'not listed as fetched');
    assert.ok(lines(run.stdout).some((u) => u.endsWith(`/backupServers/${uid}`)), 'the item itself was walked');
    assert.doesNotMatch(run.stderr, /requests? failed/);
  });
});

describe('veeam-api --max-size', () => {
  it('stops a body over the limit: exit 7, and the message names the flag', async () => {
    sims.em.setFault({ kind: 'huge', path: '/api/jobs', sizeBytes: 3 * 1024 * 1024 });
    const run = await cli(['get', `${sims.em.origin}/api/jobs`, '--ca', caFile, '--max-size', '1']);
    assert.equal(run.code, 7, run.stderr);
    assert.match(run.stderr, /larger than the 1\.0 MB limit/);
    assert.match(run.stderr, /--max-size/);
    assert.doesNotMatch(run.stderr, /settings/, 'no setting the command line does not have');
  });

  it('reads the same body under the default of 50 MB', async () => {
    sims.em.setFault({ kind: 'huge', path: '/api/jobs', sizeBytes: 3 * 1024 * 1024 });
    const run = await cli(['get', `${sims.em.origin}/api/jobs`, '--ca', caFile]);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.length >= 3 * 1024 * 1024);
  });

  it('refuses a limit that is not a positive number (exit 2)', async () => {
    for (const value of ['0', '-1', 'lots']) {
      const run = await cli(['get', `${sims.em.origin}/api/jobs`, '--ca', caFile, '--max-size', value]);
      assert.equal(run.code, 2, `${value}: ${run.stderr}`);
      assert.match(run.stderr, /--max-size/);
    }
  });
});
