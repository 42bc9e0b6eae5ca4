// Action links as the tree gets them, through the real client and the simulators: VSPC's job items carry Start and
// Stop (POST, from the shipped map or the server's document), VBR's Start Job carries its JobStartSpec body, a
// collection's own operations become actions of its first page, and EM's Clone and Restore links get their specs.
// Browsing sends none of them; the templates, sent as they are, are what the simulators take.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { actionBodyOf, checkActionBody, createSession, say, type ApiSession, type ConnectionDefinition, type Link } from '../../src/api';
import { parseBodyText } from '../../src/api/kinds/parse-job';
import { VBR_STYLE } from '../../src/api/kinds/vbr/navigation-map';
import { VSPC_STYLE } from '../../src/api/kinds/vspc/navigation-map';
import { parseJsonApiBody } from '../../src/api/openapi/json-body';
import { ApiNavigation } from '../../src/api/openapi/navigation';
import { collectionsFromOpenApi } from '../../src/api/openapi/reader';
import { startSimulators, type Simulators } from '../simulator';
import { openApiDocument } from '../simulator/vbr/openapi';

let sims: Simulators;
let published: Simulators;
const sessions: ApiSession[] = [];

before(async () => {
  [sims, published] = await Promise.all([
    startSimulators({ jobs: 4, vspcItems: 20, vbrItems: 20 }),
    startSimulators({ jobs: 4, vspcItems: 20, vbrItems: 20, vspcOpenApiDocument: true }),
  ]);
});

after(async () => {
  await Promise.all(sessions.map((s) => s.logoff().catch(() => undefined)));
  await Promise.all(sessions.map((s) => s.dispose()));
  await Promise.all([sims.close(), published.close()]);
});

function session(kind: 'em' | 'vspc' | 'vbr', target = sims, extra: Partial<ConnectionDefinition> = {}): ApiSession {
  const sim = target[kind];
  const def: ConnectionDefinition = { id: `${kind}-${sessions.length}`, kind, name: kind, url: sim.url, username: sim.users.admin.username, ...extra };
  const s = createSession(def, { timeoutMs: 5000, maxBodyBytes: 10 * 1024 * 1024, ca: target.certificate.pem, log: () => undefined }, async () => sim.users.admin.password);
  sessions.push(s);
  return s;
}

const actions = (links: readonly Link[]) => links.filter((l) => l.method).map((l) => `${l.method} ${l.name} ${new URL(l.href).pathname}`);
const nonGet = (target: Simulators) => [...target.em.requests, ...target.vspc.requests, ...target.vbr.requests].filter((r) => r.method !== 'GET' && !/sessionMngr|token|authentication|logonSessions/i.test(r.path));

describe('VSPC job actions', () => {
  const base = 'https://vspc.example:1280/api/v3';

  it('the shipped map gives a backup server job Start and Stop (POST, no body), and no other item or list an action', () => {
    const job = parseBodyText('vspc', JSON.stringify({ data: { instanceUid: 'j-1', name: 'Nightly' } }), { url: `${base}/infrastructure/backupServers/jobs/j-1`, baseUrl: base });
    assert.deepEqual(job.links, [
      { rel: 'start', href: `${base}/infrastructure/backupServers/jobs/j-1/start`, name: 'Start Job', method: 'POST', inferred: true },
      { rel: 'stop', href: `${base}/infrastructure/backupServers/jobs/j-1/stop`, name: 'Stop Job', method: 'POST', inferred: true },
    ]);
    const list = parseBodyText('vspc', JSON.stringify({ data: [{ instanceUid: 'j-1' }], meta: { pagingInfo: { total: 1, count: 1, offset: 0 } } }), { url: `${base}/infrastructure/backupServers/jobs`, baseUrl: base });
    assert.deepEqual(list.links, []);
    const company = parseBodyText('vspc', JSON.stringify({ data: { instanceUid: 'c-1', name: 'Acme' } }), { url: `${base}/organizations/companies/c-1`, baseUrl: base });
    assert.deepEqual(actions(company.links), []);
    assert.equal(VSPC_STYLE.actions, true);
  });

  for (const [what, target] of [['the shipped map', () => sims], ['the server\u2019s own document', () => published]] as const) {
    it(`a job read from the simulator has Start and Stop links (${what}); browsing sends neither`, async () => {
      const t = target();
      const s = session('vspc', t);
      const info = await s.logon();
      const jobsLink = info.root.links.find((l) => new URL(l.href).pathname === '/api/v3/infrastructure/backupServers/jobs');
      assert.ok(jobsLink, 'the jobs collection is on the root');
      const jobs = await s.get(jobsLink.href);
      const first = jobs.resource.children[0];
      const job = await s.get(first.href!);
      const uid = encodeURIComponent(first.uid!);
      assert.deepEqual(actions(job.resource.links), [
        `POST Start Job /api/v3/infrastructure/backupServers/jobs/${uid}/start`,
        `POST Stop Job /api/v3/infrastructure/backupServers/jobs/${uid}/stop`,
      ]);
      assert.ok(job.resource.links.every((l) => !l.body), 'documented without a body');
      assert.deepEqual(nonGet(t), [], 'nothing but GET was sent');
    });
  }
});

describe('a collection\u2019s own operations', () => {
  const doc = {
    paths: {
      '/about': { get: {} },
      '/alarms/active': { get: {} },
      '/organizations/companies': {
        get: { tags: ['Organizations'], summary: 'Get All Companies', parameters: [{ name: 'limit', in: 'query' }] },
        post: {
          summary: 'Create Company',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/CompanyInput' } } } },
        },
        delete: { summary: 'Delete Companies' },
      },
      '/organizations/companies/{companyUid}': { get: {}, patch: { summary: 'Modify Company' } },
    },
    components: { schemas: { CompanyInput: { type: 'object', required: ['name', 'organizationInput'], properties: { name: { type: 'string', example: 'Acme' }, organizationInput: { type: 'object', required: ['alias'], properties: { alias: { type: 'string' } } } } } } },
  };
  const collections = collectionsFromOpenApi(doc, [], VSPC_STYLE)!;
  const navigation = new ApiNavigation(collections, '3.7', VSPC_STYLE);
  const base = 'https://vspc.example:1280/api/v3';
  const page = (query: string) =>
    parseJsonApiBody(JSON.stringify({ data: [{ instanceUid: 'c-1', name: 'Acme' }], meta: { pagingInfo: { total: 300, count: 1, offset: 0 } } }), `${base}/organizations/companies${query}`, base, navigation, say('vspc.product'));

  it('are the collection\u2019s actions, each with its body', () => {
    const companies = collections.find((c) => c.path === '/organizations/companies')!;
    assert.deepEqual(companies.actions, [
      {
        path: '/organizations/companies',
        method: 'POST',
        label: 'Create Company',
        body: { contentType: 'application/json', required: true, template: '{\n  "name": "Acme",\n  "organizationInput": {\n    "alias": "string"\n  }\n}', schemaName: 'CompanyInput', requiredPaths: ['name', 'organizationInput', 'organizationInput.alias'] },
      },
      { path: '/organizations/companies', method: 'DELETE', label: 'Delete Companies' },
    ]);
    assert.deepEqual(companies.item?.actions, [{ path: '/organizations/companies/{companyUid}', method: 'PATCH', label: 'Modify Company' }]);
  });

  it('are links of its first page only, with their method and body', () => {
    const first = page('?limit=100');
    assert.deepEqual(first.links.map((l) => [l.rel, l.method, l.name, l.href, l.body?.schemaName]), [
      ['Create', 'POST', 'Create Company', `${base}/organizations/companies`, 'CompanyInput'],
      ['Delete', 'DELETE', 'Delete Companies', `${base}/organizations/companies`, undefined],
    ]);
    assert.deepEqual(checkActionBody(first.links[0].body!, first.links[0].body!.template), []);
    assert.deepEqual(page('?limit=100&offset=100').links, [], 'a later page lists the items only');
    assert.equal(page('?offset=0').links.length, 2);
  });
});

describe('VBR Start Job', () => {
  it('carries the JobStartSpec of the server\u2019s document (simulator-vbr.test.ts sends its template)', async () => {
    const s = session('vbr');
    const info = await s.logon();
    const jobs = await s.get(info.root.links.find((l) => new URL(l.href).pathname === '/api/v1/jobs')!.href);
    const job = await s.get(jobs.resource.children[0].href!);
    const start = job.resource.links.find((l) => l.name === 'Start Job')!;
    assert.equal(start.method, 'POST');
    assert.deepEqual(start.body?.requiredPaths, ['performActiveFull']);
    assert.deepEqual(actionBodyOf({ kind: 'vbr' }, start), start.body, 'the link\u2019s own body');
    assert.equal(job.resource.links.find((l) => l.name === 'Stop Job')?.body, undefined);
    assert.deepEqual(nonGet(sims).filter((r) => r.path.startsWith('/api/v1/')), [], 'browsing sent no action');
    // Its template, sent as it is, starts the job.
    const sent = await s.send({ method: 'POST', url: start.href, body: start.body!.template, contentType: start.body!.contentType });
    assert.equal(sent.raw.status, 201);
    const posts = nonGet(sims).filter((r) => r.path.startsWith('/api/v1/'));
    assert.deepEqual(posts.map((r) => [r.path, r.body, r.headers['content-type']]), [[new URL(start.href).pathname, start.body!.template, 'application/json']]);
  });
});

describe('VBR without its document', () => {
  it('the shipped map gives Start Job the same optional JobStartSpec as the server\u2019s document', () => {
    const base = 'https://vbr.example:9419';
    const job = parseBodyText('vbr', JSON.stringify({ id: 'j-1', name: 'Nightly' }), { url: `${base}/api/v1/jobs/j-1`, baseUrl: base });
    const start = job.links.find((l) => l.name === 'Start Job')!;
    assert.deepEqual([start.method, start.href], ['POST', `${base}/api/v1/jobs/j-1/start`]);
    const fromDocument = collectionsFromOpenApi(openApiDocument('1.3-rev1'), [], VBR_STYLE)!.find((c) => c.path === '/api/v1/jobs')!.item!.actions![0];
    assert.deepEqual(start.body, fromDocument.body);
    assert.deepEqual(job.links.filter((l) => l.body).map((l) => l.name), ['Start Job']);
  });
});

describe('EM action links', () => {
  for (const representation of ['xml', 'json'] as const) {
    it(`Clone of a job takes JobCloneSpec, Restore of a VM restore point RestoreSpec, Start none (${representation})`, async () => {
      const s = session('em', sims, { representation });
      await s.logon();
      const base = sims.em.url.replace(/\/?$/, '/');
      const def = { kind: 'em' as const, representation };
      // Actions are links of the entity (`?format=Entity`, the reference's Alternate).
      const entity = async (list: string) => {
        const first = (await s.get(`${base}${list}`)).resource.children[0];
        return s.get(first.links.find((l) => l.rel === 'Alternate')!.href);
      };
      const job = await entity('jobs');
      const clone = job.resource.links.find((l) => l.rel === 'Clone')!;
      const body = actionBodyOf(def, clone)!;
      assert.equal(body.schemaName, 'JobCloneSpec');
      assert.equal(body.contentType, `application/${representation}`);
      assert.deepEqual(checkActionBody(body, body.template), []);
      assert.equal(actionBodyOf(def, job.resource.links.find((l) => l.rel === 'Start')!), undefined);
      const point = await entity('vmRestorePoints');
      const restore = actionBodyOf(def, point.resource.links.find((l) => l.rel === 'Restore')!)!;
      assert.equal(restore.schemaName, 'RestoreSpec');
      assert.deepEqual(checkActionBody(restore, restore.template), []);
      assert.deepEqual(nonGet(sims).filter((r) => r.path.includes('action=')), [], 'browsing sent no action');
      // The simulator takes the Clone template as it is (it refuses a clone without JobName, FolderName, RepositoryUid).
      const sent = await s.send({ method: 'POST', url: clone.href, body: body.template, contentType: body.contentType });
      assert.equal(sent.raw.status, 202);
      const posted = nonGet(sims).filter((r) => r.path.includes('action=clone'));
      assert.deepEqual(posted.map((r) => [r.body, r.headers['content-type']]), [[body.template, body.contentType]]);
      sims.em.clearRequests();
    });
  }
});
