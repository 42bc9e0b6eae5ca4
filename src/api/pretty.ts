import type { RawResponse } from './session';

/** The body pretty-printed for reading, and the language to show it in. */
export function prettyBody(raw: RawResponse): { text: string; language: 'xml' | 'json' | 'html' | 'plaintext' } {
  return { text: raw.body.toString('utf8'), language: 'plaintext' };
}
