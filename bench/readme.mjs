#!/usr/bin/env node
// The README's Performance table, made from bench/results.json (never edited by hand): `npm run bench:readme`
// rewrites what lies between the two markers of README.md; run.mjs calls it after a full run (not after --quick or
// --only). `--check` changes nothing and exits 1 when the README does not say what results.json says (a unit test,
// test/unit/bench-readme.test.ts, runs it). `--results FILE`, `--readme FILE`: other files than the committed ones.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { counted, fmt, verdict } from './table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BEGIN = '<!-- bench:begin — written by `npm run bench:readme` from bench/results.json; do not edit by hand -->';
export const END = '<!-- bench:end -->';

/** A table cell: one line, no column break. */
const cell = (text) => String(text).replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

/** The section between the markers (markers excluded) for these results. */
export function section(results) {
  const { missed, targets } = counted(results.rows);
  const day = String(results.date).slice(0, 10);
  const lines = [
    `Last full run, ${day}: ${results.cpus} CPUs, Node ${results.node}; medians of ${results.runs} runs (${results.bigRuns} for the 50 MB cases), ` +
      `${Math.round(results.seconds)} s in all. **${missed} of ${targets} targets missed.**`,
    '',
    '| | Figure | Median | Target | |',
    '| --- | --- | --- | --- | --- |',
  ];
  let current = '';
  for (const row of results.rows) {
    const name = row.section === current ? '' : row.section;
    current = row.section;
    // A sub-row ("  of which …") is indented in the console; here it gets an arrow.
    const figure = /^\s+/.test(row.figure) ? `↳ ${row.figure.trim()}` : row.figure;
    const value = fmt(row.value, row.unit) + (row.summary ? ` (${row.summary})` : '');
    lines.push(`| ${cell(name)} | ${cell(figure)} | ${cell(value)} | ${cell(row.target)} | ${verdict(row)} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The README's text with the section replaced; throws when the markers are missing. */
export function rewrite(readme, results) {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${BEGIN} … ${END} markers`);
  return `${readme.slice(0, begin + BEGIN.length)}\n${section(results)}${readme.slice(end)}`;
}

/** Rewrites README.md from bench/results.json (or the given files); returns whether it changed. */
export function updateReadme({ results = join(root, 'bench', 'results.json'), readme = join(root, 'README.md') } = {}) {
  const before = readFileSync(readme, 'utf8');
  const after = rewrite(before, JSON.parse(readFileSync(results, 'utf8')));
  if (after !== before) writeFileSync(readme, after);
  return after !== before;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const value = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const files = { results: value('--results') ?? join(root, 'bench', 'results.json'), readme: value('--readme') ?? join(root, 'README.md') };
  try {
    const results = JSON.parse(readFileSync(files.results, 'utf8'));
    if (results.quick || results.partial) throw new Error(`${files.results} is from a --quick or --only run: the README shows full runs only`);
    if (argv.includes('--check')) {
      const readme = readFileSync(files.readme, 'utf8');
      if (rewrite(readme, results) !== readme) {
        console.error(`${files.readme}: its Performance table is not what ${files.results} says; run \`npm run bench:readme\``);
        process.exit(1);
      }
    } else {
      console.log(updateReadme(files) ? `rewrote the Performance table of ${files.readme}` : `${files.readme} already says what ${files.results} says`);
    }
  } catch (err) {
    console.error(err.message);
    process.exit(2);
  }
}
