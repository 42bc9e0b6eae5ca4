/** VSPC's error types, as the `type` of each item in `errors`. */
export type VspcErrorType = 'logical' | 'retryableLogical' | 'security' | 'transport' | 'unspecified';

export interface ResponseError {
  message: string;
  type: VspcErrorType;
  code: number;
  /** Only on 429: seconds to wait before the next request. */
  retryAfter?: number;
}

/**
 * Error codes the simulator uses. VSPC documents numeric codes per failure without a public table
 * of them, so these are the simulator's own, stable for tests.
 */
export const ERROR_CODES = {
  unauthorized: 1000,
  tokenExpired: 1001,
  forbidden: 1003,
  notFound: 1004,
  badParameter: 1010,
  badFilter: 1011,
  badSort: 1012,
  throttled: 1029,
  server: 1500,
} as const;

/** A failure the router raises; the server renders it as `{"errors":[…]}` with its status. */
export class VspcError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type: VspcErrorType = 'logical',
    readonly code: number = ERROR_CODES.badParameter,
    readonly headers: Record<string, string> = {},
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  toBody(): { errors: ResponseError[] } {
    const error: ResponseError = { message: this.message, type: this.type, code: this.code };
    if (this.retryAfter !== undefined) error.retryAfter = this.retryAfter;
    return { errors: [error] };
  }
}

export function unauthorized(message = 'Authentication failed: the access token is missing, expired or revoked.', code: number = ERROR_CODES.unauthorized): VspcError {
  return new VspcError(401, message, 'security', code, { 'WWW-Authenticate': 'Bearer' });
}

export function notFound(path: string): VspcError {
  return new VspcError(404, `The resource '${path}' was not found.`, 'logical', ERROR_CODES.notFound);
}

/**
 * The OAuth error body of `/token`, which is not VSPC's envelope: `error`, `error_description`,
 * `error_uri`.
 */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }

  toBody(): { error: string; error_description: string; error_uri: null } {
    return { error: this.error, error_description: this.message, error_uri: null };
  }
}
