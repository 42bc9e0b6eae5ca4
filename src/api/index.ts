// The public surface of api/: what the UI and the command line use.
export * from './errors';
export { english, fill, MESSAGES, say, type MessageCode, type Param, type ParamsFor, type PlaceholdersOf, type Wording } from './messages';
export * from './resource';
export * from './session';
export { createSession, curlHeaders, representationOf } from './kinds/registry';
export { completeConnectionUrl, DEFAULT_PATH, DEFAULT_PORT, displayOrigin, type UrlCheck, type UrlProblem } from './kinds/connection-url';
export { certificateProblem, type CertificateProblem } from './transport/certificate-problem';
export { normalizeFingerprint } from './transport/http';
export { toCurl, printableUrl, redactBytes, redactError, redactHeaders, redactText, secretForms, type Credentials, type Secret } from './redact';
export { bodyLanguage, prettyBody, PRETTY_LIMIT, type BodyLanguage } from './parse/pretty';
export { withNameFilter, readNameFilter } from './kinds/vspc/filter';
export { CONNECTIONS_PER_ORIGIN } from './transport/http';
export { DEFAULT_MAX_PAGES, walkLinks, type WalkNotice, type WalkStep } from './session/walk';
