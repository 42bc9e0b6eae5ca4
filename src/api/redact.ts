/** Placeholder shown wherever a secret was. */
export const REDACTED = '<redacted>';

/** Headers with Authorization, X-RestSvcSessionId, Cookie and Set-Cookie values replaced by a placeholder. */
export function redactHeaders(headers: Array<[string, string]>): Array<[string, string]> {
  void headers;
  throw new Error('not implemented yet');
}

/** Text with any of the given secrets (and token-looking JSON fields) replaced by a placeholder. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  void secrets;
  return text;
}

/** A curl command line for a request, the session token replaced by a placeholder variable. */
export function toCurl(method: string, url: string, headers: Array<[string, string]>): string {
  void method; void url; void headers;
  throw new Error('not implemented yet');
}
