// The OpenAPI reader (src/api/openapi/reader.ts) as the Veeam Backup & Replication kind uses it (VBR_STYLE: paths from
// the origin, `skip` paging, OAuth paths skipped, an item's other operations as actions): on the simulator's document,
// and on hostile ones. It never throws and never hangs, whatever the document.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { newBodyParser } from '../../src/api/kinds/body-parser';
import { VBR_COLLECTIONS, VBR_STYLE } from '../../src/api/kinds/vbr/navigation-map';
import type { ApiCollection } from '../../src/api/openapi/navigation';
import { collectionsFromOpenApi, MAX_OPENAPI_PATHS, readOpenApiDocument } from '../../src/api/openapi/reader';
import { openApiDocument } from '../simulator/vbr/openapi';
import { assertLinear } from './session-checks';

const read = (doc: unknown, known: readonly ApiCollection[] = VBR_COLLECTIONS) => collectionsFromOpenApi(doc, known, VBR_STYLE);
const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));
const byPath = (collections: readonly ApiCollection[] | undefined) => new Map((collections ?? []).map((c) => [c.path, c]));

/** Three plain collections: the least a document must describe to be read. */
const THREE = {
  '/api/v1/a': { get: { tags: ['A'], parameters: [{ name: 'skip', in: 'query' }] } },
  '/api/v1/b': { get: { tags: ['B'] } },
  '/api/v1/c': { get: { tags: ['C'], summary: 'Get All Cs' } },
};


describe('the simulator\u2019s VBR document', () => {
  for (const revision of ['1.3-rev1', '1.2-rev1']) {
    it(`revision ${revision}: groups, collections, items, sub-collections and actions`, () => {
      const reading = readOpenApiDocument(bytes(openApiDocument(revision)), VBR_COLLECTIONS, VBR_STYLE);
      assert.equal(reading.revision, revision);
      assert.equal(reading.refused, undefined);
      const got = byPath(reading.collections);
      assert.ok(![...got.keys()].some((p) => p.startsWith('/api/oauth2')), 'token and logout are not browsed');
      assert.ok(![...got.keys()].some((p) => p.includes('{')), 'no collection with a path parameter');
      assert.deepEqual(
        [...new Set(reading.collections!.map((c) => c.group))],
        ['Service', 'Jobs', 'Sessions', 'Backups', 'Backup Objects', 'Object Restore Points', 'Repositories', 'Managed Servers', 'Proxies', 'Credentials'],
      );
      assert.deepEqual(got.get('/api/v1/serverInfo'), { path: '/api/v1/serverInfo', label: 'Backup Server Information', group: 'Service', singleton: true });
      const jobs = got.get('/api/v1/jobs')!;
      assert.equal(jobs.label, 'Jobs');
      assert.equal(jobs.singleton, undefined, 'paged by skip and limit');
      assert.deepEqual(jobs.item && { ...jobs.item, actions: undefined }, { param: 'id', nameProperties: ['name'], subCollections: [], actions: undefined });
      assert.deepEqual(jobs.item?.actions, ['start', 'stop', 'retry', 'enable', 'disable'].map((name, k) => ({
        path: `/api/v1/jobs/{id}/${name}`,
        method: 'POST',
        label: ['Start Job', 'Stop Job', 'Retry Job', 'Enable Job', 'Disable Job'][k],
        // Start takes an optional JobStartSpec (request-bodies.test.ts reads its template).
        ...(name === 'start' && { body: { contentType: 'application/json', required: false, template: '{\n  "performActiveFull": false\n}', schemaName: 'JobStartSpec', requiredPaths: ['performActiveFull'] } }),
      })));
      // `jobs/states` is a collection of its own, not an item of `jobs`.
      assert.deepEqual(got.get('/api/v1/jobs/states'), { path: '/api/v1/jobs/states', label: 'Job states', group: 'Jobs' });
      assert.deepEqual(got.get('/api/v1/sessions')?.item?.subCollections, [{ path: '/api/v1/sessions/{id}/taskSessions', label: 'Task sessions of sessions' }]);
      assert.deepEqual(got.get('/api/v1/sessions')?.item?.actions, [{ path: '/api/v1/sessions/{id}/stop', method: 'POST', label: 'Stop Session' }]);
      assert.deepEqual(got.get('/api/v1/backups')?.item?.subCollections.map((s) => s.path), ['/api/v1/backups/{id}/objects']);
      assert.deepEqual(got.get('/api/v1/backupObjects')?.item?.subCollections.map((s) => s.path), ['/api/v1/backupObjects/{id}/restorePoints']);
      // What the shipped map knows of names is kept: credentials records are named by their user name.
      assert.deepEqual(got.get('/api/v1/credentials')?.item?.nameProperties, ['username', 'description']);
      // Every collection of the shipped map is in the document, as the same kind of node.
      for (const shipped of VBR_COLLECTIONS) {
        const found = got.get(shipped.path);
        assert.ok(found, `${shipped.path} is in the document`);
        assert.equal(!!found.singleton, !!shipped.singleton, shipped.path);
        assert.equal(!!found.item, !!shipped.item, shipped.path);
      }
    });
  }

  it('reads the same on the parser thread (the kind\u2019s own style travels with the job)', async () => {
    // Padded past the size read off this thread (1 MB), as a real document with its descriptions is.
    const doc = openApiDocument('1.3-rev1') as { info: Record<string, unknown> };
    doc.info.description = 'x'.repeat(2 * 1024 * 1024);
    const body = bytes(doc);
    const parser = newBodyParser();
    try {
      const there = await parser.readOpenApi({ body, known: VBR_COLLECTIONS, kind: 'vbr' }, 'https://vbr.example:9419/swagger/1.3-rev1/swagger.json');
      assert.deepEqual(there, readOpenApiDocument(body, VBR_COLLECTIONS, VBR_STYLE));
      assert.ok(there.collections?.some((c) => c.item?.actions?.length), 'with actions');
    } finally {
      await parser.dispose();
    }
  });
});

describe('a hostile VBR document', () => {
  it('follows $ref cycles through allOf and oneOf, path items and operations, and takes them as absent', () => {
    const doc = {
      components: {
        schemas: {
          Job: { oneOf: [{ $ref: '#/components/schemas/BackupJob' }] },
          BackupJob: { allOf: [{ $ref: '#/components/schemas/Job' }] },
          Loop: { $ref: '#/components/schemas/Loop' },
        },
        parameters: {
          skip: { name: 'skip', in: 'query', schema: { $ref: '#/components/schemas/Job' } },
          cycle: { $ref: '#/components/parameters/cycle2' },
          cycle2: { $ref: '#/components/parameters/cycle' },
        },
        pathItems: { a: { $ref: '#/components/pathItems/b' }, b: { $ref: '#/components/pathItems/a' } },
      },
      paths: {
        ...THREE,
        '/api/v1/jobs': { get: { parameters: [{ $ref: '#/components/parameters/skip' }], responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Job' } } } } } } },
        '/api/v1/jobs/{id}': { get: { responses: { 200: { $ref: '#/components/schemas/Loop' } } }, post: { $ref: '#/components/schemas/Loop' } },
        '/api/v1/jobs/{id}/start': { post: { $ref: '#/paths/~1api~1v1~1jobs~1{id}~1start/post' } },
        '/api/v1/jobs/{id}/stop': { post: { summary: 'Stop Job' } },
        '/api/v1/loop': { $ref: '#/components/pathItems/a' },
        '/api/v1/self': { $ref: '#/paths/~1api~1v1~1self' },
        '/api/v1/cyclic': { get: { parameters: [{ $ref: '#/components/parameters/cycle' }] } },
        '/api/v1/operation': { get: { $ref: '#/paths/~1api~1v1~1operation/get' } },
      },
    };
    const started = performance.now();
    const got = byPath(read(doc));
    assert.ok(performance.now() - started < 1000);
    assert.deepEqual([...got.keys()], ['/api/v1/a', '/api/v1/b', '/api/v1/c', '/api/v1/jobs', '/api/v1/cyclic']);
    assert.equal(got.get('/api/v1/jobs')?.singleton, undefined, 'skip through its $ref');
    assert.equal(got.get('/api/v1/cyclic')?.singleton, true);
    assert.deepEqual(got.get('/api/v1/jobs')?.item?.actions, [{ path: '/api/v1/jobs/{id}/stop', method: 'POST', label: 'Stop Job' }]);
  });

  it(`10,000 paths with actions: bounded and linear (the document itself is refused past ${MAX_OPENAPI_PATHS} paths)`, (t) => {
    const document = (paths: number) => {
      const out: Record<string, unknown> = {};
      const skip = { name: 'skip', in: 'query' };
      for (let k = 0; 5 * k < paths; k++) {
        const base = `/api/v1/area${k % 89}/things${k}`;
        out[base] = { get: { tags: [`Area ${k % 89}`], summary: `Get All Things ${k}`, parameters: [skip] } };
        out[`${base}/{id}`] = { get: { summary: `Get Thing ${k}` }, put: { summary: 'Edit' }, delete: { summary: 'Remove' } };
        out[`${base}/{id}/start`] = { post: { summary: `Start Thing ${k}` } };
        out[`${base}/{id}/parts`] = { get: { summary: `Get Parts of Thing ${k}`, parameters: [skip] } };
        out[`${base}/{id}/parts/{partId}`] = { get: {}, post: {} };
      }
      return { openapi: '3.0.1', info: { version: '1.3-rev1' }, paths: out };
    };
    const small = document(10_000);
    const large = document(40_000);
    assertLinear(t, '10,000 paths', (scale) => read(scale === 1 ? small : large), 4000);
    const got = read(small)!;
    assert.equal(got.length, 2000);
    assert.deepEqual(got[0], {
      path: '/api/v1/area0/things0',
      label: 'Things 0',
      group: 'Area 0',
      item: {
        param: 'id',
        nameProperties: ['name'],
        subCollections: [{ path: '/api/v1/area0/things0/{id}/parts', label: 'Parts of Thing 0' }],
        actions: [
          { path: '/api/v1/area0/things0/{id}', method: 'PUT', label: 'Edit' },
          { path: '/api/v1/area0/things0/{id}', method: 'DELETE', label: 'Remove' },
          { path: '/api/v1/area0/things0/{id}/start', method: 'POST', label: 'Start Thing 0' },
        ],
      },
    });
    const refused = readOpenApiDocument(bytes(small), VBR_COLLECTIONS, VBR_STYLE);
    assert.deepEqual(refused, { refused: 'describes 10,000 paths, more than the 5,000 this extension reads of an API document' });
  });

  it('missing fields and wrong types: no paths, no tags, no summary, parameters that are not arrays', () => {
    const garbage: unknown[] = [
      undefined, null, true, 0, '', 'paths', [], {}, { openapi: '3.0.1' }, { paths: null }, { paths: [] }, { paths: 7 },
      { paths: { '/api/v1/a': null, '/api/v1/b': [], '/api/v1/c': 'get' } },
      { paths: { '/api/v1/a': { get: null, post: [] }, '/api/v1/b': { get: 'x' }, '/api/v1/c/{id}': { post: 5, put: null } } },
      { info: 'x', paths: THREE }, { info: { version: { major: 1 } }, paths: THREE },
    ];
    for (const doc of garbage) {
      assert.doesNotThrow(() => read(doc), JSON.stringify(doc));
      assert.doesNotThrow(() => readOpenApiDocument(Buffer.from(JSON.stringify(doc) ?? ''), VBR_COLLECTIONS, VBR_STYLE), JSON.stringify(doc));
    }
    assert.equal(read({ paths: {} }), undefined, 'too little to be an API description');
    // Logon paths are never browsed, even where a document gives them a GET.
    const oauth = read({ paths: { ...THREE, '/api/oauth2/token': { get: {} }, '/API/OAuth2/authorization_code': { get: {} }, '/api/oauth2': { get: {} } } });
    assert.deepEqual(oauth?.map((c) => c.path), ['/api/v1/a', '/api/v1/b', '/api/v1/c']);
    const got = read({
      paths: {
        '/api/v1/plain': { get: {} },
        '/api/v1/odd': { get: { tags: 'Jobs', summary: { text: 'x' }, parameters: { name: 'skip' } } },
        '/api/v1/odder': { get: { tags: [null, 3], summary: 42, parameters: 'skip' } },
        '/api/v1/odder/{id}': { get: { parameters: null }, post: { summary: null }, patch: 'x' },
        '/api/v1/odder/{id}/go': { post: {} },
        '/api/v1/sparse': { get: { parameters: [null, 1, 'skip', [], { name: 4 }, { name: 'limit' }] } },
      },
    })!;
    // Labels from the path, groups from its first segment; only a real `skip`/`limit` parameter makes a list.
    assert.deepEqual(Object.fromEntries(got.map((c) => [c.path, `${c.label} in ${c.group}${c.singleton ? '' : ', paged'}`])), {
      '/api/v1/plain': 'Plain in Api',
      '/api/v1/odd': 'Odd in Api',
      '/api/v1/odder': 'Odder in Api',
      '/api/v1/sparse': 'Sparse in Api, paged',
    });
    assert.deepEqual(got[2].item?.actions, [
      { path: '/api/v1/odder/{id}', method: 'POST', label: 'Odder' },
      { path: '/api/v1/odder/{id}/go', method: 'POST', label: 'Go' },
    ]);
  });

  it('prototype keys are plain keys: nothing of Object.prototype is read or written', () => {
    const doc = JSON.parse(
      JSON.stringify({ paths: THREE }).replace(
        '"paths":{',
        '"paths":{"__proto__":{"get":{"tags":["__proto__"]}},"constructor":{"get":{}},"/api/v1/__proto__":{"get":{"tags":["__proto__"],"summary":"constructor"},"__proto__":{"summary":"x"}},' +
          '"/api/v1/__proto__/{__proto__}":{"get":{},"post":{"summary":"toString"}},"/api/v1/__proto__/{__proto__}/constructor":{"get":{}},"/api/v1/hasOwnProperty":{"$ref":"#/__proto__"},"/api/v1/proto":{"$ref":"#/paths/__proto__"},',
      ),
    ) as unknown;
    const got = byPath(read(doc));
    // `#/paths/__proto__` names the document's own key of that name; `#/__proto__` names nothing (the document has none).
    assert.deepEqual([...got.keys()], ['/api/v1/__proto__', '/api/v1/proto', '/api/v1/a', '/api/v1/b', '/api/v1/c']);
    assert.equal(got.get('/api/v1/proto')?.group, '__proto__');
    assert.deepEqual(got.get('/api/v1/__proto__'), {
      path: '/api/v1/__proto__',
      label: 'Constructor',
      group: '__proto__',
      singleton: true,
      item: {
        param: '__proto__',
        nameProperties: ['name'],
        subCollections: [{ path: '/api/v1/__proto__/{__proto__}/constructor', label: 'Constructor' }],
        actions: [{ path: '/api/v1/__proto__/{__proto__}', method: 'POST', label: 'ToString' }],
      },
    });
    const probe = {} as Record<string, unknown>;
    assert.equal(probe.get, undefined);
    assert.equal(probe.tags, undefined);
    assert.equal(typeof probe.toString, 'function');
  });

  it('bounds absurdly long paths, labels and groups', () => {
    const long = 'x'.repeat(1_000_000);
    const started = performance.now();
    const got = byPath(
      read({
        paths: {
          ...THREE,
          [`/api/v1/${'p'.repeat(3000)}`]: { get: {} },
          [`/api/v1/${'q'.repeat(2000)}`]: { get: {} },
          [`/api/v1/${'/'.repeat(100_000)}`]: { get: {} },
          '/api/v1/long': { get: { summary: `Get All ${long}`, tags: [long] } },
          '/api/v1/long/{id}': { get: {}, post: { summary: long } },
        },
      }),
    );
    assert.ok(performance.now() - started < 1000, `${Math.round(performance.now() - started)} ms`);
    assert.ok(!got.has(`/api/v1/${'p'.repeat(3000)}`), 'a path past 2,048 characters is left out');
    assert.ok(got.has(`/api/v1/${'q'.repeat(2000)}`));
    const item = got.get('/api/v1/long')!;
    assert.ok(item.label.length <= 200 && item.group.length <= 200);
    assert.ok(item.item!.actions![0].label.length <= 200);
  });

  it('an item with more operations than the per-item bound lists the first 32', () => {
    const paths: Record<string, unknown> = { ...THREE, '/api/v1/jobs': { get: {} }, '/api/v1/jobs/{id}': { get: {}, put: {}, delete: {} } };
    for (let k = 0; k < 500; k++) paths[`/api/v1/jobs/{id}/action${k}`] = { post: { summary: `Action ${k}` } };
    const jobs = byPath(read({ paths })).get('/api/v1/jobs')!;
    assert.equal(jobs.item?.actions?.length, 32);
    assert.deepEqual(jobs.item!.actions!.slice(0, 3).map((a) => `${a.method} ${a.label}`), ['PUT Jobs', 'DELETE Jobs', 'POST Action 0']);
  });

  it('never throws on any JSON value, nor on documents built from parts of real ones', () => {
    const key = fc.oneof(fc.constantFrom('/api/v1/jobs', '/api/v1/jobs/{id}', '/api/v1/jobs/{id}/start', '/{a}/{b}', '/', '//', '__proto__', 'get', 'post', '$ref', 'parameters', 'tags', 'summary', 'paths'), fc.string());
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.dictionary(key, tie('node'), { maxKeys: 6 }), fc.array(tie('node'), { maxLength: 4 }), fc.record({ $ref: fc.constantFrom('#/paths', '#/paths/~1api~1v1~1jobs', '#/', '#', '#/paths/__proto__', '#/x/0') })),
    })).node;
    fc.assert(
      fc.property(value, fc.dictionary(key, value, { maxKeys: 8 }), (doc, paths) => {
        read(doc);
        read({ paths, x: doc });
        readOpenApiDocument(bytes({ paths }), VBR_COLLECTIONS, VBR_STYLE);
      }),
      { numRuns: 500 },
    );
  });
});

describe('VBR: a document whose paths are relative to its server', () => {
  const relative = (server: string) => ({
    servers: [{ url: server }],
    paths: {
      '/jobs': { get: { tags: ['Jobs'], summary: 'Get All Jobs', parameters: [{ name: 'skip', in: 'query' }, { name: 'limit', in: 'query' }] } },
      '/jobs/{id}': { get: { summary: 'Get Job' } },
      '/jobs/{id}/start': { post: { summary: 'Start Job' } },
      '/sessions': { get: { tags: ['Sessions'], summary: 'Get All Sessions', parameters: [{ name: 'limit', in: 'query' }] } },
      '/api/v1/backups': { get: { tags: ['Backups'], summary: 'Get All Backups', parameters: [{ name: 'limit', in: 'query' }] } },
    },
  });

  for (const server of ['/api/v1', '/api/v1/', 'https://vbr.example:9419/api/v1']) {
    it(`puts them under the server's path (${server}), and leaves paths that already start there as they are`, () => {
      const got = read(relative(server), [])!;
      assert.deepEqual(got.map((c) => c.path), ['/api/v1/jobs', '/api/v1/sessions', '/api/v1/backups']);
      assert.deepEqual(got[0].item?.actions, [{ path: '/api/v1/jobs/{id}/start', method: 'POST', label: 'Start Job' }]);
    });
  }

  it('takes them as written when the server has no path, or one that is not a plain path', () => {
    for (const server of ['/', 'https://vbr.example:9419', 'javascript:alert(1)', '/a b/']) {
      assert.deepEqual(read(relative(server), [])!.map((c) => c.path), ['/jobs', '/sessions', '/api/v1/backups'], server);
    }
  });
});
