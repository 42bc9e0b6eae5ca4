import { el, field } from './model';
import { toXml } from './render';

/** A failure the router raises; the server renders it as EM's `Error` body. */
export class EmError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** EM's error body: in XML `Error` with Message and StatusCode attributes, in JSON a flat object. */
export function errorBody(status: number, message: string, json: boolean): string {
  if (json) {
    return JSON.stringify({
      FirstChanceExceptionMessage: null,
      Message: message,
      StackTrace: null,
      Status: null,
      StatusCode: status,
    });
  }
  return toXml(el('Error', [['Message', message], ['StatusCode', status]], [field('FirstChanceExceptionMessage', message)]));
}
