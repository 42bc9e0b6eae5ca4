// The bodies Enterprise Manager's actions take: its documented specs (`JobCloneSpec`, `RestoreSpec`), as a document of
// the connection's representation, and what is wrong with an XML document for one. EM's JSON has no root: the root's
// children are its top-level members (`{"BackupJobCloneInfo": {"JobName": …}}`), attributes and children side by side.
import { say, type Wording } from '../../messages';
import { messageText } from '../../parse/message-text';
import type { ActionBody, Link } from '../../resource';
import type { Representation } from '../../types';
import { checkPresence } from '../../openapi/request-body';
import { checkWellFormed } from './well-formed';

const NAMESPACE = 'http://www.veeam.com/ent/v1.0';

/** An element of a spec: a value, or elements of its own; required ones are what a document must hold. */
interface SpecElement {
  name: string;
  value?: string | boolean;
  children?: SpecElement[];
  required?: boolean;
}

interface Spec {
  root: string;
  children: SpecElement[];
}

/**
 * `POST /jobs/{ID}?action=clone` of a backup job: `BackupJobCloneInfo` with the new job's name, its backup folder and
 * the repository it writes to (all three required; a description may follow). Replication and backup copy jobs take
 * `ReplicaJobCloneInfo` and `BackupCopyJobCloneInfo` instead, which the link does not tell apart.
 */
const JOB_CLONE_SPEC: Spec = {
  root: 'JobCloneSpec',
  children: [
    {
      name: 'BackupJobCloneInfo',
      required: true,
      children: [
        { name: 'JobName', value: 'Nightly backup copy', required: true },
        { name: 'FolderName', value: 'Nightly backup copy', required: true },
        { name: 'RepositoryUid', value: 'urn:veeam:Repository:00000000-0000-0000-0000-000000000000', required: true },
      ],
    },
  ],
};

/**
 * `POST /vmRestorePoints/{ID}?action=restore` to the original place (vSphere, Hyper-V): `VmRestoreSpec` with
 * `PowerOnAfterRestore` and `QuickRollback` required, in that order; the template keeps the original VM.
 */
const RESTORE_SPEC: Spec = {
  root: 'RestoreSpec',
  children: [
    {
      name: 'VmRestoreSpec',
      required: true,
      children: [
        { name: 'PowerOnAfterRestore', value: false, required: true },
        { name: 'QuickRollback', value: false, required: true },
        { name: 'KeepOriginalVM', value: true },
      ],
    },
  ],
};

/** A spec name as a link's Type may give one: a plain word ending in `Spec`. */
const SPEC_TYPE = /^[A-Za-z][A-Za-z0-9]{0,99}Spec$/;

/**
 * The body an EM action link takes, by what it does (`?action=`, else its Rel) and what it acts on; undefined for the
 * actions documented without one (start, stop, retry…). An action whose link names another spec (its Type) gets an
 * empty document of that root.
 */
export function emActionBody(link: Link, def: { representation?: Representation }): ActionBody | undefined {
  let url: URL;
  try {
    url = new URL(link.href);
  } catch {
    return undefined;
  }
  const action = (url.searchParams.get('action') ?? link.rel).toLowerCase();
  const path = url.pathname.replace(/\/+$/, '');
  const type = link.type ?? '';
  let spec: Spec | undefined;
  if ((action === 'clone' && /\/jobs\/[^/]+$/i.test(path)) || type === JOB_CLONE_SPEC.root) spec = JOB_CLONE_SPEC;
  else if ((action === 'restore' && /\/vmRestorePoints\/[^/]+$/i.test(path)) || type === RESTORE_SPEC.root) spec = RESTORE_SPEC;
  else if (SPEC_TYPE.test(type)) spec = { root: type, children: [] };
  if (!spec) return undefined;
  return def.representation === 'json' ? jsonBody(spec) : xmlBody(spec);
}

function xmlBody(spec: Spec): ActionBody {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', `<${spec.root} xmlns="${NAMESPACE}">`];
  const write = (elements: SpecElement[], indent: string) => {
    for (const e of elements) {
      if (e.children) {
        lines.push(`${indent}<${e.name}>`);
        write(e.children, `${indent}  `);
        lines.push(`${indent}</${e.name}>`);
      } else {
        lines.push(`${indent}<${e.name}>${escapeXml(String(e.value ?? ''))}</${e.name}>`);
      }
    }
  };
  write(spec.children, '  ');
  lines.push(`</${spec.root}>`, '');
  return { contentType: 'application/xml', required: true, template: lines.join('\n'), schemaName: spec.root, rootElement: spec.root, requiredPaths: requiredPaths(spec.children, '/') };
}

function jsonBody(spec: Spec): ActionBody {
  const value = (elements: SpecElement[]): Record<string, unknown> =>
    Object.fromEntries(elements.map((e) => [e.name, e.children ? value(e.children) : e.value]));
  return { contentType: 'application/json', required: true, template: `${JSON.stringify(value(spec.children), null, 2)}\n`, schemaName: spec.root, requiredPaths: requiredPaths(spec.children, '.') };
}

function requiredPaths(elements: SpecElement[], separator: string, prefix = ''): string[] {
  return elements.filter((e) => e.required).flatMap((e) => [`${prefix}${e.name}`, ...requiredPaths(e.children ?? [], separator, `${prefix}${e.name}${separator}`)]);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * What is wrong with an XML request document for `body`: too large, not well-formed (with its line), not the root
 * element the body needs, or a required element missing (each one named). An empty document is fine for a body that is
 * not required.
 */
export function checkXmlBody(body: ActionBody, text: string): Wording[] {
  const presence = checkPresence(body, text);
  if (presence) return presence;
  const source = text.replace(/^\uFEFF/, '').trim();
  // The scan refuses a DOCTYPE too (no entity of a document is ever expanded), and nesting past the limit.
  const bad = checkWellFormed(source, MAX_XML_DEPTH);
  if (bad) return [say('request-body.xml-malformed', { line: bad.line + leadingLines(text), reason: bad.why })];
  const { root, found } = elementPaths(source, body.requiredPaths);
  if (body.rootElement !== undefined && root !== body.rootElement) return [say('request-body.wrong-root', { found: messageText(root, 100), expected: body.rootElement })];
  return body.requiredPaths.filter((path) => !found.has(path)).map((path) => say('request-body.missing', { path }));
}

/** Elements nested in a request document, at most (EM's specs nest a handful). */
const MAX_XML_DEPTH = 64;

/**
 * The root's name and which of `wanted` (element paths below the root, without namespace prefixes) a well-formed
 * document holds. One pass over its tags; only paths that lead to a wanted one are built, so nothing grows with the
 * document but the pass itself.
 */
function elementPaths(text: string, wanted: readonly string[]): { root: string; found: Set<string> } {
  const prefixes = new Set<string>();
  for (const path of wanted) {
    for (let k = path.indexOf('/'); k >= 0; k = path.indexOf('/', k + 1)) prefixes.add(path.slice(0, k));
    prefixes.add(path);
  }
  const found = new Set<string>();
  /** For each open element, its path below the root ('' for the root), or undefined where it leads to nothing wanted. */
  const open: Array<string | undefined> = [];
  let root = '';
  let i = 0;
  for (let lt = text.indexOf('<'); lt >= 0; lt = text.indexOf('<', i)) {
    const markup = MARKUP.find(([from]) => text.startsWith(from, lt));
    if (markup) {
      i = text.indexOf(markup[1], lt + markup[0].length) + markup[1].length;
      continue;
    }
    const end = tagEnd(text, lt);
    i = end + 1;
    if (text[lt + 1] === '/') {
      open.pop();
      continue;
    }
    const name = TAG_NAME.exec(text.slice(lt + 1, Math.min(end, lt + 1 + MAX_NAME_CHARS)))?.[0] ?? '';
    const local = name.slice(name.indexOf(':') + 1);
    let path: string | undefined;
    if (open.length === 0) {
      root = local;
      path = '';
    } else {
      const parent = open[open.length - 1];
      const candidate = parent === undefined ? undefined : parent === '' ? local : `${parent}/${local}`;
      path = candidate !== undefined && prefixes.has(candidate) ? candidate : undefined;
      if (path !== undefined) found.add(path);
    }
    if (text[end - 1] !== '/') open.push(path);
  }
  return { root, found };
}

/** Markup that is no element, from its start to its end (the scan has checked that each is closed). */
const MARKUP: ReadonlyArray<readonly [string, string]> = [
  ['<!--', '-->'],
  ['<![CDATA[', ']]>'],
  ['<?', '?>'],
];
const TAG_NAME = /^[^\s/>]+/;
/** Characters of an element name read: longer ones are cut (and so match no wanted path). */
const MAX_NAME_CHARS = 1024;

/** Where a tag that starts at `lt` ends (its `>`), quoted attribute values passed over. */
function tagEnd(text: string, lt: number): number {
  let quote = '';
  for (let k = lt + 1; k < text.length; k++) {
    const c = text[k];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return k;
  }
  return text.length;
}

/** Lines before the document's first character (the scan reads it trimmed). */
function leadingLines(text: string): number {
  const lead = /^\uFEFF?\s*/.exec(text)?.[0] ?? '';
  let count = 0;
  for (let k = lead.indexOf('\n'); k >= 0; k = lead.indexOf('\n', k + 1)) count++;
  return count;
}
