// The rows measured outside the bench's own scenario processes: the command line as users run it (`cli`) and the
// extension in code-server's real extension host (`host`). Called by run.mjs with what it shares:
// { root, out, sims, info, scenario, repeat, row, details, log, runs, cliBytes, hostItems }.
import { join } from 'node:path';
import { cliWalk } from './cli-walk.mjs';
import { fmt, median, MB } from './table.mjs';

/** `veeam-api walk` of a long EM jobs list: the command-line process's own peak RSS. */
export async function cliRows({ root, out, sims, info, repeat, row, details, log, runs, cliBytes }) {
  log(`command line: walk of a ${fmt(cliBytes / MB, 'MB')} EM jobs list…`);
  const small = await repeat(runs, (i) => cliWalk({ root, out, sims, info, runIndex: `small-${i}` }));
  const big = await repeat(runs, (i) => cliWalk({ root, out, sims, info, bytes: cliBytes, runIndex: `big-${i}` }));
  details.cli = { small, big };
  const fetched = Math.min(...big.map((r) => r.fetched));
  if (fetched < 1) throw new Error('veeam-api walk printed no URL');
  const peak = median(big.map((r) => r.maxRssMB));
  const limitMB = (2.5 * cliBytes) / MB + 60;
  const ratio = (peak * MB) / cliBytes;
  row('Command line', `veeam-api walk of a ${fmt(cliBytes / MB, 'MB')} EM jobs list (--depth 0): peak RSS`, peak, 'MB', '< 2.5× body + 60 MB', peak < limitMB,
    `limit ${fmt(limitMB, 'MB')}; ${ratio.toFixed(1)}× body; whole run ${fmt(median(big.map((r) => r.ms)), 'ms')}; the same walk of the API root (a few KB) peaks at ${fmt(median(small.map((r) => r.maxRssMB)), 'MB')}`,
    `limit ${fmt(limitMB, 'MB')}`);
}

/** A list of `hostItems` EM jobs expanded in code-server's extension host: time to the first rows, peak RSS over before. */
export async function hostRows({ root, out, scenario, row, details, log, runs, hostItems }) {
  log(`real host: expanding a ${hostItems}-item list in code-server…`);
  const r = await scenario('host', { items: hostItems, runs, repo: root, suite: join(out, 'host-suite.js'), timeoutMs: 420_000 }, { timeoutMs: 480_000 });
  details.host = r;
  if (r.skipped) {
    row('Real host', `${hostItems}-item list expanded in code-server`, 'skipped', '', '—', undefined, r.skipped);
    return;
  }
  const s = r.samples;
  const firstMs = median(s.map((x) => x.firstRowsMs));
  const over = median(s.map((x) => x.peakMB - x.rssBeforeMB));
  const ratio = (over * MB) / r.bodyBytes;
  const body = fmt(r.bodyBytes / MB, 'MB');
  const reset = s.every((x) => x.peakReset) ? 'peak reset before each run (clear_refs)' : 'peak NOT reset (clear_refs refused): the figure is the host\'s lifetime peak minus RSS before';
  row('Real host', `${r.items}-item EM list (${body}) expanded: time to the first ${s[0].rows} rows`, firstMs, 'ms', '—', undefined,
    `getChildren of the list node + getTreeItem of each row, through the extension's test API in code-server ${r.codeServer} (Node ${r.node}); includes the simulator rendering the list in the runner's process`);
  row('Real host', `${r.items}-item EM list (${body}) expanded: extension host's peak RSS − RSS before`, over, 'MB', '< 3× body', ratio < 3,
    `${ratio.toFixed(1)}× body; RSS before ${fmt(median(s.map((x) => x.rssBeforeMB)), 'MB')}, after Refresh of the list and GC ${fmt(median(s.map((x) => x.rssAfterRefreshMB)), 'MB')} (JS heap ${fmt(median(s.map((x) => x.heapAfterRefreshMB)), 'MB')}, buffers ${fmt(median(s.map((x) => x.externalAfterRefreshMB)), 'MB')}); ${reset}; a fresh code-server per run, ${fmt(r.seconds, 's')} in all`,
    `${ratio.toFixed(1)}× body`);
}
