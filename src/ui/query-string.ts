// What the user types as an EM query. No vscode here: unit-tested in plain Node.

/** `type=Job&pageSize=20` from what the user typed: a whole URL, `query?…`, `?…` or the bare query string. */
export function queryStringOf(text: string): string {
  const trimmed = text.trim();
  const question = trimmed.indexOf('?');
  return (question >= 0 ? trimmed.slice(question + 1) : trimmed).replace(/^&+/, '');
}

/** The query service refuses a query without a type. */
export function hasQueryType(text: string): boolean {
  return new URLSearchParams(queryStringOf(text)).has('type');
}
