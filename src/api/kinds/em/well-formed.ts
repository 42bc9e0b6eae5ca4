// Whether an XML text is well-formed enough to be trusted as a whole: every element closed in order, one root,
// attributes quoted, no stray `<`. fast-xml-parser reads leniently (a truncated body parses into a partial tree),
// so something must check first; its XMLValidator does, at about the cost of the parse itself. This scan does what
// a truncated, cut or garbled body needs, with native regular expressions, about fifteen times faster.
//
// The same pass holds every value to a limit (see long-values.ts) and notes the long text runs the parser would
// build a character at a time, so they can be handed to it another way (see parser.ts). No regular expression here
// repeats a group without a bound: V8 keeps a backtracking entry per repetition, and a tag with a million attributes
// used to overflow the stack ("Maximum call stack size exceeded") instead of saying what was wrong.

import { english, say, type Wording } from '../../messages';
import { charsWording, lineAt, MAX_VALUE_CHARS } from '../../parse/long-values';

const NAME = `[^\\s/>=<"'!?]+`;
/** Attributes one native match reads; a tag with more is read one attribute at a time. */
const FEW_ATTRIBUTES = 16;
/**
 * An ordinary start tag in one match. Its repeats are bounded (attributes and the space between them), so it never
 * backtracks far: a tag it does not match (more attributes, more space, or malformed) is read by readOpenTag.
 */
const OPEN_TAG = new RegExp(`<(${NAME})(?:\\s{1,64}${NAME}\\s{0,64}=\\s{0,64}(?:"[^"<]*"|'[^'<]*')){0,${FEW_ATTRIBUTES}}\\s{0,64}(/?)>`, 'y');
const TAG_NAME = new RegExp(`<(${NAME})`, 'y');
const SPACE = /\s*/y;
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'y');
const TAG_END = /(\/?)>/y;
const CLOSE_TAG = new RegExp(`</(${NAME})\\s*>`, 'y');

/** What one body may hold (see XML_LIMITS). */
export interface XmlLimits {
  /** Characters of one value: an element's text (CDATA included), an attribute value, a comment. */
  value: number;
  /** Characters of a tag or processing instruction without its attribute values: names and the space between them. */
  markup: number;
  /** Attributes of one element. */
  attributes: number;
}

/**
 * EM's tags are a name and a handful of attributes (Href, Type, Name, UID, a namespace): well under a kilobyte of
 * markup and ten attributes. The parser's cost per tag grows with both (it splits a tag's markup at every tab, and
 * reads a tag's attributes into one object), so both are bounded far above what EM sends.
 */
export const XML_LIMITS: XmlLimits = { value: MAX_VALUE_CHARS, markup: 64 * 1024, attributes: 1000 };

/**
 * A run of text shorter than this is left to the parser, which reads text a character at a time: cheap for a run
 * of this size, but a run of megabytes took gigabytes. Longer runs are noted in `longTexts`.
 */
export const LONG_TEXT_CHARS = 64 * 1024;

export interface NotWellFormed {
  line: number;
  /** Why, as data (the UI words it inside the error's message). */
  why: Wording;
  /** Why, in English. */
  reason: string;
  /** True when elements nest deeper than allowed (a different message: the document may be valid). */
  tooDeep?: boolean;
  /** True when a value, a tag or an element's attributes are over XML_LIMITS (the document may be well-formed). */
  tooLarge?: boolean;
}

export interface XmlScan {
  /** Where and why the text is not one well-formed element within the limits; undefined when it is. */
  bad?: NotWellFormed;
  /**
   * Runs of text of LONG_TEXT_CHARS or more, in order, as flat pairs `[start, end, start, end, …]` (end excluded):
   * what the parser reads as one text, from one tag, CDATA section or processing instruction to the next (comments
   * inside a run do not end it).
   */
  longTexts: number[];
}

/** Undefined when the text is one well-formed element (with comments, processing instructions and CDATA) within the limits, else where and why not. */
export function checkWellFormed(text: string, maxDepth: number, limits: XmlLimits = XML_LIMITS): NotWellFormed | undefined {
  return scanXml(text, maxDepth, limits).bad;
}

/** checkWellFormed, and the long text runs found on the way. */
export function scanXml(text: string, maxDepth: number, limits: XmlLimits = XML_LIMITS): XmlScan {
  const stack: string[] = [];
  /** Characters of text and CDATA in each open element, as the parser joins them into one value. */
  const content: number[] = [];
  const longTexts: number[] = [];
  let roots = 0;
  /** After the last markup, comments included. */
  let i = 0;
  /** Where the parser's current text run began: comments do not end one. */
  let runFrom = 0;
  const fail = (at: number, why: Wording, kind?: 'tooDeep' | 'tooLarge'): XmlScan => ({
    bad: { line: lineAt(text, at), why, reason: english(why), ...(kind && { [kind]: true }) },
    longTexts,
  });
  /** Adds text or CDATA to the open element; a reason when it grows past the limit. */
  const addContent = (chars: number): Wording | undefined => {
    const top = content.length - 1;
    content[top] += chars;
    return content[top] > limits.value ? say('xml.why.long-text', { element: shown(stack[top]), limit: charsWording(limits.value) }) : undefined;
  };
  for (;;) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (lt > i && !isBlank(text, i, lt)) {
      if (stack.length === 0) return fail(i, say('xml.why.text-outside-root'));
      const over = addContent(lt - i);
      if (over) return fail(i, over, 'tooLarge');
    }
    const next = text.charCodeAt(lt + 1);
    if (next === 0x21 /* ! */ && text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return fail(lt, say('xml.why.not-closed'));
      if (end - lt - 4 > limits.value) return fail(lt, say('xml.why.long-comment', { size: charsWording(end - lt - 4) }), 'tooLarge');
      i = end + 3;
      continue;
    }
    // Any other markup ends the parser's text run.
    if (lt - runFrom >= LONG_TEXT_CHARS) longTexts.push(runFrom, lt);
    if (next === 0x2f /* / */) {
      CLOSE_TAG.lastIndex = lt;
      const m = CLOSE_TAG.exec(text);
      if (!m) return fail(lt, say('xml.why.closing-tag'));
      const open = stack.pop();
      content.pop();
      if (open !== m[1]) {
        return fail(lt, open ? say('xml.why.closes-other', { closing: shown(m[1]), open: shown(open) }) : say('xml.why.closes-nothing', { closing: shown(m[1]) }));
      }
      i = runFrom = CLOSE_TAG.lastIndex;
      continue;
    }
    if (next === 0x21 /* ! */ && text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) return fail(lt, say('xml.why.not-closed'));
      if (stack.length === 0) return fail(lt, say('xml.why.text-outside-root'));
      const over = addContent(end - lt - 9);
      if (over) return fail(lt, over, 'tooLarge');
      i = runFrom = end + 3;
      continue;
    }
    if (next === 0x3f /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return fail(lt, say('xml.why.not-closed'));
      // The parser reads a processing instruction's attributes like a tag's (the XML declaration is one).
      if (end - lt - 2 > limits.markup) return fail(lt, say('xml.why.long-instruction', { size: charsWording(end - lt - 2) }), 'tooLarge');
      i = runFrom = end + 2;
      continue;
    }
    // Most tags: one native match, and a tag this short holds nothing over a limit.
    OPEN_TAG.lastIndex = lt;
    const m = OPEN_TAG.exec(text);
    let name: string;
    let empty: boolean;
    if (m && m[0].length <= limits.markup && limits.attributes >= FEW_ATTRIBUTES) {
      name = m[1];
      empty = m[2] !== '';
      i = runFrom = OPEN_TAG.lastIndex;
    } else {
      const tag = readOpenTag(text, lt, limits);
      if ('why' in tag) return fail(lt, tag.why, tag.tooLarge ? 'tooLarge' : undefined);
      ({ name, empty } = tag);
      i = runFrom = tag.end;
    }
    if (stack.length === 0 && roots++ > 0) return fail(lt, say('xml.why.second-root'));
    if (!empty) {
      stack.push(name);
      content.push(0);
      if (stack.length > maxDepth) return fail(lt, say('xml.why.too-deep', { max: maxDepth }), 'tooDeep');
    }
  }
  if (text.length - runFrom >= LONG_TEXT_CHARS) longTexts.push(runFrom, text.length);
  if (stack.length) return fail(text.length, say('xml.why.truncated', { element: shown(stack[stack.length - 1]) }));
  if (roots === 0) return fail(0, say('xml.why.no-root'));
  if (!isBlank(text, i, text.length)) return fail(i, say('xml.why.text-after-root'));
  return { longTexts };
}

type OpenTag = { end: number; name: string; empty: boolean } | { why: Wording; tooLarge?: boolean };

/**
 * A start tag read one attribute at a time (many attributes, a long tag or a malformed one), each step a bounded
 * match, stopping at the first limit passed: where it ends, its name and whether it closes itself; or why not.
 */
function readOpenTag(text: string, at: number, limits: XmlLimits): OpenTag {
  const malformed = { why: say(text.startsWith('<!', at) ? 'xml.why.declaration' : 'xml.why.tag-malformed') };
  TAG_NAME.lastIndex = at;
  const head = TAG_NAME.exec(text);
  if (!head) return malformed;
  const name = head[1];
  let markup = head[0].length;
  let pos = TAG_NAME.lastIndex;
  const overMarkup = () => ({ why: say('xml.why.long-tag', { element: shown(name), limit: charsWording(limits.markup) }), tooLarge: true });
  for (let count = 0; ; count++) {
    // White space first, on its own: a megabyte of it is passed once, not backtracked over.
    SPACE.lastIndex = pos;
    SPACE.exec(text);
    const spaced = SPACE.lastIndex > pos;
    markup += SPACE.lastIndex - pos;
    if (markup > limits.markup) return overMarkup();
    pos = SPACE.lastIndex;
    // An attribute needs space before it.
    if (!spaced) break;
    ATTRIBUTE.lastIndex = pos;
    const a = ATTRIBUTE.exec(text);
    if (!a) break;
    if (count === limits.attributes) return { why: say('xml.why.many-attributes', { element: shown(name), limit: limits.attributes.toLocaleString('en-US') }), tooLarge: true };
    const value = (a[2] ?? a[3]).length;
    if (value > limits.value) {
      return { why: say('xml.why.long-attribute', { attribute: shown(a[1]), element: shown(name), size: charsWording(value) }), tooLarge: true };
    }
    markup += a[0].length - value;
    if (markup > limits.markup) return overMarkup();
    pos = ATTRIBUTE.lastIndex;
  }
  TAG_END.lastIndex = pos;
  const end = TAG_END.exec(text);
  if (!end) return malformed;
  markup += end[0].length;
  if (markup > limits.markup) return overMarkup();
  return { end: TAG_END.lastIndex, name, empty: end[1] !== '' };
}

/** A name as a message shows it: a hostile one can be megabytes long. */
function shown(name: string): string {
  return name.length > 60 ? `${name.slice(0, 60)}…` : name;
}

function isBlank(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}
