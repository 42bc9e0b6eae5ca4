// How links and resources are named in the tree. No vscode here: unit-tested in plain Node.
import { readableType, type Link, type Resource } from '../../api';

const LIST_SUFFIX = /(ReferenceList|References|EntityList|List)$/;
/** Words Veeam writes in capitals, which camel-case splitting gets wrong. */
const ACRONYMS: Record<string, string> = { Vm: 'VM', Vms: 'VMs', Sql: 'SQL', Wan: 'WAN', Vsphere: 'vSphere', Id: 'ID', Uid: 'UID', Url: 'URL' };

/** `vmRestorePoints` → `VM Restore Points`, `VAppRestorePoint` → `vApp Restore Point`. */
export function readable(text: string): string {
  return readableType(text)
    .replace(/\bV (App|Cloud|Sphere)\b/g, (_m, word: string) => `v${word}`)
    .split(' ')
    .map((w) => ACRONYMS[w] ?? w)
    .join(' ');
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
  const segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  const last = segments.at(-1);
  if (!last || ID_LIKE.test(last) || last === 'api' || /^v\d/.test(last)) return undefined;
  return last;
}

/**
 * A link's label: its Name when it has one; for a list, its item type in the plural (`JobReferenceList` → "Jobs",
 * `NASJobReferenceList` → "NAS Jobs": the URL's last word alone would call `/api/nas/jobs` "Jobs" too);
 * else the word its URL ends in, else its Type, else the relation.
 */
export function linkLabel(link: Link): string {
  if (link.name?.trim()) return link.name.trim();
  const item = link.type?.replace(LIST_SUFFIX, '');
  if (link.type && item && item !== link.type) return plural(readable(item));
  const word = lastPathWord(link.href);
  if (word) return readable(word);
  if (link.type) return readable(link.type);
  return link.rel;
}

/** A resource's label: its Name, else its readable Type, else the word its URL ends in, else its element. */
export function resourceLabel(resource: Resource): string {
  if (resource.name?.trim()) return resource.name.trim();
  if (resource.type) return readable(resource.type);
  const word = resource.href ? lastPathWord(resource.href) : undefined;
  if (word) return readable(word);
  if (resource.element) return readable(resource.element);
  return resource.uid ?? resource.href ?? '?';
}

/** A name usable as a file name in a document title: no path separators or control characters. */
export function fileNameOf(text: string): string {
  const clean = text.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return (clean || 'response').slice(0, 80);
}
