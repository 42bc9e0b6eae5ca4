// The public surface of api/: what the UI and the command line use.
export * from './errors';
export { english, fill, MESSAGES, say, type MessageCode, type Param, type ParamsFor, type PlaceholdersOf, type Wording } from './messages';
export * from './resource';
export * from './types';
export { actionBodyOf, allKinds, checkActionBody, createSession, curlHeaders, kindOf, readNameFilter, representationOf, withNameFilter } from './kinds/registry';
export type { KindDefinition } from './session/strategy';
export { DEFAULT_VBR_REVISION, isApiRevision } from './kinds/vbr/revisions';
export { completeConnectionUrl, displayOrigin, urlDefaults, type UrlCheck, type UrlProblem } from './kinds/connection-url';
export { certificateProblem, type CertificateProblem } from './transport/certificate-problem';
export { normalizeFingerprint } from './transport/http';
export { toCurl, printableUrl, redactBytes, redactError, redactHeaders, redactText, redactUrl, secretForms, type Credentials, type Secret } from './redact';
export { bodyLanguage, prettyBody, PRETTY_LIMIT, type BodyLanguage } from './parse/pretty';
export { CONNECTIONS_PER_ORIGIN } from './transport/http';
export { DEFAULT_MAX_PAGES, WALK_BATCH, walkLinks, type WalkNotice, type WalkStep } from './session/walk';
export { apiBaseUrl } from './session/strategy';
export { ApiDocument, type OperationSummary, type ParameterSummary, type PathDescription, type PropertySummary, type SchemaSummary } from './openapi/describe';
export { generateScript, looksLikeCollection, SCRIPT_LANGUAGES, ScriptTargetError, type GeneratedScript, type ScriptLanguage, type ScriptProblem, type ScriptTarget } from './scripts';

// The parsers alone, for measuring them (bench/): a decoded body parsed on this thread, as the kind's session would.
export { parseBodyBytes, parseBodyText } from './kinds/parse-job';
export { isLazy, lazyArray, readAhead } from './parse/lazy-children';
export { EM_XML_PARSER_OPTIONS } from './kinds/em/parser';
