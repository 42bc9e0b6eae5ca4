// How links and resources are named in the tree. No vscode here: unit-tested in plain Node.
import { readableType, type Link, type Resource } from '../../api';

/** Longest label or description shown in a tree row; longer server text ends in an ellipsis. */
export const MAX_LABEL_LENGTH = 200;
/** Longest server text shown in a tooltip. */
export const MAX_TOOLTIP_LENGTH = 2000;

/**
 * Characters a server must not be able to hide or reorder text with: line and paragraph separators,
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F, U+061C),
 * the BOM, and lone surrogates.
 */
const INVISIBLE = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** C0 controls, DEL and C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** A control character as its visible picture (NUL → ␀, ESC → ␛, CR → ␍, LF → ␊, DEL → ␡); C1 controls as U+FFFD. */
function controlPicture(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  return code === 0x7f ? '\u2421' : '\ufffd';
}

/** Cuts text to `max` characters with an ellipsis, never between the two halves of a surrogate pair. */
function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * Server text made safe for a tree row (label or description): one line, control characters shown as their
 * pictures, bidirectional controls and separators replaced by U+FFFD, at most `max` characters.
 */
export function labelText(text: string, max = MAX_LABEL_LENGTH): string {
  // Cut first: the replacements keep the length, and a 100k-character name should cost no more than a short one.
  return cap(text, max).replace(CONTROL, controlPicture).replace(INVISIBLE, '\ufffd');
}

/** Server text made safe for a plain-text tooltip: as labelText, but line breaks (LF, CR LF) kept, and a longer cap. */
export function tooltipText(text: string, max = MAX_TOOLTIP_LENGTH): string {
  return cap(text, max)
    .replace(/\r\n/g, '\n')
    .replace(CONTROL, (c) => (c === '\n' ? c : controlPicture(c)))
    .replace(INVISIBLE, '\ufffd');
}

/** A URL for a tooltip: one line always (a URL has no line break to keep, and one could forge a second line), controls as their pictures. */
export function urlText(url: string, max = MAX_TOOLTIP_LENGTH): string {
  return labelText(url, max);
}

/** Server text as Markdown that renders literally (for a `MarkdownString.appendMarkdown`): tooltip-safe, then every Markdown and HTML character escaped. */
export function markdownText(text: string, max = MAX_TOOLTIP_LENGTH): string {
  return tooltipText(text, max)
    .replace(/[\\`*_{}[\]()#+\-.!|~<>&"']/g, '\\$&')
    .replace(/\n/g, '  \n');
}

/** Server text as an inline Markdown code span (`Type \`JobReference\``): one line, fenced by more backticks than it holds. */
export function markdownCode(text: string, max = MAX_LABEL_LENGTH): string {
  const safe = labelText(text, max);
  const longest = Math.max(0, ...(safe.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = safe.startsWith('`') || safe.endsWith('`') || safe.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${safe}${pad}${fence}`;
}

const LIST_SUFFIX = /(ReferenceList|References|EntityList|List)$/;
/** Words Veeam writes in capitals, which camel-case splitting gets wrong. */
// A Map, not an object literal: a word such as `constructor` must not find Object.prototype's members.
const ACRONYMS = new Map(Object.entries({ Vm: 'VM', Vms: 'VMs', Sql: 'SQL', Wan: 'WAN', Vsphere: 'vSphere', Id: 'ID', Uid: 'UID', Url: 'URL' }));

/** `vmRestorePoints` → `VM Restore Points`, `VAppRestorePoint` → `vApp Restore Point`. */
export function readable(text: string): string {
  const words = readableType(text.slice(0, 2 * MAX_LABEL_LENGTH))
    .replace(/\bV (App|Cloud|Sphere)\b/g, (_m, word: string) => `v${word}`)
    .split(' ')
    .map((w) => ACRONYMS.get(w) ?? w)
    .join(' ');
  return labelText(words);
}

/** `Repository` → `Repositories`, `VM` → `VMs`, `Backup Job Session` → `Backup Job Sessions`. */
export function plural(phrase: string): string {
  if (/[^aeiou]y$/i.test(phrase)) return `${phrase.slice(0, -1)}ies`;
  if (/(s|x|ch|sh)$/i.test(phrase)) return `${phrase}es`;
  return `${phrase}s`;
}

const ID_LIKE = /^(urn:|[0-9a-f]{8}-[0-9a-f]{4}-|\d+$)/i;

/** The last meaningful word of a URL's path: `/api/backupServers` → `backupServers`; ids and GUIDs don't count. */
export function lastPathWord(href: string): string | undefined {
  let path: string;
  try {
    path = new URL(href).pathname;
  } catch {
    return undefined;
  }
  const segments = path.split('/').filter(Boolean).map(decodeSegment);
  const last = segments.at(-1);
  if (!last || ID_LIKE.test(last) || last === 'api' || /^v\d/.test(last)) return undefined;
  return last;
}

/** A path segment decoded, or as written when its percent-escapes are not UTF-8 (`%E0%A4%A`). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * A link's label (safe for a tree row, see labelText): its Name when it has one; for a list, its item type in the plural (`JobReferenceList` → "Jobs",
 * `NASJobReferenceList` → "NAS Jobs": the URL's last word alone would call `/api/nas/jobs` "Jobs" too);
 * else the word its URL ends in, else its Type, else the relation.
 */
export function linkLabel(link: Link): string {
  if (link.name?.trim()) return labelText(link.name.trim());
  const item = link.type?.replace(LIST_SUFFIX, '');
  if (link.type && item && item !== link.type) return labelText(plural(readable(item)));
  const word = lastPathWord(link.href);
  if (word) return readable(word);
  if (link.type) return readable(link.type);
  return labelText(link.rel);
}

/** A resource's label (safe for a tree row): its Name, else its readable Type, else the word its URL ends in, else its element. */
export function resourceLabel(resource: Resource): string {
  if (resource.name?.trim()) return labelText(resource.name.trim());
  if (resource.type) return readable(resource.type);
  const word = resource.href ? lastPathWord(resource.href) : undefined;
  if (word) return readable(word);
  if (resource.element) return readable(resource.element);
  return labelText(resource.uid ?? resource.href ?? '?');
}

/** A name usable as a file name in a document title: no path separators, control or bidirectional characters. */
export function fileNameOf(text: string): string {
  const clean = text
    .slice(0, 1000)
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
  return (clean || 'response').slice(0, 80);
}
