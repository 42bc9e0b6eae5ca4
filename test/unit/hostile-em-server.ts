// A hostile Enterprise Manager for the command line's tests: it logs on as the documented flow wants (root, Create
// link, 201 with X-RestSvcSessionId, DELETE to log off) and then answers every other request the way a test scripts
// it. It counts logons and logoffs, and records every request with its headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SimulatorCertificate } from '../simulator/tls';

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  /** A string, or a function that writes the body itself (drips, huge bodies). */
  body?: string | ((res: ServerResponse) => void);
}

export interface HostileEm {
  origin: string;
  logons: number;
  logoffs: number;
  requests: Array<{ method: string; path: string; headers: IncomingMessage['headers'] }>;
  /** The token it issues: a test looks for it in the output. */
  token: string;
  close(): Promise<void>;
}

const NS = 'http://www.veeam.com/ent/v1.0';

/** `answer` gets every request that is not the logon flow; `links` are the logon session's Down links (paths or URLs). */
export async function startHostileEm(cert: SimulatorCertificate, answer: (path: string, req: IncomingMessage) => Answer, links: string[] = ['/api/jobs']): Promise<HostileEm> {
  const state: Omit<HostileEm, 'close'> = { origin: '', logons: 0, logoffs: 0, requests: [], token: 'SG9zdGlsZVRva2VuLTEyMzQ1Njc4OTA=' };
  const server = https.createServer({ key: cert.key, cert: cert.pem }, (req, res) => {
    const path = req.url ?? '/';
    state.requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'Content-Type': 'application/xml; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), ...headers });
      res.end(body);
    };
    if (req.method === 'GET' && path === '/api/') {
      return send(200, `<EnterpriseManager xmlns="${NS}" Href="${state.origin}/api/" Type="EnterpriseManager"><Links><Link Rel="Create" Type="LogonSession" Href="${state.origin}/api/sessionMngr/?v=latest"/></Links></EnterpriseManager>`);
    }
    if (req.method === 'POST' && path.startsWith('/api/sessionMngr/')) {
      state.logons++;
      const down = links.map((l) => `<Link Rel="Down" Type="Thing" Href="${escapeAttribute(l.startsWith('/') ? state.origin + l : l)}"/>`).join('');
      return send(
        201,
        `<LogonSession xmlns="${NS}" Href="${state.origin}/api/logonSessions/s1" Type="LogonSession"><Links>${down}<Link Rel="Delete" Href="${state.origin}/api/logonSessions/s1"/></Links><UserName>u</UserName><SessionId>s1</SessionId></LogonSession>`,
        { 'X-RestSvcSessionId': state.token },
      );
    }
    if (req.method === 'DELETE' && path.startsWith('/api/logonSessions/')) {
      state.logoffs++;
      res.writeHead(204);
      return res.end();
    }
    const a = answer(path, req);
    if (typeof a.body === 'function') {
      res.writeHead(a.status ?? 200, { 'Content-Type': 'application/xml', ...a.headers });
      return a.body(res);
    }
    send(a.status ?? 200, a.body ?? '', a.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** An XML attribute value: quotes and markup escaped; control characters as character references. */
export function escapeAttribute(text: string): string {
  return text.replace(/[&<>"\u0000-\u001f]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An EM list (`EntityReferences`) whose references have these hrefs (written as given, escaped for XML). */
export function emList(origin: string, hrefs: string[], next?: string): string {
  const refs = hrefs.map((h, i) => `<Ref Type="JobReference" Name="job ${i}" UID="urn:veeam:Job:${i}" Href="${escapeAttribute(h)}"><Links/></Ref>`).join('');
  const paging = next === undefined ? '' : `<PagingInfo PageNum="1" PageSize="1" PagesCount="99999"><Links><Link Rel="Next" Href="${escapeAttribute(next)}"/></Links></PagingInfo>`;
  return `<QueryResult xmlns="${NS}"><Refs>${refs}</Refs>${paging}</QueryResult>`.replace('<QueryResult', `<QueryResult Href="${origin}/api/query"`);
}
