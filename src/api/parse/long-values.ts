// How long one value of a response may be: a text node, an attribute, a CDATA section or comment, a JSON string.
//
// Enterprise Manager and Service Provider Console send short values: names, GUIDs, URLs, descriptions of a few hundred
// characters. A server that sends a value of many megabytes is broken or hostile, and each parser has a shape where
// such a value costs far more than its size (fast-xml-parser builds a text node a character at a time: a 50 MB one
// took 2 GB). The limit is generous, above the 5 MB values the parsers have always kept whole, and small enough that
// one value never costs more than a few times its size anywhere between the socket and the tree.

import { say, type Wording } from '../messages';

/** Longest value read from a body, in characters (UTF-16 code units, as JavaScript counts them). */
export const MAX_VALUE_CHARS = 8 * 1024 * 1024;

/** A count of characters for a message: "8 MB" style above a megabyte (1 MB = 2^20 characters), else the count. */
export function charsWording(chars: number): Wording {
  if (chars < 1024 * 1024) return say('size.characters', { count: chars.toLocaleString('en-US') });
  const mb = chars / (1024 * 1024);
  return say('size.megabytes', { count: Number.isInteger(mb) ? mb : mb.toFixed(1) });
}

/**
 * The first string (key or value) of a JSON text longer than `max` characters as written, or undefined. Escapes are
 * counted as written, so `\u0041` counts six. Text that is not JSON is left for JSON.parse to refuse.
 */
export function findLongJsonString(text: string, max = MAX_VALUE_CHARS): { at: number; length: number } | undefined {
  // No string can be longer than the text: most bodies need no search at all.
  if (text.length <= max + 2) return undefined;
  // A string longer than `max` covers a whole block of max/2 characters, and inside a string every quote is escaped.
  // In JSON a backslash occurs only inside strings, so whether a quote is escaped can be told where it stands. Each
  // block of ordinary JSON shows a quote that is not escaped within its first few characters: only a text with a
  // block that shows none (a long string, or long white space) is searched string by string.
  const block = Math.max(1, Math.floor(max / 2));
  for (let from = 0; from < text.length; from += block) {
    if (!hasDelimiter(text, from, Math.min(text.length, from + block))) return searchStrings(text, max);
  }
  return undefined;
}

/** Whether a quote that is not escaped stands between `from` and `to`. */
function hasDelimiter(text: string, from: number, to: number): boolean {
  for (let q = text.indexOf('"', from); q >= 0 && q < to; q = text.indexOf('"', q + 1)) {
    if (!isEscaped(text, q, -1)) return true;
  }
  return false;
}

/** One linear pass over the strings of the text, with native searches. */
function searchStrings(text: string, max: number): { at: number; length: number } | undefined {
  let from = 0;
  for (;;) {
    const open = text.indexOf('"', from);
    if (open < 0) return undefined;
    let close = open;
    do {
      close = text.indexOf('"', close + 1);
    } while (close > 0 && isEscaped(text, close, open));
    if (close < 0) return undefined;
    if (close - open - 1 > max) return { at: open, length: close - open - 1 };
    from = close + 1;
  }
}

/** True when the quote at `at` is escaped: an odd run of backslashes before it (not looking back past `floor`). */
function isEscaped(text: string, at: number, floor: number): boolean {
  let k = at - 1;
  while (k > floor && text.charCodeAt(k) === 0x5c) k--;
  return (at - 1 - k) % 2 === 1;
}

/** 1-based line of a character index (for messages). */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < index; k = text.indexOf('\n', k + 1)) line++;
  return line;
}
