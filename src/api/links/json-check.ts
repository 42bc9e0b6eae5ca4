// Whether a text is JSON, checked without building it: below a walk's last level a JSON API body's links are none
// unless it is a list, so the walk needs to know that the body is JSON (a body that is not is refused, as the parser
// refuses it) and whether its `data` is a list; `JSON.parse` would build every object of it only to be dropped.

const OBJECT = 1;
const ARRAY = 2;

/**
 * True when the text is JSON that `JSON.parse` accepts, an object whose `data` member (the last one, as `JSON.parse`
 * keeps it) is absent or not an array. False for anything else, and for what this does not vouch for (a top-level
 * member name with an escape): then the caller parses it.
 */
export function isJsonObjectWithoutList(text: string): boolean {
  const n = text.length;
  /** The open objects and arrays, innermost last. */
  const open: number[] = [];
  let dataIsArray = false;
  let i = space(text, 0);
  if (text.charCodeAt(i) !== 0x7b /* { */) return false;
  // What is expected at `i`: a value, a member's name, or what follows a value.
  let expect: 'value' | 'name' | 'after' = 'value';
  for (;;) {
    i = space(text, i);
    const c = text.charCodeAt(i);
    if (expect === 'value') {
      if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
        i = space(text, i + 1);
        const close = c === 0x7b ? 0x7d : 0x5d;
        if (text.charCodeAt(i) === close) {
          i++;
          expect = 'after';
        } else {
          open.push(c === 0x7b ? OBJECT : ARRAY);
          expect = c === 0x7b ? 'name' : 'value';
        }
      } else if (c === 0x22 /* " */) {
        i = string(text, i);
        if (i < 0) return false;
        expect = 'after';
      } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
        i = number(text, i);
        if (i < 0) return false;
        expect = 'after';
      } else {
        const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : c === 0x6e ? 'null' : undefined;
        if (!word || !text.startsWith(word, i)) return false;
        i += word.length;
        expect = 'after';
      }
    } else if (expect === 'name') {
      if (c !== 0x22) return false;
      const from = i;
      i = string(text, i);
      if (i < 0) return false;
      const top = open.length === 1;
      // A top-level name written with an escape might be `data`: left to JSON.parse.
      if (top && escaped) return false;
      const isData = top && i - from === 6 && text.startsWith('"data"', from);
      i = space(text, i);
      if (text.charCodeAt(i) !== 0x3a /* : */) return false;
      i = space(text, i + 1);
      if (isData) dataIsArray = text.charCodeAt(i) === 0x5b;
      expect = 'value';
    } else {
      const inside = open[open.length - 1];
      if (inside === undefined) return i === n && !dataIsArray;
      if (c === 0x2c /* , */) {
        i++;
        expect = inside === OBJECT ? 'name' : 'value';
      } else if (c === (inside === OBJECT ? 0x7d : 0x5d)) {
        i++;
        open.pop();
      } else {
        return false;
      }
    }
  }
}

/** Past JSON's white space (space, tab, line feed, carriage return). */
function space(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/** Whether the last string read held an escape. */
let escaped = false;

/** Past the string that starts at `i` (its opening quote); -1 when it is not one JSON accepts. */
function string(text: string, i: number): number {
  escaped = false;
  for (let k = i + 1; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c === 0x22) return k + 1;
    if (c < 0x20) return -1;
    if (c !== 0x5c /* \ */) continue;
    escaped = true;
    const e = text.charCodeAt(++k);
    if (e === 0x75 /* u */) {
      for (let h = 0; h < 4; h++) if (!isHex(text.charCodeAt(++k))) return -1;
    } else if (e !== 0x22 && e !== 0x5c && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) {
      return -1;
    }
  }
  return -1;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Past the number that starts at `i` (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`); -1 when it is not one. */
function number(text: string, i: number): number {
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return -1;
  if (text.charCodeAt(i) === 0x2e /* . */) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    if (text.charCodeAt(i) === 0x2b || text.charCodeAt(i) === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
