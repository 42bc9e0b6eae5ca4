/**
 * The simulator's request and answer, free of any HTTP server: every VBR module takes a parsed request and returns
 * an answer, so server.ts (on the shared server core) only translates.
 */

export interface VbrRequest {
  method: string;
  /** The decoded path, without the query, as sent (e.g. `/api/v1/jobs`). */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: string;
  /** An `action-fails` fault applies: the session this request starts ends `Failed` with this message. */
  actionFails?: string;
}

export interface VbrReply {
  status: number;
  headers: Record<string, string>;
  /** A JSON value (serialised by the glue), a ready text (HTML), or nothing (no body). */
  body?: unknown;
  /** Set when `body` is already text and must be sent as it is. */
  text?: string;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): VbrReply {
  return { status, headers: { ...headers, 'Content-Type': JSON_TYPE }, body };
}

export function htmlReply(status: number, html: string): VbrReply {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, text: html };
}

/** The bytes of an answer. */
export function replyBytes(reply: VbrReply): Buffer {
  if (reply.text !== undefined) return Buffer.from(reply.text);
  if (reply.body === undefined) return Buffer.alloc(0);
  return Buffer.from(JSON.stringify(reply.body));
}
