// A large list body read without its items: one pass finds where each item is (and checks the whole body), the rest of
// the body (paging, links, fields) is read by the kind's own parser, and each item is read from its own bytes when it is
// first shown. The plan is plain data (it crosses from the parser thread); the Resource is made where the body is.
import { isUtf8 } from 'node:buffer';
import { lazyChildren } from '../parse/lazy-children';
import { allSteps } from '../parse/slices';
import { jsonListSpans } from '../parse/json-list-scan';
import type { Resource } from '../resource';
import { isJson, MAX_XML_NESTING } from './em/parser';
import { xmlListSteps } from './em/xml-list-scan';

/** What is left of a body without its items, at most (bytes): the head is read again with every block of items read. */
export const MAX_HEAD_BYTES = 64 * 1024;

/** Where the items of a list body are, and everything else it says. */
export interface ListPlan {
  /** The body read without its items (children empty). */
  head: Resource;
  /** Items in the list. */
  count: number;
  /** `[start, end, …]` of each item in the body, end excluded: bytes (or characters of a text, see planList). */
  spans: Uint32Array;
  /** The items' region of the body: what comes before it and after it is the head. */
  itemsStart: number;
  itemsEnd: number;
  /** What stands between two items: `,` in JSON, nothing in XML. */
  separator: string;
}

/** Items read in one go when one of them is first read: a parse of a few dozen costs far less than as many parses of one. */
const BLOCK = 32;

/** Reads a body's text as the kind's parser does, with how many items the list has when the text is a head. */
export type TextParser = (text: string, items?: number) => Resource;

/** Where a list's items are in a body: byte offsets. */
interface Found {
  start: number;
  end: number;
  count: number;
  spans: Uint32Array;
}

/**
 * The plan of a list body (`body`, UTF-8), or undefined when it is no list of items this reading serves (then the
 * kind's parser reads the whole body, and says what is wrong with it if anything is). Read from the bytes as they are:
 * JSON by jsonListSpans, XML by xmlListSpans. Spans are byte offsets.
 */
export function planList(body: Buffer, representation: 'json' | 'xml' | 'em-json', parse: TextParser): ListPlan | undefined {
  return allSteps(planListSteps(body, representation, parse));
}

/**
 * planList as steps, for a thread that reads the body a few milliseconds at a time: an XML body's pass takes one step
 * per chunk (see xmlListSteps); a JSON body's is one step.
 */
export function* planListSteps(body: Buffer, representation: 'json' | 'xml' | 'em-json', parse: TextParser): Generator<void, ListPlan | undefined, void> {
  let found: Found | undefined;
  if (representation === 'xml') found = yield* xmlListSteps(body, MAX_XML_NESTING);
  // Bytes that are no UTF-8: the whole parser refuses them, naming the charset.
  else if (isUtf8(body)) found = jsonListSpans(body, representation === 'json' ? 'data' : 'href');
  if (!found || body.length - (found.end - found.start) > MAX_HEAD_BYTES) return undefined;
  const { start, end, count, spans } = found;
  const prefix = body.toString('utf8', 0, start);
  const suffix = body.toString('utf8', end);
  let head: Resource;
  try {
    head = parse(prefix + suffix, count);
    // Each item must make exactly one child, and nothing else any: checked on the first and the last.
    if (head.children.length !== 0) return undefined;
    for (const k of [0, count - 1]) {
      if (parse(prefix + body.toString('utf8', spans[2 * k], spans[2 * k + 1]) + suffix, 1).children.length !== 1) return undefined;
    }
  } catch {
    return undefined;
  }
  return { head: { ...head, children: [] }, count, spans, itemsStart: start, itemsEnd: end, separator: representation === 'xml' ? '' : ',' };
}

/**
 * The list's Resource: the head, and children each read when first shown from the head's text around the item's
 * own (`read(start, end)` gives the text of a range of the body; `length` is the body's).
 */
export function listResource(plan: ListPlan, read: (start: number, end: number) => string, length: number, parse: TextParser): Resource {
  const prefix = read(0, plan.itemsStart);
  const suffix = read(plan.itemsEnd, length);
  const { spans, count, separator } = plan;
  const one = (i: number): Resource => {
    try {
      const resource = parse(prefix + read(spans[2 * i], spans[2 * i + 1]) + suffix, 1);
      if (resource.children.length === 1) return resource.children[0];
      // An item that is no child (checked on the first and the last only): what it holds, as fields.
      return { links: [], fields: resource.fields, children: [] };
    } catch {
      return { links: [], fields: [], children: [] };
    }
  };
  /** Blocks of BLOCK items read in one parse, by their first index; an item is kept by the list once read. */
  const blocks = new Map<number, readonly Resource[] | undefined>();
  const children = lazyChildren(count, (i) => {
    const first = i - (i % BLOCK);
    if (!blocks.has(first)) {
      const last = Math.min(count, first + BLOCK);
      const texts: string[] = [];
      for (let k = first; k < last; k++) texts.push(read(spans[2 * k], spans[2 * k + 1]));
      let block: readonly Resource[] | undefined;
      try {
        const made = parse(prefix + texts.join(separator) + suffix, last - first).children;
        // Each item one child, or each is read on its own.
        block = made.length === last - first ? made : undefined;
      } catch {
        block = undefined;
      }
      blocks.set(first, block);
    }
    const block = blocks.get(first);
    return block ? block[i - first] : one(i);
  });
  return { ...plan.head, children };
}

/** Which reading a kind's body takes: the JSON kinds' envelope, or EM's XML or JSON. */
export function representationOf(kind: 'em' | 'vspc' | 'vbr', contentType: string | undefined, body: Uint8Array): 'json' | 'xml' | 'em-json' {
  if (kind !== 'em') return 'json';
  // EM's rule (isJson): by the content type, else by the first character (after white space and a byte order mark).
  let i = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
  while (i < body.length && i < 4096 && (body[i] === 0x20 || body[i] === 0x0a || body[i] === 0x0d || body[i] === 0x09)) i++;
  return isJson(contentType, String.fromCharCode(body[i] ?? 0x20)) ? 'em-json' : 'xml';
}
