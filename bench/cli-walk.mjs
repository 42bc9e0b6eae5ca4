// The command line's row: `veeam-api walk` as users run it (`node dist/cli.js walk URL …`, the password from the
// environment as `--help` documents), against the simulators' EM; its own peak RSS is read inside it by a preload
// (rss-preload.cjs) and written to a file at its exit. Used by run.mjs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/**
 * One `walk URL --depth 0` in a fresh process: `huge` (bytes) makes the simulator answer that GET with an EM jobs list
 * of that size (its `huge` fault, once). Resolves with the process's peak RSS (MB) and wall time.
 */
export async function cliWalk({ root, out, sims, info, bytes, runIndex }) {
  const url = bytes ? new URL('jobs?bench=huge', info.em.url).href : info.em.url;
  if (bytes) await sims.ask({ cmd: 'fault', target: 'em', fault: { kind: 'huge', sizeBytes: bytes, path: '/api/jobs?bench', times: 1 } });
  const rssFile = join(out, `cli-rss-${process.pid}-${runIndex}.json`);
  rmSync(rssFile, { force: true });
  const args = [
    '--require', join(root, 'bench', 'rss-preload.cjs'),
    join(root, 'dist', 'cli.js'),
    'walk', url,
    '--depth', '0',
    // The body is a little under 64 MiB; the default cap (50) would refuse it.
    '--max-size', '64',
    '--fingerprint', info.fingerprint,
  ];
  const env = { ...process.env, VEEAM_USERNAME: info.em.user.username, VEEAM_PASSWORD: info.em.user.password, BENCH_RSS_FILE: rssFile };
  delete env.NODE_OPTIONS;
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  const ms = performance.now() - started;
  if (code !== 0 || !existsSync(rssFile)) throw new Error(`veeam-api walk exited with ${code}: ${stderr.slice(0, 500)}`);
  const { maxRssKB } = JSON.parse(readFileSync(rssFile, 'utf8'));
  rmSync(rssFile, { force: true });
  // The walk prints each URL it fetched: at depth 0, the list itself.
  const fetched = stdout.split('\n').filter(Boolean).length;
  return { maxRssMB: maxRssKB / 1024, ms, fetched };
}
