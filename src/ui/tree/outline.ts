// What a fetched resource shows as children in the tree, in order. No vscode here: unit-tested in plain Node.
import { isActionHref, isLazy, isNavigable, lazyArray, type Field, type Link, type Resource } from '../../api';
import { labelText, linkLabel } from './labels';
import { isOffsetPaging, loadMoreState, type LoadMoreState } from './load-more';

export type OutlineEntry =
  | { kind: 'resource'; resource: Resource }
  | { kind: 'link'; link: Link }
  | { kind: 'action'; link: Link }
  | { kind: 'field'; field: Field }
  | { kind: 'group'; name: string; links: Link[] }
  | { kind: 'nextPage'; href: string; paging: NonNullable<Resource['paging']> }
  | { kind: 'loadMore'; state: LoadMoreState };

/** Paging relations are reached through the "Next page" item, not listed as links. */
const PAGING_RELS = new Set(['First', 'Previous', 'Next', 'Last']);

export type LinkRole = 'up' | 'navigable' | 'paging' | 'action';

/** Up links are never children; Down/Alternate are browsed; anything else (or `?action=`) only ever POSTs. */
export function linkRole(link: Link): LinkRole {
  if (link.rel === 'Up') return 'up';
  if (isActionHref(link.href)) return 'action';
  if (isNavigable(link)) return 'navigable';
  if (PAGING_RELS.has(link.rel)) return 'paging';
  return 'action';
}

/**
 * Child references and entities first (a list is what the user came for), then the resource's own
 * Down and Alternate links (those with a `group` filed under one entry per group, where the group's first link was),
 * its fields, its actions, and a "Next page" (EM) or "Load more" (offset paging with a total: VSPC) item for paged results.
 */
export function outline(resource: Resource): OutlineEntry[] {
  const { children } = resource;
  // A long list's children are made when shown (the tree shows 500 rows at a time): so are their entries. Its Down
  // links are not compared with every child's href, which would make every child.
  const lazy = isLazy(children);
  const entries: OutlineEntry[] = lazy ? [] : children.map((child) => ({ kind: 'resource', resource: child }));
  const seen = new Set(lazy ? [] : children.map((c) => c.href).filter(Boolean));
  const actions: OutlineEntry[] = [];
  const groups = new Map<string, Extract<OutlineEntry, { kind: 'group' }>>();
  for (const link of resource.links) {
    const role = linkRole(link);
    if (role === 'navigable') {
      // A list's Down link to an item already shown as a child would be a duplicate.
      if (link.rel === 'Down' && seen.has(link.href)) continue;
      const groupName = link.group?.trim();
      if (groupName) {
        let group = groups.get(groupName);
        if (!group) {
          groups.set(groupName, (group = { kind: 'group', name: groupName, links: [] }));
          entries.push(group);
        }
        group.links.push(link);
        continue;
      }
      entries.push({ kind: 'link', link });
    } else if (role === 'action') {
      actions.push({ kind: 'action', link });
    }
  }
  for (const field of resource.fields) entries.push({ kind: 'field', field });
  entries.push(...actions);
  for (const group of groups.values()) group.links = sortedByLabel(group.links);
  const paging = resource.paging;
  if (paging && isOffsetPaging(paging)) {
    const state = loadMoreState(paging);
    if (state) entries.push({ kind: 'loadMore', state });
  } else if (paging?.next) entries.push({ kind: 'nextPage', href: paging.next, paging });
  if (!lazy) return entries;
  const n = children.length;
  return lazyArray<OutlineEntry>(n + entries.length, (i) => (i < n ? { kind: 'resource', resource: children[i] } : entries[i - n]));
}

/** Links in the order of their labels, as a reader looks for them ("Backup Servers" before "Companies"). */
export function sortedByLabel(links: readonly Link[]): Link[] {
  return [...links].sort((a, b) => linkLabel(a).localeCompare(linkLabel(b), undefined, { sensitivity: 'base', numeric: true }));
}

/** `Name: value` for a leaf, `Name` for a field with nested fields. */
export function fieldLabel(field: Field): string {
  return labelText(field.children?.length ? field.name : `${field.name}: ${field.value ?? ''}`);
}
