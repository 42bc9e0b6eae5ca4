// A server's message, made safe to show in one line.

/** Longest server message carried into an error (notifications, error items, the command line's stderr). */
export const MAX_MESSAGE_LENGTH = 1000;

/**
 * A server's error message as one readable line: whitespace runs (line breaks too) as one space; control characters
 * (ESC sequences a terminal would obey), bidirectional controls and separators as U+FFFD; at most `max` characters.
 * The raw response keeps the message as sent.
 */
export function messageText(text: string, max = MAX_MESSAGE_LENGTH): string {
  // Cut before cleaning (a megabyte message costs no more than a short one), with room for collapsed whitespace.
  const cut = text.length > 4 * max;
  const line = text
    .slice(0, 4 * max)
    .replace(/[\t\n\r\f\v ]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, '\ufffd')
    .trim();
  return cut || line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
