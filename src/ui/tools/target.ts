// What a tool call names: one of the user's connections, and a URL of that connection's own server. No vscode here:
// unit-tested in plain Node. What a model sends is untrusted input: a URL of another origin, an action link or a
// control character is refused with a reason the model can act on, before anything is sent.
import { apiBaseUrl, CONTROL_CHARACTER, isActionHref, urlDefaults, type ConnectionDefinition } from '../../api';

/** Why a call was refused, in words for the model (English: the model reads it, the user sees it in the chat). */
export class ToolInputError extends Error {}

/** The connection's API root, as its session computes it (`https://host:9398/api/`). */
export function apiBaseOf(def: ConnectionDefinition): string {
  return apiBaseUrl(def.url, urlDefaults(def.kind));
}

/** `scheme://host:port` of the connection's API: the only origin its tools read. */
export function originOf(def: ConnectionDefinition): string {
  return new URL(apiBaseOf(def)).origin;
}

/**
 * The connection a call names, by id or by name (case-insensitive); without one, the only connection, or the only one
 * whose origin an absolute `url` has.
 */
export function findConnection(all: readonly ConnectionDefinition[], name: string | undefined, url?: string): ConnectionDefinition {
  const names = () => (all.length ? all.map((d) => JSON.stringify(d.name)).join(', ') : 'none');
  const wanted = name?.trim();
  if (wanted) {
    const found = all.find((d) => d.id === wanted) ?? all.find((d) => d.name === wanted) ?? all.filter((d) => d.name.toLowerCase() === wanted.toLowerCase()).at(0);
    if (found) return found;
    throw new ToolInputError(`There is no connection named ${JSON.stringify(wanted)}. The connections are: ${names()}. Call veeam_listConnections to see them.`);
  }
  if (all.length === 1) return all[0];
  if (all.length === 0) throw new ToolInputError('There is no Veeam connection yet: the user adds one with "Veeam: Add Connection" in the Veeam API Explorer.');
  const origin = url ? originOfUrl(url) : undefined;
  const byOrigin = origin ? all.filter((d) => originOf(d) === origin) : [];
  if (byOrigin.length === 1) return byOrigin[0];
  throw new ToolInputError(`Name the connection: there are several (${names()}).`);
}

function originOfUrl(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * The absolute URL a call asks for, on the connection's own server only: an absolute URL of its origin, or a path —
 * from the origin when it starts with the API's path (`/api/v1/jobs`), else below the API root (`jobs`, `/jobs`).
 * Another origin is refused: the explorer would fetch it without credentials, and a tool must not make the user's
 * VS Code fetch arbitrary URLs.
 */
export function resolveUrl(def: ConnectionDefinition, input: string): string {
  const text = input.trim();
  if (!text) throw new ToolInputError('Give a URL or a path of the connection\u2019s API.');
  if (CONTROL_CHARACTER.test(text)) throw new ToolInputError('The URL holds a control character; it was not read.');
  const base = new URL(apiBaseOf(def));
  let url: URL;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    try {
      url = new URL(text);
    } catch {
      throw new ToolInputError(`${JSON.stringify(text)} is not a URL.`);
    }
  } else if (text.startsWith('//')) {
    throw new ToolInputError('Give a path of the connection\u2019s API or a URL with its scheme, not a URL without one.');
  } else {
    url = text.startsWith(base.pathname) || `${text}/` === base.pathname ? new URL(text, base.origin) : new URL(text.replace(/^\/+/, ''), base);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ToolInputError(`Only the connection\u2019s https URLs are read, not ${url.protocol} URLs.`);
  if (url.origin !== base.origin) {
    throw new ToolInputError(
      `Refused: ${url.origin} is not the server of connection ${JSON.stringify(def.name)} (${base.origin}). The Veeam tools read only URLs of the connection\u2019s own server; nothing was sent.`,
    );
  }
  if (url.username || url.password) throw new ToolInputError('A URL with a user name or password in it is not read.');
  url.hash = '';
  if (isActionHref(url.href)) {
    throw new ToolInputError('That is an action link (?action=…): the Veeam tools only read. The user runs actions from the Veeam API Explorer\u2019s tree (Run Action), which asks them first.');
  }
  return url.href;
}
