// Where the items of a large JSON list are, in one pass over the received bytes that builds nothing: JSON.parse of
// 50 MB of small items makes hundreds of megabytes of objects the tree never shows, and decoding the body first makes
// a second copy of it. The pass checks the whole body is JSON (the grammar of RFC 8259, as JSON.parse reads it; the
// caller checks it is UTF-8) and records where each item of the list begins and ends; each item is read from its own
// bytes when it is shown (see kinds/list-plan.ts).
import { MAX_VALUE_CHARS } from './long-values';

/** Where a list's items are in a body: byte offsets. */
export interface JsonListSpans {
  /** Just after the list's `[`. */
  start: number;
  /** At the list's `]`. */
  end: number;
  /** Items in the list. */
  count: number;
  /** `[start, end, start, end, …]` of each item (end excluded), `count` pairs. */
  spans: Uint32Array;
}

/**
 * Which array holds the items: `data` — the root object's `data` member (Service Provider Console and Backup &
 * Replication envelopes); `href` — the array of at most three levels deep, and not inside an item of another such
 * array, with the most items, all of them objects with an `Href` string member (Enterprise Manager's `Refs`).
 */
export type ListShape = 'data' | 'href';

/** Deepest level (the root is 0) an `href` list may be found at. */
const MAX_LIST_LEVEL = 3;
/**
 * Deepest nesting the pass reads: a body nested deeper (a hostile `[[[[…`, one level per byte) is left to the whole
 * parser, which refuses it or reads it as it always has; the pass never holds more than this many open containers.
 */
const MAX_SCAN_DEPTH = 512;

interface Container {
  array: boolean;
  level: number;
  /** Objects: the member name just read was `Href` (`href` shape) or `data` at the root (`data` shape). */
  keyMatch: boolean;
  /** Objects: an `Href` string member was seen. */
  hasHref: boolean;
  /** Arrays: the items' spans when this array may be the list. */
  candidate?: Candidate;
  /** Inside an item of a list that may be the one: a list there is not (the outer one is larger). */
  inCandidate: boolean;
}

interface Candidate {
  spans: Uint32Array;
  count: number;
  /** Every item so far qualifies (`href` shape: an object with an `Href` string). */
  qualifies: boolean;
  start: number;
  /** The item being read started here. */
  itemStart: number;
}

/**
 * The list's items in `text`, or undefined when the text is not JSON, holds no such list, or holds a string longer
 * than MAX_VALUE_CHARS (the full parser then says what is wrong). Never recurses; allocates only the spans.
 */
export function jsonListSpans(text: Uint8Array, shape: ListShape): JsonListSpans | undefined {
  const n = text.length;
  /** The open containers, `depth` of them; the objects are reused (a body opens millions). */
  const stack: Container[] = [];
  let depth = 0;
  let best: JsonListSpans | undefined;
  // A byte order mark before the value (the parsers drop it).
  let i = skipSpace(text, text[0] === 0xef && text[1] === 0xbb && text[2] === 0xbf ? 3 : 0);
  // After a value at the top of `stack` (or the root): expecting `,` or the container's close.
  for (;;) {
    // ---- a value starts at i
    if (i >= n) return undefined;
    const c = text[i];
    const top = depth ? stack[depth - 1] : undefined;
    if (top?.candidate) top.candidate.itemStart = i;
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const array = c === 0x5b;
      if (depth >= MAX_SCAN_DEPTH) return undefined;
      const level = depth;
      let container = stack[depth];
      if (!container) stack[depth] = container = { array, level, keyMatch: false, hasHref: false, inCandidate: false };
      container.array = array;
      container.level = level;
      container.keyMatch = false;
      container.hasHref = false;
      container.inCandidate = top !== undefined && (top.inCandidate || top.candidate !== undefined);
      container.candidate = array && !container.inCandidate && mayHoldList(shape, top, level) ? { spans: new Uint32Array(64), count: 0, qualifies: true, start: i + 1, itemStart: 0 } : undefined;
      depth++;
      i = skipSpace(text, i + 1);
      if (text[i] !== (array ? 0x5d : 0x7d)) {
        if (!array) {
          i = readKey(text, i, container, shape);
          if (i < 0) return undefined;
        }
        continue;
      }
      // An empty container: closed at once.
      i++;
      depth--;
      best = closed(container, depth ? stack[depth - 1] : undefined, i - 1, best, shape);
    } else {
      const end = c === 0x22 /* " */ ? stringEnd(text, i) : scalarEnd(text, i, c);
      if (end < 0) return undefined;
      if (c === 0x22 && top && !top.array && top.keyMatch && shape === 'href') top.hasHref = true;
      // An item of an `href` list must be an object.
      if (top?.candidate && shape === 'href') top.candidate.qualifies = false;
      i = end;
    }
    // ---- a value ended at i: close containers, or go on to the next value
    for (;;) {
      const parent = depth ? stack[depth - 1] : undefined;
      if (!parent) {
        i = skipSpace(text, i);
        return i === n ? best : undefined;
      }
      if (parent.candidate) addItem(parent.candidate, i);
      i = skipSpace(text, i);
      const d = text[i];
      if (d === 0x2c /* , */) {
        i = skipSpace(text, i + 1);
        if (!parent.array) {
          i = readKey(text, i, parent, shape);
          if (i < 0) return undefined;
        }
        break;
      }
      if (d !== (parent.array ? 0x5d : 0x7d)) return undefined;
      i++;
      depth--;
      best = closed(parent, depth ? stack[depth - 1] : undefined, i - 1, best, shape);
    }
  }
}

/** A container closed (its close at `at`): the best list so far, and whether it qualified as an item of its parent. */
function closed(container: Container, parent: Container | undefined, at: number, best: JsonListSpans | undefined, shape: ListShape): JsonListSpans | undefined {
  if (shape === 'href' && parent?.candidate && (container.array || !container.hasHref)) parent.candidate.qualifies = false;
  return container.candidate ? better(best, container.candidate, at, shape) : best;
}

function mayHoldList(shape: ListShape, parent: Container | undefined, level: number): boolean {
  if (shape === 'data') return level === 1 && parent !== undefined && !parent.array && parent.keyMatch;
  return level <= MAX_LIST_LEVEL;
}

/** A member name at i (after `{` or `,`) and its colon: the index of its value, or -1. */
function readKey(text: Uint8Array, i: number, object: Container, shape: ListShape): number {
  if (text[i] !== 0x22) return -1;
  const end = stringEnd(text, i);
  if (end < 0) return -1;
  const name = shape === 'data' ? '"data"' : '"Href"';
  object.keyMatch = end - i === 6 && matches(text, i, name) && (shape === 'href' || object.level === 0);
  const colon = skipSpace(text, end);
  if (text[colon] !== 0x3a /* : */) return -1;
  return skipSpace(text, colon + 1);
}

function addItem(candidate: Candidate, end: number): void {
  if (candidate.count * 2 + 2 > candidate.spans.length) {
    const grown = new Uint32Array(candidate.spans.length * 2);
    grown.set(candidate.spans);
    candidate.spans = grown;
  }
  candidate.spans[candidate.count * 2] = candidate.itemStart;
  candidate.spans[candidate.count * 2 + 1] = end;
  candidate.count++;
}

function better(best: JsonListSpans | undefined, candidate: Candidate, end: number, shape: ListShape): JsonListSpans | undefined {
  if (!candidate.qualifies || candidate.count === 0) return best;
  if (best && (shape === 'data' || best.count >= candidate.count)) return best;
  return { start: candidate.start, end, count: candidate.count, spans: candidate.spans.subarray(0, candidate.count * 2) };
}

/** Whether the ASCII `word` is written at `i`. */
function matches(text: Uint8Array, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (text[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

function skipSpace(text: Uint8Array, i: number): number {
  for (;;) {
    const c = text[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** The index after the string starting at `i` (a `"`), or -1: not a JSON string, or longer than MAX_VALUE_CHARS bytes. */
function stringEnd(text: Uint8Array, i: number): number {
  const from = i + 1;
  const n = text.length;
  // A plain loop: strings are short, and a native search costs more per call than it saves.
  for (let j = from; j < n; ) {
    const c = text[j];
    if (c === 0x22 /* " */) return j - from > MAX_VALUE_CHARS ? -1 : j + 1;
    if (c < 0x20) return -1;
    if (c !== 0x5c /* \ */) {
      j++;
      continue;
    }
    const e = text[j + 1];
    if (e === 0x75 /* u */) {
      if (!isHex(text[j + 2]) || !isHex(text[j + 3]) || !isHex(text[j + 4]) || !isHex(text[j + 5])) return -1;
      j += 6;
    } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74) {
      j += 2;
    } else return -1;
  }
  return -1;
}

function isHex(c: number | undefined): boolean {
  if (c === undefined) return false;
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The index after a number, `true`, `false` or `null` at `i`, or -1. */
function scalarEnd(text: Uint8Array, i: number, c: number): number {
  if (c === 0x74) return matches(text, i, 'true') ? i + 4 : -1;
  if (c === 0x66) return matches(text, i, 'false') ? i + 5 : -1;
  if (c === 0x6e) return matches(text, i, 'null') ? i + 4 : -1;
  let k = i;
  if (c === 0x2d /* - */) k++;
  const first = text[k];
  if (first === 0x30) k++;
  else if (first >= 0x31 && first <= 0x39) k = digits(text, k + 1);
  else return -1;
  if (text[k] === 0x2e /* . */) {
    const after = digits(text, k + 1);
    if (after === k + 1) return -1;
    k = after;
  }
  const e = text[k];
  if (e === 0x65 || e === 0x45) {
    k++;
    const sign = text[k];
    if (sign === 0x2b || sign === 0x2d) k++;
    const after = digits(text, k);
    if (after === k) return -1;
    k = after;
  }
  return k;
}

function digits(text: Uint8Array, k: number): number {
  for (;;) {
    const c = text[k];
    if (c < 0x30 || c > 0x39) return k;
    k++;
  }
}
