// `veeam-api script powershell|python|bash URL`: prints the script the extension generates for URL (one generator, in
// src/api/scripts). No logon, no request, no secret: the script asks for the password when it runs.
import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { terminalLine } from './terminal';
import {
  allKinds,
  DEFAULT_VBR_REVISION,
  generateScript,
  isApiRevision,
  looksLikeCollection,
  SCRIPT_LANGUAGES,
  ScriptTargetError,
  type ApiKind,
  type ScriptLanguage,
  type ScriptProblem,
} from '../api';

export const SCRIPT_USAGE = `Scripts:
  veeam-api script powershell|python|bash URL
                           print a script that logs on, reads URL (every page of a collection) and logs
                           off, also on failure; nothing is sent and the script holds no secret: it reads
                           VEEAM_USERNAME and VEEAM_PASSWORD when they are set, and asks otherwise
  script options:          --kind, --accept, --api-version, --fingerprint, --ca, --insecure as above;
                           --user NAME (the default user); --collection or --single (default: by the URL)`;

const PROBLEMS: Record<ScriptProblem, string> = {
  url: 'The URL cannot be used in a script.',
  'not-https': 'A script logs on over https only: the password would cross the network in clear.',
  'other-origin': 'The URL is not on the server of the connection.',
  fingerprint: '--fingerprint must be a SHA-256 fingerprint: 64 hex digits, colons optional.',
  'api-version': `--api-version must be a revision such as ${DEFAULT_VBR_REVISION}.`,
  language: 'The language must be powershell, python or bash.',
};

class ScriptUsage extends Error {}

/** Runs `script` with the arguments after it; prints the script to stdout. Returns the exit code (0, or 2: usage). */
export function scriptCommand(argv: string[]): number {
  try {
    process.stdout.write(scriptFor(argv));
    return 0;
  } catch (err) {
    const text = err instanceof ScriptTargetError ? PROBLEMS[err.problem] : (err as Error).message;
    process.stderr.write(`${terminalLine(`veeam-api: ${text}`)}\nRun veeam-api --help for usage.\n`);
    return 2;
  }
}

function scriptFor(argv: string[]): string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        kind: { type: 'string' },
        accept: { type: 'string' },
        'api-version': { type: 'string' },
        user: { type: 'string' },
        fingerprint: { type: 'string' },
        ca: { type: 'string' },
        insecure: { type: 'boolean' },
        collection: { type: 'boolean' },
        single: { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new ScriptUsage((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [language, url, ...extra] = positionals;
  if (!SCRIPT_LANGUAGES.includes(language as ScriptLanguage)) throw new ScriptUsage(PROBLEMS.language);
  if (!url) throw new ScriptUsage('script needs a URL.');
  if (extra.length) throw new ScriptUsage(`Unexpected argument \u201c${extra[0]}\u201d.`);
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(url);
  } catch {
    throw new ScriptUsage(`\u201c${url}\u201d is not a URL.`);
  }
  const kind = values.kind ?? inferredKind(parsedUrl);
  if (!allKinds().some((k) => k.kind === kind)) throw new ScriptUsage(`--kind must be em, vspc or vbr, not \u201c${kind}\u201d.`);
  const accept = values.accept ?? 'xml';
  if (accept !== 'xml' && accept !== 'json') throw new ScriptUsage(`--accept must be xml or json, not \u201c${accept}\u201d.`);
  const apiVersion = values['api-version'];
  if (apiVersion !== undefined && (kind !== 'vbr' || !isApiRevision(apiVersion))) {
    throw new ScriptUsage(kind !== 'vbr' ? '--api-version is for Backup & Replication (vbr) only.' : PROBLEMS['api-version']);
  }
  const trust = [values.fingerprint !== undefined, values.ca !== undefined, values.insecure === true].filter(Boolean).length;
  if (trust > 1) throw new ScriptUsage('Choose one of --fingerprint, --ca and --insecure.');
  if (values.collection && values.single) throw new ScriptUsage('Choose --collection or --single, not both.');
  let caFile: string | undefined;
  if (values.ca !== undefined) {
    caFile = resolve(values.ca);
    try {
      accessSync(caFile, constants.R_OK);
    } catch (err) {
      throw new ScriptUsage(`Cannot read the CA file ${values.ca}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
    }
  }
  if (values.insecure) {
    process.stderr.write('warning: --insecure: the script will not verify the server\u2019s certificate; it says so in a comment.\n');
  }
  const collection = values.collection ? true : values.single ? false : looksLikeCollection(kind as ApiKind, parsedUrl.href);
  return generateScript(language as ScriptLanguage, {
    kind: kind as ApiKind,
    url: parsedUrl.href,
    // The origin as written (https://HOST/ is port 443), as for get and walk.
    baseUrl: `${parsedUrl.protocol}//${parsedUrl.hostname}:${parsedUrl.port || '443'}${parsedUrl.pathname}`,
    username: values.user,
    representation: accept,
    apiVersion,
    fingerprint: values.fingerprint,
    caFile,
    insecure: values.insecure,
    collection,
  }).text;
}

/** As get and walk infer it: a path under /api/v3 is VSPC; under /api/v1, or port 9419, VBR; else EM. */
function inferredKind(url: URL): string {
  if (/^\/api\/v3(\/|$)/.test(url.pathname)) return 'vspc';
  if (/^\/api\/v1(\/|$)/.test(url.pathname) || url.port === '9419') return 'vbr';
  return 'em';
}
