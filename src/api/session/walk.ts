import { ApiError, HttpStatusError } from '../errors';
import { say } from '../messages';
import { linksOfResource, type LinkNeed, type ScannedLinks } from '../links/walk-links';
import { CONTROL_CHARACTER, followableUrl } from '../resource';
import type { ApiSession, RawResponse } from '../types';

/** One URL a walk fetched: the status it answered with, or why it failed. */
export interface WalkStep {
  url: string;
  /**
   * The status the server answered with. The response itself is not kept: a batch holds up to WALK_BATCH steps until
   * its last GET is in, which would be as many bodies (list pages of megabytes, each) held at once.
   */
  status?: number;
  error?: ApiError;
  /**
   * The URL came only from the client's map of the API (a link marked `inferred`) and the server answered 404: this
   * server does not have it. Not a failure of the walk; `error` holds the 404.
   */
  absent?: boolean;
}

export interface WalkOptions {
  /** Link levels below the start to follow (0: the start only). */
  depth: number;
  /** GETs at a time. */
  concurrency: number;
  signal?: AbortSignal;
  /** Each batch of results (at most WALK_BATCH), in the order of its URLs, as soon as the batch is done. */
  onBatch(steps: WalkStep[]): void;
  /** Pages of one list read at most, following its Next links (default `DEFAULT_MAX_PAGES`). */
  maxPages?: number;
  /** What the walk chose not to follow, as data (the caller words it). */
  onNotice?(notice: WalkNotice): void;
}

/** Pages of one list a walk reads by default: 1,000 pages of EM's or VSPC's largest page size is far beyond any estate. */
export const DEFAULT_MAX_PAGES = 1000;

/**
 * URLs fetched and reported together at most: a level of 100,000 items is not held as 100,000 steps until its last
 * one is in, and the first lines come sooner. Large enough that the lanes rarely wait for each other between batches.
 */
export const WALK_BATCH = 256;

/**
 * `nextLoop`: a list's Next link points to a page already read (a server that would page forever); `pageLimit`: a list
 * had more pages than `maxPages`; `notUrls`: links whose href is not an absolute http(s) URL, skipped (counted once, at
 * the end of the walk).
 */
export type WalkNotice =
  | { code: 'nextLoop'; url: string; next: string }
  | { code: 'pageLimit'; url: string; pages: number }
  | { code: 'notUrls'; count: number };

/** A session that reads a walk's links without the body's model (Session.walkGet); any other is walked through `get`. */
interface LinkReadingSession extends ApiSession {
  walkGet(href: string, need: LinkNeed, signal?: AbortSignal): Promise<{ raw: RawResponse; links: ScannedLinks }>;
}

function readsLinks(session: ApiSession): session is LinkReadingSession {
  return typeof (session as Partial<LinkReadingSession>).walkGet === 'function';
}

/**
 * Breadth-first over navigable links from `start`, each URL once. The next page of a list belongs to the list's own
 * level, so a walk reads whole collections. A failed URL is reported and the walk goes on; cancelling ends it.
 */
export async function walkLinks(session: ApiSession, start: string, options: WalkOptions): Promise<void> {
  const seen = new Set<string>([start]);
  /** URLs known only from inferred links. */
  const inferred = new Set<string>();
  /** The page number of each list page reached through Next links (a first page is 1). */
  const pageNumber = new Map<string, number>();
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let notUrls = 0;
  let level = [start];
  const getLinks = readsLinks(session)
    ? (url: string, need: LinkNeed) => session.walkGet(url, need, options.signal)
    : async (url: string, need: LinkNeed) => {
        const { raw, resource } = await session.get(url, options.signal);
        return { raw, links: linksOfResource(resource, need) };
      };
  const visit = (raw: string, into: string[], fromMap = false) => {
    const href = walkTarget(raw);
    if (href === undefined) {
      // Not a link at all (a server's garbage, control characters, a relative or javascript: href): never fetched, and
      // never printed.
      notUrls++;
      return;
    }
    if (href === ACTION) return;
    if (seen.has(href)) {
      // A link the server itself gave is not "only inferred", whichever was met first.
      if (!fromMap) inferred.delete(href);
      return;
    }
    seen.add(href);
    if (fromMap) inferred.add(href);
    into.push(href);
  };
  for (let depth = 0; level.length > 0; depth++) {
    const next: string[] = [];
    while (level.length > 0) {
      // The next pages of a list found in this batch go to the end of `level`: read after the rest of this level.
      const batch = level.length > WALK_BATCH ? level.splice(0, WALK_BATCH) : level;
      if (batch === level) level = [];
      // Below the last level only the next page of a list is read.
      const need: LinkNeed = depth >= options.depth ? 'next' : 'all';
      const found = new Map<string, ScannedLinks>();
      const steps = await mapLimit(batch, options.concurrency, async (url): Promise<WalkStep> => {
        try {
          const { raw, links } = await getLinks(url, need);
          found.set(url, links);
          return { url, status: raw.status };
        } catch (err) {
          const error = err instanceof ApiError ? err : new ApiError('protocol', say('text', { text: String(err) }));
          const absent = error instanceof HttpStatusError && error.status === 404 && inferred.has(url);
          return absent ? { url, error, absent } : { url, error };
        }
      });
      const cancelled = steps.find((s) => s.error?.kind === 'cancelled');
      if (cancelled) throw cancelled.error;
      options.onBatch(steps);
      for (const { url } of steps) {
        const links = found.get(url);
        if (!links) continue;
        if (links.next) followNext(url, links.next);
        if (depth >= options.depth) continue;
        for (const link of links.follow) visit(link.href, next, link.inferred === true);
      }
    }
    level = next;
  }
  if (notUrls > 0) options.onNotice?.({ code: 'notUrls', count: notUrls });

  /** The next page of a list, at the list's own level: never a page already read, never past the page limit. */
  function followNext(url: string, rawNext: string): void {
    const nextUrl = followableUrl(rawNext);
    if (nextUrl === undefined) return visit(rawNext, level);
    if (seen.has(nextUrl)) return options.onNotice?.({ code: 'nextLoop', url, next: nextUrl });
    const page = (pageNumber.get(url) ?? 1) + 1;
    if (page > maxPages) return options.onNotice?.({ code: 'pageLimit', url, pages: maxPages });
    pageNumber.set(nextUrl, page);
    visit(nextUrl, level);
  }
}

const ACTION = Symbol('action');

/**
 * What the walk does with an href, from one reading of it: the URL to follow (followableUrl), ACTION for an action
 * (isActionHref: never followed), undefined for no URL at all.
 */
function walkTarget(href: string): string | typeof ACTION | undefined {
  if (CONTROL_CHARACTER.test(href)) return undefined;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return url.searchParams.has('action') ? ACTION : url.href;
}

/** `fn` over the items, at most `limit` at a time; results in the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  });
  await Promise.all(workers);
  return results;
}
