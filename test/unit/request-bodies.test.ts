// The bodies of OpenAPI actions (src/api/openapi/request-body.ts through the reader): templates prefilled from the
// schema of the VBR simulator's own document and of hand-written ones, hostile ones bounded; and checkActionBody on
// JSON documents (well-formed, with line and column; each required member named).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { checkActionBody, english, type ActionBody } from '../../src/api';
import { VBR_COLLECTIONS, VBR_STYLE } from '../../src/api/kinds/vbr/navigation-map';
import { collectionsFromOpenApi, readOpenApiDocument } from '../../src/api/openapi/reader';
import { jsonErrorOffset, lineAndColumn, MAX_BODY_CHARS, MAX_DOCUMENT_TEMPLATE_NODES } from '../../src/api/openapi/request-body';
import { openApiDocument } from '../simulator/vbr/openapi';

const THREE = {
  '/api/v1/a': { get: {} },
  '/api/v1/b': { get: {} },
  '/api/v1/c': { get: {} },
};

type Schemas = Record<string, unknown>;

/** The body of `POST /api/v1/things/{id}/go` whose request body has `schema`, read as the VBR kind reads a document. */
function bodyFor(schema: unknown, schemas: Schemas = {}, requestBody?: unknown, extra: Record<string, unknown> = {}): ActionBody | undefined {
  const doc = {
    ...extra,
    paths: {
      ...THREE,
      '/api/v1/things': { get: {} },
      '/api/v1/things/{id}': { get: {} },
      '/api/v1/things/{id}/go': { post: { summary: 'Go', ...(requestBody !== null && { requestBody: requestBody ?? { required: true, content: { 'application/json': { schema } } } }) } },
    },
    components: { schemas, requestBodies: { Shared: { required: true, content: { 'application/xml': { schema: { type: 'object' } }, 'application/json; charset=utf-8': { schema } } } } },
  };
  return collectionsFromOpenApi(doc, [], VBR_STYLE)?.find((c) => c.path === '/api/v1/things')?.item?.actions?.[0].body;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Counts the values of a JSON value, without recursion. */
function valuesIn(value: unknown): { count: number; depth: number } {
  let count = 0;
  let depth = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    count++;
    depth = Math.max(depth, d);
    if (v && typeof v === 'object') for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return { count, depth };
}

/** A template that is bounded, well-formed and accepted by its own check. */
function assertSound(body: ActionBody | undefined, what: string): unknown {
  assert.ok(body, what);
  assert.ok(body.template.length <= 64 * 1024, `${what}: ${body.template.length} characters`);
  const value = JSON.parse(body.template) as unknown;
  assert.ok(valuesIn(value).count <= 501 && valuesIn(value).depth <= 9, what);
  assert.deepEqual(checkActionBody(body, body.template), [], what);
  return value;
}

function timed<T>(limitMs: number, what: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  const ms = performance.now() - started;
  assert.ok(ms < limitMs, `${what}: ${Math.round(ms)} ms`);
  return result;
}

describe('action bodies from the VBR simulator\u2019s document', () => {
  const reading = readOpenApiDocument(Buffer.from(JSON.stringify(openApiDocument('1.3-rev1'))), VBR_COLLECTIONS, VBR_STYLE);
  const jobs = reading.collections!.find((c) => c.path === '/api/v1/jobs')!;
  const start = jobs.item!.actions!.find((a) => a.path.endsWith('/start'))!;

  it('gives Start Job its JobStartSpec: an optional JSON body with performActiveFull, and no body to the others', () => {
    assert.deepEqual(start.body, {
      contentType: 'application/json',
      required: false,
      template: '{\n  "performActiveFull": false\n}',
      schemaName: 'JobStartSpec',
      requiredPaths: ['performActiveFull'],
    });
    assert.deepEqual(jobs.item!.actions!.filter((a) => a.body).map((a) => a.label), ['Start Job']);
  });

  it('checks a document for it: the template and an empty one pass; a missing member, bad JSON are named', () => {
    const body = start.body!;
    assert.deepEqual(checkActionBody(body, body.template), []);
    assert.deepEqual(checkActionBody(body, ''), [], 'not required: sent without a body');
    assert.deepEqual(checkActionBody(body, '  \n'), []);
    assert.deepEqual(checkActionBody(body, '{"performActiveFull": true, "startChainedJobs": true}'), []);
    assert.deepEqual(checkActionBody(body, '{"startChainedJobs": true}'), [{ code: 'request-body.missing', params: { path: 'performActiveFull' } }]);
    const bad = checkActionBody(body, '{\n  "performActiveFull": tru\n}');
    assert.equal(bad.length, 1);
    assert.equal(bad[0].code, 'request-body.json-malformed-at');
    assert.deepEqual([bad[0].params?.line, bad[0].params?.column], [2, 24]);
    assert.match(english(bad[0]), /^The document is not well-formed JSON \(line 2, column 24\): /);
  });
});

describe('a template from a schema', () => {
  const schemas: Schemas = {
    Spec: {
      type: 'object',
      required: ['name', 'kind', 'count', 'when', 'id', 'options', 'tags', 'target', 'mode', 'flag', 'serverId', 'any'],
      properties: {
        name: { type: 'string', example: 'Weekly' },
        kind: ref('Kind'),
        count: { type: 'integer', minimum: 1 },
        when: { type: 'string', format: 'date-time' },
        id: { type: 'string', format: 'uuid' },
        options: { allOf: [ref('Base'), { type: 'object', required: ['retries'], properties: { retries: { type: 'integer', default: 3 } } }] },
        tags: { type: 'array', items: { type: 'string' } },
        target: { oneOf: [ref('Repository'), ref('Other')] },
        mode: { type: 'string', enum: ['Full', 'Incremental'], default: 'Incremental' },
        flag: { type: 'boolean' },
        serverId: { type: 'string', readOnly: true },
        any: {},
        optional: { type: 'string' },
      },
    },
    Kind: { type: 'string', enum: ['Backup', 'Copy'] },
    Base: { type: 'object', required: ['enabled'], properties: { enabled: { type: 'boolean' } } },
    Repository: { type: 'object', required: ['repositoryId'], properties: { repositoryId: { type: 'string', format: 'uuid' }, note: { type: 'string' } } },
    Other: { type: 'object', required: ['path'], properties: { path: { type: 'string' } } },
  };

  it('holds the required members with their example, default, first enum value or a placeholder; $ref, allOf, oneOf followed', () => {
    const body = bodyFor(ref('Spec'), schemas)!;
    assert.equal(body.schemaName, 'Spec');
    assert.equal(body.required, true);
    assert.deepEqual(JSON.parse(body.template), {
      name: 'Weekly',
      kind: 'Backup',
      count: 1,
      when: '2025-01-01T00:00:00Z',
      id: '00000000-0000-0000-0000-000000000000',
      options: { enabled: false, retries: 3 },
      tags: ['string'],
      target: { repositoryId: '00000000-0000-0000-0000-000000000000' },
      mode: 'Incremental',
      flag: false,
      any: null,
    });
    // A read-only member is the server's (it is not sent); an optional one is left for the user to add.
    assert.deepEqual(body.requiredPaths, ['name', 'kind', 'count', 'when', 'id', 'options', 'options.enabled', 'options.retries', 'tags', 'target', 'target.repositoryId', 'mode', 'flag', 'any']);
    assertSound(body, 'Spec');
    const missing = checkActionBody(body, JSON.stringify({ ...JSON.parse(body.template), options: { retries: 1 }, target: {} }));
    assert.deepEqual(missing.map((w) => w.params?.path), ['options.enabled', 'target.repositoryId']);
  });

  it('shows the members of a root object that requires none, and requires nothing of it', () => {
    const body = bodyFor({ type: 'object', properties: { description: { type: 'string' }, enabled: { type: 'boolean', example: true } } })!;
    assert.deepEqual(JSON.parse(body.template), { description: 'string', enabled: true });
    assert.deepEqual(body.requiredPaths, []);
    assert.equal(body.schemaName, undefined, 'an inline schema has no name');
    assert.deepEqual(checkActionBody(body, '{}'), []);
  });

  it('prefers the JSON media type of a shared request body, and reads Swagger 2 body parameters', () => {
    const shared = bodyFor(ref('Base'), schemas, { $ref: '#/components/requestBodies/Shared' })!;
    assert.deepEqual([shared.contentType, shared.required, shared.template], ['application/json; charset=utf-8', true, '{\n  "enabled": false\n}']);
    const swagger = bodyFor(undefined, {}, null, {
      swagger: '2.0',
      consumes: ['application/xml', 'application/json'],
      definitions: { Spec: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
    });
    assert.equal(swagger, undefined, 'no body parameter: no body');
    const doc = {
      swagger: '2.0',
      consumes: ['application/xml', 'application/json'],
      definitions: { Spec: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
      paths: {
        ...THREE,
        '/api/v1/things': { get: {} },
        '/api/v1/things/{id}': { get: {}, put: { parameters: [{ name: 'id', in: 'path' }, { name: 'spec', in: 'body', required: true, schema: { $ref: '#/definitions/Spec' } }] } },
      },
    };
    const put = collectionsFromOpenApi(doc, [], VBR_STYLE)!.find((c) => c.path === '/api/v1/things')!.item!.actions![0];
    assert.deepEqual(put.body, { contentType: 'application/json', required: true, template: '{\n  "name": "string"\n}', schemaName: 'Spec', requiredPaths: ['name'] });
  });

  it('gives a body in another media type an empty document, checked only for being there when required', () => {
    const form = bodyFor(undefined, {}, { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['a'] } } } })!;
    assert.deepEqual(form, { contentType: 'application/x-www-form-urlencoded', required: true, template: '', requiredPaths: [] });
    assert.deepEqual(checkActionBody(form, ''), [{ code: 'request-body.empty', params: { schema: 'application/x-www-form-urlencoded' } }]);
    assert.deepEqual(checkActionBody(form, 'a=1'), []);
    const none = bodyFor(undefined, {}, { content: {} })!;
    assert.deepEqual(none, { contentType: 'application/json', required: false, template: '', requiredPaths: [] });
  });
});

describe('a hostile document\u2019s schemas', () => {
  it('cuts $ref cycles through properties, allOf and oneOf where they close', () => {
    const schemas: Schemas = {
      Node: { type: 'object', required: ['next', 'name'], properties: { next: ref('Node'), name: { type: 'string' } } },
      A: { allOf: [ref('B'), { required: ['a'], properties: { a: { type: 'integer' } } }] },
      B: { allOf: [ref('A'), { required: ['b'], properties: { b: ref('A') } }] },
      Job: { oneOf: [ref('BackupJob')] },
      BackupJob: { allOf: [ref('Job'), { type: 'object', required: ['kind'], properties: { kind: ref('Job') } }] },
      Loop: ref('Loop'),
    };
    const node = bodyFor(ref('Node'), schemas)!;
    assert.deepEqual(JSON.parse(node.template), { next: {}, name: 'string' });
    assert.deepEqual(node.requiredPaths, ['next', 'name']);
    for (const name of ['A', 'B', 'Job', 'BackupJob', 'Loop']) {
      const body = timed(500, name, () => bodyFor(ref(name), schemas));
      assertSound(body, name);
    }
    assert.equal(bodyFor(ref('Loop'), schemas)!.template, '{}');
    assert.equal(bodyFor(ref('Nowhere'), schemas)!.template, '{}');
  });

  it('bounds deep nesting, long $ref chains, wide fan-out, 100,000 properties and allOf members, huge enums and examples', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let k = 0; k < 10_000; k++) deep = { type: 'object', required: ['child'], properties: { child: deep } };
    const chain: Schemas = {};
    for (let k = 0; k < 2000; k++) chain[`L${k}`] = { type: 'object', required: ['next'], properties: { next: ref(`L${k + 1}`) } };
    const wide: Schemas = {};
    const names = Array.from({ length: 50 }, (_, k) => `p${k}`);
    for (let k = 0; k < 10; k++) wide[`W${k}`] = { type: 'object', required: names, properties: Object.fromEntries(names.map((n) => [n, ref(`W${k + 1}`)])) };
    const many = Array.from({ length: 100_000 }, (_, k) => `property${k}`);
    const cases: Array<[string, unknown, Schemas]> = [
      ['10,000 nested objects', deep, {}],
      ['2,000 $refs in a chain', ref('L0'), chain],
      ['50 required members per level, 10 levels', ref('W0'), wide],
      ['100,000 required properties', { type: 'object', required: many, properties: Object.fromEntries(many.map((n) => [n, { type: 'string' }])) }, {}],
      ['100,000 allOf members', { allOf: many.map((n) => ({ type: 'object', required: [n], properties: { [n]: { type: 'integer' } } })) }, {}],
      ['an enum of 1,000,000 values', { type: 'object', required: ['e'], properties: { e: { type: 'string', enum: Array.from({ length: 1_000_000 }, (_, k) => `v${k}`) } } }, {}],
      ['a 1 MB example', { type: 'object', required: ['x'], properties: { x: { type: 'string', example: 'x'.repeat(1_000_000), default: { nested: true } } } }, {}],
      ['an array of arrays', { type: 'object', required: ['m'], properties: { m: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: { type: 'array', items: {} } } } } } } } } } } } }, {}],
    ];
    for (const [what, schema, schemas] of cases) {
      const body = timed(1500, what, () => bodyFor(schema, schemas));
      assertSound(body, what);
    }
    assert.equal(JSON.parse(bodyFor(cases[5][1], {})!.template).e, 'v0');
    assert.equal(JSON.parse(bodyFor(cases[6][1], {})!.template).x, 'string', 'neither the long example nor an object default');
    assert.ok(bodyFor(cases[3][1], {})!.requiredPaths.length <= 200);
  });

  it('keeps prototype names as plain members, and leaves dotted and absurdly long names out of the required paths', () => {
    const long = 'n'.repeat(1_000_000);
    const schema = JSON.parse(
      `{"type":"object","required":["__proto__","constructor","a.b","${long}"],"properties":{"__proto__":{"type":"integer"},"constructor":{"type":"boolean"},"a.b":{"type":"string"},"${long}":{"type":"string"}}}`,
    ) as unknown;
    const body = bodyFor(schema)!;
    assert.equal(body.template, '{\n  "__proto__": 0,\n  "constructor": false,\n  "a.b": "string"\n}');
    assert.deepEqual(body.requiredPaths, ['__proto__', 'constructor']);
    assert.deepEqual(checkActionBody(body, body.template), []);
    assert.deepEqual(checkActionBody(body, '{"constructor": true}'), [{ code: 'request-body.missing', params: { path: '__proto__' } }]);
    assert.equal(({} as Record<string, unknown>).type, undefined);
  });

  it(`spends at most ${MAX_DOCUMENT_TEMPLATE_NODES.toLocaleString('en-US')} values on the templates of one document`, () => {
    const names = Array.from({ length: 400 }, (_, k) => `p${k}`);
    const paths: Record<string, unknown> = { ...THREE };
    for (let k = 0; k < 1500; k++) {
      paths[`/api/v1/t${k}`] = { get: {} };
      paths[`/api/v1/t${k}/{id}`] = { get: {} };
      paths[`/api/v1/t${k}/{id}/go`] = { post: { requestBody: { content: { 'application/json': { schema: ref('Big') } } } } };
    }
    const doc = { paths, components: { schemas: { Big: { type: 'object', required: names, properties: Object.fromEntries(names.map((n) => [n, { type: 'integer' }])) } } } };
    const collections = timed(5000, '1,500 actions with a 400-member body', () => collectionsFromOpenApi(doc, [], VBR_STYLE)!);
    const bodies = collections.flatMap((c) => c.item?.actions ?? []).map((a) => a.body!);
    assert.equal(bodies.length, 1500);
    const values = bodies.reduce((sum, b) => sum + valuesIn(JSON.parse(b.template)).count, 0);
    assert.ok(values <= MAX_DOCUMENT_TEMPLATE_NODES + bodies.length, `${values} values`);
    assert.equal(bodies[0].requiredPaths.length, 200, 'the first bodies are whole (to the paths bound)');
    assert.deepEqual([bodies[bodies.length - 1].template, bodies[bodies.length - 1].requiredPaths], ['{}', []], 'the last ones come with an empty object');
    for (const body of bodies) assert.deepEqual(checkActionBody(body, body.template), []);
  });

  it('never throws on any schema, and every template passes its own check', () => {
    const key = fc.constantFrom('type', 'properties', 'required', 'allOf', 'oneOf', 'anyOf', 'items', 'enum', 'example', 'default', '$ref', 'readOnly', 'format', 'a', '__proto__', 'a.b');
    const schema = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.dictionary(key, tie('node'), { maxKeys: 6 }),
        fc.record({ type: fc.constantFrom('object', 'array', 'string', 'integer', 'boolean', ['null', 'string'], 'nonsense'), required: fc.array(fc.constantFrom('a', 'b', '__proto__', 'a.b', 'x'), { maxLength: 4 }), properties: fc.dictionary(fc.constantFrom('a', 'b', '__proto__', 'a.b'), tie('node'), { maxKeys: 3 }) }),
        fc.record({ $ref: fc.constantFrom('#/components/schemas/S', '#/components/schemas/T', '#/', '#/components', 'https://elsewhere/x') }),
      ),
    })).node;
    fc.assert(
      fc.property(schema, schema, schema, (root, s, t) => {
        const body = bodyFor(root, { S: s, T: t });
        if (body) assertSound(body, JSON.stringify(root));
      }),
      { numRuns: 400 },
    );
  });
});

describe('checking a JSON document', () => {
  const body: ActionBody = { contentType: 'application/json', required: true, template: '{}', schemaName: 'Spec', requiredPaths: ['a', 'a.b', 'c'] };

  it('names where it is not well-formed, by line and column, whatever Node says', () => {
    const at = (text: string) => {
      const [w] = checkActionBody(body, text);
      return w.code === 'request-body.json-malformed-at' ? `${w.params?.line}:${w.params?.column}` : w.code;
    };
    assert.equal(at('{\n  "a": 1,\n}'), '3:1', 'a trailing comma');
    assert.equal(at('{"a" 1}'), '1:6');
    assert.equal(at('{"a": {"b": 1}, "c": 2}}'), '1:24', 'text after the document');
    assert.equal(at('{"a": "x\ny"}'), '1:9', 'a line break inside a string');
    assert.equal(at('[1, 2'), '1:6', 'cut short: the end');
    assert.equal(at('{"a": tru}'), '1:7');
    assert.equal(at('\uFEFF{\n\t"a": 01}'), '2:8', 'a byte order mark is no column');
    assert.equal(at("{'a': 1}"), '1:2');
    assert.equal(at('{"a": "\\x"}'), '1:8', 'an escape JSON has not');
  });

  it('finds no error in well-formed JSON, and one in what JSON.parse refuses', () => {
    fc.assert(
      fc.property(fc.json(), (text) => assert.equal(jsonErrorOffset(text), undefined, text)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json().map((j) => j.slice(0, -1)), fc.json().chain((j) => fc.nat(j.length).map((k) => j.slice(0, k) + '}' + j.slice(k)))), (text) => {
        let ok = true;
        try {
          JSON.parse(text);
        } catch {
          ok = false;
        }
        const at = jsonErrorOffset(text);
        if (ok) assert.equal(at, undefined, text);
        else assert.ok(at !== undefined && at <= text.length, `${JSON.stringify(text)}: ${at}`);
      }),
      { numRuns: 1000 },
    );
    assert.deepEqual(lineAndColumn('ab\ncd\n', 4), { line: 2, column: 2 });
  });

  it('names every missing member; an empty document is refused only when the body is required', () => {
    assert.deepEqual(checkActionBody(body, '{"a": {"b": null}, "c": 0}'), []);
    assert.deepEqual(checkActionBody(body, '{"a": {}}').map((w) => w.params?.path), ['a.b', 'c']);
    assert.deepEqual(checkActionBody(body, '[]').map((w) => w.params?.path), ['a', 'a.b', 'c']);
    assert.deepEqual(checkActionBody(body, '{"a": "b"}').map((w) => w.params?.path), ['a.b', 'c']);
    assert.deepEqual(checkActionBody(body, ' \n\t'), [{ code: 'request-body.empty', params: { schema: 'Spec' } }]);
    assert.equal(english(checkActionBody(body, '{}')[0]), 'The document has no a, which the request requires.');
    assert.deepEqual(checkActionBody({ ...body, required: false }, ''), []);
  });

  it('is bounded on hostile documents', () => {
    const huge = checkActionBody(body, ' '.repeat(MAX_BODY_CHARS + 1));
    assert.equal(huge[0].code, 'request-body.too-large');
    const deep = timed(3000, 'a million open brackets', () => checkActionBody(body, '['.repeat(1_000_000)));
    assert.deepEqual([deep[0].code, deep[0].params?.column], ['request-body.json-malformed-at', 1_000_001]);
    const nested = timed(3000, 'a million nested arrays', () => checkActionBody(body, `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`));
    assert.deepEqual(nested.map((w) => w.params?.path), ['a', 'a.b', 'c']);
    const long = timed(3000, 'a 4 MB line', () => checkActionBody(body, `{"a": "${'x'.repeat(4_000_000)}`));
    assert.equal(long[0].params?.column, 4_000_008);
    assert.ok(english(long[0]).length < 600, 'the reason is cut to one short line');
  });
});
