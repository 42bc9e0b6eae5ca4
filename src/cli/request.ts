// `veeam-api request METHOD URL`: one deliberate request other than GET, sent at once (the command line is for
// scripts: it asks no confirmation), and with --wait the task, async action or session it started, followed to its end.
import { readFileSync, statSync } from 'node:fs';
import {
  ApiError,
  representationOf,
  type ActionMethod,
  type ActionRequest,
  type ApiSession,
  type ConnectionDefinition,
  type TaskProgress,
  type TrackedTask,
} from '../api';
import { cliText, describe } from './wording';

/** The action ran and ended in failure on the server, or was canceled there (`--wait`). */
export const EXIT_ACTION_FAILED = 8;
/** Ctrl+C (SIGINT) while waiting: the shell's code for it; SIGTERM's is 143. The work goes on on the server. */
const EXIT_INTERRUPTED = { SIGINT: 130, SIGTERM: 143 } as const;
/** `--wait-timeout` passed: the command line's code for a timeout. */
const EXIT_WAIT_TIMEOUT = 5;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** A media type (RFC 9110 tokens) with parameters, and nothing that could end a header line. */
const CONTENT_TYPE = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+(\s*;[\u0020-\u007e\t]*)?$/i;
/** A server message shown in a progress line is cut here: it is one line among others, not a document. */
const MESSAGE_CHARS = 300;

/** What `request` was asked beyond the URL. */
export interface RequestOptions {
  method: ActionMethod;
  /** A file to read the body from, or `-` for stdin; undefined: no body. */
  data?: string;
  contentType?: string;
  wait: boolean;
  /** Undefined: wait until the work ends (or Ctrl+C). */
  waitTimeoutMs?: number;
}

/** The flags only `request` takes, as parseArgs read them. */
export interface RequestFlags {
  data?: string;
  'content-type'?: string;
  wait?: boolean;
  'wait-timeout'?: string;
}

/** What `request` prints through: the command line's own output, which sanitises and redacts. */
export interface RequestOutput {
  /** One line on stderr, made safe for a terminal and without the run's secrets. */
  printError(line: string): void;
  /** A body on stdout, made safe and without the run's secrets. */
  writeOut(data: Buffer): Promise<void>;
  /** The exit code of an error, as for every command. */
  exitCode(error: ApiError): number;
}

function usage(message: string): ApiError {
  return new ApiError('usage', message);
}

/**
 * The method and the request's flags, checked before anything is sent. `GET` is answered by `get`: undefined is
 * returned, and the flags that only make sense for an action are refused. Another command refuses them all.
 */
export function requestOptions(command: string, method: string | undefined, flags: RequestFlags): RequestOptions | undefined {
  const given = (['data', 'content-type', 'wait', 'wait-timeout'] as const).filter((flag) => flags[flag] !== undefined);
  if (command !== 'request') {
    if (given.length) throw usage(cliText('usage.request-only', { flag: `--${given[0]}` }));
    return undefined;
  }
  if (method === undefined) throw usage(cliText('usage.no-method'));
  const upper = method.toUpperCase();
  if (!(METHODS as readonly string[]).includes(upper)) throw usage(cliText('usage.method', { value: method }));
  if (upper === 'GET') {
    if (given.length) throw usage(cliText('usage.get-flag', { flag: `--${given[0]}` }));
    return undefined;
  }
  const contentType = flags['content-type'];
  if (contentType !== undefined && !CONTENT_TYPE.test(contentType)) throw usage(cliText('usage.content-type', { value: contentType }));
  if (contentType !== undefined && flags.data === undefined) throw usage(cliText('usage.content-type-without-data'));
  if (flags['wait-timeout'] !== undefined && !flags.wait) throw usage(cliText('usage.wait-timeout-without-wait'));
  let waitTimeoutMs: number | undefined;
  if (flags['wait-timeout'] !== undefined) {
    const seconds = Number(flags['wait-timeout']);
    if (!Number.isFinite(seconds) || seconds <= 0) throw usage(cliText('usage.seconds', { flag: '--wait-timeout', value: flags['wait-timeout'] }));
    waitTimeoutMs = seconds * 1000;
  }
  if (flags.data === '') throw usage(cliText('usage.data-empty'));
  return { method: upper as ActionMethod, data: flags.data, contentType, wait: flags.wait === true, waitTimeoutMs };
}

/**
 * The request to send: its body read from the file or stdin (UTF-8, at most `maxBytes`), its content type the one
 * given or the connection's representation (EM XML or JSON; VSPC and VBR JSON). Done before the logon: a body that
 * cannot be read is a usage error, and nothing is sent.
 */
export async function actionRequest(options: RequestOptions, url: string, def: ConnectionDefinition, maxBytes: number): Promise<ActionRequest> {
  if (options.data === undefined) return { method: options.method, url };
  const bytes = options.data === '-' ? await readStdin(maxBytes) : readBodyFile(options.data, maxBytes);
  let body: string;
  try {
    body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw usage(cliText('usage.data-not-utf8', { file: options.data === '-' ? 'stdin' : options.data }));
  }
  const contentType = options.contentType ?? (representationOf(def) === 'xml' ? 'application/xml' : 'application/json');
  return { method: options.method, url, body, contentType };
}

function readBodyFile(file: string, maxBytes: number): Buffer {
  try {
    if (statSync(file).size > maxBytes) throw usage(cliText('usage.data-too-large', { file, megabytes: megabytes(maxBytes) }));
    return readFileSync(file);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    throw usage(cliText('usage.data-file', { file, reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
  }
}

async function readStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      process.stdin.destroy();
      throw usage(cliText('usage.data-too-large', { file: 'stdin', megabytes: megabytes(maxBytes) }));
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const megabytes = (bytes: number) => Math.round((bytes / (1024 * 1024)) * 100) / 100;

/**
 * Sends the request once and prints its answer's body; with `--wait`, follows the work it started and prints the
 * final document instead (VSPC: the async action's result when there is one, else the action). The exit code: 0, the
 * error's, 8 when the work ended failed or canceled, 5 when `--wait-timeout` passed, 130 on Ctrl+C while waiting.
 */
export async function runRequest(session: ApiSession, request: ActionRequest, options: RequestOptions, signal: AbortSignal, out: RequestOutput): Promise<number> {
  let result;
  try {
    result = await session.send(request, signal);
  } catch (err) {
    const e = err instanceof ApiError ? err : undefined;
    if (!e) throw err;
    // A body that does not parse is still printed as received, then reported (as get does).
    if (e.kind === 'protocol' && e.raw && e.raw.status < 300) await out.writeOut(e.raw.body);
    if (e.kind !== 'network' && e.kind !== 'timeout' && e.kind !== 'cancelled') throw e;
    // The request may have reached the server: say so after the error, and that it was not sent again.
    out.printError(cliText('error.line', { text: describe(e) }));
    out.printError(cliText('error.line', { text: cliText('request.may-have-run', { method: request.method, url: request.url }) }));
    return out.exitCode(e);
  }
  if (!options.wait) {
    await out.writeOut(result.raw.body);
    return 0;
  }
  if (!result.task) {
    await out.writeOut(result.raw.body);
    out.printError(cliText('error.line', { text: cliText('wait.no-task', { status: result.raw.status }) }));
    return 0;
  }
  return follow(session, result.task, options, signal, out);
}

async function follow(session: ApiSession, task: TrackedTask, options: RequestOptions, signal: AbortSignal, out: RequestOutput): Promise<number> {
  const timeout = options.waitTimeoutMs === undefined ? undefined : AbortSignal.timeout(options.waitTimeoutMs);
  const waiting = timeout ? AbortSignal.any([signal, timeout]) : signal;
  let last: string | undefined;
  const say = (progress: TaskProgress) => {
    const line = progressLine(progress, task);
    if (line !== last) out.printError(line);
    last = line;
  };
  let outcome;
  try {
    outcome = await session.follow(task, { signal: waiting, onProgress: say });
  } catch (err) {
    const operation = task.operation ?? task.url;
    // Whatever the waiting ended with once it was stopped, it was stopped: the work itself goes on.
    if (signal.aborted) {
      out.printError(cliText('error.line', { text: cliText('wait.interrupted', { operation, url: task.url }) }));
      return signal.reason === 'SIGTERM' ? EXIT_INTERRUPTED.SIGTERM : EXIT_INTERRUPTED.SIGINT;
    }
    if (timeout?.aborted) {
      out.printError(cliText('error.line', { text: cliText('wait.timed-out', { seconds: (options.waitTimeoutMs ?? 0) / 1000, operation, url: task.url }) }));
      return EXIT_WAIT_TIMEOUT;
    }
    if (!(err instanceof ApiError)) throw err;
    out.printError(cliText('error.line', { text: describe(err) }));
    out.printError(cliText('error.line', { text: cliText('wait.failed', { operation, url: task.url }) }));
    return out.exitCode(err);
  }
  say(outcome);
  await out.writeOut((outcome.result ?? outcome.raw).body);
  return outcome.state === 'succeeded' ? 0 : EXIT_ACTION_FAILED;
}

/**
 * One reading in one line: the operation, the state, the server's own word for it when it says more, the percent
 * when given, the server's message. Raw server text: the output makes it safe for a terminal.
 */
export function progressLine(progress: TaskProgress, task: TrackedTask): string {
  const operation = progress.operation ?? task.operation ?? task.url;
  const status = progress.status && progress.status.toLowerCase() !== progress.state ? ` (${progress.status})` : '';
  const percent = progress.percent === undefined || !Number.isFinite(progress.percent) ? '' : ` ${Math.round(progress.percent)}%`;
  const text = progress.message?.replace(/\s+/g, ' ').trim();
  const message = text ? `: ${text.length > MESSAGE_CHARS ? `${text.slice(0, MESSAGE_CHARS)}\u2026` : text}` : '';
  return cliText('wait.progress', { operation, state: progress.state, status, percent, message });
}
