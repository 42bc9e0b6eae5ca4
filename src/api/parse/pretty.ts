import type { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { fastXmlParser } from './fxp';
import type { RawResponse } from '../types';

export type BodyLanguage = 'xml' | 'json' | 'html' | 'plaintext';

/** Bodies larger than this are shown as received: indenting them would hold the extension host for seconds. */
export const PRETTY_LIMIT = 8 * 1024 * 1024;

const roundTrip = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  commentPropName: '#comment',
  cdataPropName: '#cdata',
  processEntities: false,
  htmlEntities: false,
  trimValues: true,
  parseTagValue: false,
  parseAttributeValue: false,
} as const;
let xml: { reader: XMLParser; writer: XMLBuilder } | undefined;

/** The round-trip reader and the indenting writer, made on first use. */
function xmlReaderWriter(): { reader: XMLParser; writer: XMLBuilder } {
  if (xml) return xml;
  const { XMLParser: Parser, XMLBuilder: Builder } = fastXmlParser();
  return (xml = { reader: new Parser(roundTrip), writer: new Builder({ ...roundTrip, format: true, indentBy: '  ', suppressEmptyNode: true }) });
}

/** The language a body is best read in, from its content type and first bytes. */
export function bodyLanguage(contentType: string | undefined, body: string): BodyLanguage {
  const start = body.trimStart().slice(0, 64).toLowerCase();
  if (contentType && /html/i.test(contentType)) return 'html';
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  if (contentType && /json/i.test(contentType)) return 'json';
  if (contentType && /xml/i.test(contentType)) return 'xml';
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start.startsWith('<')) return 'xml';
  return 'plaintext';
}

/** The body pretty-printed for reading, and the language to show it in. Malformed bodies come back as received. */
export function prettyBody(raw: RawResponse): { text: string; language: BodyLanguage } {
  const text = raw.body.toString('utf8');
  const language = bodyLanguage(raw.contentType, text);
  if (text.length > PRETTY_LIMIT) return { text, language };
  if (language === 'json') return { text: indentJson(text) ?? text, language };
  if (language === 'xml') return { text: indentXml(text) ?? text, language };
  return { text, language };
}

/** XML re-indented, or undefined when it is not well-formed (shown as received then). */
export function indentXml(text: string): string | undefined {
  if (/<!DOCTYPE/i.test(text)) return undefined;
  try {
    // Inside the try: too deep a nesting or a reserved name (`__proto__`) makes the parser throw.
    if (fastXmlParser().XMLValidator.validate(text) !== true) return undefined;
    const { reader, writer } = xmlReaderWriter();
    return (writer.build(reader.parse(text)) as string).trim() + '\n';
  } catch {
    return undefined;
  }
}

/** Indentation stops growing below this depth: past it, deeper nesting would only add spaces. */
const MAX_INDENT_DEPTH = 32;

/**
 * JSON re-indented token by token, without parsing values: numbers beyond 2^53 and
 * odd escapes stay exactly as the server wrote them. Undefined when it is not well-formed.
 */
export function indentJson(text: string): string | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const out: string[] = [];
  let depth = 0;
  let i = 0;
  const n = text.length;
  // Hostile nesting (`[[[[…`) must not turn a few kilobytes into gigabytes: the indent is capped, and past a
  // budget the body is shown as received.
  const budget = Math.max(16 * n, 1 << 20);
  let size = 0;
  const newline = () => {
    const s = '\n' + '  '.repeat(Math.min(depth, MAX_INDENT_DEPTH));
    size += s.length;
    return s;
  };
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push(text.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i++;
      continue;
    }
    if (c === '{' || c === '[') {
      // Keep empty containers on one line.
      let j = i + 1;
      while (j < n && /\s/.test(text[j])) j++;
      if (text[j] === (c === '{' ? '}' : ']')) {
        out.push(c === '{' ? '{}' : '[]');
        i = j + 1;
        continue;
      }
      depth++;
      out.push(c + newline());
    } else if (c === '}' || c === ']') {
      depth--;
      out.push(newline() + c);
    } else if (c === ',') {
      out.push(',' + newline());
    } else if (c === ':') {
      out.push(': ');
    } else {
      let j = i;
      while (j < n && !',:{}[] \n\r\t"'.includes(text[j])) j++;
      out.push(text.slice(i, j));
      i = j;
      continue;
    }
    if (size > budget) return undefined;
    i++;
  }
  return out.join('') + '\n';
}
