// Generate Script: a node's request as a PowerShell, Python or Bash script that runs as is: the kind's logon (the
// password read when it runs, never written in the script), the request with the connection's headers, every page of
// a collection, logoff in a finally/trap, and the connection's certificate trust. One generator for the extension,
// the command line and the chat tools.
import { english } from '../messages';
import { kindOf } from '../kinds/registry';
import type { ApiKind } from '../types';
import { bashScript } from './bash';
import { planScript, ScriptTargetError, type ScriptLanguage, type ScriptTarget } from './plan';
import { powershellScript } from './powershell';
import { pythonScript } from './python';
import { fileStem } from './quote';

export { DEFAULT_PAGE_SIZE, ScriptTargetError, type ScriptLanguage, type ScriptProblem, type ScriptTarget } from './plan';

/** A generated script: its text, a file name for it, and the VS Code language of an editor that shows it. */
export interface GeneratedScript {
  text: string;
  fileName: string;
  languageId: 'powershell' | 'python' | 'shellscript';
}

export const SCRIPT_LANGUAGES: readonly ScriptLanguage[] = ['powershell', 'python', 'bash'];

/**
 * The script that reads `target` in `language`. Makes no request and holds no secret. Throws ScriptTargetError when
 * the target cannot be read by a script (not https, a URL of another origin, a malformed fingerprint or revision).
 */
export function generateScript(language: ScriptLanguage, target: ScriptTarget): GeneratedScript {
  const plan = planScript(target);
  const product = english(kindOf(target.kind).product);
  const stem = fileStem(target.name, fallbackStem(target.kind, plan.url));
  switch (language) {
    case 'python':
      return { text: pythonScript(plan, product), fileName: `${stem}.py`, languageId: 'python' };
    case 'bash':
      return { text: bashScript(plan, product), fileName: `${stem}.sh`, languageId: 'shellscript' };
    case 'powershell':
      return { text: powershellScript(plan, product), fileName: `${stem}.ps1`, languageId: 'powershell' };
    default:
      throw new ScriptTargetError('language');
  }
}

/**
 * Whether a URL is, by its shape, a collection to page through (for callers that know no more, like the command line):
 * VSPC and VBR paths whose last segment is not an id nor a known single resource; EM's query service and reference
 * lists (`/api/jobs`, not `/api/jobs/{id}`).
 */
export function looksLikeCollection(kind: ApiKind, url: string): boolean {
  let path: string;
  let query: URLSearchParams;
  try {
    const u = new URL(url);
    path = u.pathname.replace(/\/+$/, '');
    query = u.searchParams;
  } catch {
    return false;
  }
  const last = decoded(path.split('/').pop() ?? '');
  const id = /^(urn:veeam:\w+:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^\d+$/i.test(last);
  if (id || last === '') return false;
  if (kind === 'em') {
    if (/\/query$/i.test(path)) return true;
    if (/^entity$/i.test(query.get('format') ?? '')) return false;
    return /\/api\/[A-Za-z]+s$/.test(path) || /\/api\/[A-Za-z]+s\/[^/]+\/[A-Za-z]+s$/.test(path);
  }
  if (['about', 'serverinfo', 'servertime', 'me', 'result'].includes(last.toLowerCase())) return false;
  return !/\/api\/?$|\/api\/v\d+$/i.test(path);
}

function fallbackStem(kind: ApiKind, url: string): string {
  const segments = new URL(url).pathname.split('/').filter(Boolean);
  const last = segments.filter((s) => !/^(api|v\d+)$/i.test(s)).pop() ?? 'root';
  return `veeam-${kind}-${fileStem(decoded(last), 'resource')}`;
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
