// The text of a raw-response document: the pretty body, optionally under the status line and headers.
// No vscode here: unit-tested in plain Node.
import { bodyLanguage, prettyBody, PRETTY_LIMIT, redactHeaders, type BodyLanguage, type RawResponse } from '../api';

/** The file ending that makes VS Code pick the language of the body. */
export const EXTENSION_OF: Record<BodyLanguage, string> = { xml: '.xml', json: '.json', html: '.html', plaintext: '.txt' };

/** The language a body is shown in, without pretty-printing it (opening a document needs it before its text). */
export function rawLanguage(raw: RawResponse): BodyLanguage {
  const text = raw.body.length <= PRETTY_LIMIT ? raw.body.toString('utf8') : raw.body.subarray(0, 1024).toString('utf8');
  return bodyLanguage(raw.contentType, text);
}

/** How the line under the headers says how long the response took and when it came (the UI words it through l10n). */
export type TimingLine = (durationMs: number, receivedAt: string) => string;

const englishTiming: TimingLine = (ms, at) => `(${ms} ms, received ${at})`;

/** The status line and headers, secrets redacted, one per line. */
export function headerLines(raw: RawResponse, timing: TimingLine = englishTiming): string[] {
  const lines = [`${raw.method} ${raw.url}`, `HTTP ${raw.status} ${raw.statusText}`.trimEnd()];
  for (const [name, value] of redactHeaders(raw.headers)) lines.push(`${name}: ${value}`);
  lines.push(timing(raw.durationMs, raw.receivedAt.toISOString()));
  return lines;
}

/**
 * The document text. With headers, they go in a comment that keeps the language valid:
 * after the XML declaration for XML (a comment may not precede it), `//` lines for JSON (shown as JSON with Comments).
 */
export function renderRawText(raw: RawResponse, showHeaders: boolean, timing?: TimingLine): { text: string; language: BodyLanguage } {
  const pretty = prettyBody(raw);
  const language = pretty.language;
  if (!showHeaders) return { text: pretty.text, language };
  const lines = headerLines(raw, timing);
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

/**
 * The document bytes. A body too large to pretty-print is passed through as received, never decoded or copied whole
 * on the extension host's thread (a 50 MB response opens at once); the headers, when shown, go before it as in
 * renderRawText.
 */
export function renderRawBytes(raw: RawResponse, showHeaders: boolean, timing?: TimingLine): { bytes: Uint8Array; language: BodyLanguage } {
  if (raw.body.length <= PRETTY_LIMIT) {
    const { text, language } = renderRawText(raw, showHeaders, timing);
    return { bytes: Buffer.from(text, 'utf8'), language };
  }
  const start = raw.body.subarray(0, 1024).toString('utf8');
  const language = rawLanguage(raw);
  if (!showHeaders) return { bytes: raw.body, language };
  // The headers as renderRawText places them, around the body's first characters only.
  const declaration = language === 'xml' ? /^<\?xml[^>]*\?>\s*/.exec(start)?.[0] : undefined;
  const declarationBytes = declaration ? Buffer.byteLength(declaration) : 0;
  const { text: prefix } = renderRawText({ ...raw, body: raw.body.subarray(0, declarationBytes) }, true, timing);
  return { bytes: Buffer.concat([Buffer.from(prefix.trimEnd() + '\n', 'utf8'), raw.body.subarray(declarationBytes)]), language };
}
