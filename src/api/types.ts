import type { Resource } from './resource';

export type ApiKind = 'em' | 'vspc' | 'vbr';
export type Representation = 'xml' | 'json';

/** A configured connection as stored in settings: never holds a secret. */
export interface ConnectionDefinition {
  /** Stable id; the SecretStorage key of the password derives from it. */
  id: string;
  kind: ApiKind;
  name: string;
  /** Base URL as the user typed it, e.g. `https://em.example.com:9398/api/`. */
  url: string;
  username: string;
  /** False: the password is not stored and Log On asks for it each time. Default true. */
  storePassword?: boolean;
  /** EM representation; default xml. */
  representation?: Representation;
  /** VBR: the API revision (`x-api-version`, e.g. `1.2-rev1`); default the newest this extension knows. */
  apiVersion?: string;
  /** PEM file of a CA bundle to trust for this connection. */
  caFile?: string;
  /** SHA-256 fingerprint of a certificate the user chose to trust for this connection. */
  trustedFingerprint?: string;
  /** `direct`: never through a proxy, whatever `http.proxy` or `HTTPS_PROXY` say. Default: use the proxy settings. */
  proxy?: 'default' | 'direct';
}

/** A proxy as configured (VS Code's `http.proxy` family); what is left out falls back to `HTTPS_PROXY`/`NO_PROXY`. */
export interface ProxySettings {
  /** `http://[user:password@]host:port`; undefined: `HTTPS_PROXY`/`https_proxy` from the environment, if any. */
  url?: string;
  /** Hosts (`example.com`, `.example.com`, `host:port`) reached directly; undefined or empty: `NO_PROXY`. */
  noProxy?: string[];
  /** Verify an https:// proxy's own certificate (`http.proxyStrictSSL`); default true. */
  strictSSL?: boolean;
  /** A `Proxy-Authorization` header value (`http.proxyAuthorization`); a secret, never logged. */
  authorization?: string;
  /** Where the settings came from, for messages (e.g. "http.proxy"). */
  source?: string;
}

/** How the transport treats a connection. */
export interface TransportOptions {
  /** Per-request timeout (connect, headers, body idle), milliseconds. */
  timeoutMs: number;
  /**
   * The most one request may take in all, from sending it to the last byte of its body, milliseconds: the timeouts
   * above are idle times, and a server dripping a byte at a time never trips them. When it passes the request is
   * stopped with a TimeoutError. Default: 10 × `timeoutMs`, at least 5 minutes (the transport computes it).
   */
  deadlineMs?: number;
  /** Bodies larger than this are refused without being read into memory. */
  maxBodyBytes: number;
  /** PEM text of extra CAs to trust. */
  ca?: string;
  /** Trust exactly the certificate with this SHA-256 fingerprint (hex, colons optional). */
  fingerprint?: string;
  /** Accept any certificate (command line `--insecure` only). */
  insecure?: boolean;
  /** `direct` or a proxy; undefined: the environment's `HTTPS_PROXY`/`NO_PROXY`, if any. */
  proxy?: ProxySettings | 'direct';
  /** Request lines with secrets redacted; response status and timing. */
  log?: (line: string) => void;
  userAgent?: string;
  /** Something the user should see while a request waits (e.g. throttling: "retrying in 30 s"). */
  notice?: (notice: WaitNotice) => void;
}

/**
 * Something the user should see while a request waits, as data (the UI and the command line word it):
 * `throttled`, the server answered 429 and the request is sent again in `seconds`.
 */
export type WaitNotice = { code: 'throttled'; seconds: number };

/** Exactly what the server sent, kept so the user can see it raw. */
export interface RawResponse {
  method: string;
  url: string;
  status: number;
  statusText: string;
  /** Response headers in order received, names lower-case. */
  headers: Array<[string, string]>;
  body: Buffer;
  contentType?: string;
  durationMs: number;
  receivedAt: Date;
}

/** A parsed response and the raw one it came from. */
export interface Fetched {
  resource: Resource;
  raw: RawResponse;
}

export interface LogonInfo {
  userName: string;
  /** EM: the version used in the logon URL (`latest`, `v1_7`); VSPC: `v3`. */
  apiVersion?: string;
  /** EM: the LogonSession; VSPC: the navigation root. Its Down links are the tree's first level. */
  root: Resource;
  raw: RawResponse;
}

/** Asked for the password whenever a logon needs it; undefined means the user gave none. */
export type PasswordProvider = () => Promise<string | undefined>;

export type SessionState = 'loggedOff' | 'loggingOn' | 'loggedOn';

/** A logged-on conversation with one server; attaches credentials to its own origin only. */
export interface ApiSession {
  readonly kind: ApiKind;
  /** scheme://host:port the credentials belong to. */
  readonly origin: string;
  readonly state: SessionState;
  readonly logonInfo: LogonInfo | undefined;
  /** Log on (or return the current logon). Concurrent calls share one logon. */
  logon(signal?: AbortSignal): Promise<LogonInfo>;
  /** GET an href: same-origin requests carry the session, re-logon once on expiry. */
  get(href: string, signal?: AbortSignal): Promise<Fetched>;
  /** Delete the session on the server and forget the token. Never throws for an already-gone session. */
  logoff(signal?: AbortSignal): Promise<void>;
  /** Close connections. */
  dispose(): Promise<void>;
  /** Every token the server issued to this session, current and past (bounded): to redact, never to show. */
  secrets(): readonly string[];
  /** Called on every state change (logon, expiry, logoff). */
  onStateChange(listener: (state: SessionState) => void): () => void;
}
