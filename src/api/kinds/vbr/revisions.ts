// The revisions of Veeam Backup & Replication's REST API this extension knows, newest first: the one table of them.
// Each request names one in its `x-api-version` header; a server refuses a revision it does not have.

/**
 * Known revisions, newest first: 1.3-rev1 is Veeam Backup & Replication 13.0.1's, 1.2-rev1 12.3's, 1.0-rev1 the first
 * (version 11). A revision past the newest is not assumed to read like it; the user may still name it in the connection.
 */
export const VBR_REVISIONS: readonly string[] = ['1.3-rev1', '1.3-rev0', '1.2-rev1', '1.2-rev0', '1.1-rev2', '1.1-rev1', '1.1-rev0', '1.0-rev2', '1.0-rev1'];

/** What a connection uses unless it names a revision: the newest this extension knows. */
export const DEFAULT_VBR_REVISION = VBR_REVISIONS[0];

// `1.2-rev1`, also written `v1.2-rev1` (a server's refusal lists them that way).
const REVISION = /(?<![\w.])v?(\d{1,3}\.\d{1,3}-rev\d{1,3})(?![\w.-]*\w)/gi;

/** The revisions a text names (a server's refusal lists what it supports), in the order written, at most 64. */
export function revisionsIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.slice(0, 100_000).matchAll(REVISION)) {
    found.add(m[1].toLowerCase());
    if (found.size >= 64) break;
  }
  return [...found];
}

/** The newest revision this extension knows among those a server supports; undefined when it knows none of them. */
export function newestKnown(supported: readonly string[]): string | undefined {
  return VBR_REVISIONS.find((r) => supported.includes(r));
}

/** True for a revision as a connection or `--api-version` names it (`1.3-rev1`). */
export function isApiRevision(text: string): boolean {
  return /^\d+\.\d+-rev\d+$/.test(text);
}
