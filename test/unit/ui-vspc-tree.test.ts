// How the tree lays out VSPC resources: groups of root links, "Load more" on offset paging, its cap; EM unchanged.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Link, Paging, Resource } from '../../src/api';
import { VspcNavigation } from './vspc-kind';
import { isOffsetPaging, loadMoreState, MAX_LOADED_ITEMS } from '../../src/ui/tree/load-more';
import { outline, sortedByLabel } from '../../src/ui/tree/outline';

const base = 'https://vspc.example:1280/api/v3';
const link = (path: string, name: string, group?: string): Link => ({ rel: 'Down', href: `${base}${path}`, name, type: 'VspcCollection', group });
const resource = (r: Partial<Resource>): Resource => ({ links: [], fields: [], children: [], ...r });

describe('VSPC tree layout', () => {
  it('files links with a group under one entry per group, in order of first appearance, links sorted by label', () => {
    const entries = outline(
      resource({
        links: [
          link('/organizations/resellers', 'Resellers', 'Organizations'),
          link('/about', 'About', 'General'),
          link('/organizations/companies', 'Companies', 'Organizations'),
          link('/organizations/locations', 'locations', 'Organizations'),
        ],
        fields: [{ name: 'userName', value: 'admin' }],
      }),
    );
    assert.deepEqual(entries.map((e) => e.kind), ['group', 'group', 'field']);
    const [organizations, general] = entries as Array<Extract<(typeof entries)[number], { kind: 'group' }>>;
    assert.equal(organizations.name, 'Organizations');
    assert.deepEqual(organizations.links.map((l) => l.name), ['Companies', 'locations', 'Resellers']);
    assert.equal(general.name, 'General');
    assert.deepEqual(general.links.map((l) => l.name), ['About']);
  });

  it('leaves links without a group as they are (EM)', () => {
    const entries = outline(resource({ links: [link('/b', 'B'), link('/a', 'A')] }));
    assert.deepEqual(entries.map((e) => (e.kind === 'link' ? e.link.name : e.kind)), ['B', 'A']);
  });

  it('groups every collection of the shipped navigation map, none left loose, every group named', () => {
    const root = new VspcNavigation().root(`${base}/`);
    const entries = outline(root);
    assert.ok(entries.length > 3, 'a handful of groups at least');
    assert.ok(entries.every((e) => e.kind === 'group'), entries.map((e) => e.kind).join(', '));
    const filed = entries.flatMap((e) => (e.kind === 'group' ? e.links : []));
    assert.equal(filed.length, root.links.length);
  });

  it('sorts labels without regard to case, numbers by value', () => {
    const sorted = sortedByLabel([link('/x', 'zeta'), link('/y', 'Alpha'), link('/z', 'Item 10'), link('/w', 'Item 9')]);
    assert.deepEqual(sorted.map((l) => l.name), ['Alpha', 'Item 9', 'Item 10', 'zeta']);
  });

  it('offers Load more with the count loaded and the total while there are more pages', () => {
    const paging: Paging = { total: 250, count: 100, offset: 100, next: `${base}/organizations/companies?offset=200&limit=100` };
    assert.ok(isOffsetPaging(paging));
    assert.deepEqual(loadMoreState(paging), { kind: 'more', href: paging.next, loaded: 200, total: 250 });
    const entries = outline(resource({ children: [resource({ name: 'Acme' })], paging }));
    assert.deepEqual(entries.map((e) => e.kind), ['resource', 'loadMore']);
  });

  it('offers nothing after the last page', () => {
    assert.equal(loadMoreState({ total: 250, count: 50, offset: 200 }), undefined);
    assert.equal(loadMoreState({ total: 250, count: 50, offset: 200, next: `${base}/x?offset=250` }), undefined);
    assert.deepEqual(outline(resource({ paging: { total: 3, count: 3, offset: 0 } })).map((e) => e.kind), []);
  });

  it('stops at the cap and says so', () => {
    const paging: Paging = { total: 100_000, count: 100, offset: MAX_LOADED_ITEMS - 100, next: `${base}/x?offset=${MAX_LOADED_ITEMS}` };
    assert.deepEqual(loadMoreState(paging), { kind: 'capped', loaded: MAX_LOADED_ITEMS, total: 100_000 });
    assert.deepEqual(loadMoreState({ ...paging, offset: 0 }, 50), { kind: 'capped', loaded: 100, total: 100_000 });
  });

  it('keeps EM\u2019s page paging as Next page', () => {
    const paging: Paging = { page: 1, pageSize: 3, pagesCount: 4, next: 'https://em.example.com:9398/api/query?page=2' };
    assert.ok(!isOffsetPaging(paging));
    assert.deepEqual(outline(resource({ paging })).map((e) => e.kind), ['nextPage']);
  });
});
