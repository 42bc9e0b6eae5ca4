/** Request bodies of the logon endpoints: URL-encoded forms (`/token`) and multipart forms (the older endpoints). */

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export function parseUrlEncoded(body: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(body)) if (!(name in fields)) fields[name] = value;
  return fields;
}

function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * The text fields of a `multipart/form-data` body (RFC 7578). Parts without a name, and file
 * parts, are skipped; the first value of a repeated name wins. Returns undefined when the body is
 * not a well-formed multipart body for the boundary in `contentType`.
 */
export function parseMultipart(contentType: string | undefined, body: string): Record<string, string> | undefined {
  if (mediaType(contentType) !== 'multipart/form-data') return undefined;
  const boundary = boundaryOf(contentType ?? '');
  if (!boundary) return undefined;
  const delimiter = `--${boundary}`;
  const start = body.indexOf(delimiter);
  if (start < 0) return undefined;
  const fields: Record<string, string> = {};
  let position = start + delimiter.length;
  for (;;) {
    if (body.startsWith('--', position)) return fields; // the close delimiter
    // After a delimiter: optional transport padding, then CRLF.
    const lineEnd = body.indexOf('\r\n', position);
    if (lineEnd < 0 || body.slice(position, lineEnd).trim() !== '') return undefined;
    const headersEnd = body.indexOf('\r\n\r\n', lineEnd);
    if (headersEnd < 0) return undefined;
    const next = body.indexOf(`\r\n${delimiter}`, headersEnd + 4);
    if (next < 0) return undefined;
    const headers = body.slice(lineEnd + 2, headersEnd).split('\r\n');
    const content = body.slice(headersEnd + 4, next);
    const disposition = headers.find((h) => /^content-disposition\s*:/i.test(h)) ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1] ?? /;\s*name=([^;\s]+)/i.exec(disposition)?.[1];
    const isFile = /;\s*filename\*?=/i.test(disposition);
    if (name !== undefined && !isFile && !(name in fields)) fields[name] = content;
    position = next + 2 + delimiter.length;
  }
}
