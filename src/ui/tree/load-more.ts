// When a paged list offers "Load more", and when it stops. No vscode here: unit-tested in plain Node.
import type { Paging } from '../../api';

/** Items one list node loads at most; past this, the user narrows the list (Filter by Name) instead. */
export const MAX_LOADED_ITEMS = 5000;

export type LoadMoreState =
  | { kind: 'more'; href: string; loaded: number; total: number }
  | { kind: 'capped'; loaded: number; total: number };

/** True for offset paging with a known total (VSPC `meta.pagingInfo`): "Load more"; EM's pages keep "Next page". */
export function isOffsetPaging(paging: Paging): boolean {
  return paging.total !== undefined && paging.page === undefined && paging.pagesCount === undefined;
}

/** What follows the items of a page of an offset-paged list: more to load, the cap reached, or nothing. */
export function loadMoreState(paging: Paging, cap = MAX_LOADED_ITEMS): LoadMoreState | undefined {
  if (!paging.next || paging.total === undefined) return undefined;
  const loaded = (paging.offset ?? 0) + (paging.count ?? 0);
  if (loaded >= paging.total) return undefined;
  if (loaded >= cap) return { kind: 'capped', loaded, total: paging.total };
  return { kind: 'more', href: paging.next, loaded, total: paging.total };
}
