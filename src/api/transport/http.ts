import * as tls from 'node:tls';
import { request, undici, type Connector, type ConnectorOptions, type Dispatcher, type EnvHttpProxyAgentOptions } from './undici';
import {
  ApiError,
  CancelledError,
  NetworkError,
  ProtocolError,
  TimeoutError,
  TlsError,
  TooLargeError,
} from '../errors';
import { CertificateRefused, PinMismatch, pinnedConnector, verifiedConnector } from './certificate-check';
import { say, type MessageCode, type Wording } from '../messages';
import { redactUrl } from '../redact';
import type { RawResponse, TransportOptions } from '../types';
import { SHARED_BODY_BYTES } from './body';

/** One request as the sessions build it; headers are sent exactly as given. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

/** What Node's certificate verification codes say. */
const TLS_VERIFY_CODES: Record<string, MessageCode> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls.self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls.self-signed-chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls.unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls.unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT: 'tls.unknown-ca',
  CERT_HAS_EXPIRED: 'tls.expired',
  CERT_NOT_YET_VALID: 'tls.not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls.other-host',
  CERT_SIGNATURE_FAILURE: 'tls.bad-signature',
  CERT_REVOKED: 'tls.revoked',
};

/** What a certificate Node refused with `code` says: its own sentence, or the code itself. */
function tlsVerifyWording(code: string): Wording {
  return Object.hasOwn(TLS_VERIFY_CODES, code) ? { code: TLS_VERIFY_CODES[code] } : say('tls.unverified', { code });
}

const TRUST_HINT = say('hint.trust-certificate');

/** `ab:CD:ef…` or `abcdef…` → `AB:CD:EF:…` (Node's fingerprint256 form). */
export function normalizeFingerprint(hex: string): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return clean.match(/.{1,2}/g)?.join(':') ?? '';
}

/**
 * How long a request may take in all when TransportOptions.deadlineMs is not given: 10 × its timeout, at least 5
 * minutes (in which a 50 MB body needs 170 KB/s).
 */
export function defaultDeadlineMs(timeoutMs: number): number {
  return Math.max(10 * timeoutMs, 5 * 60_000);
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
  /** The most a request may take, from sending it to the last byte of its body (TransportOptions.deadlineMs). */
  private readonly deadlineMs: number;

  constructor(private readonly options: TransportOptions) {
    const { Agent, EnvHttpProxyAgent, Pool, buildConnector } = undici();
    this.pinned = options.fingerprint ? normalizeFingerprint(options.fingerprint) : undefined;
    const timeout = options.timeoutMs;
    this.deadlineMs = options.deadlineMs ?? defaultDeadlineMs(timeout);
    const verify = !options.insecure && !this.pinned;
    // The certificate is checked on the socket once the handshake is over (verifiedConnector, pinnedConnector), not
    // by the TLS layer: so a refused certificate can still be read from the very connection that refused it, direct
    // or tunnelled through the proxy, and shown to the user (no second connection that might take another path).
    // No TLS session is resumed: a resumed session carries no peer certificate, and skips the host name check.
    const requestTls = {
      rejectUnauthorized: false,
      // One context for every connection: made from ~150 root certificates, it took tens of ms per connection.
      ...caOptions(options.ca),
      timeout,
      maxCachedSessions: 0,
    } as ConnectorOptions;
    const pinned = this.pinned;
    const check = (connect: Connector): Connector => (pinned ? pinnedConnector(connect, pinned) : verify ? verifiedConnector(connect) : connect);
    // Every pool gets its sockets through this check, direct or tunnelled through a proxy.
    const factory = (origin: string | URL, opts: object): Dispatcher => {
      const connect = (opts as { connect?: Connector }).connect ?? buildConnector(requestTls);
      return new Pool(origin, { ...opts, connect: check(connect) });
    };
    const common = { headersTimeout: timeout, bodyTimeout: timeout, keepAliveTimeout: 30_000, connections: CONNECTIONS_PER_ORIGIN, factory };
    const proxy = options.proxy;
    const proxyUrl = proxy === 'direct' ? undefined : proxy?.url ?? process.env.https_proxy ?? process.env.HTTPS_PROXY;
    if (proxy === 'direct' || !proxyUrl) {
      this.dispatcher = new Agent({ ...common, connect: buildConnector(requestTls) });
      return;
    }
    const parsed = URL.canParse(proxyUrl) ? new URL(proxyUrl) : undefined;
    if (!parsed || !/^https?:$/.test(parsed.protocol)) {
      const params = { proxy: redactUrl(proxyUrl), source: proxySource(proxy) };
      this.configError = new NetworkError(parsed ? say('proxy.scheme', { ...params, scheme: parsed.protocol }) : say('proxy.not-url', params), say('hint.proxy-url'));
      this.dispatcher = new Agent({ ...common, connect: buildConnector(requestTls) });
      return;
    }
    this.proxyUrl = parsed;
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
    const { signal } = req;
    if (signal?.aborted) throw new CancelledError(req.url);
    if (this.configError) throw this.configError;
    // The timeouts undici knows are idle times; a server that drips a byte now and then would hold a request forever.
    const stop = new Stop();
    const cancel = () => stop.abort();
    signal?.addEventListener('abort', cancel, { once: true });
    const timer = setTimeout(cancel, this.deadlineMs);
    try {
      return await this.sendWithin(req, stop, signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  /** `send`, aborted by `stop` (the caller's signal or the deadline); `signal` tells the two apart. */
  private async sendWithin(req: OutgoingRequest, stop: Stop, signal: AbortSignal | undefined): Promise<RawResponse> {
    const started = Date.now();
    const url = req.url;
    const failure = (err: unknown, midBody = false): ApiError =>
      !signal?.aborted && stop.aborted ? this.deadlineError(url) : this.mapFailure(err, url, signal, midBody);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(url, {
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        // undici's types name EventEmitter or AbortSignal; it reads `aborted` and calls `once`/`removeListener`.
        signal: stop as unknown as AbortSignal,
        dispatcher: this.dispatcher,
      });
    } catch (err) {
      const mapped = failure(err);
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
    const whole = !Number.isFinite(declared) || declared <= 64 * 1024 ? undefined : declared >= SHARED_BODY_BYTES ? Buffer.from(new SharedArrayBuffer(declared)) : Buffer.allocUnsafe(declared);
    let body: Buffer;
    try {
      body = await readBody(response.body, whole, cap, url);
    } catch (err) {
      if (err instanceof ApiError) throw err;
      const mapped = failure(err, true);
      this.options.log?.(`${req.method} ${redactUrl(url)} → ${response.statusCode}, body failed: ${mapped.message}`);
      throw mapped;
    }
    const size = body.length;
    const durationMs = Date.now() - started;
    const contentType = response.headers['content-type'];
    this.options.log?.(`${req.method} ${redactUrl(url)} → ${response.statusCode} (${durationMs} ms, ${formatBytes(size)})`);
    return {
      method: req.method,
      url,
      status: response.statusCode,
      statusText: statusText(response.statusCode),
      headers,
      body,
      contentType: Array.isArray(contentType) ? contentType[0] : contentType,
      durationMs,
      receivedAt: new Date(),
    };
  }

  /** Closes the pooled connections. */
  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => this.dispatcher.destroy());
  }

  private deadlineError(url: string): TimeoutError {
    // From 2 minutes in minutes.
    const host = safeHost(url);
    const seconds = Math.round(this.deadlineMs / 1000);
    const message =
      seconds < 120 ? say('response.deadline-seconds', { host, seconds }) : say('response.deadline-minutes', { host, minutes: Math.round(seconds / 60) });
    return new TimeoutError(message, say('hint.deadline'), url);
  }

  private mapFailure(err: unknown, url: string, signal: AbortSignal | undefined, midBody = false): ApiError {
    if (signal?.aborted) return new CancelledError(url);
    if (err instanceof CertificateRefused) {
      return new TlsError(tlsVerifyWording(err.code), TRUST_HINT, url, err.certificate, err.code, { cause: err });
    }
    if (err instanceof PinMismatch) {
      const presented = err.actual?.fingerprint256;
      return new TlsError(
        presented ? say('tls.pin-mismatch', { trusted: err.expected, presented }) : say('tls.pin-mismatch-unread', { trusted: err.expected }),
        say('hint.pin-changed'),
        url,
        err.actual,
        'PIN_MISMATCH',
      );
    }
    const viaProxy = this.proxyUrl && proxyFailure(err, this.proxyUrl, url, this.options.proxy);
    if (viaProxy) return viaProxy;
    return mapError(err, url, this.options.timeoutMs, midBody);
  }
}

/**
 * What stops one request (the caller's signal or the deadline), as undici takes it: any event emitter with `aborted`
 * and an `abort` event. An AbortController per request cost a walk about 12 µs a GET (its signal is an EventTarget, and
 * undici adds and removes a listener on it); this is a flag and one listener.
 */
class Stop {
  aborted = false;
  /** What undici rejects with: undefined, so it uses its own RequestAbortedError (mapError reads it as cancelled). */
  readonly reason: unknown = undefined;
  private listeners: Array<() => void> = [];

  on(event: string, listener: () => void): this {
    if (event === 'abort') this.listeners.push(listener);
    return this;
  }

  once(event: string, listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(event: string, listener: () => void): this {
    if (event === 'abort') this.listeners = this.listeners.filter((l) => l !== listener);
    return this;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}

/**
 * The whole body, at most `cap` bytes (more is a TooLargeError, the rest not read), copied into `whole` when its size
 * was announced. Read through the stream's events: an async iterator per response costs more than the copy.
 */
function readBody(body: Dispatcher.ResponseData['body'], whole: Buffer | undefined, cap: number, url: string): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: unknown) => {
      body.off('data', onData);
      reject(err);
    };
    const onData = (bytes: Buffer) => {
      if (size + bytes.length > cap) {
        body.off('data', onData);
        body.destroy();
        return fail(tooLarge(url, cap));
      }
      if (whole && !chunks.length && size + bytes.length <= whole.length) {
        bytes.copy(whole, size);
      } else {
        // More than announced (undici would object): join what came instead.
        if (whole && !chunks.length) chunks.push(whole.subarray(0, size));
        chunks.push(bytes);
      }
      size += bytes.length;
    };
    body.on('data', onData);
    body.once('error', fail);
    let ended = false;
    body.once('end', () => {
      ended = true;
      resolve(!chunks.length && whole ? whole.subarray(0, size) : Buffer.concat(chunks, size));
    });
    // Closed without an end or an error: the connection was cut mid-body (an error, if any, came first).
    body.once('close', () => {
      if (!ended) fail(Object.assign(new Error(), { code: 'UND_ERR_SOCKET' }));
    });
  });
}

/**
 * The CA bundle and the system's roots as one TLS context shared by every connection (made once: from ~150 root
 * certificates it took tens of ms per connection); a bundle Node cannot read is given as before, to fail at connect.
 */
function caOptions(ca: string | undefined): { secureContext?: tls.SecureContext; ca?: string[] } {
  if (!ca) return {};
  const all = [...tls.rootCertificates, ca];
  try {
    return { secureContext: tls.createSecureContext({ ca: all }) };
  } catch {
    return { ca: all };
  }
}

/** A failure of the proxy itself (refused, authentication, CONNECT refused), told as such; undefined for any other. */
function proxyFailure(err: unknown, proxy: URL, url: string, settings: TransportOptions['proxy']): ApiError | undefined {
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException & { port?: number }; port?: number };
  const where = `${proxy.protocol}//${proxy.host}`;
  const source = proxySource(settings);
  const status = /Proxy response \((\d+)\)/.exec(e?.message ?? '')?.[1] ?? /Proxy response \((\d+)\)/.exec(e?.cause?.message ?? '')?.[1];
  if (status === '407' || /Proxy Authentication Required/i.test(e?.message ?? '')) {
    return new NetworkError(say('proxy.auth', { proxy: where }), say('hint.proxy-credentials', { source }), url, { cause: err });
  }
  if (status) {
    return new NetworkError(say('proxy.refused-target', { proxy: where, host: safeHost(url), status }), say('hint.proxy-no-proxy'), url, { cause: err });
  }
  const code = e?.code ?? e?.cause?.code;
  const port = e?.port ?? e?.cause?.port;
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  if (code && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'].includes(code) && (port === proxyPort || code === 'ENOTFOUND' || code === 'EAI_AGAIN')) {
    const hostname = (e?.cause as { hostname?: string } | undefined)?.hostname ?? (e as { hostname?: string }).hostname;
    if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && hostname && hostname !== proxy.hostname) return undefined;
    return new NetworkError(say('proxy.unreachable', { proxy: where, source, code }), say('hint.proxy-setting'), url, { cause: err });
  }
  return undefined;
}

/** Where the proxy setting came from, for messages: the environment's HTTPS_PROXY when the settings do not say. */
function proxySource(settings: TransportOptions['proxy']): string {
  return settings !== 'direct' && settings?.source ? settings.source : 'HTTPS_PROXY';
}

function tooLarge(url: string, cap: number, declared?: number): TooLargeError {
  const limit = formatBytes(cap);
  return new TooLargeError(
    declared ? say('response.too-large', { size: formatBytes(declared), limit }) : say('response.too-large-unannounced', { limit }),
    say('hint.raise-size'),
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
    return new TlsError(tlsVerifyWording(code), TRUST_HINT, url, undefined, code, { cause: err });
  }
  const seconds = Math.round(timeoutMs / 1000);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return new TimeoutError(say('connect.timeout', { host, seconds }), say('hint.check-host'), url, { cause: err });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new TimeoutError(say('connect.no-answer', { host, seconds }), say('hint.server-busy'), url, { cause: err });
    case 'UND_ERR_BODY_TIMEOUT':
      return new TimeoutError(say('connect.body-stalled', { host, seconds }), say('hint.raise-timeout'), url, { cause: err });
    case 'ECONNREFUSED':
      return new NetworkError(say('connect.refused', { host }), say('hint.service-port'), url, { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new NetworkError(say('connect.unresolved', { hostname: safeHostname(url) }), say('hint.dns'), url, { cause: err });
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return new NetworkError(say('connect.unreachable', { host }), say('hint.network'), url, { cause: err });
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return new NetworkError(say(midBody ? 'connect.closed-mid-body' : 'connect.closed', { host }), say('hint.connection-cut'), url, { cause: err });
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return new ProtocolError(say('response.truncated', { host }), say('hint.try-again'), url, { cause: err });
  }
  if (code && (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || code.includes('CERT'))) {
    return new TlsError(say('tls.handshake', { host, code }), say('hint.https-port'), url, undefined, code, { cause: err });
  }
  const message = e?.message ?? String(err);
  if (/wrong version number|packet length too long|ssl3_get_record/i.test(message)) {
    return new TlsError(say('tls.not-https', { host }), say('hint.https-scheme'), url, undefined, code, { cause: err });
  }
  return new NetworkError(say('connect.failed', { host, reason: message }), undefined, url, { cause: err });
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

/** undici's headers (names in lower case already, as it parses them) as name/value pairs, a repeated one once per value. */
function flattenHeaders(headers: Record<string, string | string[] | undefined>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const name in headers) {
    const value = headers[name];
    if (typeof value === 'string') out.push([name, value]);
    else if (Array.isArray(value)) for (const v of value) out.push([name, v]);
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
