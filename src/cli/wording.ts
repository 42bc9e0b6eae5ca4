// Everything the command line says, in one place: its usage text, its own sentences (one table, named placeholders
// as in src/api/messages.ts), and the wording of api/'s errors and notices, from api/'s table in English.
import { DEFAULT_MAX_PAGES, DEFAULT_VBR_REVISION, english, fill, TooLargeError, type ApiError, type ParamsFor, type WaitNotice, type WalkNotice } from '../api';

/** The extension's default of `veeamApiExplorer.maxResponseSizeMB`. */
export const DEFAULT_MAX_SIZE_MB = 50;

export const USAGE = `Usage:
  veeam-api get URL        print the body of GET URL, as received, to stdout
  veeam-api walk URL       GET URL then, breadth-first, every navigable link beneath it;
                           print each fetched URL on its own line
  veeam-api request METHOD URL
                           send one POST, PUT, PATCH or DELETE to URL at once, no confirmation
                           asked (request GET URL is get URL); print the answer's body to stdout
Options:
  --kind em|vspc|vbr       default inferred: a path under /api/v3 is vspc; port 9419 or a path
                           under /api/v1 is vbr; else em
  --api-version REV        vbr: the API revision sent as x-api-version (default ${DEFAULT_VBR_REVISION});
                           a server that refuses it is asked with the newest revision it supports
  --accept xml|json        EM representation (default xml; VSPC and VBR speak JSON)
  --depth N                walk depth (default 2)
  --max-pages N            pages of one list a walk reads at most (default ${DEFAULT_MAX_PAGES})
  --insecure               accept any certificate (explicit opt-in)
  --fingerprint HEX        trust exactly the certificate with this SHA-256 fingerprint
  --ca FILE                trust this CA bundle
  --timeout SECONDS        per request: connect, headers, any pause in the body (default 30)
  --deadline SECONDS       the most one request may take in all, headers and whole body
                           (default 10 x --timeout, at least 300)
  --max-size MB            largest response body read (default ${DEFAULT_MAX_SIZE_MB}, as in the extension)
  --proxy URL              through this proxy (default HTTPS_PROXY, except NO_PROXY hosts)
  --direct                 never through a proxy
  --allow-http             allow an http:// URL: the password and the tokens then cross the network
                           in clear (a warning is printed each time)
request options:
  --data FILE|-            the body, from FILE or from stdin (-), UTF-8; sent as application/xml
                           (EM, --accept xml) or application/json (EM --accept json, VSPC, VBR)
  --content-type TYPE      send the body with this content type instead
  --wait                   follow the task (EM), async action (VSPC) or session (VBR) the request
                           started: one line per change on stderr, then the final document on
                           stdout instead of the first answer (VSPC: the action's result)
  --wait-timeout SECONDS   stop waiting after this long (default: until the work ends)
The command line asks no confirmation: it is for scripts, and a request is sent as soon as the logon
is done, once (never again after a network failure). A connection's "actions": "off" (read-only) has no
equivalent here. Ctrl+C or --wait-timeout stops the waiting only: the work goes on on the server
(nothing cancels it), and the command line logs off.
The URL's origin is used as written: https://HOST/... is port 443. Enterprise Manager listens on 9398,
Service Provider Console on 1280 and Backup & Replication on 9419 unless set up otherwise: write the port.
Credentials: VEEAM_USERNAME and VEEAM_PASSWORD environment variables.
Output: what the server sent is printed without the control characters that would act on a terminal.
Exit codes: 0 ok; 2 usage; 3 authentication failed; 4 TLS/certificate; 5 network/timeout/cancelled;
            6 HTTP error status (3 for 403 Forbidden); 7 malformed response or larger than --max-size;
            8 request --wait: the work ended failed or canceled on the server; 5 --wait-timeout passed;
            130 Ctrl+C while waiting (143 SIGTERM).`;

/** The command line's own sentences, by code. */
const CLI_MESSAGES = {
  'usage.no-command': 'No command given.',
  'usage.unknown-command': 'Unknown command \u201c{command}\u201d.',
  'usage.no-url': '{command} needs a URL.',
  'usage.extra-argument': 'Unexpected argument \u201c{argument}\u201d.',
  'usage.not-url': '\u201c{url}\u201d is not a URL.',
  'usage.not-http-url': '\u201c{url}\u201d is not an http(s) URL.',
  'usage.http-refused': 'An http:// URL would send the password and the session tokens in clear. Use https://, or --allow-http if you accept that.',
  'usage.kind': '--kind must be em, vspc or vbr, not \u201c{value}\u201d.',
  'usage.api-version': '--api-version must be a revision such as {example}, not \u201c{value}\u201d.',
  'usage.api-version-kind': '--api-version is for Backup & Replication (vbr) only; this run is {kind} (--kind vbr if the server is Backup & Replication).',
  'usage.accept': '--accept must be xml or json, not \u201c{value}\u201d.',
  'usage.seconds': '{flag} must be a number of seconds > 0, not \u201c{value}\u201d.',
  'usage.megabytes': '{flag} must be a number of megabytes > 0, not \u201c{value}\u201d.',
  'usage.whole-number': '{flag} must be a whole number \u2265 {min}, not \u201c{value}\u201d.',
  'usage.fingerprint': '--fingerprint must be a SHA-256 fingerprint: 64 hex digits, colons optional.',
  'usage.ca-file': 'Cannot read the CA file {file}: {reason}.',
  'usage.proxy-and-direct': '--proxy and --direct cannot be used together.',
  'usage.credentials': 'Set VEEAM_USERNAME and VEEAM_PASSWORD.',
  'usage.request-only': '{flag} is for the request command only.',
  'usage.no-method': 'request needs a METHOD (POST, PUT, PATCH, DELETE or GET) and a URL.',
  'usage.method': 'METHOD must be GET, POST, PUT, PATCH or DELETE, not \u201c{value}\u201d.',
  'usage.get-flag': '{flag} is for a request other than GET (request GET URL is get URL).',
  'usage.content-type': '--content-type must be a media type such as application/json, not \u201c{value}\u201d.',
  'usage.content-type-without-data': '--content-type is the type of the body: give the body with --data.',
  'usage.wait-timeout-without-wait': '--wait-timeout is for --wait.',
  'usage.data-empty': '--data needs a file name, or - for stdin.',
  'usage.data-file': 'Cannot read the body file {file}: {reason}.',
  'usage.data-not-utf8': 'The body from {file} is not UTF-8 text.',
  'usage.data-too-large': 'The body from {file} is larger than {megabytes} MB (--max-size).',
  'usage.see-help': 'Run veeam-api --help for usage.',
  'warning.allow-http': 'warning: --allow-http: the password and the session tokens cross the network in clear; anyone on the path can read them.',
  'warning.insecure': 'warning: --insecure: the server\u2019s certificate is not verified; anyone on the path can read the credentials.',
  'error.line': 'veeam-api: {text}',
  'error.at-url': '{url}: {text}',
  'error.too-large': '{message} Use --max-size MB to read larger responses.',
  'request.may-have-run': 'the {method} to {url} may have reached the server; it was not sent again.',
  'wait.progress': '{operation}: {state}{status}{percent}{message}',
  'wait.no-task': 'the answer ({status}) names no task, async action or session to wait for.',
  'wait.interrupted': 'stopped waiting; {operation} goes on on the server (it was not canceled): {url}',
  'wait.timed-out': 'stopped waiting after {seconds} s (--wait-timeout); {operation} goes on on the server (it was not canceled): {url}',
  'wait.failed': 'stopped waiting; {operation} may still run on the server: {url}',
  'walk.absent': 'skipped {url}: not on this server (404; the path comes from the API map, not from the server)',
  'walk.failed-one': '{failures} of 1 request failed.',
  'walk.failed': '{failures} of {requests} requests failed.',
  'notice.revision-fallback': '{origin} does not accept API revision {asked}; using {used}, the newest revision it supports that this command knows.',
  'notice.throttled': 'the server asked to slow down (429); retrying in {seconds} s\u2026',
  'notice.next-loop': '{url}: its Next link points back to a page already read ({next}); stopped paging this list.',
  'notice.page-limit': '{url}: the list goes on past {pages} pages; stopped there (--max-pages raises the limit).',
  'notice.not-url': 'skipped 1 link whose href is not an absolute http(s) URL.',
  'notice.not-urls': 'skipped {count} links whose hrefs are not an absolute http(s) URL.',
} as const;

type CliCode = keyof typeof CLI_MESSAGES;

/** One of the command line's sentences; the compiler checks the parameters against its placeholders. */
export function cliText<C extends CliCode>(code: C, ...params: ParamsFor<(typeof CLI_MESSAGES)[C]>): string {
  return fill(CLI_MESSAGES[code], params[0]);
}

/** The error's message and hint, with the command line's own advice where the extension's would not fit. */
export function describe(error: ApiError): string {
  if (error instanceof TooLargeError) return cliText('error.too-large', { message: error.wording });
  return error.hintWording ? `${english(error.wording)} ${english(error.hintWording)}` : english(error.wording);
}

/** An error in one line that names its URL once. */
export function failureLine(error: ApiError, url: string): string {
  const text = describe(error);
  return text.includes(url) ? text : cliText('error.at-url', { url, text });
}

/** Why a request waits (one line on stderr). */
export function waitNotice(notice: WaitNotice): string {
  switch (notice.code) {
    case 'throttled':
      return cliText('notice.throttled', { seconds: notice.seconds });
  }
}

/** What a walk noticed on its way (one line on stderr). */
export function walkNotice(notice: WalkNotice): string {
  switch (notice.code) {
    case 'nextLoop':
      return cliText('notice.next-loop', { url: notice.url, next: notice.next });
    case 'pageLimit':
      return cliText('notice.page-limit', { url: notice.url, pages: notice.pages });
    case 'notUrls':
      return notice.count === 1 ? cliText('notice.not-url') : cliText('notice.not-urls', { count: notice.count });
  }
}

/** The count line at the end of a walk that had failures. */
export function walkFailures(failures: number, requests: number): string {
  return requests === 1 ? cliText('walk.failed-one', { failures }) : cliText('walk.failed', { failures, requests });
}
