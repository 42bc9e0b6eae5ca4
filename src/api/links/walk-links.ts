// What a walk takes from a response: the links to follow and the next page, without the body's model (issue #16: "a
// walk reads links, not the document"). The scanners (em-links.ts, json-api-links.ts) give exactly what the full
// parser's Resource would give the walk, or nothing when the body is not one they read as plainly as the parser
// does: then the walk asks the full parser, so what it follows and what it refuses stay the parser's by construction.
import { isNavigable, type Resource } from '../resource';

/** What the walk needs of a body: everything it follows, or only the next page (below the walk's last level). */
export type LinkNeed = 'all' | 'next';

/** One URL the walk may follow, as the body gives it (not yet checked: the walk refuses what is no http(s) URL). */
export interface WalkLink {
  href: string;
  /** Made by the client from its map of the API, not sent by the server (a 404 there is no failure). */
  inferred?: boolean;
}

/** The links of one body, in the order the walk follows them. */
export interface ScannedLinks {
  /** The next page of a list (`paging.next`), when there is one. */
  next?: string;
  /** Navigable links, then the hrefs of the children; empty when only the next page was asked for. */
  follow: WalkLink[];
}

/**
 * What the walk follows of a Resource: the reference the scanners are held to. With `next` only the paging is read:
 * the children of a large list are never visited one by one.
 */
export function linksOfResource(resource: Resource, need: LinkNeed): ScannedLinks {
  const scanned: ScannedLinks = { follow: [] };
  if (resource.paging?.next) scanned.next = resource.paging.next;
  if (need === 'next') return scanned;
  for (const link of resource.links) if (isNavigable(link)) scanned.follow.push(link.inferred === true ? { href: link.href, inferred: true } : { href: link.href });
  const children = resource.children;
  for (let i = 0; i < children.length; i++) {
    const href = children[i].href;
    if (href) scanned.follow.push({ href });
  }
  return scanned;
}
