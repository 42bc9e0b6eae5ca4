// The history as it is kept in the workspace's storage folder, and read back: entries only, never a secret.
// No vscode here: unit-tested in plain Node.
//
// Written: time, method, URL, status (or why there was none), duration and size of every request; the response
// (status line, headers other than credentials, body) only when its body is at most 1 MB and the request was not a
// logon, renewal or logoff. Never a request body (the user may have typed a password into an action's), never an
// Authorization, X-RestSvcSessionId, Cookie or Set-Cookie header, every text redacted with the connection's secrets.
// Read: anything that is not exactly this shape, or is larger than it may be, is left out; a file that is not this
// format at all is ignored as a whole.
import { redactText, redactUrl, type Exchange, type RawResponse, type Secret } from '../../api';
import { HISTORY_LIMIT, PERSIST_BODY_LIMIT } from './history-entry';

export const HISTORY_FILE_FORMAT = 'veeam-api-explorer.history';
export const HISTORY_FILE_VERSION = 1;
/** Bytes of response bodies one file holds at most, every connection together (newest first). */
export const PERSIST_BODY_BUDGET = 16 * 1024 * 1024;
/** A file larger than this is not read. */
export const MAX_HISTORY_FILE_BYTES = 4 * PERSIST_BODY_BUDGET;
/** Connections one file holds at most. */
export const MAX_FILE_CONNECTIONS = 200;

const MAX_URL = 16 * 1024;
const MAX_TEXT = 2000;
const MAX_HEADERS = 100;
const MAX_HEADER_VALUE = 8 * 1024;
const MAX_ID = 200;
const MAX_DURATION_MS = 24 * 3600 * 1000;
const MAX_SIZE = 2 ** 40;

/** Headers that carry or set credentials, or name a session: never written, whatever their value. */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|proxy-authenticate|www-authenticate|cookie|set-cookie|x-restsvcsessionid)$|token|session|secret|password|auth/i;

interface StoredResponse {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  contentType?: string;
  durationMs: number;
  receivedAt: string;
  /** The body as text when it is UTF-8, else in base64 (`bodyBase64`). */
  body?: string;
  bodyBase64?: string;
}

interface StoredEntry {
  at: string;
  method: string;
  url: string;
  status?: number;
  error?: string;
  durationMs: number;
  size: number;
  credentials?: true;
  /** The request had a body, which is never written (so Run Again of it cannot send it as it was). */
  requestBodyOmitted?: true;
  response?: StoredResponse;
}

interface HistoryFile {
  format: typeof HISTORY_FILE_FORMAT;
  version: typeof HISTORY_FILE_VERSION;
  connections: Record<string, StoredEntry[]>;
}

/**
 * The file's text for every connection's entries (oldest first), each redacted with `secretsOf(connection)` once
 * more. Bodies are written for the newest entries of each connection, in turn, until PERSIST_BODY_BUDGET is spent.
 */
export function writeHistoryFile(byConnection: ReadonlyMap<string, readonly Exchange[]>, secretsOf: (connectionId: string) => readonly Secret[] = () => []): string {
  // Bodies escaped in JSON may grow past what a reader accepts: then with fewer bodies, down to none.
  for (let budget = PERSIST_BODY_BUDGET; ; budget = Math.floor(budget / 4)) {
    const text = fileText(byConnection, secretsOf, budget);
    if (text.length <= MAX_HISTORY_FILE_BYTES || budget === 0) return text;
  }
}

function fileText(byConnection: ReadonlyMap<string, readonly Exchange[]>, secretsOf: (connectionId: string) => readonly Secret[], bodyBudget: number): string {
  const connections: Record<string, StoredEntry[]> = {};
  let budget = bodyBudget;
  for (const [connectionId, list] of byConnection) {
    if (Object.keys(connections).length >= MAX_FILE_CONNECTIONS) break;
    if (!list.length || !connectionId || connectionId.length > MAX_ID) continue;
    const secrets = secretsOf(connectionId);
    const stored: StoredEntry[] = [];
    // Newest first, so the budget goes to the newest bodies; written oldest first.
    for (const exchange of list.slice(-HISTORY_LIMIT).reverse()) {
      const entry = storedEntry(exchange, secrets, budget);
      budget -= entry.spent;
      stored.push(entry.entry);
    }
    connections[connectionId] = stored.reverse();
  }
  const file: HistoryFile = { format: HISTORY_FILE_FORMAT, version: HISTORY_FILE_VERSION, connections };
  return JSON.stringify(file);
}

function storedEntry(exchange: Exchange, secrets: readonly Secret[], budget: number): { entry: StoredEntry; spent: number } {
  const text = (value: string, max: number) => redactText(value, secrets).slice(0, max);
  const entry: StoredEntry = {
    at: validDate(exchange.at)?.toISOString() ?? new Date(0).toISOString(),
    method: exchange.method,
    url: text(redactUrl(exchange.url), MAX_URL),
    durationMs: exchange.durationMs,
    size: exchange.size,
  };
  if (exchange.status !== undefined) entry.status = exchange.status;
  if (exchange.error !== undefined) entry.error = text(exchange.error, MAX_TEXT);
  if (exchange.credentials) {
    entry.credentials = true;
    return { entry, spent: 0 };
  }
  if (exchange.requestBody !== undefined || (exchange as ReadExchange).requestBodyOmitted) entry.requestBodyOmitted = true;
  const raw = exchange.raw;
  if (!raw || raw.body.length > PERSIST_BODY_LIMIT || raw.body.length > budget) return { entry, spent: 0 };
  const response: StoredResponse = {
    status: raw.status,
    statusText: text(raw.statusText, MAX_TEXT),
    headers: raw.headers
      .filter(([name]) => !CREDENTIAL_HEADER.test(name))
      .slice(0, MAX_HEADERS)
      .map(([name, value]): [string, string] => [name, text(value, MAX_HEADER_VALUE)]),
    durationMs: raw.durationMs,
    receivedAt: validDate(raw.receivedAt)?.toISOString() ?? entry.at,
  };
  if (raw.contentType !== undefined) response.contentType = text(raw.contentType, MAX_TEXT);
  const decoded = raw.body.toString('utf8');
  if (Buffer.from(decoded, 'utf8').equals(raw.body)) {
    // Text: also the values of token fields (`"access_token": "…"`) a careless server may have put in it.
    response.body = redactText(decoded, secrets);
  } else {
    response.bodyBase64 = redactBinary(raw.body, secrets).toString('base64');
  }
  entry.response = response;
  return { entry, spent: raw.body.length };
}

/** A body that is not UTF-8: its secrets replaced byte for byte (see redactBytes), before it is encoded. */
function redactBinary(body: Buffer, secrets: readonly Secret[]): Buffer {
  // redactText works on text; latin1 maps every byte to one character and back, so nothing else changes.
  return Buffer.from(redactText(body.toString('latin1'), secrets.map(latin1Secret)), 'latin1');
}

/** A secret as its UTF-8 bytes read as latin1 (the form it has in a body read that way). */
function latin1Secret(secret: Secret): Secret {
  if (!secret) return secret;
  const asLatin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
  return typeof secret === 'string' ? asLatin1(secret) : { user: asLatin1(secret.user), password: secret.password === undefined ? undefined : asLatin1(secret.password) };
}

/** An entry read back: an Exchange, and whether its request had a body (not kept). */
export type ReadExchange = Exchange & { requestBodyOmitted?: true };

/** A connection's entries as read back, oldest first; each is an Exchange (its response a RawResponse). */
export type ReadHistory = Map<string, ReadExchange[]>;

/**
 * The entries of a history file's text. What is not a history file of this version is an empty history; within one,
 * an entry with a field of the wrong type, out of range or too long is left out, and so is a connection beyond
 * MAX_FILE_CONNECTIONS or an entry beyond HISTORY_LIMIT (the newest are kept).
 */
export function readHistoryFile(text: string): ReadHistory {
  const read: ReadHistory = new Map();
  if (typeof text !== 'string' || text.length > MAX_HISTORY_FILE_BYTES) return read;
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return read;
  }
  if (!isObject(file) || file.format !== HISTORY_FILE_FORMAT || file.version !== HISTORY_FILE_VERSION || !isObject(file.connections)) return read;
  for (const connectionId of Object.keys(file.connections)) {
    if (read.size >= MAX_FILE_CONNECTIONS) break;
    const list = (file.connections as Record<string, unknown>)[connectionId];
    if (!connectionId || connectionId.length > MAX_ID || !Array.isArray(list)) continue;
    const entries: ReadExchange[] = [];
    for (const item of list.slice(-HISTORY_LIMIT)) {
      const exchange = readEntry(item);
      if (exchange) entries.push(exchange);
    }
    entries.sort((a, b) => a.at.getTime() - b.at.getTime());
    if (entries.length) read.set(connectionId, entries);
  }
  return read;
}

function readEntry(item: unknown): ReadExchange | undefined {
  if (!isObject(item)) return undefined;
  const at = dateOf(item.at);
  const method = item.method;
  const url = item.url;
  if (!at || typeof method !== 'string' || !/^[A-Z]{1,16}$/.test(method) || !isHttpUrl(url)) return undefined;
  if (!isCount(item.durationMs, MAX_DURATION_MS) || !isCount(item.size, MAX_SIZE)) return undefined;
  const exchange: ReadExchange = { at, method, url, durationMs: item.durationMs, size: item.size };
  if (item.status !== undefined) {
    if (!isStatus(item.status)) return undefined;
    exchange.status = item.status;
  }
  if (item.error !== undefined) {
    if (!isText(item.error, MAX_TEXT)) return undefined;
    exchange.error = item.error;
  }
  if (item.credentials !== undefined) {
    if (item.credentials !== true) return undefined;
    exchange.credentials = true;
    return exchange;
  }
  if (item.requestBodyOmitted !== undefined) {
    if (item.requestBodyOmitted !== true) return undefined;
    exchange.requestBodyOmitted = true;
  }
  if (item.response !== undefined) {
    const raw = readResponse(item.response, method, url);
    if (!raw) return undefined;
    exchange.raw = raw;
  }
  return exchange;
}

function readResponse(value: unknown, method: string, url: string): RawResponse | undefined {
  if (!isObject(value)) return undefined;
  const { status, statusText, headers, contentType, durationMs, body, bodyBase64 } = value;
  const receivedAt = dateOf(value.receivedAt);
  if (!isStatus(status) || !isText(statusText, MAX_TEXT) || !receivedAt || !isCount(durationMs, MAX_DURATION_MS)) return undefined;
  if (contentType !== undefined && !isText(contentType, MAX_TEXT)) return undefined;
  if (!Array.isArray(headers) || headers.length > MAX_HEADERS) return undefined;
  const kept: Array<[string, string]> = [];
  for (const header of headers) {
    if (!Array.isArray(header) || header.length !== 2) return undefined;
    const [name, headerValue] = header as unknown[];
    if (typeof name !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/.test(name) || !isText(headerValue, MAX_HEADER_VALUE)) return undefined;
    // A file someone else wrote may hold them: still never shown from here.
    if (!CREDENTIAL_HEADER.test(name)) kept.push([name.toLowerCase(), headerValue]);
  }
  let bytes: Buffer;
  if (typeof body === 'string' && bodyBase64 === undefined) {
    if (body.length > PERSIST_BODY_LIMIT) return undefined;
    bytes = Buffer.from(body, 'utf8');
  } else if (typeof bodyBase64 === 'string' && body === undefined) {
    if (bodyBase64.length > Math.ceil(PERSIST_BODY_LIMIT / 3) * 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(bodyBase64)) return undefined;
    bytes = Buffer.from(bodyBase64, 'base64');
  } else if (body === undefined && bodyBase64 === undefined) {
    bytes = Buffer.alloc(0);
  } else {
    return undefined;
  }
  if (bytes.length > PERSIST_BODY_LIMIT) return undefined;
  const raw: RawResponse = { method, url, status, statusText, headers: kept, body: bytes, durationMs, receivedAt };
  if (contentType !== undefined) raw.contentType = contentType;
  return raw;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.length <= max;
}

function isCount(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max;
}

function isStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599;
}

function isHttpUrl(value: unknown): value is string {
  if (!isText(value, MAX_URL)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** An ISO time between 2000 and a day from now. */
function dateOf(value: unknown): Date | undefined {
  if (!isText(value, 40)) return undefined;
  const date = new Date(value);
  const time = date.getTime();
  return Number.isFinite(time) && time >= Date.UTC(2000, 0, 1) && time <= Date.now() + 24 * 3600 * 1000 ? date : undefined;
}

function validDate(value: Date | undefined): Date | undefined {
  return value instanceof Date && Number.isFinite(value.getTime()) ? value : undefined;
}
