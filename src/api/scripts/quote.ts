// Text from the server or the user (URLs, names, user names, file paths) as it goes into a generated script: a string
// literal of that language whose value is exactly the text, written in printable ASCII only, so that no quote,
// newline, `$(…)`, backtick, Unicode quote (PowerShell reads ‘ ’ ‚ ‛ as its single quote) or bidirectional control
// can end the literal, run code, or show the reader something other than what runs.

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Bash: `'…'` for printable ASCII, else `$'…'` with every other byte of its UTF-8 as `\xHH` (locale-independent). */
export function bashString(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return `'${text.replace(/'/g, `'\\''`)}'`;
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x27 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte >= 0x20 && byte <= 0x7e) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `$'${out}'`;
}

/** Python: `"…"` with `\\`, `\"`, and `\xHH`, `\uHHHH`, `\UHHHHHHHH` for everything outside printable ASCII. */
export function pythonString(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (cp >= 0x20 && cp <= 0x7e) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return `"${out}"`;
}

/**
 * PowerShell: `'…'` (a quote doubled) for printable ASCII; else a parenthesised concatenation of such literals and
 * `[char]0xHHHH` (UTF-16 code units, so characters past U+FFFF come out as their surrogate pair).
 */
export function powershellString(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return `'${text.replace(/'/g, "''")}'`;
  const parts: string[] = [];
  let run = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0x20 && unit <= 0x7e) {
      run += text[i];
      continue;
    }
    if (run) parts.push(`'${run.replace(/'/g, "''")}'`);
    run = '';
    parts.push(`[char]0x${hex(unit, 4)}`);
  }
  if (run) parts.push(`'${run.replace(/'/g, "''")}'`);
  // `[string]` first: a concatenation that starts with a [char] would otherwise add numbers.
  return `([string]${parts.join(' + ')})`;
}

/**
 * Text for a line comment (`# …`) in any of the three languages: letters, marks, digits, punctuation, symbols and
 * spaces only (no line break, control or format character: no bidirectional override), at most `max` characters.
 */
export function commentText(text: string, max = 160): string {
  const clean = text.replace(/[^\p{L}\p{M}\p{N}\p{P}\p{S}\p{Zs}]/gu, '?').replace(/\p{Zs}/gu, ' ');
  const chars = [...clean];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}\u2026` : clean;
}

/** A file name from a node's name: letters, digits, `.`, `_` and `-` only, at most 60 characters; `fallback` if none. */
export function fileStem(name: string | undefined, fallback: string): string {
  const stem = (name ?? '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)
    .replace(/[-.]+$/g, '');
  return stem || fallback;
}

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}
