import { english, say, type Wording } from './messages';
import type { RawResponse } from './types';

/** What a user can fix; the UI and the command line pick their wording and exit code from it. */
export type ErrorKind = 'network' | 'timeout' | 'tls' | 'auth' | 'http' | 'protocol' | 'cancelled' | 'usage';

/** Details of a server certificate, shown when asking the user whether to trust it. */
export interface CertificateInfo {
  /** SHA-256 fingerprint, upper-case hex pairs separated by colons (Node's `fingerprint256`). */
  fingerprint256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
}

/**
 * What an error says: a Wording (api/'s own errors, worded by the UI and the command line), or text its maker has
 * worded already (the UI's and the command line's own errors). api/'s own errors (the subclasses below) take Wordings
 * only.
 */
export type ErrorText = Wording | string;

function wordingOf(text: ErrorText): Wording {
  return typeof text === 'string' ? say('text', { text }) : text;
}

/**
 * Base of every error `api/` throws: what it says and what the user can do about it, as data (`wording`,
 * `hintWording`), and in English (`message`, `hint`, `detail`) for the log and the command line.
 */
export class ApiError extends Error {
  /** The response that caused the error, when there was one: the user can still view it raw. */
  raw?: RawResponse;
  /** What happened: the UI words it through vscode.l10n (src/ui/wording.ts). */
  readonly wording: Wording;
  /** What the user can do about it, if anything. */
  readonly hintWording?: Wording;
  /** The hint in English. */
  readonly hint?: string;

  constructor(
    readonly kind: ErrorKind,
    message: ErrorText,
    hint?: ErrorText,
    readonly url?: string,
    options?: { cause?: unknown },
  ) {
    const wording = wordingOf(message);
    super(english(wording), options);
    this.name = new.target.name;
    this.wording = wording;
    if (hint !== undefined) {
      this.hintWording = wordingOf(hint);
      this.hint = english(this.hintWording);
    }
  }

  /** Message and hint in one line, in English (the log, the command line). */
  get detail(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

/** The host could not be reached: DNS, refused, reset, unreachable. */
export class NetworkError extends ApiError {
  constructor(message: Wording, hint?: Wording, url?: string, options?: { cause?: unknown }) {
    super('network', message, hint, url, options);
  }
}

/** No answer within the configured timeout. */
export class TimeoutError extends ApiError {
  constructor(message: Wording, hint?: Wording, url?: string, options?: { cause?: unknown }) {
    super('timeout', message, hint, url, options);
  }
}

/** The certificate could not be verified, or does not match the pinned fingerprint. */
export class TlsError extends ApiError {
  constructor(
    message: Wording,
    hint: Wording | undefined,
    url: string | undefined,
    /** The certificate the server presented, when it could be read. */
    readonly certificate?: CertificateInfo,
    /** Node's code, e.g. DEPTH_ZERO_SELF_SIGNED_CERT, or PIN_MISMATCH. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super('tls', message, hint, url, options);
  }
}

export type AuthReason = 'credentials' | 'role' | 'forbidden' | 'expired' | 'mfa' | 'no-password';

/** Logon failed or a request was refused for who the user is. */
export class AuthError extends ApiError {
  constructor(
    readonly reason: AuthReason,
    message: Wording,
    hint?: Wording,
    url?: string,
    readonly status?: number,
  ) {
    super('auth', message, hint, url);
  }
}

/** The server answered with an error status. */
export class HttpStatusError extends ApiError {
  constructor(
    readonly status: number,
    message: Wording,
    hint?: Wording,
    url?: string,
    /** The server's own message (EM `Error/@Message`, VSPC `errors[].message`), if any. */
    readonly serverMessage?: string,
  ) {
    super('http', message, hint, url);
  }
}

/** The answer was not what the API promises: HTML page, truncated or malformed body, too large. */
export class ProtocolError extends ApiError {
  constructor(message: Wording, hint?: Wording, url?: string, options?: { cause?: unknown }) {
    super('protocol', message, hint, url, options);
  }
}

/** A response larger than the size cap: not read past the cap. */
export class TooLargeError extends ProtocolError {
  constructor(
    message: Wording,
    hint: Wording,
    url: string,
    readonly limitBytes: number,
    readonly declaredBytes?: number,
  ) {
    super(message, hint, url);
  }
}

/** The user cancelled. */
export class CancelledError extends ApiError {
  constructor(url?: string) {
    super('cancelled', say('cancelled'), undefined, url);
  }
}

/** Anything thrown, as an ApiError (unknown errors become protocol errors with their message). */
export function toApiError(err: unknown, url?: string): ApiError {
  if (err instanceof ApiError) return err;
  const text = err instanceof Error ? err.message : String(err);
  return new ApiError('protocol', say('text', { text }), undefined, url, { cause: err });
}
