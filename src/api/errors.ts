import type { RawResponse } from './session';

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

/** Base of every error `api/` throws: a message a user can read and a hint of what to do. */
export class ApiError extends Error {
  /** The response that caused the error, when there was one: the user can still view it raw. */
  raw?: RawResponse;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly hint?: string,
    readonly url?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }

  /** Message and hint in one line, for notifications, error items and the command line. */
  get detail(): string {
    return this.hint ? `${this.message} ${this.hint}` : this.message;
  }
}

/** The host could not be reached: DNS, refused, reset, unreachable. */
export class NetworkError extends ApiError {
  constructor(message: string, hint?: string, url?: string, options?: { cause?: unknown }) {
    super('network', message, hint, url, options);
  }
}

/** No answer within the configured timeout. */
export class TimeoutError extends ApiError {
  constructor(message: string, hint?: string, url?: string, options?: { cause?: unknown }) {
    super('timeout', message, hint, url, options);
  }
}

/** The certificate could not be verified, or does not match the pinned fingerprint. */
export class TlsError extends ApiError {
  constructor(
    message: string,
    hint: string | undefined,
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
    message: string,
    hint?: string,
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
    message: string,
    hint?: string,
    url?: string,
    /** The server's own message (EM `Error/@Message`, VSPC `errors[].message`), if any. */
    readonly serverMessage?: string,
  ) {
    super('http', message, hint, url);
  }
}

/** The answer was not what the API promises: HTML page, truncated or malformed body, too large. */
export class ProtocolError extends ApiError {
  constructor(message: string, hint?: string, url?: string, options?: { cause?: unknown }) {
    super('protocol', message, hint, url, options);
  }
}

/** A response larger than the size cap: not read past the cap. */
export class TooLargeError extends ProtocolError {
  constructor(
    message: string,
    hint: string,
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
    super('cancelled', 'The request was cancelled.', undefined, url);
  }
}

/** Anything thrown, as an ApiError (unknown errors become protocol errors with their message). */
export function toApiError(err: unknown, url?: string): ApiError {
  if (err instanceof ApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('protocol', message, undefined, url, { cause: err });
}
