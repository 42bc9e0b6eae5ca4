import type { ApiSession, ConnectionDefinition, PasswordProvider, TransportOptions } from './session';

/** A session for a connection definition: EM or VSPC by its kind. */
export function createSession(def: ConnectionDefinition, transport: TransportOptions, password: PasswordProvider): ApiSession {
  void def; void transport; void password;
  throw new Error('not implemented yet');
}
