// The public surface of api/: what the UI and the command line use.
export * from './errors';
export { english, fill, MESSAGES, say, type MessageCode, type Param, type ParamsFor, type PlaceholdersOf, type Wording } from './messages';
export * from './resource';
export * from './types';
export { createSession, curlHeaders, representationOf } from './kinds/registry';
export { completeConnectionUrl, displayOrigin, urlDefaults, type UrlCheck, type UrlProblem } from './kinds/connection-url';
export { certificateProblem, type CertificateProblem } from './transport/certificate-problem';
export { normalizeFingerprint } from './transport/http';
export { toCurl, printableUrl, redactBytes, redactError, redactHeaders, redactText, secretForms, type Credentials, type Secret } from './redact';
export { bodyLanguage, prettyBody, PRETTY_LIMIT, type BodyLanguage } from './parse/pretty';
export { withNameFilter, readNameFilter } from './kinds/vspc/filter';
export { CONNECTIONS_PER_ORIGIN } from './transport/http';
export { DEFAULT_MAX_PAGES, walkLinks, type WalkNotice, type WalkStep } from './session/walk';

// The parsers alone, for measuring them (bench/): a decoded body parsed on this thread, as the kind's session would.
import type { ApiKind } from './types';
import type { Resource } from './resource';
import { parseEmBody } from './kinds/em/parser';
import { VspcNavigation } from './kinds/vspc/navigation';
import { parseVspcBody } from './kinds/vspc/parser';
export { EM_XML_PARSER_OPTIONS } from './kinds/em/parser';

let shippedNavigation: VspcNavigation | undefined;

/** Parses a decoded body of `url` on this thread (no transport, no worker; VSPC with the shipped navigation map). */
export function parseBodyText(kind: ApiKind, text: string, where: { url: string; baseUrl: string; contentType?: string }): Resource {
  if (kind === 'em') return parseEmBody(text, where.contentType, where.url);
  if (kind === 'vspc') return parseVspcBody(text, where.url, where.baseUrl, (shippedNavigation ??= new VspcNavigation()));
  throw new Error(`no parser for ${String(kind)}`);
}
