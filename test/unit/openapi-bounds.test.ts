// Security review: a server's OpenAPI document is read at logon, on the extension host's thread. A large one froze it
// (20,000 paths took 6.9 s, 40,000 took 18 s: the reader searched every path for every collection). Reading must be
// linear and bounded, off the thread when large, and no `$ref` cycle, missing field or wrong type may throw or loop.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { createSession } from '../../src/api';
import { newBodyParser } from '../../src/api/kinds/body-parser';
import type { ConnectionDefinition } from '../../src/api/types';
import { VSPC_COLLECTIONS } from '../../src/api/kinds/vspc/navigation-map';
import { collectionsFromOpenApi, MAX_OPENAPI_BYTES, MAX_OPENAPI_PATHS, readOpenApiDocument } from './vspc-kind';
import { startSimulators, type Simulators } from '../simulator';
import { assertLinear } from './session-checks';

/** A document of `paths` paths shaped like VSPC's: collections (paged), items and sub-collections, and a POST each. */
function document(paths: number): { paths: Record<string, unknown>; info: { version: string } } {
  const limit = { name: 'limit', in: 'query', schema: { type: 'integer' } };
  const out: Record<string, unknown> = {};
  for (let k = 0; 4 * k < paths; k++) {
    const base = `/area${k % 97}/things${k}`;
    out[base] = { get: { tags: [`Area ${k % 97}`], summary: `Get All Things ${k}`, parameters: [limit] }, post: { summary: 'Create' } };
    out[`${base}/{thingUid}`] = { get: { summary: `Get Thing ${k}` }, patch: {} };
    out[`${base}/{thingUid}/parts`] = { get: { summary: `Get All Parts of Thing ${k}`, parameters: [{ $ref: '#/components/parameters/limit' }] } };
    out[`${base}/{thingUid}/parts/{partUid}`] = { get: { summary: `Get Part ${k}` } };
  }
  return { paths: out, info: { version: '3.6' }, ...{ components: { parameters: { limit } } } };
}


const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('reading an OpenAPI document: linear and bounded', () => {
  it('reads 10,000 and 40,000 paths in linear time (40,000 took 18 s)', (t) => {
    const small = document(10_000);
    const large = document(40_000);
    assertLinear(t, '10,000 paths', (scale) => collectionsFromOpenApi(scale === 1 ? small : large, VSPC_COLLECTIONS), 2000);
    const got = collectionsFromOpenApi(large, VSPC_COLLECTIONS)!;
    assert.equal(got.length, 10_000);
    assert.deepEqual(got[0], {
      path: '/area0/things0',
      label: 'Things 0',
      group: 'Area 0',
      item: {
        param: 'thingUid',
        nameProperties: ['name'],
        subCollections: [{ path: '/area0/things0/{thingUid}/parts', label: 'Parts of Thing 0' }],
        actions: [{ path: '/area0/things0/{thingUid}', method: 'PATCH', label: 'Things0' }],
      },
      actions: [{ path: '/area0/things0', method: 'POST', label: 'Create' }],
    });
  });

  it(`refuses a document of more than ${MAX_OPENAPI_PATHS} paths or ${MAX_OPENAPI_BYTES / 1024 / 1024} MB, saying why; reads one at the limit`, () => {
    const over = readOpenApiDocument(bytes(document(40_000)), VSPC_COLLECTIONS);
    assert.deepEqual(over, { refused: 'describes 40,000 paths, more than the 5,000 this extension reads of an API document' });
    const huge = Buffer.alloc(MAX_OPENAPI_BYTES + 1, ' ');
    huge.write('{"paths":{}}');
    assert.deepEqual(readOpenApiDocument(huge), { refused: 'is 33,554,433 bytes, more than the 32 MB this extension reads of an API document' });
    const atLimit = readOpenApiDocument(bytes(document(MAX_OPENAPI_PATHS)), VSPC_COLLECTIONS);
    assert.equal(atLimit.refused, undefined);
    assert.equal(atLimit.collections?.length, MAX_OPENAPI_PATHS / 4);
    assert.equal(atLimit.revision, '3.6');
    // Not JSON, or JSON of another kind: no collections, nothing refused (the next place is tried).
    assert.deepEqual(readOpenApiDocument(Buffer.from('<html>')), {});
    assert.deepEqual(readOpenApiDocument(Buffer.from('[1,2]')), { collections: undefined, revision: undefined });
  });

  it('reads a document at the limit on the parser thread, leaving this thread free, with the same result', async (t) => {
    const doc = document(MAX_OPENAPI_PATHS);
    // Padded with descriptions to the size of a real document of this many paths (VSPC's: about 7 KB a path).
    for (const ops of Object.values(doc.paths) as { get: Record<string, unknown> }[]) ops.get.description = 'x'.repeat(6000);
    const body = bytes(doc);
    const parser = newBodyParser();
    let longest = 0;
    let last = performance.now();
    let pending = true;
    const tick = () => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (pending) setTimeout(tick, 1);
    };
    setTimeout(tick, 1);
    const started = performance.now();
    const reading = await parser.readOpenApi({ body, known: VSPC_COLLECTIONS, kind: 'vspc' }, 'https://vspc.example:1280/api/swagger/v3/swagger.json');
    const ms = performance.now() - started;
    pending = false;
    const hereStarted = performance.now();
    const here = readOpenApiDocument(body, VSPC_COLLECTIONS);
    const hereMs = performance.now() - hereStarted;
    t.diagnostic(`${(body.length / 1024 / 1024).toFixed(0)} MB, ${MAX_OPENAPI_PATHS} paths: ${Math.round(hereMs)} ms on one thread; on the parser thread ${Math.round(ms)} ms, longest gap between this thread's ticks ${Math.round(longest)} ms`);
    assert.deepEqual(reading, here);
    assert.equal(reading.collections?.length, MAX_OPENAPI_PATHS / 4);
    // Generous on a shared machine; the reading itself takes several times this.
    assert.ok(longest < Math.max(150, hereMs / 2), `this thread stalled ${Math.round(longest)} ms`);
    await parser.dispose();
  });
});

describe('reading an OpenAPI document: hostile shapes', () => {
  const three = {
    '/a': { get: { parameters: [{ name: 'limit' }] } },
    '/b': { get: {} },
    '/c': { get: { summary: 'Get All Cs' } },
  };

  it('follows $ref in path items and parameters; cycles, dead ends and foreign references count as absent', () => {
    const doc = {
      components: { parameters: { limit: { name: 'limit' }, viaLimit: { $ref: '#/components/parameters/limit' }, loop: { $ref: '#/components/parameters/loop' } } },
      x: { a: { $ref: '#/x/b' }, b: { $ref: '#/x/a' }, 'c/d': { 'e~f': { get: { summary: 'Escaped' } } } },
      paths: {
        ...three,
        '/paged': { get: { parameters: [{ $ref: '#/components/parameters/viaLimit' }] } },
        '/looping': { get: { parameters: [{ $ref: '#/components/parameters/loop' }, { $ref: '#/x/a' }, { $ref: '#/nothing/here' }, { $ref: 'https://elsewhere.example/doc.json#/x' }] } },
        '/self': { $ref: '#/paths/~1self' },
        '/pair': { $ref: '#/x/a' },
        '/escaped': { $ref: '#/x/c~1d/e~0f' },
        '/proto': { $ref: '#/constructor/prototype' },
        '/proto2': { $ref: '#/__proto__' },
        '/array': { $ref: '#/paths/~1a/get/parameters/0' },
        '/index': { get: { parameters: [{ $ref: '#/paths/~1a/get/parameters/0' }, { $ref: '#/paths/~1a/get/parameters/99' }] } },
        '/long': { $ref: `#/${'a/'.repeat(100_000)}` },
      },
    };
    const started = performance.now();
    const got = collectionsFromOpenApi(doc)!;
    assert.ok(performance.now() - started < 1000);
    const byPath = new Map(got.map((c) => [c.path, c]));
    assert.deepEqual([...byPath.keys()], ['/a', '/b', '/c', '/paged', '/looping', '/escaped', '/index']);
    assert.equal(byPath.get('/paged')?.singleton, undefined, 'paged through a chain of two references');
    assert.equal(byPath.get('/looping')?.singleton, true);
    assert.equal(byPath.get('/index')?.singleton, undefined);
    assert.equal(byPath.get('/escaped')?.label, 'Escaped');
    assert.equal(({} as Record<string, unknown>).get, undefined);
  });

  it('takes missing fields and wrong types as absent, never throwing', () => {
    const garbage: unknown[] = [
      undefined, null, 0, 'paths', [], { paths: null }, { paths: [] }, { paths: 'x' }, { paths: { '/a': null, '/b': [], '/c': 'get' } },
      { paths: { '/a': { get: null }, '/b': { get: [] }, '/c': { get: 'x' }, '/d': { get: 1 } } },
      { info: [], paths: three }, { info: { version: 3 }, paths: three },
    ];
    for (const doc of garbage) {
      assert.doesNotThrow(() => collectionsFromOpenApi(doc), JSON.stringify(doc));
      assert.doesNotThrow(() => readOpenApiDocument(Buffer.from(JSON.stringify(doc) ?? 'undefined')), JSON.stringify(doc));
    }
    const odd = collectionsFromOpenApi({
      paths: {
        ...three,
        '/d': { get: { tags: { 0: 'x' }, summary: 42, parameters: { name: 'limit' } } },
        '/e': { get: { tags: [7, 'Late'], summary: ['Get'], parameters: [null, 1, 'limit', [], { name: 5 }] } },
        '/f': { get: { tags: [' '], summary: '   ' } },
        '/g': { get: { 'x-veeam-pagination': 'true' } },
        // As JSON.parse makes them: own properties named like Object.prototype's.
        ...(JSON.parse('{"__proto__":{"get":{}},"constructor":{"get":{}},"/__proto__":{"get":{}}}') as object),
        '/h/{x}': { get: {} },
        '/h/{x}/{y}': { get: {} },
        '/h/{x}/sub': { get: {} },
        '/h/{x{y}/sub': { get: {} },
        '/h': { get: {} },
      },
    })!;
    assert.deepEqual(
      odd.map((c) => [c.path, c.label, c.group, !!c.singleton]),
      [
        ['/a', 'A', 'A', false],
        ['/b', 'B', 'B', true],
        ['/c', 'Cs', 'C', true],
        ['/d', 'D', 'D', true],
        ['/e', 'E', 'E', true],
        ['/f', 'F', 'F', true],
        ['/g', 'G', 'G', true],
        ['/__proto__', 'Proto', 'Proto', true],
        ['/h', 'H', 'H', true],
      ],
    );
    assert.equal(({} as Record<string, unknown>).get, undefined);
    assert.deepEqual(odd[8].item, { param: 'x', nameProperties: ['name'], subCollections: [{ path: '/h/{x}/sub', label: 'Sub' }] });
  });

  it('bounds what it takes from long strings: labels, groups, paths (a long run of slashes used to be quadratic)', () => {
    const long = 'Get All ' + 'x'.repeat(1_000_000);
    const started = performance.now();
    const got = collectionsFromOpenApi({
      paths: {
        ...three,
        '/long': { get: { summary: long, tags: ['t'.repeat(1_000_000)] } },
        [`/${'/'.repeat(50_000)}x`]: { get: {} },
        [`/y${'/'.repeat(50_000)}`]: { get: {} },
        [`/z${'/'.repeat(1000)}`]: { get: {} },
      },
    })!;
    assert.ok(performance.now() - started < 1000, `${Math.round(performance.now() - started)} ms`);
    const byPath = new Map(got.map((c) => [c.path, c]));
    assert.deepEqual([...byPath.keys()], ['/a', '/b', '/c', '/long', '/z']);
    assert.ok(byPath.get('/long')!.label.length <= 200);
    assert.ok(byPath.get('/long')!.group.length <= 200);
  });
});

describe('a server whose API document is over the limit', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators({ vspcOpenApiDocument: true });
  });
  after(async () => {
    await sims.close();
  });

  it('logs why and follows the shipped map', async () => {
    const log: string[] = [];
    sims.vspc.setFault({ kind: 'huge', path: '/api/swagger/v3/swagger.json', sizeBytes: MAX_OPENAPI_BYTES + 1024 * 1024, times: 1 });
    const def: ConnectionDefinition = { id: 'v', kind: 'vspc', name: 'v', url: sims.vspc.url, username: sims.vspc.users.admin.username };
    const s = createSession(def, { timeoutMs: 30_000, maxBodyBytes: 64 * 1024 * 1024, ca: sims.certificate.pem, log: (line) => log.push(line) }, async () => sims.vspc.users.admin.password);
    const info = await s.logon();
    assert.ok(info.root.links.length > 100, `${info.root.links.length} links: the shipped map of API 3.6`);
    assert.ok(
      log.some((line) => /The API document at https:\/\/127\.0\.0\.1:\d+\/api\/swagger\/v3\/swagger\.json is 34,603,008 bytes, more than the 32 MB this extension reads of an API document; the tree follows the map shipped with the extension\./.test(line)),
      log.join('\n'),
    );
    await s.logoff();
    await s.dispose();
  });
});
