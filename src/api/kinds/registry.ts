// The registry of kinds: the one place that lists every Veeam API this extension speaks. The UI and the command line
// ask it (through ../index.ts), never a kind by name. Adding a kind: one line in KINDS (and its parser in parse-job.ts).
import type { ActionBody, Link } from '../resource';
import type { Wording } from '../messages';
import type { ApiKind, ApiSession, ConnectionDefinition, PasswordProvider, Representation, TransportOptions } from '../types';
import { Session } from '../session/request-flow';
import type { KindDefinition } from '../session/strategy';
import { checkJsonBody, checkPresence } from '../openapi/request-body';
import { bodyParser } from './body-parser';
import { checkXmlBody } from './em/specs';
import { EM_KIND } from './em/kind';
import { VBR_KIND } from './vbr/kind';
import { VSPC_KIND } from './vspc/kind';

const KINDS = { em: EM_KIND, vspc: VSPC_KIND, vbr: VBR_KIND } satisfies { [K in ApiKind]: KindDefinition<typeof bodyParser, K> };

/** The kind a connection is. */
export function kindOf(kind: ApiKind): KindDefinition<typeof bodyParser> {
  return KINDS[kind];
}

/** Every kind, in the order Add Connection offers them. */
export function allKinds(): ReadonlyArray<KindDefinition<typeof bodyParser>> {
  return Object.values(KINDS);
}

/** The collection URL filtered by name (by the server, as the kind does it); unchanged when the kind cannot filter. */
export function withNameFilter(kind: ApiKind, href: string, text: string | undefined): string {
  return kindOf(kind).nameFilter?.apply(href, text) ?? href;
}

/** The name filter a collection URL holds, if any. */
export function readNameFilter(kind: ApiKind, href: string): string | undefined {
  return kindOf(kind).nameFilter?.read(href);
}

/** A session for a connection definition: the one request flow with its kind's strategy and the shared body parser. */
export function createSession(def: ConnectionDefinition, transport: TransportOptions, password: PasswordProvider): ApiSession {
  return new Session(kindOf(def.kind).strategy(def, bodyParser), transport, password, def);
}

/**
 * The headers a GET of this connection carries, for a curl command: the representation it asks for, and its session
 * header with a placeholder that `toCurl` turns into a shell variable (`$VEEAM_TOKEN`, `$VEEAM_SESSION_ID`).
 */
export function curlHeaders(def: Pick<ConnectionDefinition, 'kind' | 'representation' | 'apiVersion'>): Array<[string, string]> {
  return kindOf(def.kind).curlHeaders(def);
}

/** What the connection's responses are: EM's choice (XML unless set to JSON); VSPC and VBR speak JSON only. */
export function representationOf(def: Pick<ConnectionDefinition, 'kind' | 'representation'>): Representation {
  return kindOf(def.kind).representation(def);
}

/** The body an action link is sent with, when it takes one: the link's own (OpenAPI kinds), else the kind's spec for it. */
export function actionBodyOf(def: Pick<ConnectionDefinition, 'kind' | 'representation'>, link: Link): ActionBody | undefined {
  return link.body ?? kindOf(def.kind).requestBodies?.bodyOf(link, def);
}

/**
 * What is wrong with a request document before it is sent: not well-formed (JSON or XML), not the root element the
 * body needs, a required field missing. Empty when it may be sent.
 */
export function checkActionBody(body: ActionBody, text: string): Wording[] {
  if (/[/+]xml\s*(?:;|$)/i.test(body.contentType)) return checkXmlBody(body, text);
  if (/[/+]json\s*(?:;|$)/i.test(body.contentType)) return checkJsonBody(body, text);
  // Another media type (a form, a file): only whether it is there.
  return checkPresence(body, text) ?? [];
}
