// A server's own OpenAPI document, looked for where a kind says it may be: what VSPC and VBR share at logon.
import { CancelledError } from '../errors';
import type { ApiCollection } from '../openapi/navigation';
import type { OpenApiReading } from '../openapi/reader';
import { isHtml } from './responses';
import type { Credential, KindContext } from './strategy';

/** A document read: its collections, the revision it states, and where it was found. */
export type ServerDocument = { collections: ApiCollection[]; revision?: string; url: string };

/**
 * The first of `urls` that holds a document `read` can map (bounded and linear; on the parser thread when large);
 * `'none'` when none does, `'refused'` when one was over the reader's bounds (the log says why: the shipped map
 * serves). `urls` may be lazy: later places are only asked for when the earlier ones hold nothing.
 */
export async function findServerDocument(
  ctx: KindContext,
  urls: () => AsyncIterable<string> | Iterable<string>,
  credential: Credential,
  read: (body: Uint8Array, url: string) => Promise<OpenApiReading>,
  signal: AbortSignal,
): Promise<ServerDocument | 'none' | 'refused'> {
  for await (const url of urls()) {
    try {
      const raw = await ctx.send({ method: 'GET', url }, signal, credential);
      if (raw.status !== 200 || isHtml(raw)) continue;
      const { collections, revision, refused } = await read(raw.body, raw.url);
      if (refused) {
        ctx.log(`The API document at ${url} ${refused}; the tree follows the map shipped with the extension.`);
        return 'refused';
      }
      if (!collections) continue;
      ctx.log(`${ctx.origin} publishes its API document (${collections.length} collections): the tree follows it.`);
      return { collections, revision, url };
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      // No document there (or not one we can read): the next place, or the shipped map.
    }
  }
  return 'none';
}
