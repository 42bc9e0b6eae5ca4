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

/** undici's `request(url, options)`, on the given dispatcher. */
export function request(
  url: string,
  options: Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Undici.Dispatcher },
): Promise<Undici.Dispatcher.ResponseData> {
  const u = new URL(url);
  const { dispatcher, ...rest } = options;
  return dispatcher.request({ ...rest, origin: u.origin, path: `${u.pathname}${u.search}` });
}

export type { Dispatcher } from 'undici';
export type ConnectorOptions = Undici.buildConnector.BuildOptions;
export type Connector = Undici.buildConnector.connector;
export type EnvHttpProxyAgentOptions = Undici.EnvHttpProxyAgent.Options;
