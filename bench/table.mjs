// How the benchmark's rows are printed: the console table of run.mjs and the README section of readme.mjs share
// these, so both say the same of the same results.json.

export const MB = 2 ** 20;

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** A figure with its unit: 3 significant digits at most, no decimals from 100 up. */
export function fmt(value, unit) {
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return 'n/a';
  if (Number.isInteger(value) && !unit) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export const verdict = (row) => (row.pass === undefined ? '' : row.pass ? 'pass' : 'MISS');

/** The console table: every row with its notes, the section named once. */
export function consoleTable(rows) {
  const header = ['', 'Figure', 'Median', 'Target', '', 'Notes'];
  const table = rows.map((r) => [r.section, r.figure, fmt(r.value, r.unit), r.target, verdict(r), r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => String(t[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  const lines = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  let section = '';
  for (const t of table) {
    const cells = [...t];
    if (cells[0] === section) cells[0] = '';
    else section = cells[0];
    lines.push(line(cells));
  }
  return lines.join('\n');
}

export const counted = (rows) => ({ missed: rows.filter((r) => r.pass === false).length, targets: rows.filter((r) => r.pass !== undefined).length });
