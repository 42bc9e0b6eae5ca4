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
