import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

/**
 * The README's Performance table is bench/results.json as `npm run bench:readme` (bench/readme.mjs) writes it: the
 * committed README must say exactly what the committed results say, and editing either alone must be caught.
 */
const repo = resolve(__dirname, '../../..');
const script = join(repo, 'bench', 'readme.mjs');
const committedReadme = join(repo, 'README.md');
const committedResults = join(repo, 'bench', 'results.json');
const scratch = mkdtempSync(join(tmpdir(), 'bench-readme-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function check(files: { readme?: string; results?: string } = {}): { status: number | null; stderr: string } {
  const args = [script, '--check', '--readme', files.readme ?? committedReadme, '--results', files.results ?? committedResults];
  const r = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

interface Row {
  section: string;
  figure: string;
  value: number | string;
  pass?: boolean;
}

describe('README Performance table and bench/results.json', () => {
  const results = JSON.parse(readFileSync(committedResults, 'utf8')) as { quick: boolean; partial?: boolean; rows: Row[] };
  const readme = readFileSync(committedReadme, 'utf8');

  it('come from a full run', () => {
    assert.equal(results.quick, false, 'bench/results.json is from --quick: commit a full run');
    assert.ok(!results.partial, 'bench/results.json is from --only: commit a full run');
    assert.ok(results.rows.length > 0);
  });

  it('the README says what results.json says (npm run bench:readme writes it)', () => {
    const r = check();
    assert.equal(r.status, 0, r.stderr);
  });

  it('a figure edited in the README alone is caught', () => {
    const begin = readme.indexOf('<!-- bench:begin');
    const end = readme.indexOf('<!-- bench:end -->');
    const section = readme.slice(begin, end);
    // The first verdict of the table, turned into its opposite.
    const edited = section.includes('| pass |') ? section.replace('| pass |', '| MISS |') : section.replace('| MISS |', '| pass |');
    assert.notEqual(edited, section, 'the table has no verdict to edit');
    const file = join(scratch, 'README.md');
    writeFileSync(file, readme.slice(0, begin) + edited + readme.slice(end));
    assert.equal(check({ readme: file }).status, 1);
  });

  it('a figure edited in results.json alone is caught', () => {
    const changed = structuredClone(results);
    const row = changed.rows.find((r) => typeof r.value === 'number');
    assert.ok(row, 'no numeric row');
    row.value = (row.value as number) * 3 + 7;
    const file = join(scratch, 'results.json');
    writeFileSync(file, JSON.stringify(changed));
    assert.equal(check({ results: file }).status, 1);
  });

  it('a row added to results.json alone is caught', () => {
    const changed = structuredClone(results);
    changed.rows.push({ section: 'Memory', figure: 'a row the README does not have', value: 1, pass: true });
    const file = join(scratch, 'results-added.json');
    writeFileSync(file, JSON.stringify(changed));
    assert.equal(check({ results: file }).status, 1);
  });
});
