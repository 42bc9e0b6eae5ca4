// What the command line prints comes from a server: nothing of it may drive the terminal. ESC sequences (title,
// clipboard through OSC 52, screen clearing), other C0 and C1 controls and bidirectional overrides are replaced.

/** C0 controls, DEL, C1 controls, and the Unicode bidirectional controls. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const REPLACEMENT = '\ufffd';

/** One line: white space folded, every control character replaced. */
export function terminalLine(text: string): string {
  return text.replace(/[\t\n\r\f\v]+/g, ' ').replace(UNSAFE, REPLACEMENT).trim();
}

const FFFD = Buffer.from(REPLACEMENT, 'utf8');

/**
 * A body as received, except the bytes that would act on a terminal: C0 controls other than tab, newline and a CR
 * before a newline, and DEL; then, where `strict` (a terminal reads it), also C1 and bidirectional controls as UTF-8.
 * JSON and XML never hold those raw, so a valid body passes byte for byte.
 */
export function terminalBody(body: Buffer, strict: boolean): Buffer {
  let out: Buffer[] | undefined;
  let from = 0;
  const cut = (at: number, length: number) => {
    (out ??= []).push(body.subarray(from, at), FFFD);
    from = at + length;
  };
  for (let i = 0; i < body.length; i++) {
    const b = body[i];
    if (b < 0x20 || b === 0x7f) {
      if (b === 0x09 || b === 0x0a || (b === 0x0d && body[i + 1] === 0x0a)) continue;
      cut(i, 1);
    } else if (strict && b === 0xc2 && body[i + 1] >= 0x80 && body[i + 1] <= 0x9f) {
      cut(i, 2);
      i++;
    } else if (strict && b === 0xd8 && body[i + 1] === 0x9c) {
      cut(i, 2); // U+061C
      i++;
    } else if (strict && b === 0xe2 && isBidi(body[i + 1], body[i + 2])) {
      cut(i, 3);
      i += 2;
    }
  }
  if (!out) return body;
  out.push(body.subarray(from));
  return Buffer.concat(out);
}

/** U+200E/F, U+202A–202E (E2 80 xx) and U+2066–2069 (E2 81 xx) in UTF-8. */
function isBidi(second: number | undefined, third: number | undefined): boolean {
  if (third === undefined) return false;
  if (second === 0x80) return third === 0x8e || third === 0x8f || (third >= 0xaa && third <= 0xae);
  return second === 0x81 && third >= 0xa6 && third <= 0xa9;
}
