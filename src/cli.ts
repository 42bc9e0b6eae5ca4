import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  ApiError,
  ApiSession,
  ConnectionDefinition,
  createSession,
  ErrorKind,
  Representation,
  TooLargeError,
  TransportOptions,
} from './api';
import { CONNECTIONS_PER_ORIGIN } from './api/http';
import { redactText } from './api/redact';
import { walkLinks } from './api/walk';

/** The command line: the extension's protocol code for scripts and CI. */

const USAGE = `Usage:
  veeam-api get URL        print the body of GET URL, as received, to stdout
  veeam-api walk URL       GET URL then, breadth-first, every navigable link beneath it;
                           print each fetched URL on its own line
Options:
  --kind em|vspc           default inferred: a path under /api/v3 is vspc, else em
  --accept xml|json        EM representation (default xml)
  --depth N                walk depth (default 2)
  --insecure               accept any certificate (explicit opt-in)
  --fingerprint HEX        trust exactly the certificate with this SHA-256 fingerprint
  --ca FILE                trust this CA bundle
  --timeout SECONDS        per request (default 30)
  --max-size MB            largest response body read (default 50, as in the extension)
  --proxy URL              through this proxy (default HTTPS_PROXY, except NO_PROXY hosts)
  --direct                 never through a proxy
Credentials: VEEAM_USERNAME and VEEAM_PASSWORD environment variables.
Exit codes: 0 ok; 2 usage; 3 authentication failed; 4 TLS/certificate; 5 network/timeout;
            6 HTTP error status; 7 malformed response.`;

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

/** The extension's default of `veeamApiExplorer.maxResponseSizeMB`. */
const DEFAULT_MAX_SIZE_MB = 50;

class UsageError extends ApiError {
  constructor(message: string) {
    super('usage', message);
  }
}

interface Options {
  command: 'get' | 'walk';
  url: string;
  kind: 'em' | 'vspc';
  accept: Representation;
  depth: number;
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
        accept: { type: 'string' },
        depth: { type: 'string' },
        insecure: { type: 'boolean' },
        fingerprint: { type: 'string' },
        ca: { type: 'string' },
        timeout: { type: 'string' },
        'max-size': { type: 'string' },
        proxy: { type: 'string' },
        direct: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const [command, url, ...extra] = positionals;
  if (command !== 'get' && command !== 'walk') throw new UsageError(command ? `Unknown command “${command}”.` : 'No command given.');
  if (!url) throw new UsageError(`${command} needs a URL.`);
  if (extra.length) throw new UsageError(`Unexpected argument “${extra[0]}”.`);
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new UsageError(`“${url}” is not a URL.`);
  }
  if (parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:') throw new UsageError(`“${url}” is not an http(s) URL.`);
  const kind = values.kind ?? (/^\/api\/v3(\/|$)/.test(parsedUrl.pathname) ? 'vspc' : 'em');
  if (kind !== 'em' && kind !== 'vspc') throw new UsageError(`--kind must be em or vspc, not “${kind}”.`);
  const accept = values.accept ?? 'xml';
  if (accept !== 'xml' && accept !== 'json') throw new UsageError(`--accept must be xml or json, not “${accept}”.`);
  const depth = values.depth === undefined ? 2 : Number(values.depth);
  if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`--depth must be a whole number ≥ 0, not “${values.depth}”.`);
  const timeout = values.timeout === undefined ? 30 : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError(`--timeout must be a number of seconds > 0, not “${values.timeout}”.`);
  const maxSize = values['max-size'] === undefined ? DEFAULT_MAX_SIZE_MB : Number(values['max-size']);
  if (!Number.isFinite(maxSize) || maxSize <= 0) throw new UsageError(`--max-size must be a number of megabytes > 0, not “${values['max-size']}”.`);
  if (values.fingerprint !== undefined && values.fingerprint.replace(/[^0-9a-f]/gi, '').length !== 64) {
    throw new UsageError('--fingerprint must be a SHA-256 fingerprint: 64 hex digits, colons optional.');
  }
  let ca: string | undefined;
  if (values.ca !== undefined) {
    try {
      ca = readFileSync(values.ca, 'utf8');
    } catch (err) {
      throw new UsageError(`Cannot read the CA file ${values.ca}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
    }
  }
  if (values.proxy !== undefined && values.direct) throw new UsageError('--proxy and --direct cannot be used together.');
  if (values.insecure) process.stderr.write('warning: --insecure: the server\u2019s certificate is not verified; anyone on the path can read the credentials.\n');
  return {
    command,
    url: parsedUrl.href,
    kind,
    accept,
    depth,
    transport: {
      timeoutMs: timeout * 1000,
      maxBodyBytes: Math.round(maxSize * 1024 * 1024),
      ca,
      fingerprint: values.fingerprint,
      insecure: values.insecure,
      proxy: values.direct ? 'direct' : values.proxy !== undefined ? { url: values.proxy, source: '--proxy' } : undefined,
    },
  };
}

async function run(options: Options, signal: AbortSignal): Promise<number> {
  const username = process.env.VEEAM_USERNAME;
  const password = process.env.VEEAM_PASSWORD;
  if (!username || password === undefined) throw new UsageError('Set VEEAM_USERNAME and VEEAM_PASSWORD.');
  const def: ConnectionDefinition = {
    id: 'cli',
    kind: options.kind,
    name: 'command line',
    url: options.url,
    username,
    representation: options.accept,
  };
  const session = createSession(def, options.transport, async () => password);
  try {
    await session.logon(signal);
    if (options.command === 'get') {
      const { raw } = await session.get(options.url, signal).catch((err: unknown) => {
        // A body that does not parse is still printed as received, then reported.
        if (err instanceof ApiError && err.kind === 'protocol' && err.raw && err.raw.status < 300) {
          process.stdout.write(err.raw.body);
        }
        throw err;
      });
      await writeOut(raw.body);
      return 0;
    }
    return await walk(session, options, signal);
  } finally {
    await session.logoff().catch(() => undefined);
    await session.dispose();
  }
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
    concurrency: CONNECTIONS_PER_ORIGIN,
    signal,
    onBatch: (steps) => {
      for (const step of steps) {
        requests++;
        if (step.absent) process.stderr.write(`skipped ${oneLine(step.url)}: not on this server (404; the path comes from the API map, not from the server)\n`);
        else if (step.error) {
          failures++;
          firstFailure ??= step.error;
          process.stderr.write(`${failureLine(step.error, step.url)}\n`);
        } else process.stdout.write(`${step.url}\n`);
      }
    },
  });
  if (!firstFailure) return 0;
  process.stderr.write(`veeam-api: ${failures} of ${requests} ${requests === 1 ? 'request' : 'requests'} failed.\n`);
  return EXIT[firstFailure.kind];
}

/** An error in one line that names its URL once. */
function failureLine(error: ApiError, url: string): string {
  const text = oneLine(describe(error));
  return text.includes(url) ? text : `${oneLine(url)}: ${text}`;
}

/** The error's message and hint, with the command line's own advice where the extension's would not fit. */
function describe(error: ApiError): string {
  if (error instanceof TooLargeError) return `${error.message} Use --max-size MB to read larger responses.`;
  return error.detail;
}

function writeOut(data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(data, (err) => (err ? reject(err) : resolve())));
}

/** One line, without control characters: an ESC sequence from a server must never reach the terminal. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd').trim();
}

async function main(): Promise<void> {
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  let code: number;
  try {
    code = await run(parse(process.argv.slice(2)), controller.signal);
  } catch (err) {
    const e = err instanceof ApiError ? err : new ApiError('protocol', (err as Error)?.message ?? String(err));
    const secrets = [process.env.VEEAM_PASSWORD];
    process.stderr.write(`veeam-api: ${redactText(oneLine(describe(e)), secrets)}\n`);
    if (e.kind === 'usage') process.stderr.write('Run veeam-api --help for usage.\n');
    code = EXIT[e.kind];
  }
  process.exitCode = code;
}

if (require.main === module) void main();
