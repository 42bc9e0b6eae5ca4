import type { IncomingMessage, ServerResponse } from 'node:http';

/** What both simulators share of their HTTP plumbing: a rendered answer and the `/__simulator` control endpoints. */

export const CONTROL_PREFIX = '/__simulator';
const JSON_TYPE = 'application/json; charset=utf-8';

/** An answer ready to send. */
export interface Rendered {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** Sends an answer with its Content-Length (none for 204). */
export function sendRendered(res: ServerResponse, rendered: Rendered): void {
  if (res.destroyed) return;
  const headers: Record<string, string> = { ...rendered.headers };
  if (rendered.status !== 204) headers['Content-Length'] = String(rendered.body.length);
  res.writeHead(rendered.status, headers);
  res.end(rendered.status === 204 ? undefined : rendered.body);
}

/**
 * A control endpoint by `METHOD /name` (e.g. `POST /faults`): returns a value to answer as JSON (200), or nothing
 * for 204. Throwing answers 400 with the message.
 */
export type ControlRoutes = Record<string, (body: string) => unknown>;

/** Test control, no authentication: answers `/__simulator/...` from the routes, 404 for any other. */
export function answerControl(req: IncomingMessage, res: ServerResponse, pathAndQuery: string, body: string, routes: ControlRoutes): void {
  const path = pathAndQuery.split('?')[0].replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const reply = (status: number, value?: unknown) => {
    const text = value === undefined ? '' : JSON.stringify(value);
    res.writeHead(status, value === undefined ? {} : { 'Content-Type': JSON_TYPE, 'Content-Length': String(Buffer.byteLength(text)) });
    res.end(value === undefined ? undefined : text);
  };
  const route = path.startsWith(CONTROL_PREFIX) ? routes[`${method} ${path.slice(CONTROL_PREFIX.length)}`] : undefined;
  if (!route) return reply(404, { error: `unknown control endpoint ${method} ${path}` });
  try {
    const value = route(body);
    reply(value === undefined ? 204 : 200, value);
  } catch (err) {
    reply(400, { error: (err as Error).message });
  }
}

/** A fault that changes what is sent, not whether: `truncated`, `empty`, `wrong-type`, `bad-utf8`, `html-body`. */
export function corruptAnswer(kind: string, rendered: Rendered): Rendered | undefined {
  switch (kind) {
    case 'html-body': {
      // The status and headers of the real answer (a logon's token included), with a portal's HTML page as the body.
      const page = Buffer.from('<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>Sign in</h1><p>Your session is being checked.</p></body></html>\n');
      return { ...rendered, headers: { ...rendered.headers, 'Content-Type': 'text/html; charset=utf-8' }, body: page };
    }
    case 'truncated':
      return { ...rendered, body: rendered.body.subarray(0, Math.floor(rendered.body.length / 2)) };
    case 'empty':
      return { status: 200, headers: { ...rendered.headers }, body: Buffer.alloc(0) };
    case 'wrong-type':
      return { ...rendered, headers: { ...rendered.headers, 'Content-Type': 'text/plain; charset=utf-8' } };
    case 'bad-utf8': {
      // A lone continuation byte and an overlong encoding, in the middle of the body.
      const half = Math.floor(rendered.body.length / 2);
      return { ...rendered, body: Buffer.concat([rendered.body.subarray(0, half), Buffer.from([0x80, 0xc0, 0xaf, 0xff]), rendered.body.subarray(half)]) };
    }
    default:
      return undefined;
  }
}

/** A `redirect` fault's answer: `status` (default 302) to `location` (default the same path on another origin). */
export function redirectAnswer(fault: { status?: number; location?: string }, pathAndQuery: string): Rendered {
  const location = fault.location ?? `https://elsewhere.invalid${pathAndQuery}`;
  return { status: fault.status ?? 302, headers: { Location: location, 'Content-Type': 'text/plain; charset=utf-8' }, body: Buffer.from(`Moved to ${location}\n`) };
}

/** Writes a chunk and waits while the socket's buffer is full; rejects when the client has gone. */
export function writeWithBackpressure(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (res.destroyed) return reject(new Error('client went away'));
    if (res.write(chunk)) return resolve();
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new Error('client went away'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}
