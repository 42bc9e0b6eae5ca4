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
  /**
   * `confirm` (default): actions run after a confirmation that shows what is sent; `off`: a read-only connection, no
   * action at all. The command line reads no connection, so it has no equivalent (its `--help` says so).
   */
  actions?: 'confirm' | 'off';
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
  /** Every exchange the session has with a server (GETs, actions, logons), once it is over: the request history. */
  onExchange?: (exchange: Exchange) => void;
}

/**
 * One request and its answer, as the history keeps it. A logon, renewal or logoff (`credentials`) carries neither
 * body: their forms and answers hold passwords and tokens.
 */
export interface Exchange {
  at: Date;
  method: string;
  /** As sent; query strings of this extension's requests hold no secret. */
  url: string;
  /** The HTTP status; undefined when no answer came (`error` says why). */
  status?: number;
  /** Why the exchange failed without an answer (network, timeout, cancelled), as the error's message. */
  error?: string;
  durationMs: number;
  /** Bytes of the response body. */
  size: number;
  /** True for a logon, renewal or logoff: no body of either side is kept. */
  credentials?: boolean;
  /** What an action sent (never a logon's form). */
  requestBody?: string;
  requestContentType?: string;
  /** The answer, for everything but `credentials` exchanges. */
  raw?: RawResponse;
}

/** Methods an action is sent with; GET is browsing, never an action. */
export type ActionMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One deliberate request other than GET, as the user confirmed it. */
export interface ActionRequest {
  method: ActionMethod;
  url: string;
  /** The body as the user wrote it; its content type defaults to the connection's representation (XML or JSON). */
  body?: string;
  contentType?: string;
}

/** What an action answered, and the work it started when it started some. */
export interface ActionResult {
  raw: RawResponse;
  /** The answer parsed, when it had a body the kind reads. */
  resource?: Resource;
  /** The task (EM), async action (VSPC) or session (VBR) the action started, to follow to its end. */
  task?: TrackedTask;
}

/** Where a running piece of work is read, and how it is cancelled when the API has a way. */
export interface TrackedTask {
  kind: ApiKind;
  /** The URL polled until the work ends (EM `/api/tasks/{id}`, VSPC `/api/v3/asyncActions/{id}`, VBR `/api/v1/sessions/{id}`). */
  url: string;
  /** The server-side cancel (EM DELETE of the task, VSPC DELETE of the async action, VBR `POST sessions/{id}/stop`). */
  cancel?: { method: ActionMethod; url: string };
  /** The operation's name as the server gives it (EM `Operation`, VSPC `actionName`, VBR `name`). */
  operation?: string;
}

export type TaskState = 'running' | 'succeeded' | 'failed' | 'canceled';

/** One reading of a running piece of work. Server text here is raw: sanitise before showing it. */
export interface TaskProgress {
  state: TaskState;
  /** The server's own word for the state (`Running`, `running`, `Working`, `Stopped`). */
  status: string;
  /** 0–100 when the server says. */
  percent?: number;
  /** The server's message (EM `Result/Message`, VBR `result.message`, VSPC the result's error). */
  message?: string;
  operation?: string;
  /** The document read. */
  raw: RawResponse;
}

/** How a followed piece of work ended. */
export interface TaskOutcome extends TaskProgress {
  state: Exclude<TaskState, 'running'>;
  /** VSPC: the answer of `…/asyncActions/{id}/result` (the operation's own answer, or its errors). */
  result?: RawResponse;
}

export interface FollowOptions {
  signal?: AbortSignal;
  /** Called with every reading whose state, percent or message differs from the one before. */
  onProgress?: (progress: TaskProgress) => void;
  /** First wait between readings, ms (default 1000); doubled each time up to `maxDelayMs` (default 10000). */
  minDelayMs?: number;
  maxDelayMs?: number;
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
  /**
   * Sends one action (a request other than GET) to the session's own origin, after a logon if needed. Never shared,
   * never sent again once it may have reached the server (a 401 or 429 answer means it did not run: those are renewed
   * or waited out and sent again); VSPC's `x-request-id` makes a retry after a network failure safe, with the same id.
   * A status of 300 or more is an ApiError carrying the response.
   */
  send(request: ActionRequest, signal?: AbortSignal): Promise<ActionResult>;
  /**
   * Reads a task until it ends, backing off between readings (1 s to 10 s), through 429s and a session expiry. Ends
   * with a CancelledError when the signal aborts: the work goes on on the server (see `cancel`).
   */
  follow(task: TrackedTask, options?: FollowOptions): Promise<TaskOutcome>;
  /** Sends the server-side cancel of a task; false when the API has none for it (only the waiting can stop). */
  cancel(task: TrackedTask, signal?: AbortSignal): Promise<boolean>;
  /** Delete the session on the server and forget the token. Never throws for an already-gone session. */
  logoff(signal?: AbortSignal): Promise<void>;
  /** Close connections. */
  dispose(): Promise<void>;
  /** Every token the server issued to this session, current and past (bounded): to redact, never to show. */
  secrets(): readonly string[];
  /**
   * The server's own OpenAPI document (VSPC, VBR), GET again from where the logon found it, after a logon if needed;
   * undefined when the server publishes none the explorer could read (it follows its shipped map then).
   */
  apiDocument(signal?: AbortSignal): Promise<RawResponse | undefined>;
  /** Called on every state change (logon, expiry, logoff). */
  onStateChange(listener: (state: SessionState) => void): () => void;
}
