import { EmSession } from './em/session';
import type { ApiSession, ConnectionDefinition, PasswordProvider, TransportOptions } from './session';
import { VspcSession } from './vspc/session';

/** A session for a connection definition: EM or VSPC by its kind. */
export function createSession(def: ConnectionDefinition, transport: TransportOptions, password: PasswordProvider): ApiSession {
  return def.kind === 'vspc' ? new VspcSession(def, transport, password) : new EmSession(def, transport, password);
}
