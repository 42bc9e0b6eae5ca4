import type { ApiSession, ConnectionDefinition, PasswordProvider, TransportOptions } from '../session';
import { bodyParser } from './body-parser';
import { EmSession } from './em/session';
import { VspcSession } from './vspc/session';

/** A session for a connection definition: EM or VSPC by its kind, each with the shared body parser. */
export function createSession(def: ConnectionDefinition, transport: TransportOptions, password: PasswordProvider): ApiSession {
  return def.kind === 'vspc' ? new VspcSession(def, transport, password, bodyParser) : new EmSession(def, transport, password, bodyParser);
}
