// The public surface of api/: what the UI and the command line use.
export * from './errors';
export * from './resource';
export * from './session';
export { createSession } from './kinds/registry';
export { normalizeFingerprint } from './transport/http';
export { toCurl, printableUrl, redactBytes, redactError, redactHeaders, redactText, secretForms, type Credentials, type Secret } from './redact';
export { bodyLanguage, prettyBody, PRETTY_LIMIT } from './parse/pretty';
export { withNameFilter, readNameFilter } from './kinds/vspc/filter';
export { CONNECTIONS_PER_ORIGIN } from './transport/http';
export { DEFAULT_MAX_PAGES, walkLinks, type WalkNotice, type WalkStep } from './session/walk';
