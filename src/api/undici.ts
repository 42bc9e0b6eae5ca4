// The parts of undici the transport uses, required one by one: undici's index also loads fetch, WebSocket,
// EventSource, caches and mocks, which the extension never uses and which would add about 225 KB to the bundle.
// The version is pinned in package.json; test/unit covers every part through the transport.
import type * as Undici from 'undici';

/* eslint-disable @typescript-eslint/no-require-imports */
export const Agent: typeof Undici.Agent = require('undici/lib/dispatcher/agent');
export const Pool: typeof Undici.Pool = require('undici/lib/dispatcher/pool');
export const EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent');
export const buildConnector: typeof Undici.buildConnector = require('undici/lib/core/connect');
export const errors: typeof Undici.errors = require('undici/lib/core/errors');
// As undici's index does: the request/connect/stream methods on every dispatcher (ProxyAgent needs `connect`).
Object.assign((require('undici/lib/dispatcher/dispatcher') as typeof Undici.Dispatcher).prototype, require('undici/lib/api'));
/* eslint-enable @typescript-eslint/no-require-imports */

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
