// The public surface of api/: what the UI and the command line use.
export * from './errors';
export * from './resource';
export * from './session';
export { createSession } from './create-session';
export { normalizeFingerprint } from './http';
export { toCurl, printableUrl, redactBytes, redactError, redactHeaders, redactText, secretForms, type Credentials, type Secret } from './redact';
export { bodyLanguage, prettyBody, PRETTY_LIMIT } from './pretty';
export { withNameFilter, readNameFilter } from './vspc/filter';
