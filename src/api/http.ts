import * as tls from 'node:tls';
import { request, undici, type Connector, type ConnectorOptions, type Dispatcher, type EnvHttpProxyAgentOptions } from './undici';
import {
  ApiError,
  CancelledError,
  CertificateInfo,
  NetworkError,
  ProtocolError,
  TimeoutError,
  TlsError,
  TooLargeError,
} from './errors';
import { OFF_THREAD_BYTES } from './parse';
import { redactUrl } from './redact';
import type { RawResponse, TransportOptions } from './session';

/** One request as the sessions build it; headers are sent exactly as given. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

const TLS_VERIFY_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'The server\u2019s certificate is self-signed.',
  SELF_SIGNED_CERT_IN_CHAIN: 'The server\u2019s certificate chain ends in a self-signed CA that is not trusted.',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'The server\u2019s certificate was issued by a CA that is not trusted.',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'The server\u2019s certificate was issued by a CA that is not trusted.',
  UNABLE_TO_GET_ISSUER_CERT: 'The server\u2019s certificate was issued by a CA that is not trusted.',
  CERT_HAS_EXPIRED: 'The server\u2019s certificate has expired.',
  CERT_NOT_YET_VALID: 'The server\u2019s certificate is not valid yet.',
  ERR_TLS_CERT_ALTNAME_INVALID: 'The server\u2019s certificate was issued for another host name.',
  CERT_SIGNATURE_FAILURE: 'The server\u2019s certificate signature is invalid.',
  CERT_REVOKED: 'The server\u2019s certificate has been revoked.',
};

const TRUST_HINT =
  'Trust this certificate for this connection (its SHA-256 fingerprint is pinned), or give the connection the CA file that issued it.';

/** `ab:CD:ef…` or `abcdef…` → `AB:CD:EF:…` (Node's fingerprint256 form). */
export function normalizeFingerprint(hex: string): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return clean.match(/.{1,2}/g)?.join(':') ?? '';
}

function describeCertificate(cert: tls.PeerCertificate): CertificateInfo {
  const name = (n: tls.Certificate | undefined) =>
    n ? Object.entries(n).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ') : '';
  const subject = name(cert.subject);
  const issuer = name(cert.issuer);
  return {
    fingerprint256: cert.fingerprint256,
    subject,
    issuer,
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    selfSigned: subject === issuer,
  };
}

/** Connects to the URL's origin without verifying and returns the certificate it presents. */
export function probeCertificate(url: string, timeoutMs = 10_000, signal?: AbortSignal): Promise<CertificateInfo> {
  const u = new URL(url);
  const port = Number(u.port || 443);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      servername: isIpAddress(host) ? undefined : host,
      rejectUnauthorized: false,
      timeout: timeoutMs,
    });
    const done = (err?: Error, info?: CertificateInfo) => {
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (err) reject(err);
      else resolve(info!);
    };
    const onAbort = () => done(new CancelledError(url));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      if (!cert || !cert.fingerprint256) done(new TlsError('The server presented no certificate.', undefined, url));
      else done(undefined, describeCertificate(cert));
    });
    socket.once('timeout', () => done(new TimeoutError(`No TLS handshake with ${u.host} within ${timeoutMs / 1000} s.`, undefined, url)));
    socket.once('error', (err) => done(mapError(err, url, timeoutMs)));
  });
}

function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** Requests to one server at a time, each on its own kept-alive connection; more wait for a free one (the command line walks 4 at a time). */
export const CONNECTIONS_PER_ORIGIN = 4;

/**
 * HTTPS to one origin through its own undici Agent: the TLS policy (CA, pinned fingerprint),
 * timeouts and the response size cap of one connection. Never follows redirects.
 */
export class HttpTransport {
  private readonly dispatcher: Dispatcher;
  private readonly pinned?: string;
  /** The proxy this transport may use, for messages (credentials removed); undefined: direct. */
  private readonly proxyUrl?: URL;
  /** A proxy setting that cannot be used: every request fails with it rather than going direct unasked. */
  private readonly configError?: ApiError;

  constructor(private readonly options: TransportOptions) {
    const { Agent, EnvHttpProxyAgent, Pool, buildConnector } = undici();
    this.pinned = options.fingerprint ? normalizeFingerprint(options.fingerprint) : undefined;
    const timeout = options.timeoutMs;
    const verify = !options.insecure && !this.pinned;
    // A resumed TLS session carries no peer certificate, so a pinned connection must do full handshakes.
    const requestTls = {
      rejectUnauthorized: verify,
      ca: options.ca ? [...tls.rootCertificates, options.ca] : undefined,
      timeout,
      ...(this.pinned ? { maxCachedSessions: 0 } : {}),
    } as ConnectorOptions;
    const pinned = this.pinned;
    // Every pool gets its sockets through this check, direct or tunnelled through a proxy.
    const factory = (origin: string | URL, opts: object): Dispatcher => {
      const connect = (opts as { connect?: Connector }).connect ?? buildConnector(requestTls);
      return new Pool(origin, { ...opts, connect: pinned ? pinnedConnector(connect, pinned) : connect });
    };
    const common = { headersTimeout: timeout, bodyTimeout: timeout, keepAliveTimeout: 30_000, connections: CONNECTIONS_PER_ORIGIN, factory };
    const proxy = options.proxy;
    const proxyUrl = proxy === 'direct' ? undefined : proxy?.url ?? process.env.https_proxy ?? process.env.HTTPS_PROXY;
    if (proxy === 'direct' || !proxyUrl) {
      this.dispatcher = new Agent({ ...common, connect: buildConnector(requestTls) });
      return;
    }
    try {
      this.proxyUrl = new URL(proxyUrl);
      if (!/^https?:$/.test(this.proxyUrl.protocol)) throw new Error(`${this.proxyUrl.protocol} proxies are not supported`);
    } catch (err) {
      this.configError = new NetworkError(
        `The proxy setting “${redactUrl(proxyUrl)}”${proxy?.source ? ` (${proxy.source})` : ''} is not a usable proxy URL: ${(err as Error).message}.`,
        'Give it as http://host:port, or set this connection to go direct.',
      );
      this.dispatcher = new Agent({ ...common, connect: buildConnector(requestTls) });
      return;
    }
    const noProxy = proxy?.noProxy?.length ? proxy.noProxy.join(',') : undefined;
    this.dispatcher = new EnvHttpProxyAgent({
      ...common,
      connect: buildConnector(requestTls),
      httpProxy: this.proxyUrl.href,
      httpsProxy: this.proxyUrl.href,
      noProxy,
      requestTls,
      proxyTls: { rejectUnauthorized: proxy?.strictSSL ?? true },
      ...(proxy?.authorization && !this.proxyUrl.username ? { token: proxy.authorization } : {}),
    } as EnvHttpProxyAgentOptions);
    options.log?.(`Proxy for ${noProxy ? `hosts other than ${noProxy}` : 'every host'}: ${redactUrl(this.proxyUrl.href)}${proxy?.source ? ` (${proxy.source})` : ''}.`);
  }

  /** Sends a request and reads the whole body (up to the size cap). Errors become ApiErrors. */
  async send(req: OutgoingRequest): Promise<RawResponse> {
    const started = Date.now();
    const url = req.url;
    const { signal } = req;
    if (signal?.aborted) throw new CancelledError(url);
    if (this.configError) throw this.configError;
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        signal,
        dispatcher: this.dispatcher,
      });
    } catch (err) {
      const mapped = await this.mapFailure(err, url, signal);
      this.options.log?.(`${req.method} ${redactUrl(url)} failed: ${mapped.message}`);
      throw mapped;
    }
    const headers = flattenHeaders(response.headers);
    const declared = Number(response.headers['content-length']);
    const cap = this.options.maxBodyBytes;
    if (Number.isFinite(declared) && declared > cap) {
      response.body.destroy();
      throw tooLarge(url, cap, declared);
    }
    // With a Content-Length the body is copied once into a buffer of that size, not collected and then joined.
    // A large one goes into shared memory: the parser thread reads it where it is, without a copy (see parse.ts).
    const whole = !Number.isFinite(declared) || declared <= 64 * 1024 ? undefined : declared >= OFF_THREAD_BYTES ? Buffer.from(new SharedArrayBuffer(declared)) : Buffer.allocUnsafe(declared);
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        const bytes = chunk as Buffer;
        if (size + bytes.length > cap) {
          response.body.destroy();
          throw tooLarge(url, cap);
        }
        if (whole && !chunks.length && size + bytes.length <= whole.length) {
          bytes.copy(whole, size);
        } else {
          // More than announced (undici would object): join what came instead.
          if (whole && !chunks.length) chunks.push(whole.subarray(0, size));
          chunks.push(bytes);
        }
        size += bytes.length;
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const mapped = await this.mapFailure(err, url, signal, true);
      this.options.log?.(`${req.method} ${redactUrl(url)} → ${response.statusCode}, body failed: ${mapped.message}`);
      throw mapped;
    }
    const durationMs = Date.now() - started;
    const contentType = response.headers['content-type'];
    this.options.log?.(`${req.method} ${redactUrl(url)} → ${response.statusCode} (${durationMs} ms, ${formatBytes(size)})`);
    return {
      method: req.method,
      url,
      status: response.statusCode,
      statusText: statusText(response.statusCode),
      headers,
      body: !chunks.length && whole ? whole.subarray(0, size) : Buffer.concat(chunks, size),
      contentType: Array.isArray(contentType) ? contentType[0] : contentType,
      durationMs,
      receivedAt: new Date(),
    };
  }

  /** Closes the pooled connections. */
  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => this.dispatcher.destroy());
  }

  private async mapFailure(err: unknown, url: string, signal: AbortSignal | undefined, midBody = false): Promise<ApiError> {
    if (signal?.aborted) return new CancelledError(url);
    if (err instanceof PinMismatch) {
      return new TlsError(
        `The server\u2019s certificate has changed: it no longer matches the one trusted for this connection (trusted ${err.expected}, now ${err.actual?.fingerprint256 ?? 'none'}).`,
        'If the server\u2019s certificate was renewed, check the new fingerprint with its administrator and trust it again; otherwise someone may be intercepting the connection.',
        url,
        err.actual,
        'PIN_MISMATCH',
      );
    }
    const viaProxy = this.proxyUrl && proxyFailure(err, this.proxyUrl, url, this.options.proxy);
    if (viaProxy) return viaProxy;
    const mapped = mapError(err, url, this.options.timeoutMs, midBody);
    if (mapped instanceof TlsError && !mapped.certificate && mapped.code && mapped.code in TLS_VERIFY_CODES) {
      const certificate = await probeCertificate(url, Math.min(this.options.timeoutMs, 10_000)).catch(() => undefined);
      return new TlsError(mapped.message, mapped.hint, url, certificate, mapped.code, { cause: err });
    }
    return mapped;
  }
}

/** Hands on a socket only when its certificate has the pinned fingerprint. */
function pinnedConnector(connect: Connector, pinned: string): Connector {
  return (opts, callback) =>
    connect(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'), null);
      const cert = (socket as tls.TLSSocket).getPeerCertificate?.();
      if (!cert?.fingerprint256 || cert.fingerprint256 !== pinned) {
        socket.destroy();
        return callback(new PinMismatch(pinned, cert ? describeCertificate(cert) : undefined), null);
      }
      callback(null, socket);
    });
}

/** A failure of the proxy itself (refused, authentication, CONNECT refused), told as such; undefined for any other. */
function proxyFailure(err: unknown, proxy: URL, url: string, settings: TransportOptions['proxy']): ApiError | undefined {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException & { port?: number }; port?: number };
  const where = `${proxy.protocol}//${proxy.host}`;
  const source = settings !== 'direct' && settings?.source ? settings.source : 'HTTPS_PROXY';
  const status = /Proxy response \((\d+)\)/.exec(e?.message ?? '')?.[1] ?? /Proxy response \((\d+)\)/.exec(e?.cause?.message ?? '')?.[1];
  if (status === '407' || /Proxy Authentication Required/i.test(e?.message ?? '')) {
    return new NetworkError(
      `The proxy ${where} asks for authentication (407 Proxy Authentication Required) and refused the credentials given, if any.`,
      `Put the proxy user and password in the proxy URL (${source}: http://user:password@host:port) or set http.proxyAuthorization; or set this connection to go direct.`,
      url,
      { cause: err },
    );
  }
  if (status) {
    return new NetworkError(
      `The proxy ${where} refused to connect to ${safeHost(url)} (it answered ${status}).`,
      `The proxy may not allow this host or port; add the host to http.noProxy / NO_PROXY, or set this connection to go direct.`,
      url,
      { cause: err },
    );
  }
  const code = e?.code ?? e?.cause?.code;
  const port = e?.port ?? e?.cause?.port;
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code) && (port === proxyPort || code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
    const hostname = (e?.cause as { hostname?: string } | undefined)?.hostname ?? (e as { hostname?: string }).hostname;
    if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && hostname && hostname !== proxy.hostname) return undefined;
    return new NetworkError(
      `The proxy ${where} (${source}) cannot be reached: ${code}.`,
      'Check the proxy setting, or set this connection to go direct.',
      url,
      { cause: err },
    );
  }
  return undefined;
}

class PinMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly actual: CertificateInfo | undefined,
  ) {
    super('certificate fingerprint mismatch');
  }
}

function tooLarge(url: string, cap: number, declared?: number): TooLargeError {
  const size = declared ? ` (${formatBytes(declared)})` : '';
  return new TooLargeError(
    `The response${size} is larger than the ${formatBytes(cap)} limit; it was not read.`,
    'Raise the maximum response size in the settings if you need it.',
    url,
    cap,
    declared,
  );
}

/** Node, undici and TLS errors as the ApiError a user can act on. */
export function mapError(err: unknown, url: string, timeoutMs: number, midBody = false): ApiError {
  if (err instanceof ApiError) return err;
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = e?.code ?? e?.cause?.code;
  const host = safeHost(url);
  if (e?.name === 'AbortError' || code === 'ABORT_ERR' || err instanceof undici().errors.RequestAbortedError) {
    return new CancelledError(url);
  }
  if (code && code in TLS_VERIFY_CODES) {
    return new TlsError(TLS_VERIFY_CODES[code], TRUST_HINT, url, undefined, code, { cause: err });
  }
  const seconds = Math.round(timeoutMs / 1000);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return new TimeoutError(`Could not connect to ${host} within ${seconds} s.`, 'Check the host name, port, VPN and firewall.', url, { cause: err });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new TimeoutError(`${host} accepted the connection but did not answer within ${seconds} s.`, 'The server may be overloaded; try again or raise the request timeout in the settings.', url, { cause: err });
    case 'UND_ERR_BODY_TIMEOUT':
      return new TimeoutError(`${host} stopped sending the response for ${seconds} s.`, 'Try again or raise the request timeout in the settings.', url, { cause: err });
    case 'ECONNREFUSED':
      return new NetworkError(`${host} refused the connection.`, 'Check that the service is running and the port is right (Enterprise Manager 9398, Service Provider Console 1280).', url, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new NetworkError(`The host name ${safeHostname(url)} could not be resolved.`, 'Check the spelling, DNS or VPN.', url, { cause: err });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return new NetworkError(`${host} is unreachable.`, 'Check the network, VPN and firewall.', url, { cause: err });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new NetworkError(
        midBody ? `${host} closed the connection in the middle of the response.` : `${host} closed the connection.`,
        'Try again; a proxy or firewall may be cutting the connection.',
        url,
        { cause: err },
      );
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new ProtocolError(`The response from ${host} was shorter than announced (truncated).`, 'Try again.', url, { cause: err });
  }
  if (code && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.includes('CERT'))) {
    return new TlsError(`The TLS handshake with ${host} failed (${code}).`, 'Check that the URL points to the HTTPS port of the service.', url, undefined, code, { cause: err });
  }
  const message = e?.message ?? String(err);
  if (/wrong version number|packet length too long|ssl3_get_record/i.test(message)) {
    return new TlsError(`The TLS handshake with ${host} failed: the port does not speak HTTPS.`, 'Check the port and that the URL starts with https://.', url, undefined, code, { cause: err });
  }
  return new NetworkError(`Request to ${host} failed: ${message}`, undefined, url, { cause: err });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function safeHostname(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push([name.toLowerCase(), v]);
  }
  return out;
}

/** Bytes as "512 B", "4.2 KB", "50.0 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found',
  303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
  429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout', 520: 'Unknown Error',
};

export function statusText(status: number): string {
  return STATUS_TEXT[status] ?? '';
}
