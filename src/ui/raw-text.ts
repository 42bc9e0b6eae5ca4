// The text of a raw-response document: the pretty body, optionally under the status line and headers.
// No vscode here: unit-tested in plain Node.
import { prettyBody, redactHeaders, type RawResponse } from '../api';

export type RawLanguage = 'xml' | 'json' | 'html' | 'plaintext';

/** The file ending that makes VS Code pick the language of the body. */
export const EXTENSION_OF: Record<RawLanguage, string> = { xml: '.xml', json: '.json', html: '.html', plaintext: '.txt' };

/** The status line and headers, secrets redacted, one per line. */
export function headerLines(raw: RawResponse): string[] {
  const lines = [`${raw.method} ${raw.url}`, `HTTP ${raw.status} ${raw.statusText}`.trimEnd()];
  for (const [name, value] of redactHeaders(raw.headers)) lines.push(`${name}: ${value}`);
  lines.push(`(${raw.durationMs} ms, received ${raw.receivedAt.toISOString()})`);
  return lines;
}

/**
 * The document text. With headers, they go in a comment that keeps the language valid:
 * after the XML declaration for XML (a comment may not precede it), `//` lines for JSON (shown as JSON with Comments).
 */
export function renderRawText(raw: RawResponse, showHeaders: boolean): { text: string; language: RawLanguage } {
  const pretty = prettyBody(raw);
  const language = pretty.language;
  if (!showHeaders) return { text: pretty.text, language };
  const lines = headerLines(raw);
  switch (language) {
    case 'xml':
    case 'html': {
      const comment = `<!--\n${lines.map((l) => `  ${l.replace(/--/g, '- -')}`).join('\n')}\n-->\n`;
      const declaration = /^<\?xml[^>]*\?>\s*/.exec(pretty.text);
      if (declaration) {
        const decl = declaration[0].trimEnd();
        return { text: `${decl}\n${comment}${pretty.text.slice(declaration[0].length)}`, language };
      }
      return { text: comment + pretty.text, language };
    }
    case 'json':
      return { text: `${lines.map((l) => `// ${l}`).join('\n')}\n${pretty.text}`, language };
    default:
      return { text: `${lines.join('\n')}\n\n${pretty.text}`, language };
  }
}
