import { VbrError } from './errors';

/**
 * API revisions sent in `x-api-version`, oldest first. 1.0-rev1…1.1-rev1 and their builds are in Veeam's versioning
 * page; 1.2-rev1 is the newest of 12.3 (Swagger UI page); the rest as public clients use them. See FACTS.md.
 */
export const KNOWN_REVISIONS = ['1.0-rev1', '1.0-rev2', '1.1-rev0', '1.1-rev1', '1.1-rev2', '1.2-rev0', '1.2-rev1', '1.3-rev0', '1.3-rev1'] as const;
export type Revision = string;

/** What a server of each release accepts (the simulator's choice: 13 dropped the deprecated 1.0 revisions). */
export const SERVER_REVISIONS = {
  /** Veeam Backup & Replication 12.3 */
  'vbr12.3': ['1.0-rev1', '1.0-rev2', '1.1-rev0', '1.1-rev1', '1.1-rev2', '1.2-rev0', '1.2-rev1'],
  /** Veeam Backup & Replication 13.0.1 */
  'vbr13': ['1.1-rev0', '1.1-rev1', '1.1-rev2', '1.2-rev0', '1.2-rev1', '1.3-rev0', '1.3-rev1'],
} as const satisfies Record<string, readonly string[]>;
export type ServerRelease = keyof typeof SERVER_REVISIONS;

export const HEADER = 'x-api-version';

/**
 * A missing or unknown revision: 400, the supported ones listed in the message. The text follows a real server's
 * (a `v` before each revision, a final full stop); the errorCode follows public clients' mocks. See FACTS.md.
 */
export function unsupportedRevision(supported: readonly string[]): VbrError {
  return new VbrError(400, 'NotImplemented', `Unsupported RESTAPI version. The following versions are supported: ${supported.map((r) => `v${r}`).join(', ')}.`);
}

/** The revision a request asks for, if the server supports it; throws the 400 otherwise. */
export function checkRevision(header: string | undefined, supported: readonly string[]): Revision {
  const asked = (header ?? '').trim();
  // The header is `<version>-<revision>`; a `v` in front is tolerated (the error lists them that way).
  const revision = asked.replace(/^v/i, '').toLowerCase();
  const match = supported.find((r) => r.toLowerCase() === revision);
  if (!match) throw unsupportedRevision(supported);
  return match;
}

/** The newest revision a server supports. */
export function newest(supported: readonly string[]): Revision {
  return supported[supported.length - 1];
}
