// The one owner of cached GETs: the tree and the raw documents ask it, so what one fetched the other reuses.
import { representationOf, type Fetched } from '../api';
import type { ConnectionStore } from './connections';
import { ResponseCache, type ResponseKey } from './response-cache';
import type { SessionRegistry } from './sessions';

/** How a GET is run: as it is, or under a progress that gives it its cancellation signal. */
export type RunGet = (get: (signal?: AbortSignal) => Promise<Fetched>) => Promise<Fetched>;

const asItIs: RunGet = (get) => get();

export class Responses {
  private readonly cache = new ResponseCache();

  constructor(
    private readonly connections: ConnectionStore,
    private readonly sessions: SessionRegistry,
  ) {}

  /** The cache key of a connection's href in the connection's current representation. */
  keyOf(connectionId: string, href: string): ResponseKey {
    return { connectionId, href, representation: representationOf(this.connections.get(connectionId) ?? { kind: 'em' }) };
  }

  /** The cached response, if there is one (a raw document's key carries the representation it was opened in). */
  cached(key: ResponseKey): Fetched | undefined {
    return this.cache.get(key);
  }

  /** The cached response of the href, or a new GET of it (run by `run`), then cached. */
  async get(connectionId: string, href: string, run: RunGet = asItIs): Promise<Fetched> {
    return this.cached(this.keyOf(connectionId, href)) ?? this.fetch(connectionId, href, run);
  }

  /** A new GET of the href (run by `run`), replacing the cached response. */
  async fetch(connectionId: string, href: string, run: RunGet = asItIs): Promise<Fetched> {
    const key = this.keyOf(connectionId, href);
    const fetched = await run((signal) => this.sessions.get(connectionId, href, signal));
    this.cache.set(key, fetched);
    return fetched;
  }

  /** Keeps a response got otherwise (the logon's own answer). */
  remember(connectionId: string, href: string, fetched: Fetched): void {
    this.cache.set(this.keyOf(connectionId, href), fetched);
  }

  forget(connectionId: string, href: string): void {
    this.cache.delete(this.keyOf(connectionId, href));
  }

  /** Forget everything of one connection (logoff, changed definition), or everything. */
  clear(connectionId?: string): void {
    this.cache.clear(connectionId);
  }
}
