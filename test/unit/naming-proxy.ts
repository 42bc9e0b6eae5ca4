import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A CONNECT proxy on loopback that alone knows where some host names are (`names`: `host` → address), as a corporate
 * proxy reaches servers the client's own DNS does not know. A client that connects to such a name by itself fails to
 * resolve it: whatever it learns of the server came through this proxy. Records every CONNECT.
 */
export class NamingProxy {
  readonly connects: Array<{ target: string; status: number }> = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly names: Record<string, string>) {
    this.server = http.createServer((_req, res) => res.writeHead(405).end());
    this.server.on('connection', (socket: net.Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      const target = req.url ?? '';
      const at = target.lastIndexOf(':');
      const host = target.slice(0, at).replace(/^\[|\]$/g, '');
      const address = this.names[host.toLowerCase()];
      if (!address) {
        this.connects.push({ target, status: 502 });
        client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      const upstream = net.connect(Number(target.slice(at + 1)), address, () => {
        this.connects.push({ target, status: 200 });
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (head.length) upstream.write(head);
        client.pipe(upstream);
        upstream.pipe(client);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  }

  static async start(names: Record<string, string>): Promise<NamingProxy> {
    const proxy = new NamingProxy(Object.fromEntries(Object.entries(names).map(([k, v]) => [k.toLowerCase(), v])));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `http://127.0.0.1:PORT`. */
  url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
