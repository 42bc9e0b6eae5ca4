// The transport's way to undici: loaded on first use (see undici-parts.ts), typed from undici's own declarations.
import type * as Undici from 'undici';

export interface UndiciParts {
  Agent: typeof Undici.Agent;
  Pool: typeof Undici.Pool;
  EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent;
  buildConnector: typeof Undici.buildConnector;
  errors: typeof Undici.errors;
}

let parts: UndiciParts | undefined;

/** undici's dispatchers, connector and errors, loaded on first use. */
export function undici(): UndiciParts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (parts ??= require('./undici-parts') as UndiciParts);
}

/** undici's `request(url, options)`, on the given dispatcher (one URL parse, no copies of the options). */
export function request(
  url: string,
  options: Pick<Undici.Dispatcher.RequestOptions, 'method' | 'headers' | 'body' | 'signal'> & { dispatcher: Undici.Dispatcher },
): Promise<Undici.Dispatcher.ResponseData> {
  const u = new URL(url);
  return options.dispatcher.request({
    origin: u.origin,
    path: u.search ? `${u.pathname}${u.search}` : u.pathname,
    method: options.method,
    headers: options.headers,
    body: options.body,
    signal: options.signal,
  });
}

export type { Dispatcher } from 'undici';
export type ConnectorOptions = Undici.buildConnector.BuildOptions;
export type Connector = Undici.buildConnector.connector;
export type EnvHttpProxyAgentOptions = Undici.EnvHttpProxyAgent.Options;
