import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { ProtocolError } from '../../src/api/errors';
import { readNameFilter, withNameFilter } from '../../src/api/kinds/vspc/filter';
import { VspcNavigation } from './vspc-kind';
import { collectionsFromOpenApi } from './vspc-kind';
import { parseVspcBody, readRetryAfter, readVspcErrorMessage } from './vspc-kind';
import { vspcBaseUrl } from '../../src/api/kinds/vspc/kind';

const BASE = 'https://vspc.example:1280/api/v3/';
const nav = new VspcNavigation([
  { path: '/about', label: 'About', group: 'General', singleton: true },
  {
    path: '/organizations/companies',
    label: 'Companies',
    group: 'Organizations',
    item: { param: 'companyUid', nameProperties: ['name'], subCollections: [{ path: '/organizations/companies/{companyUid}/sites', label: 'Sites' }] },
  },
  { path: '/alarms/active', label: 'Active Alarms', group: 'Alarms' },
], '3.6');

const envelope = (data: unknown, pagingInfo?: object) => JSON.stringify({ meta: pagingInfo ? { pagingInfo } : null, data, errors: null });

describe('VSPC navigation', () => {
  it('files the root links under their groups', () => {
    const root = nav.root(BASE);
    assert.deepEqual(root.links.map((l) => [l.name, l.group, l.href]), [
      ['About', 'General', 'https://vspc.example:1280/api/v3/about'],
      ['Companies', 'Organizations', 'https://vspc.example:1280/api/v3/organizations/companies'],
      ['Active Alarms', 'Alarms', 'https://vspc.example:1280/api/v3/alarms/active'],
    ]);
  });

  it('places collections, items and sub-collections', () => {
    assert.equal(nav.place('/organizations/companies')?.kind, 'collection');
    assert.deepEqual(nav.place('/organizations/companies/abc'), { kind: 'item', collection: nav.collections[1], uid: 'abc' });
    assert.equal(nav.place('/organizations/companies/abc/sites')?.kind, 'subCollection');
    assert.equal(nav.place('/alarms/active/x'), undefined, 'no item endpoint');
    assert.equal(nav.place('/nowhere'), undefined);
  });

  it('fills in the default port and path', () => {
    assert.equal(vspcBaseUrl('vspc.example'), 'https://vspc.example:1280/api/v3/');
    assert.equal(vspcBaseUrl('https://vspc.example:1280/api/v3/organizations/companies?limit=5'), 'https://vspc.example:1280/api/v3/');
    assert.equal(vspcBaseUrl('https://vspc.example:443/'), 'https://vspc.example/api/v3/');
  });
});

describe('VSPC parser', () => {
  it('reads a page of a collection: items by name and uid, paging with the next offset', () => {
    const url = `${BASE}organizations/companies?limit=2&filter=x`;
    const body = envelope([{ instanceUid: 'c1', name: 'Acme', status: 'Active' }, { instanceUid: 'c2', name: '' /* falls back to the uid */ }], { total: 5, count: 2, offset: 0 });
    const r = parseVspcBody(body, url, BASE, nav);
    assert.equal(r.name, 'Companies');
    assert.deepEqual(r.children.map((c) => [c.name, c.href]), [
      ['Acme', 'https://vspc.example:1280/api/v3/organizations/companies/c1'],
      ['c2', 'https://vspc.example:1280/api/v3/organizations/companies/c2'],
    ]);
    assert.deepEqual(r.children[0].fields, [], 'items with their own URL are read there');
    assert.equal(r.paging?.total, 5);
    const next = new URL(r.paging!.next!);
    assert.equal(next.searchParams.get('offset'), '2');
    assert.equal(next.searchParams.get('limit'), '2');
    assert.equal(next.searchParams.get('filter'), 'x');
  });

  it('has no next page on the last one', () => {
    const r = parseVspcBody(envelope([{ instanceUid: 'c5', name: 'E' }], { total: 5, count: 1, offset: 4 }), `${BASE}organizations/companies?offset=4`, BASE, nav);
    assert.equal(r.paging?.next, undefined);
  });

  it('carries items without an item endpoint whole, as fields', () => {
    const r = parseVspcBody(envelope([{ instanceUid: 'a1', message: 'Disk full', object: { type: 'Server', name: 'vbr01' } }], { total: 1, count: 1, offset: 0 }), `${BASE}alarms/active`, BASE, nav);
    assert.equal(r.children[0].href, undefined);
    assert.equal(r.children[0].name, 'a1');
    assert.deepEqual(r.children[0].fields.find((f) => f.name === 'object')?.children, [{ name: 'type', value: 'Server' }, { name: 'name', value: 'vbr01' }]);
  });

  it('reads an item: nested fields, sub-collection links', () => {
    const r = parseVspcBody(envelope({ instanceUid: 'c1', name: 'Acme', tags: ['a', 'b'], subscription: { plan: 'Gold' }, permissions: [{ scope: 'x' }], count: 12345678901234567890, empty: [] }), `${BASE}organizations/companies/c1`, BASE, nav);
    assert.equal(r.name, 'Acme');
    assert.equal(r.uid, 'c1');
    assert.deepEqual(r.fields.map((f) => f.name), ['instanceUid', 'name', 'tags', 'subscription', 'permissions', 'count', 'empty']);
    assert.equal(r.fields[2].value, 'a, b');
    assert.deepEqual(r.fields[4].children, [{ name: '[0]', children: [{ name: 'scope', value: 'x' }] }]);
    assert.deepEqual(r.links, [{ rel: 'Down', href: 'https://vspc.example:1280/api/v3/organizations/companies/c1/sites', name: 'Sites', type: 'VspcCollection', inferred: true, filterable: true }]);
  });

  it('reads a singleton and a bare boolean', () => {
    assert.deepEqual(parseVspcBody(envelope({ serverVersion: '9.0' }), `${BASE}about`, BASE, nav).fields, [{ name: 'serverVersion', value: '9.0' }]);
    assert.deepEqual(parseVspcBody('{"data":true}', `${BASE}users/u/tokens`, BASE, nav).fields, [{ name: 'data', value: 'true' }]);
  });

  it('refuses truncated JSON, an empty body and a non-object', () => {
    for (const body of ['{"data":[{"instanceUid":"c1"', '', '[1,2]']) {
      assert.throws(() => parseVspcBody(body, `${BASE}about`, BASE, nav), ProtocolError);
    }
  });

  it('keeps __proto__ keys as data', () => {
    const r = parseVspcBody('{"data":{"__proto__":{"polluted":true},"name":"x"}}', `${BASE}about`, BASE, nav);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.ok(r.fields.some((f) => f.name === 'name'));
  });
});

describe('VSPC errors, throttling, filters', () => {
  it('reads error messages of both shapes', () => {
    assert.equal(readVspcErrorMessage('{"errors":[{"message":"Company not found","type":"logical","code":404}]}'), 'Company not found');
    assert.equal(readVspcErrorMessage('{"error":"invalid_request","error_description":"Invalid user name or password.","error_uri":null}'), 'Invalid user name or password.');
    assert.equal(readVspcErrorMessage('<html/>'), undefined);
  });

  it('reads retryAfter from the body, else the header', () => {
    assert.equal(readRetryAfter('{"errors":[{"message":"Too many","type":"retryableLogical","code":429,"retryAfter":7}]}', undefined), 7);
    assert.equal(readRetryAfter('{"retryAfter":"3"}', undefined), 3);
    assert.equal(readRetryAfter('oops', '12'), 12);
    assert.equal(readRetryAfter('{}', undefined), undefined);
  });

  it('sets and clears a server-side name filter from the first page', () => {
    const href = `${BASE}organizations/companies?limit=50&offset=100`;
    const filtered = withNameFilter(href, ' acme ', nav);
    const u = new URL(filtered);
    assert.equal(u.searchParams.get('offset'), null);
    assert.equal(u.searchParams.get('limit'), '50');
    assert.deepEqual(JSON.parse(u.searchParams.get('filter')!), [{ property: 'name', operation: 'contains', collation: 'ignorecase', value: 'acme' }]);
    assert.equal(readNameFilter(filtered), 'acme');
    assert.equal(new URL(withNameFilter(filtered, '', nav)).searchParams.get('filter'), null);
    assert.equal(readNameFilter(href), undefined);
  });
});

describe('VSPC navigation from an OpenAPI document', () => {
  it('takes GET collections without parameters, items, sub-collections; refuses what is not an API description', () => {
    const doc = {
      paths: {
        '/organizations/companies': { get: { tags: ['Organizations'], summary: 'Get All Companies', parameters: [{ name: 'limit', in: 'query' }] } },
        '/organizations/companies/{companyUid}': { get: { summary: 'Get Company' }, patch: {} },
        '/organizations/companies/{companyUid}/sites': { get: { summary: 'Get All Company Sites' } },
        '/organizations/companies/{companyUid}/sites/{siteUid}': { get: { summary: 'Get Company Site' } },
        '/about': { get: { tags: ['General'], summary: 'Get Portal Information' } },
        '/authentication/keys/rsa': { get: { tags: ['Authentication'] } },
        '/jobs/start': { post: {} },
        '/alarms/active/': { get: { parameters: [{ name: 'offset' }] } },
      },
    };
    const got = collectionsFromOpenApi(doc, nav.collections)!;
    assert.deepEqual(got.map((c) => [c.path, c.label, c.group, !!c.singleton]), [
      ['/organizations/companies', 'Companies', 'Organizations', false],
      ['/about', 'Portal Information', 'General', true],
      ['/alarms/active', 'Active', 'Alarms', false],
    ]);
    // Its other operations are the item's actions (VSPC_STYLE.actions); `POST /jobs/start` acts on no collection listed.
    assert.deepEqual(got[0].item, {
      param: 'companyUid',
      nameProperties: ['name'],
      subCollections: [{ path: '/organizations/companies/{companyUid}/sites', label: 'Company Sites' }],
      actions: [{ path: '/organizations/companies/{companyUid}', method: 'PATCH', label: 'Companies' }],
    });
    assert.ok(got.every((c) => c.actions === undefined));
    assert.equal(collectionsFromOpenApi({ paths: { '/a': { get: {} } } }), undefined, 'too small to be the VSPC API');
    assert.equal(collectionsFromOpenApi('<html>'), undefined);
  });
});
