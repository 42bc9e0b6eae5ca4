import type { ApiSession, ConnectionDefinition, PasswordProvider, Representation, TransportOptions } from '../session';
import { bodyParser } from './body-parser';
import { EmSession } from './em/session';
import { VspcSession } from './vspc/session';

/** A session for a connection definition: EM or VSPC by its kind, each with the shared body parser. */
export function createSession(def: ConnectionDefinition, transport: TransportOptions, password: PasswordProvider): ApiSession {
  return def.kind === 'vspc' ? new VspcSession(def, transport, password, bodyParser) : new EmSession(def, transport, password, bodyParser);
}

/**
 * The headers a GET of this connection carries, for a curl command: the representation it asks for, and its session
 * header with a placeholder that `toCurl` turns into a shell variable (`$VEEAM_TOKEN`, `$VEEAM_SESSION_ID`).
 */
export function curlHeaders(def: Pick<ConnectionDefinition, 'kind' | 'representation'>): Array<[string, string]> {
  if (def.kind === 'vspc') return [['Accept', 'application/json'], ['Authorization', 'Bearer <token>']];
  return [['Accept', representationOf(def) === 'json' ? 'application/json' : 'application/xml'], ['X-RestSvcSessionId', '<token>']];
}

/** What the connection's responses are: EM's choice (XML unless set to JSON); VSPC speaks JSON only. */
export function representationOf(def: Pick<ConnectionDefinition, 'kind' | 'representation'>): Representation {
  return def.kind === 'vspc' ? 'json' : (def.representation ?? 'xml');
}
