// What a fetched resource shows as children in the tree, in order. No vscode here: unit-tested in plain Node.
import { isActionHref, isNavigable, type Field, type Link, type Resource } from '../../api';

export type OutlineEntry =
  | { kind: 'resource'; resource: Resource }
  | { kind: 'link'; link: Link }
  | { kind: 'action'; link: Link }
  | { kind: 'field'; field: Field }
  | { kind: 'nextPage'; href: string; paging: NonNullable<Resource['paging']> };

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
 * Down and Alternate links, its fields, its actions, and a "Next page" item for paged results.
 */
export function outline(resource: Resource): OutlineEntry[] {
  const entries: OutlineEntry[] = resource.children.map((child) => ({ kind: 'resource', resource: child }));
  const seen = new Set(resource.children.map((c) => c.href).filter(Boolean));
  const actions: OutlineEntry[] = [];
  for (const link of resource.links) {
    const role = linkRole(link);
    if (role === 'navigable') {
      // A list's Down link to an item already shown as a child would be a duplicate.
      if (link.rel === 'Down' && seen.has(link.href)) continue;
      entries.push({ kind: 'link', link });
    } else if (role === 'action') {
      actions.push({ kind: 'action', link });
    }
  }
  for (const field of resource.fields) entries.push({ kind: 'field', field });
  entries.push(...actions);
  if (resource.paging?.next) entries.push({ kind: 'nextPage', href: resource.paging.next, paging: resource.paging });
  return entries;
}

/** `Name: value` for a leaf, `Name` for a field with nested fields. */
export function fieldLabel(field: Field): string {
  if (field.children?.length) return field.name;
  return `${field.name}: ${field.value ?? ''}`;
}
