import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  allKinds,
  ApiError,
  ApiKind,
  ApiSession,
  ConnectionDefinition,
  createSession,
  DEFAULT_VBR_REVISION,
  isApiRevision,
  ErrorKind,
  Representation,
  TransportOptions,
  CONNECTIONS_PER_ORIGIN,
  DEFAULT_MAX_PAGES,
  redactBytes,
  redactText,
  say,
  walkLinks,
  type Secret,
} from './api';
import { actionRequest, requestOptions, runRequest, type RequestOptions } from './cli/request';
import { SCRIPT_USAGE, scriptCommand } from './cli/script';
import { terminalBody, terminalLine } from './cli/terminal';
import { cliText, DEFAULT_MAX_SIZE_MB, describe, failureLine, USAGE, waitNotice, walkFailures, walkNotice } from './cli/wording';

/** The command line: the extension's protocol code for scripts and CI. */

const EXIT: Record<ErrorKind, number> = {
  usage: 2,
  auth: 3,
  tls: 4,
  network: 5,
  timeout: 5,
  cancelled: 5,
  http: 6,
  protocol: 7,
};

/** Logoff gets this long at the end of a run, whatever happened before. */
const LOGOFF_TIMEOUT_MS = 10_000;

class UsageError extends ApiError {
  constructor(message: string) {
    super('usage', message);
  }
}

interface Options {
  command: 'get' | 'walk' | 'request';
  url: string;
  /** `request` with a method other than GET (`request GET` is `get`). */
  request?: RequestOptions;
  /** The URL the connection is made from: the origin exactly as written (an explicit default port kept). */
  connectionUrl: string;
  kind: ApiKind;
  /** VBR: the revision sent as `x-api-version` (default the newest the api knows). */
  apiVersion?: string;
  accept: Representation;
  depth: number;
  maxPages: number;
  transport: TransportOptions;
}

function parse(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        kind: { type: 'string' },
        'api-version': { type: 'string' },
        accept: { type: 'string' },
        depth: { type: 'string' },
        'max-pages': { type: 'string' },
        insecure: { type: 'boolean' },
        fingerprint: { type: 'string' },
        ca: { type: 'string' },
        timeout: { type: 'string' },
        deadline: { type: 'string' },
        'max-size': { type: 'string' },
        proxy: { type: 'string' },
        direct: { type: 'boolean' },
        'allow-http': { type: 'boolean' },
        data: { type: 'string' },
        'content-type': { type: 'string' },
        wait: { type: 'boolean' },
        'wait-timeout': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n${SCRIPT_USAGE}\n`);
    process.exit(0);
  }
  const [command, ...rest] = positionals;
  if (command !== 'get' && command !== 'walk' && command !== 'request') {
    throw new UsageError(command ? cliText('usage.unknown-command', { command }) : cliText('usage.no-command'));
  }
  const request = requestOptions(command, command === 'request' ? rest.shift() : undefined, values);
  const [url, ...extra] = rest;
  if (!url) throw new UsageError(cliText('usage.no-url', { command }));
  if (extra.length) throw new UsageError(cliText('usage.extra-argument', { argument: extra[0] }));
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new UsageError(cliText('usage.not-url', { url }));
  }
  if (parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:') throw new UsageError(cliText('usage.not-http-url', { url }));
  if (parsedUrl.protocol === 'http:') {
    if (!values['allow-http']) throw new UsageError(cliText('usage.http-refused'));
    process.stderr.write(`${cliText('warning.allow-http')}\n`);
  }
  const kind = values.kind ?? inferredKind(parsedUrl);
  if (!isKind(kind)) throw new UsageError(cliText('usage.kind', { value: kind }));
  const apiVersion = values['api-version'];
  if (apiVersion !== undefined) {
    if (kind !== 'vbr') throw new UsageError(cliText('usage.api-version-kind', { kind }));
    if (!isApiRevision(apiVersion)) throw new UsageError(cliText('usage.api-version', { example: DEFAULT_VBR_REVISION, value: apiVersion }));
  }
  const accept = values.accept ?? 'xml';
  if (accept !== 'xml' && accept !== 'json') throw new UsageError(cliText('usage.accept', { value: accept }));
  const depth = wholeNumber(values.depth, 2, 0, '--depth');
  const maxPages = wholeNumber(values['max-pages'], DEFAULT_MAX_PAGES, 1, '--max-pages');
  const timeout = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(cliText('usage.seconds', { flag: '--timeout', value: String(values.timeout) }));
  const deadline = values.deadline === undefined ? undefined : Number(values.deadline);
  if (deadline !== undefined && (!Number.isFinite(deadline) || deadline <= 0)) {
    throw new UsageError(cliText('usage.seconds', { flag: '--deadline', value: String(values.deadline) }));
  }
  const maxSize = values['max-size'] === undefined ? DEFAULT_MAX_SIZE_MB : Number(values['max-size']);
  if (!Number.isFinite(maxSize) || maxSize <= 0) throw new UsageError(cliText('usage.megabytes', { flag: '--max-size', value: String(values['max-size']) }));
  if (values.fingerprint !== undefined && values.fingerprint.replace(/[^0-9a-f]/gi, '').length !== 64) {
    throw new UsageError(cliText('usage.fingerprint'));
  }
  let ca: string | undefined;
  if (values.ca !== undefined) {
    try {
      ca = readFileSync(values.ca, 'utf8');
    } catch (err) {
      throw new UsageError(cliText('usage.ca-file', { file: values.ca, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
    }
  }
  if (values.proxy !== undefined && values.direct) throw new UsageError(cliText('usage.proxy-and-direct'));
  if (values.insecure) process.stderr.write(`${cliText('warning.insecure')}\n`);
  return {
    command: command === 'request' && !request ? 'get' : command,
    url: parsedUrl.href,
    request,
    connectionUrl: withExplicitPort(parsedUrl),
    kind,
    apiVersion,
    accept,
    depth,
    maxPages,
    transport: {
      timeoutMs: timeout * 1000,
      deadlineMs: deadline === undefined ? undefined : deadline * 1000,
      maxBodyBytes: Math.round(maxSize * 1024 * 1024),
      ca,
      fingerprint: values.fingerprint,
      insecure: values.insecure,
      proxy: values.direct ? 'direct' : values.proxy !== undefined ? { url: values.proxy, source: '--proxy' } : undefined,
      notice: (notice) => printError(cliText('error.line', { text: waitNotice(notice) })),
    },
  };
}

function isKind(value: string): value is ApiKind {
  return allKinds().some((k) => k.kind === value);
}

/**
 * The kind a URL is when `--kind` does not say: Service Provider Console's paths are under `/api/v3`; Backup &
 * Replication's under `/api/v1`, and it listens on 9419 (its logon, `/api/oauth2/token`, is outside `/api/v1`); else
 * Enterprise Manager. The path decides before the port: it is what the server's own links carry.
 */
function inferredKind(url: URL): ApiKind {
  if (/^\/api\/v3(\/|$)/.test(url.pathname)) return 'vspc';
  if (/^\/api\/v1(\/|$)/.test(url.pathname) || url.port === '9419') return 'vbr';
  return 'em';
}

function wholeNumber(value: string | undefined, fallback: number, min: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(cliText('usage.whole-number', { flag, min, value }));
  return n;
}

/**
 * The URL with its port written out, so the kinds' "no port: use the API's default port" rule never applies: the
 * password goes to the origin the user wrote, and `https://HOST/` means port 443, as for any other https tool.
 */
function withExplicitPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  // `hostname` keeps an IPv6 address in its brackets.
  return `${url.protocol}//${url.hostname}:${port}${url.pathname}${url.search}`;
}

async function run(options: Options, signal: AbortSignal): Promise<number> {
  const username = process.env.VEEAM_USERNAME;
  const password = process.env.VEEAM_PASSWORD;
  if (!username || password === undefined) throw new UsageError(cliText('usage.credentials'));
  const def: ConnectionDefinition = {
    id: 'cli',
    kind: options.kind,
    name: 'command line',
    url: options.connectionUrl,
    username,
    representation: options.accept,
    apiVersion: options.apiVersion,
  };
  // The body is read before the logon: one that cannot be read is a usage error, and nothing is sent.
  const action = options.request && (await actionRequest(options.request, options.url, def, options.transport.maxBodyBytes));
  const session = createSession(def, options.transport, async () => password);
  running = session;
  try {
    const info = await session.logon(signal);
    sayRevisionFallback(options, session, info.apiVersion);
    if (options.request && action) {
      return await runRequest(session, action, options.request, signal, { printError, writeOut, exitCode: (e) => EXIT[e.kind] });
    }
    if (options.command === 'get') {
      const { raw } = await session.get(options.url, signal).catch(async (err: unknown) => {
        // A body that does not parse is still printed as received, then reported.
        if (err instanceof ApiError && err.kind === 'protocol' && err.raw && err.raw.status < 300) await writeOut(err.raw.body);
        throw err;
      });
      await writeOut(raw.body);
      return 0;
    }
    return await walk(session, options, signal);
  } finally {
    // Logoff gets its own time: the run's signal may be the reason we are here.
    await session.logoff(AbortSignal.timeout(LOGOFF_TIMEOUT_MS)).catch(() => undefined);
    await session.dispose();
  }
}

/** VBR: the server refused the revision asked for and the session went on with the newest both know: say so once. */
function sayRevisionFallback(options: Options, session: ApiSession, used: string | undefined): void {
  if (options.kind !== 'vbr' || !used) return;
  const asked = options.apiVersion ?? DEFAULT_VBR_REVISION;
  if (used !== asked) printError(cliText('error.line', { text: cliText('notice.revision-fallback', { origin: session.origin, asked, used }) }));
}

/**
 * Prints each URL as it is fetched, and each failure once on stderr; goes on past failures, then counts them in one
 * line and exits with the first one's code. A collection the client inferred from its API map that the server does
 * not have (404) is said to be skipped, and is no failure.
 */
async function walk(session: ApiSession, options: Options, signal: AbortSignal): Promise<number> {
  let firstFailure: ApiError | undefined;
  let failures = 0;
  let requests = 0;
  await walkLinks(session, options.url, {
    depth: options.depth,
    maxPages: options.maxPages,
    concurrency: CONNECTIONS_PER_ORIGIN,
    signal,
    onBatch: (steps) => {
      for (const step of steps) {
        requests++;
        if (step.absent) printError(cliText('walk.absent', { url: step.url }));
        else if (step.error) {
          failures++;
          firstFailure ??= step.error;
          printError(failureLine(step.error, step.url));
        } else process.stdout.write(`${terminalLine(redactText(step.url, runSecrets()))}\n`);
      }
    },
    onNotice: (notice) => printError(cliText('error.line', { text: walkNotice(notice) })),
  });
  if (!firstFailure) return 0;
  printError(cliText('error.line', { text: walkFailures(failures, requests) }));
  return EXIT[firstFailure.kind];
}

/** The session of this run, once there is one: the tokens it was issued are redacted from everything printed. */
let running: ApiSession | undefined;

/**
 * One line on stderr: nothing that acts on a terminal, and no secret of the run in any form it travels in (the
 * password, the Basic value, every token the server issued; raw, percent-encoded or base64).
 */
function printError(line: string): void {
  process.stderr.write(`${terminalLine(redactText(line, runSecrets()))}\n`);
}

function runSecrets(): Secret[] {
  return [{ user: process.env.VEEAM_USERNAME ?? '', password: process.env.VEEAM_PASSWORD }, ...(running?.secrets() ?? [])];
}

function writeOut(data: Buffer): Promise<void> {
  const safe = terminalBody(redactBytes(data, runSecrets()), process.stdout.isTTY === true);
  return new Promise((resolve, reject) => process.stdout.write(safe, (err) => (err ? reject(err) : resolve())));
}

async function main(): Promise<void> {
  // `script` prints a script and makes no request: no session, no signal handling.
  if (process.argv[2] === 'script') process.exit(scriptCommand(process.argv.slice(3)));
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl+C does not wait for the logoff.
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    // The signal's name is the reason: a request that was waiting exits with its code (130, 143).
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // The reader of stdout went away (`veeam-api walk … | head`): it has what it wanted. Stop the work, log off, and
  // exit quietly with 0, as a filter's reader expects; anything else on stdout is a real error.
  let readerGone = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' && !(readerGone && err.code === 'ERR_STREAM_DESTROYED')) throw err;
    readerGone = true;
    controller.abort();
  });
  let code: number;
  try {
    code = await run(parse(process.argv.slice(2)), controller.signal);
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError('protocol', say('text', { text: (err as Error)?.message ?? String(err) }));
    if (!readerGone) printError(cliText('error.line', { text: describe(e) }));
    if (e.kind === 'usage') process.stderr.write(`${cliText('usage.see-help')}\n`);
    code = EXIT[e.kind];
  }
  if (readerGone) code = 0;
  // Everything is said and the session is logged off: nothing left may keep the process alive (a parser thread that
  // was cancelled, a socket a server holds open). Exit once what was written has been flushed.
  process.exitCode = code;
  if (!readerGone) await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

if (require.main === module) void main();
