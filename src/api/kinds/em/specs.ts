// The bodies Enterprise Manager's actions take: its documented specs (`JobCloneSpec`, `RestoreSpec`), as a document of
// the connection's representation, and what is wrong with an XML document for one. EM's JSON has no root: the root's
// children are its top-level members (`{"BackupJobCloneInfo": {"JobName": …}}`), attributes and children side by side.
import { say, type Wording } from '../../messages';
import { fastXmlParser } from '../../parse/fxp';
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

/** Elements nested in a request document, at most (EM's specs nest a handful). */
const MAX_XML_DEPTH = 64;

/**
 * What is wrong with an XML request document for `body`: too large, not well-formed (with its line), not the root
 * element the body needs, or a required element missing (each one named). An empty document is fine for a body that is
 * not required.
 */
export function checkXmlBody(body: ActionBody, text: string): Wording[] {
  const presence = checkPresence(body, text);
  if (presence) return presence;
  const source = text.replace(/^\uFEFF/, '').trim();
  // The scan refuses a DOCTYPE too (no entity of a document is ever expanded).
  const bad = checkWellFormed(source, MAX_XML_DEPTH);
  if (bad) return [say('request-body.xml-malformed', { line: bad.line + leadingLines(text), reason: bad.why })];
  let tree: unknown;
  try {
    tree = new (fastXmlParser().XMLParser)(PATH_PARSER_OPTIONS).parse(source);
  } catch (err) {
    return [say('request-body.xml-unreadable', { reason: messageText((err as Error).message, 200) })];
  }
  const top = isObject(tree) ? Object.keys(tree).find((k) => !k.startsWith('?') && !k.startsWith('#')) : undefined;
  if (top === undefined) return [say('request-body.xml-malformed', { line: 1, reason: say('xml.why.no-root') })];
  if (body.rootElement !== undefined && top !== body.rootElement) return [say('request-body.wrong-root', { found: messageText(top, 100), expected: body.rootElement })];
  const root = first((tree as Record<string, unknown>)[top]);
  return body.requiredPaths.filter((path) => !hasElementPath(root, path)).map((path) => say('request-body.missing', { path }));
}

/** Elements only, without their namespace prefix, every one a list (siblings of one name), entities left as written. */
const PATH_PARSER_OPTIONS = {
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_XML_DEPTH + 1,
  isArray: () => true,
};

function hasElementPath(root: unknown, path: string): boolean {
  let at = root;
  for (const step of path.split('/')) {
    if (!isObject(at) || !Object.prototype.hasOwnProperty.call(at, step)) return false;
    at = first(at[step]);
  }
  return true;
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Lines before the document's first character (the scan reads it trimmed). */
function leadingLines(text: string): number {
  const lead = /^\uFEFF?\s*/.exec(text)?.[0] ?? '';
  let count = 0;
  for (let k = lead.indexOf('\n'); k >= 0; k = lead.indexOf('\n', k + 1)) count++;
  return count;
}
