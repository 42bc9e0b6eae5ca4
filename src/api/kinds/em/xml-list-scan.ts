// Where the items of a large XML list are, read as the body streams through a conformant XML parser (saxes), 16 KB at
// a time: a 50 MB body is never decoded whole (that copy was as large as the body), and nothing is built. The reading is
// a sequence of steps, one per chunk, so a thread that must stay responsive can read a body a few milliseconds at a time.
// The parser checks the body is well-formed XML; this reading holds every value to the limits the whole parser holds
// it to. Any doubt, and the plan is not made: the whole parser then reads the body, and says what is wrong with it.
import { isAscii } from 'node:buffer';
import type { SaxesParser as Parser, SaxesTagPlain } from 'saxes';
import { allSteps } from '../../parse/slices';
import { XML_LIMITS, type XmlLimits } from './well-formed';

/** Where a list's items are in a body: byte offsets. */
export interface XmlListSpans {
  /** Where the first item's text begins (just after its parent's start tag). */
  start: number;
  /** Where the last item ends. */
  end: number;
  count: number;
  /** `[start, end, …]` of each item (end excluded), `count` pairs; an item's text begins where the one before ended. */
  spans: Uint32Array;
}

/** Deepest level (the root is 1) whose children may be the list's items. */
const MAX_LIST_LEVEL = 3;
/**
 * Bytes decoded and read at a time (one step). Small: saxes keeps a chunk's text and what it read of it alive while it
 * reads it, so the young generation grows with the chunk (a 6.5 MB body read 256 KB at a time grew the heap by 12 MB,
 * 16 KB at a time by 2.4 MB), and it is no slower.
 */
const CHUNK = 16 * 1024;

interface Level {
  /**
   * Candidates only (levels up to MAX_LIST_LEVEL): `[start, end, …]` of each child, a plain array (most elements have
   * a child or two: a typed array each would cost more than the whole reading).
   */
  spans?: number[];
  count: number;
  qualifies: boolean;
  name?: string;
  boundary: number;
}

let saxes: typeof import('saxes') | undefined;

/** The parser, loaded with the first large XML body. */
function newParser(): Parser {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  saxes ??= require('./saxes-parts') as typeof import('saxes');
  return new saxes.SaxesParser({ position: true });
}

/** Why the reading stopped: not an error of ours to word (the whole parser words it). */
class Stop extends Error {}

/**
 * The list's items in an XML body (UTF-8): the element of at most three levels deep with the most child elements, all
 * of one name, each with an `Href` attribute, and no text or CDATA between them. Undefined when there is no such
 * list, or the body is not UTF-8, not well-formed, has a DOCTYPE, nests deeper than `maxDepth` or holds a value over
 * the limits.
 */
export function xmlListSpans(body: Uint8Array, maxDepth: number, limits: XmlLimits = XML_LIMITS): XmlListSpans | undefined {
  return allSteps(xmlListSteps(body, maxDepth, limits));
}

/** xmlListSpans as steps: each `next()` reads one chunk of the body; the last one returns what xmlListSpans returns. */
export function* xmlListSteps(body: Uint8Array, maxDepth: number, limits: XmlLimits = XML_LIMITS): Generator<void, XmlListSpans | undefined, void> {
  const parser = newParser();
  const stack: Level[] = [];
  let best: Level | undefined;
  /** Where the chunk being read begins: in characters of the text read so far, and in bytes. */
  let chunkChar = 0;
  let chunkByte = 0;
  let chunkText = '';
  let ascii = true;
  /** The last position turned into bytes, in this chunk (positions only grow). */
  let lastChar = 0;
  let lastByte = 0;
  /** The byte offset of a character position inside the chunk being read. */
  const byteAt = (position: number): number => {
    if (ascii) return chunkByte + (position - chunkChar);
    if (position < lastChar) throw new Stop();
    lastByte += Buffer.byteLength(chunkText.slice(lastChar - chunkChar, position - chunkChar));
    lastChar = position;
    return lastByte;
  };
  const stop = () => {
    throw new Stop();
  };
  // Seven handlers at most: saxes keeps each as a property of the parser, and an eighth made every character's read
  // four times slower. A DOCTYPE needs none: it stands before the root, in the head, which the whole parser refuses.
  parser.on('error', stop);
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (tag.name.length > limits.markup) stop();
    let attributes = 0;
    for (const name in tag.attributes) {
      if (++attributes > limits.attributes || tag.attributes[name].length > limits.value) stop();
    }
    const parent = stack[stack.length - 1];
    if (parent?.spans) {
      parent.name ??= tag.name;
      if (parent.name !== tag.name || !('Href' in tag.attributes)) parent.qualifies = false;
    }
    if (tag.isSelfClosing) return;
    const level: Level = { count: 0, qualifies: true, boundary: 0 };
    if (stack.length < MAX_LIST_LEVEL) {
      level.spans = [];
      level.boundary = byteAt(parser.position);
    }
    stack.push(level);
    if (stack.length > maxDepth) stop();
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    if (!tag.isSelfClosing) {
      const closed = stack.pop()!;
      if (closed.spans && closed.qualifies && closed.count > 0 && (!best || closed.count > best.count)) best = closed;
    }
    const parent = stack[stack.length - 1];
    if (!parent?.spans) return;
    // A parent that no longer qualifies keeps no spans.
    if (!parent.qualifies) {
      parent.spans = undefined;
      return;
    }
    const end = byteAt(parser.position);
    parent.spans.push(parent.boundary, end);
    parent.count++;
    parent.boundary = end;
  });
  parser.on('text', (text: string) => {
    if (text.length > limits.value) stop();
    const parent = stack[stack.length - 1];
    if (parent?.spans && /\S/.test(text)) parent.qualifies = false;
  });
  parser.on('cdata', (text: string) => {
    if (text.length > limits.value) stop();
    const parent = stack[stack.length - 1];
    if (parent) parent.qualifies = false;
  });
  parser.on('comment', (text: string) => {
    if (text.length > limits.value) stop();
  });
  parser.on('processinginstruction', (pi: { target: string; body: string }) => {
    if (pi.target.length + pi.body.length > limits.markup) stop();
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    // A byte order mark is no character of the document.
    let from = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
    while (from < body.length) {
      let to = Math.min(body.length, from + CHUNK);
      // Chunks end between characters: a character's continuation bytes stay with it.
      while (to < body.length && (body[to] & 0xc0) === 0x80) to--;
      const bytes = body.subarray(from, to);
      chunkText = decoder.decode(bytes);
      ascii = isAscii(bytes);
      chunkByte = lastByte = from;
      lastChar = chunkChar;
      parser.write(chunkText);
      chunkChar += chunkText.length;
      from = to;
      // The chunk's text is no longer needed while the caller decides when to read on.
      chunkText = '';
      if (from < body.length) yield;
    }
    parser.close();
  } catch (err) {
    // Stopped, or not UTF-8 (the decoder's TypeError).
    if (err instanceof Stop || err instanceof TypeError) return undefined;
    throw err;
  }
  if (!best?.spans) return undefined;
  const spans = Uint32Array.from(best.spans);
  return { start: spans[0], end: spans[spans.length - 1], count: best.count, spans };
}
