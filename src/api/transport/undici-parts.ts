// undici's dispatchers, connector, errors and request API, required one by one: its index also loads fetch,
// WebSocket, EventSource, caches and mocks, which the extension never uses (about 225 KB more). The extension's
// build puts this module in a file of its own (dist/undici-parts.js) that is loaded with the first connection, so
// activating the extension does not compile or start undici. The version is pinned in package.json.
/* eslint-disable @typescript-eslint/no-require-imports */
import type * as Undici from 'undici';

// As undici's index does: the request/connect/stream methods on every dispatcher (ProxyAgent needs `connect`).
Object.assign((require('undici/lib/dispatcher/dispatcher') as typeof Undici.Dispatcher).prototype, require('undici/lib/api'));

export const Agent: typeof Undici.Agent = require('undici/lib/dispatcher/agent');
export const Pool: typeof Undici.Pool = require('undici/lib/dispatcher/pool');
export const EnvHttpProxyAgent: typeof Undici.EnvHttpProxyAgent = require('undici/lib/dispatcher/env-http-proxy-agent');
export const buildConnector: typeof Undici.buildConnector = require('undici/lib/core/connect');
export const errors: typeof Undici.errors = require('undici/lib/core/errors');
