// A total deadline per request: undici's header and body timeouts are idle times, so a server that drips a byte at a
// time never trips them. The deadline covers everything from sending the request to the last byte of the body.
import { strict as assert } from 'node:assert';
import * as https from 'node:https';
import type * as http from 'node:http';
import type * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { before, describe, it } from 'node:test';
import { createSession, TimeoutError, type TransportOptions } from '../../src/api';
import { defaultDeadlineMs, HttpTransport } from '../../src/api/transport/http';
import { createLoopbackCertificate, type SimulatorCertificate } from '../simulator/tls';

let cert: SimulatorCertificate;

/** An HTTPS server on loopback that counts the connections it sees open and close, and stops every drip on close. */
async function dripServer(handler: (req: http.IncomingMessage, res: http.ServerResponse, drip: (write: () => void) => void) => void) {
  const timers = new Set<NodeJS.Timeout>();
  const opened: number[] = [];
  const closed: number[] = [];
  const server = https.createServer({ key: cert.key, cert: cert.pem }, (req, res) => {
    // One byte every 200 ms, for as long as the client stays.
    const drip = (write: () => void) => {
      const timer = setInterval(() => (res.socket?.destroyed ? clearInterval(timer) : write()), 200);
      timers.add(timer);
      res.socket?.on('close', () => clearInterval(timer));
    };
    handler(req, res, drip);
  });
  server.on('connection', (socket: net.Socket) => {
    opened.push(Date.now());
    socket.on('close', () => closed.push(Date.now()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    opened,
    closed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until(condition: () => boolean, what: string, withinMs: number): Promise<void> {
  const end = Date.now() + withinMs;
  while (!condition()) {
    assert.ok(Date.now() < end, `${what}: not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The promise, or a failure when it has not settled after `ms` (without a deadline, a dripping request never does). */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const options = (extra: Partial<TransportOptions> = {}): TransportOptions => ({ timeoutMs: 1000, deadlineMs: 3000, maxBodyBytes: 1024 * 1024, ca: cert.pem, ...extra });

before(async () => {
  cert = await createLoopbackCertificate();
});

describe('a total deadline per request', () => {
  it('the default is ten times the timeout, at least 5 minutes', () => {
    assert.equal(defaultDeadlineMs(30_000), 300_000);
    assert.equal(defaultDeadlineMs(1000), 300_000);
    assert.equal(defaultDeadlineMs(120_000), 1_200_000);
  });

  // Headers: undici's header timeout already counts from the request, so the deadline is set below it to show it covers them.
  const cases: Array<[string, Partial<TransportOptions>, (req: http.IncomingMessage, res: http.ServerResponse, drip: (write: () => void) => void) => void]> = [
    [
      'a body dripped one byte every 200 ms',
      {},
      (_req, res, drip) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"a":"');
        drip(() => res.write('x'));
      },
    ],
    [
      'headers dripped one byte every 200 ms',
      { timeoutMs: 10_000 },
      (req, _res, drip) => {
        req.socket.write('HTTP/1.1 200 OK\r\nX-Drip: ');
        drip(() => req.socket.write('x'));
      },
    ],
  ];
  for (const [what, extra, handler] of cases) {
    it(`${what} ends in a TimeoutError after the deadline, and the connection is closed`, async () => {
      const server = await dripServer(handler);
      const transport = new HttpTransport(options(extra));
      try {
        const started = Date.now();
        const err = await within(
          15_000,
          transport.send({ method: 'GET', url: `${server.url}/api/jobs`, headers: { Accept: 'application/json' } }).then(
            () => assert.fail('the request ended without an error'),
            (e: unknown) => e,
          ),
        );
        const took = Date.now() - started;
        assert.ok(err instanceof TimeoutError, `expected a TimeoutError, got ${String(err)}`);
        assert.match(err.message, /whole response from 127\.0\.0\.1:\d+ took longer than 3 s/);
        assert.ok(took >= 2900 && took < 8000, `ended after ${took} ms (deadline 3000 ms)`);
        await until(() => server.opened.length > 0 && server.closed.length === server.opened.length, 'the server saw the connection close', 5000);
      } finally {
        // The server first: without a deadline the request is still running, and closing the transport waits for it.
        await server.close();
        await transport.close();
      }
    });
  }

  it('a log off whose answer drips ends too (the session forgets itself and says why in the log)', async () => {
    let origin = '';
    const server = await dripServer((req, res, drip) => {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && req.url === '/api/') return json(200, { Links: [{ Rel: 'Create', Href: `${origin}/api/sessionMngr/?v=latest`, Type: 'LogonSession' }] });
      if (req.method === 'POST') return json(201, { UserName: 'u', Href: `${origin}/api/logonSessions/1`, Links: [{ Rel: 'Delete', Href: `${origin}/api/logonSessions/1` }] }, { 'X-RestSvcSessionId': 'dGVzdA==' });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      drip(() => res.write(' '));
    });
    origin = server.url;
    const log: string[] = [];
    const session = createSession({ id: 'd', kind: 'em', name: 'drip', url: `${origin}/api/`, username: 'u', representation: 'json' }, options({ log: (l) => log.push(l) }), async () => 'password');
    try {
      await session.logon();
      const started = Date.now();
      await within(15_000, session.logoff());
      const took = Date.now() - started;
      assert.ok(took >= 2900 && took < 8000, `log off took ${took} ms (deadline 3000 ms)`);
      assert.equal(session.state, 'loggedOff');
      assert.ok(log.some((l) => /Log off from .* failed: The whole response .* took longer than 3 s/.test(l)), log.join('\n'));
    } finally {
      await server.close();
      await session.dispose();
    }
  });

  it('a cancel during the wait is still a cancel, not a timeout', async () => {
    const server = await dripServer((_req, res, drip) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      drip(() => res.write(' '));
    });
    const transport = new HttpTransport(options({ deadlineMs: 60_000 }));
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 500);
      await assert.rejects(transport.send({ method: 'GET', url: `${server.url}/x`, headers: {}, signal: controller.signal }), (err: Error & { kind?: string }) => err.kind === 'cancelled');
    } finally {
      await server.close();
      await transport.close();
    }
  });
});

