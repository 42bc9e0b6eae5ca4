import { EmSession } from './em/session';
import { ApiError } from './errors';
import type { ApiSession, ConnectionDefinition, PasswordProvider, TransportOptions } from './session';

/** A session for a connection definition: EM or VSPC by its kind. */
export function createSession(def: ConnectionDefinition, transport: TransportOptions, password: PasswordProvider): ApiSession {
  if (def.kind === 'em') return new EmSession(def, transport, password);
  throw new ApiError('usage', 'Veeam Service Provider Console connections are not supported yet.', 'Use an Enterprise Manager connection for now.');
}
