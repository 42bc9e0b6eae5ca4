import { jsonReply, type VbrReply } from './exchange';

/**
 * VBR's `Error` model: `errorCode` and `message` required, `resourceId` optional (the 1.1-rev0 document). The codes
 * below are the simulator's choice where the docs give none; see FACTS.md.
 */
export type VbrErrorCode =
  | 'BadRequest'
  | 'NotImplemented'
  | 'AccessDenied'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'TooManyRequests'
  | 'UnknownError';

export interface VbrErrorBody {
  errorCode: VbrErrorCode;
  message: string;
  resourceId?: string;
}

/** A failure a module raises; `toReply()` renders it with its status and headers. */
export class VbrError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: VbrErrorCode,
    message: string,
    readonly resourceId?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): VbrErrorBody {
    const body: VbrErrorBody = { errorCode: this.errorCode, message: this.message };
    if (this.resourceId !== undefined) body.resourceId = this.resourceId;
    return body;
  }

  toReply(): VbrReply {
    return jsonReply(this.status, this.toBody(), this.headers);
  }
}

export const badRequest = (message: string) => new VbrError(400, 'BadRequest', message);

export function unauthorized(message = 'The authorization header has been expected but not found, or the access token is expired.'): VbrError {
  return new VbrError(401, 'Unauthorized', message, undefined, { 'WWW-Authenticate': 'Bearer' });
}

/** A wrong user name or password, a refused refresh token, an account without a role. */
export function accessDenied(message = 'Authentication failed: the user name or password is incorrect.'): VbrError {
  return new VbrError(401, 'AccessDenied', message);
}

export function forbidden(message: string): VbrError {
  return new VbrError(403, 'Forbidden', message);
}

export function notFound(what: string, id?: string): VbrError {
  return new VbrError(404, 'NotFound', id === undefined ? `${what} was not found.` : `${what} with ID '${id}' was not found.`, id);
}

export function methodNotAllowed(method: string, path: string): VbrError {
  return new VbrError(405, 'MethodNotAllowed', `The method ${method} is not allowed on ${path}.`);
}

export function serverError(message = 'An unexpected error occurred on the backup server. See the REST API service log for details.'): VbrError {
  return new VbrError(500, 'UnknownError', message);
}
