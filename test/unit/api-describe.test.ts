// Issue #15, the api/ part of Copilot Chat's tools: a server's OpenAPI document asked about one path (ApiDocument),
// the document read again through a session (ApiSession.apiDocument) from the VSPC and VBR simulators, and Enterprise
// Manager's name filter through its query service, against the EM simulator.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { ApiDocument, createSession, readNameFilter, withNameFilter, type ConnectionDefinition, type TransportOptions } from '../../src/api';
import { startSimulators, type Simulators } from '../simulator';
import { openApiDocument as vbrDocument } from '../simulator/vbr/openapi';

const bytes = (doc: unknown) => new Uint8Array(Buffer.from(JSON.stringify(doc)));

function read(doc: unknown): ApiDocument {
  const document = ApiDocument.read(bytes(doc));
  assert.ok(document instanceof ApiDocument, JSON.stringify(document));
  return document;
}

describe('ApiDocument: one path of an OpenAPI document', () => {
  const vbr = read(vbrDocument('1.3-rev1'));

  it('finds the path of a URL, its ids standing for the parameters, and describes its operations', () => {
    const d = vbr.describe('https://vbr.example:9419/api/v1/jobs/7c1e4c7a-0000-4000-8000-000000000001');
    assert.ok(d);
    assert.equal(d.path, '/api/v1/jobs/{id}');
    const get = d.operations.find((o) => o.method === 'GET')!;
    assert.equal(get.summary, 'Get Job');
    assert.deepEqual(
      get.parameters.map((p) => [p.name, p.in, p.required, p.type]),
      [
        ['x-api-version', 'header', true, 'string'],
        ['id', 'path', true, 'string (uuid)'],
      ],
    );
    const ok = get.responses.find((r) => r.status === '200')!;
    assert.equal(ok.schema?.name, 'JobModel');
    assert.deepEqual(ok.schema?.variants, ['BackupJobModel'], 'oneOf named, not expanded without end');
    assert.ok(ok.schema?.properties?.some((p) => p.name === 'type' && p.type === 'EJobType' && p.enum?.includes('Backup')));
    assert.deepEqual(
      d.below.map((b) => `${b.path} ${b.methods.join(',')}`),
      ['start', 'stop', 'retry', 'enable', 'disable'].map((a) => `/api/v1/jobs/{id}/${a} POST`),
    );
  });

  it('takes a path as the document writes it, a proxy\u2019s prefix before it, and prefers literal segments', () => {
    assert.equal(vbr.describe('/api/v1/jobs/{id}')?.path, '/api/v1/jobs/{id}');
    assert.equal(vbr.describe('https://proxy.example/vbr/api/v1/jobs')?.path, '/api/v1/jobs');
    // `/api/v1/jobs/states` is a collection of its own, not the job whose id is "states".
    assert.equal(vbr.describe('/api/v1/jobs/states')?.path, '/api/v1/jobs/states');
    assert.equal(vbr.describe('/api/v1/jobs/{id}/nothing'), undefined);
    assert.deepEqual(vbr.similar('/api/v2/jobs'), ['/api/v1/jobs', '/api/v1/jobs/{id}']);
  });

  it('lists a list\u2019s items one level down, and cuts schema cycles', () => {
    const d = vbr.describe('/api/v1/sessions')!;
    const data = d.operations[0].responses[0].schema?.properties?.find((p) => p.name === 'data');
    assert.equal(data?.type, 'array of SessionModel');
    assert.ok(data?.properties?.some((p) => p.name === 'state' && p.enum?.includes('Working')));
    const params = d.operations[0].parameters.map((p) => p.name);
    for (const name of ['skip', 'limit', 'orderColumn', 'orderAsc', 'nameFilter']) assert.ok(params.includes(name), name);
    // InventoryObjectModel → InventoryContainerModel (allOf InventoryObjectModel): bounded however it is entered.
    const doc = vbrDocument('1.3-rev1') as { paths: Record<string, unknown> };
    doc.paths['/api/v1/inventory/{id}'] = { get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/InventoryContainerModel' } } } } } } };
    const inventory = read(doc).describe('/api/v1/inventory/x')!.operations[0].responses[0].schema!;
    assert.ok(inventory.properties!.some((p) => p.name === 'children' && p.type === 'array of InventoryObjectModel'));
    assert.ok(JSON.stringify(inventory).length < 20_000);
  });

  it('puts the server\u2019s path before paths written below it (VSPC: servers /api/v3)', () => {
    const doc = read({
      openapi: '3.0.1',
      servers: [{ url: '/api/v3' }],
      paths: { '/organizations/companies': { get: { summary: 'Get All Companies', parameters: [{ name: 'filter', in: 'query', schema: { type: 'string' } }] } }, '/organizations/companies/{companyUid}': { get: {} } },
    });
    assert.equal(doc.describe('https://vspc.example:1280/api/v3/organizations/companies?limit=5')?.path, '/api/v3/organizations/companies');
    assert.equal(doc.describe('/api/v3/organizations/companies/abc')?.path, '/api/v3/organizations/companies/{companyUid}');
  });

  it('reads hostile text as one safe line, bounded', () => {
    const doc = read({
      paths: {
        '/api/x': {
          get: {
            summary: 'Evil\u001b[31m\u202e summary\nsecond line',
            parameters: [{ name: 'p', in: 'query', schema: { type: 'string', enum: Array.from({ length: 500 }, (_, i) => `v${i}`) } }, ...Array.from({ length: 100 }, (_, i) => ({ name: `q${i}`, in: 'query' }))],
          },
        },
      },
    });
    const op = doc.describe('/api/x')!.operations[0];
    assert.doesNotMatch(op.summary!, /[\u0000-\u001f\u202e]/);
    assert.equal(op.parameters.length, 40);
    assert.equal(op.parameters[0].enum!.length, 17);
    assert.match(op.parameters[0].enum!.at(-1)!, /484 more/);
    assert.deepEqual(ApiDocument.read(new Uint8Array(Buffer.from('<html>'))), { refused: 'the document is not JSON' });
    assert.deepEqual(ApiDocument.read(bytes({ openapi: '3.0.1' })), { refused: 'the document has no paths' });
  });
});

describe('ApiSession.apiDocument and the EM name filter, against the simulators', () => {
  let sims: Simulators;
  let withDocument: Simulators;
  before(async () => {
    sims = await startSimulators();
    withDocument = await startSimulators({ vspcOpenApiDocument: true });
  });
  after(async () => {
    await sims.close();
    await withDocument.close();
  });
  const transport = (): TransportOptions => ({ timeoutMs: 5000, maxBodyBytes: 32 * 1024 * 1024, ca: `${sims.certificate.pem}\n${withDocument.certificate.pem}` });
  const session = (target: Simulators, kind: 'em' | 'vspc' | 'vbr') => {
    const user = target[kind].users.admin;
    const def: ConnectionDefinition = { id: kind, kind, name: kind, url: target[kind].url, username: user.username };
    return createSession(def, transport(), async () => user.password);
  };

  it('reads the document the logon found again (VSPC, VBR), after logging on; undefined when the server publishes none', async () => {
    const vspc = session(withDocument, 'vspc');
    const raw = await vspc.apiDocument();
    assert.equal(vspc.state, 'loggedOn');
    assert.ok(raw && raw.status === 200, 'the document');
    const doc = ApiDocument.read(raw.body);
    assert.ok(doc instanceof ApiDocument);
    assert.equal(doc.describe(`${withDocument.vspc.url}infrastructure/backupServers/jobs/abc/start`)?.operations[0].method, 'POST');
    const vbr = session(sims, 'vbr');
    assert.ok((await vbr.apiDocument())?.body.length);
    const bare = session(sims, 'vspc');
    assert.equal(await bare.apiDocument(), undefined);
    assert.equal(bare.state, 'loggedOn');
    const em = session(sims, 'em');
    assert.equal(await em.apiDocument(), undefined);
    for (const s of [vspc, vbr, bare, em]) {
      await s.logoff();
      await s.dispose();
    }
  });

  it('EM: a query URL or a collection of the root filtered by name through the query service; other URLs unchanged', async () => {
    const base = 'https://em.example:9398/api/';
    assert.equal(withNameFilter('em', `${base}query?type=Job&page=3&pageSize=10`, 'sql'), `${base}query?type=Job&pageSize=10&filter=name%3D%3D%22*sql*%22`);
    assert.equal(withNameFilter('em', `${base}query?type=Job&filter=name%3D%3D%22*sql*%22`, ''), `${base}query?type=Job`);
    assert.equal(withNameFilter('em', `${base}jobs`, 'a "b"'), `${base}query?type=Job&format=Refs&filter=name%3D%3D%22*a+*b**%22`);
    assert.equal(withNameFilter('em', `${base}backupSessions?format=Entity`, 'x'), `${base}query?type=BackupJobSession&format=Entities&filter=name%3D%3D%22*x*%22`);
    assert.equal(withNameFilter('em', `${base}jobs`, undefined), `${base}jobs`);
    assert.equal(withNameFilter('em', `${base}jobs/1/backupSessions`, 'x'), `${base}jobs/1/backupSessions`, 'not a collection of the root');
    assert.equal(withNameFilter('em', `${base}query`, 'x'), `${base}query`, 'a query needs its type');
    assert.equal(readNameFilter('em', `${base}query?type=Job&filter=name%3D%3D%22*sql*%22`), 'sql');
    assert.equal(readNameFilter('em', `${base}query?type=Job&filter=jobtype%3D%3Dbackup`), 'jobtype==backup');

    const em = session(sims, 'em');
    const all = (await em.get(new URL('/api/jobs', sims.em.origin).href)).resource.children.map((c) => c.name!);
    const word = all[0].split(' ')[0];
    const found = await em.get(withNameFilter('em', new URL('/api/jobs', sims.em.origin).href, word.toLowerCase()));
    const names = found.resource.children.map((c) => c.name!);
    assert.deepEqual(names.sort(), all.filter((n) => n.toLowerCase().includes(word.toLowerCase())).sort());
    assert.ok(names.length > 0 && names.length < all.length, `${names.length} of ${all.length}`);
    await em.logoff();
    await em.dispose();
  });
});
