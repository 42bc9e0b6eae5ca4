import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/** One CONNECT the proxy was asked for. */
export interface ProxiedConnect {
  target: string;
  headers: Record<string, string | string[] | undefined>;
  /** 200 when the tunnel was opened, else the refusal status. */
  status: number;
}

export interface TestProxyOptions {
  /** `user:password` the proxy demands in `Proxy-Authorization: Basic`; none: no authentication. */
  auth?: string;
  /** Targets (`host:port`) the proxy refuses with 403. */
  deny?: string[];
}

/**
 * A small HTTP CONNECT proxy on loopback, like a corporate one: it tunnels TLS it cannot read, optionally
 * demands Basic authentication (407), and records what it was asked and every byte it carried, so a test
 * can show that only the target server ever sees the credentials.
 */
export class TestProxy {
  readonly connects: ProxiedConnect[] = [];
  /** Everything that went through the tunnels, both ways. */
  private readonly carried: Buffer[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly options: TestProxyOptions) {
    this.server = http.createServer((req, res) => {
      res.writeHead(405, { 'Content-Type': 'text/plain' });
      res.end('This proxy only tunnels (CONNECT).\n');
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('connect', (req, client: net.Socket, head: Buffer) => this.tunnel(req, client, head));
  }

  static async start(options: TestProxyOptions = {}): Promise<TestProxy> {
    const proxy = new TestProxy(options);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `http://127.0.0.1:PORT`, with `user:password@` when given. */
  url(credentials?: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://${credentials ? `${credentials}@` : ''}127.0.0.1:${port}`;
  }

  /** All bytes the tunnels carried, as latin1 text to search. */
  carriedText(): string {
    return Buffer.concat(this.carried).toString('latin1');
  }

  clear(): void {
    this.connects.length = 0;
    this.carried.length = 0;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private tunnel(req: http.IncomingMessage, client: net.Socket, head: Buffer): void {
    const target = req.url ?? '';
    const refuse = (status: number, text: string, extra = '') => {
      this.connects.push({ target, headers: req.headers, status });
      client.end(`HTTP/1.1 ${status} ${text}\r\n${extra}Content-Length: 0\r\n\r\n`);
    };
    if (this.options.auth) {
      const expected = `Basic ${Buffer.from(this.options.auth).toString('base64')}`;
      if (req.headers['proxy-authorization'] !== expected) {
        return refuse(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="test proxy"\r\n');
      }
    }
    if (this.options.deny?.includes(target)) return refuse(403, 'Forbidden');
    const [host, port] = splitTarget(target);
    const upstream = net.connect(port, host, () => {
      this.connects.push({ target, headers: req.headers, status: 200 });
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      client.on('data', (b: Buffer) => this.carried.push(b));
      upstream.on('data', (b: Buffer) => this.carried.push(b));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', () => {
      if (!client.destroyed && upstream.connecting) refuse(502, 'Bad Gateway');
      client.destroy();
    });
    client.on('error', () => upstream.destroy());
  }
}

function splitTarget(target: string): [string, number] {
  const at = target.lastIndexOf(':');
  return [target.slice(0, at).replace(/^\[|\]$/g, ''), Number(target.slice(at + 1))];
}
