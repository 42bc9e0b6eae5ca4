// What a Veeam API kind tells the one request flow (`Session`, request-flow.ts): how it logs on, renews and logs off,
// which headers carry its credential, what its bodies and error bodies look like. Everything else (sharing, renewal in
// flight, retries, throttling, foreign origins, refusal, redaction of what it issued) is the flow's, for every kind.
import type { ApiError } from '../errors';
import type { Wording } from '../messages';
import type { ActionBody, Link, Resource } from '../resource';
import type { LinkNeed, ScannedLinks } from '../links/walk-links';
import type { ApiKind, ConnectionDefinition, LogonInfo, RawResponse, Representation, TaskProgress, TrackedTask } from '../types';

/** What the server issued for a logon, as the flow attaches it to requests (to the session's own origin only). */
export interface Credential {
  /** The headers that carry it. */
  readonly headers: Readonly<Record<string, string>>;
  /** When it stops working (ms since the epoch), when the server said so: it is renewed ahead of that. */
  readonly expiresAt?: number;
  /** How long it was issued for, ms (the renewal margin is a quarter of a short lifetime). */
  readonly lifetimeMs?: number;
}

/** A request a kind sends through the session's transport. */
export interface KindRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** What the flow lends a kind while it logs on, renews or logs off. */
export interface KindContext {
  readonly def: ConnectionDefinition;
  /** scheme://host:port the credentials belong to. */
  readonly origin: string;
  log(line: string): void;
  /** The password, asked for (or read from storage) now; undefined when the user gave none. */
  password(): Promise<string | undefined>;
  /** One request; `credential`'s headers go along only when the URL is the session's own origin. */
  send(request: KindRequest, signal?: AbortSignal, credential?: Credential): Promise<RawResponse>;
  /** Remember what the server issued, so whatever echoes it is redacted. */
  keepSecrets(...values: Array<string | undefined>): void;
  isOwnOrigin(url: string): boolean;
  /** The body as a Resource: its content type checked, parsed by the kind, failures carrying the response. */
  parse(raw: RawResponse, signal?: AbortSignal): Promise<Resource>;
  /** The error an unexpected status is: redirect, HTML page, or the server's own message; `what` names the step. */
  statusError(raw: RawResponse, what?: Wording): ApiError;
}

/** One Veeam API's part of a session (one instance per session: it may keep what it learnt, e.g. the API's map). */
export interface KindStrategy<C extends Credential = Credential> {
  readonly kind: ApiKind;
  /** The API root every logon starts from. */
  readonly baseUrl: string;
  /** The Accept header of a GET. */
  readonly accept: string;
  /** Headers every request to the session's own origin carries, logon included (VBR's `x-api-version`). */
  requestHeaders?(): Record<string, string>;
  /** The content types its bodies may have, and how messages call them ("Enterprise Manager XML or JSON"). */
  readonly bodies: { readonly accepted: RegExp; readonly expected: Wording };
  /** Wording of a 403 without a server message, and what to do about it. */
  readonly forbidden: { readonly message: Wording; readonly hint: Wording };
  /** Wording of a credential refused right after it was renewed. */
  readonly refused: { readonly message: Wording; readonly hint: Wording };
  /**
   * A log-on, for a kind whose logon is more than a credential from the password (EM: the root's Create link, then a
   * logon session): the credential and what the tree shows first. Cleans up what the server issued if it fails.
   * Without it, a logon is `relogon` from the password, then `describe`.
   */
  logon?(ctx: KindContext, signal: AbortSignal): Promise<{ credential: C; info: LogonInfo }>;
  /** What the tree shows first, read with a new credential (the flow ends the credential if this fails). */
  describe?(ctx: KindContext, credential: C, signal: AbortSignal): Promise<LogonInfo>;
  /** A new credential for the same logon without the password (a refresh token); undefined: the kind has none. */
  refresh?(ctx: KindContext, expired: C, signal?: AbortSignal): Promise<C>;
  /** A new credential from the password, keeping what the logon learnt; undefined: a renewal is a whole new logon. */
  relogon?(ctx: KindContext, password: string, signal?: AbortSignal): Promise<C>;
  /** Ends what the server issued (newest last) on the server. Never throws: what cannot be ended is logged. */
  logoff(ctx: KindContext, held: readonly C[], signal?: AbortSignal): Promise<void>;
  /** The body, parsed by the kind's parser (on the parser thread when large). */
  parse(raw: RawResponse, signal?: AbortSignal): Promise<Resource>;
  /**
   * The links a walk follows in a body, read without the body's model (links/); undefined when the body is the full
   * parser's to read (then the walk takes them from `parse`). Absent: the walk always parses.
   */
  links?(raw: RawResponse, need: LinkNeed): ScannedLinks | undefined;
  /** The server's own message in an error body, if it has one. */
  errorMessage(body: string): string | undefined;
  /** What to do about an error status, in this API's terms. */
  statusHint(status: number): Wording | undefined;
  /** How long a 429 asks to wait, seconds; undefined: as long as the flow's default. Absent: 429 is an error. */
  throttleSeconds?(raw: RawResponse): number | undefined;
  /** How the kind's actions start and report work; absent: actions are sent, nothing is followed. */
  readonly actions?: KindActions;
  /** Where the server's own OpenAPI document was read (VSPC, VBR), once a logon found one; undefined otherwise. */
  readonly apiDocumentUrl?: string;
}

/** What differs between the kinds' actions: idempotency, and how the work an action started is found and read. */
export interface KindActions {
  /**
   * Headers of one user action, the same for every send of it (VSPC's `x-request-id`, a new UUID per call): with them a
   * retry after a network failure is safe. Absent: an action that may have reached the server is never sent again.
   */
  idempotencyHeaders?(): Record<string, string>;
  /** The work an action's answer started (EM 202 Task, VSPC 202 Location, VBR session model); undefined: none. */
  trackedTask(raw: RawResponse, resource: Resource | undefined): TrackedTask | undefined;
  /** One reading of the task's document. */
  readTask(task: TrackedTask, raw: RawResponse, resource: Resource | undefined): TaskProgress;
  /** Where the work's own result is read once it ended (VSPC `…/asyncActions/{id}/result`); undefined: the task is it. */
  resultUrl?(task: TrackedTask): string | undefined;
}

/**
 * One Veeam API, as the registry lists it: everything the UI and the command line may ask of a kind. `P` is what its
 * strategy needs of the shared body parser (kinds/parse-job.ts lists every kind's parser; a kind knows only its own).
 */
export interface KindDefinition<P = unknown, K extends ApiKind = ApiKind> {
  readonly kind: K;
  /** Its short name, as the connection row shows it (`EM`, `VSPC`, `VBR`). */
  readonly shortName: string;
  /** The product's name, for messages ("Service Provider Console"). */
  readonly product: Wording;
  /** Where the API listens unless set up otherwise. */
  readonly urlDefaults: { readonly port: number; readonly path: string };
  /** What its responses are for this connection. */
  representation(def: Pick<ConnectionDefinition, 'representation'>): Representation;
  /** The headers a GET carries, the credential as `<token>` (a curl command shows it as a shell variable). */
  curlHeaders(def: Pick<ConnectionDefinition, 'representation' | 'apiVersion'>): Array<[string, string]>;
  /** How the server filters a collection by name, when it can: the URL with the filter, and the filter a URL holds. */
  readonly nameFilter?: {
    /** The collection URL filtered to names containing `text`, from the first page; no text clears the filter. */
    apply(href: string, text: string | undefined): string;
    /** The text of a name filter this extension set on the URL, if any. */
    read(href: string): string | undefined;
  };
  /**
   * Request bodies of the kind's actions: the body an action link takes when the link does not say (EM's documented
   * specs, e.g. `JobCloneSpec`; OpenAPI kinds put it on the link), and what is wrong with a document for it.
   */
  readonly requestBodies?: {
    bodyOf(link: Link, def: Pick<ConnectionDefinition, 'representation'>): ActionBody | undefined;
  };
  /** The kind's part of a new session, parsing with the shared body parser. */
  strategy(def: ConnectionDefinition, bodyParser: P): KindStrategy;
}

/**
 * The API root for a URL typed or stored: the kind's default port unless one is written, and the path cut at the
 * API's root (`/api`, `/api/v3`) with whatever prefix a proxy puts before it; no query or fragment.
 */
export function apiBaseUrl(url: string, defaults: { port: number; path: string }): string {
  const u = new URL(url.includes('://') ? url : `https://${url}`);
  if (!u.port && u.protocol === 'https:' && !/^https:\/\/[^/]+:443(\/|$)/.test(url)) u.port = String(defaults.port);
  const at = u.pathname.indexOf(defaults.path.replace(/\/$/, ''));
  u.pathname = at >= 0 ? `${u.pathname.slice(0, at)}${defaults.path}` : defaults.path;
  u.search = '';
  u.hash = '';
  return u.href;
}
