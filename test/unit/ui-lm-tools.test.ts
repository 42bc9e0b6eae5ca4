// Issue #15, the parts of Copilot Chat's tools that need no VS Code: which connection and URL a call names (and what
// is refused), and what a result says within its budget (sanitised, redacted before anything is cut).
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ConnectionDefinition, Fetched, PathDescription, RawResponse, Resource } from '../../src/api';
import { pathText, resourceText } from '../../src/ui/tools/describe-text';
import { summariseResponse } from '../../src/ui/tools/response-summary';
import { ResultText, RESULT_BUDGET } from '../../src/ui/tools/result-text';
import { findConnection, resolveUrl, ToolInputError } from '../../src/ui/tools/target';

const em: ConnectionDefinition = { id: 'e1', kind: 'em', name: 'Lab EM', url: 'https://em.lab:9398/api/', username: 'admin' };
const vspc: ConnectionDefinition = { id: 'v1', kind: 'vspc', name: 'Lab VSPC', url: 'https://vspc.lab', username: 'admin' };
const vbr: ConnectionDefinition = { id: 'b1', kind: 'vbr', name: 'lab vbr', url: 'https://vbr.lab:9419/api/', username: 'admin' };
const all = [em, vspc, vbr];

describe('a tool call\u2019s connection and URL', () => {
  it('names a connection by id or name (any case); without one, the only one or the only one of the URL\u2019s server', () => {
    assert.equal(findConnection(all, 'v1'), vspc);
    assert.equal(findConnection(all, 'Lab VBR'), vbr);
    assert.equal(findConnection([em], undefined), em);
    assert.equal(findConnection(all, undefined, 'https://vspc.lab:1280/api/v3/about'), vspc);
    assert.throws(() => findConnection(all, undefined, '/api/'), /Name the connection: there are several \("Lab EM", "Lab VSPC", "lab vbr"\)/);
    assert.throws(() => findConnection(all, 'Prod'), /There is no connection named "Prod"/);
    assert.throws(() => findConnection([], undefined), /There is no Veeam connection yet/);
  });

  it('reads a path from the origin when it starts with the API\u2019s path, else below the API root', () => {
    assert.equal(resolveUrl(em, '/api/jobs'), 'https://em.lab:9398/api/jobs');
    assert.equal(resolveUrl(em, 'jobs?format=Entity'), 'https://em.lab:9398/api/jobs?format=Entity');
    assert.equal(resolveUrl(em, '/api'), 'https://em.lab:9398/api');
    assert.equal(resolveUrl(vspc, '/organizations/companies'), 'https://vspc.lab:1280/api/v3/organizations/companies');
    assert.equal(resolveUrl(vspc, '/api/v3/about'), 'https://vspc.lab:1280/api/v3/about');
    assert.equal(resolveUrl(vbr, 'v1/jobs#x'), 'https://vbr.lab:9419/api/v1/jobs');
    assert.equal(resolveUrl(vbr, 'https://VBR.lab:9419/api/v1/jobs'), 'https://vbr.lab:9419/api/v1/jobs');
  });

  it('refuses another server, another scheme, credentials in the URL, control characters and action links', () => {
    const refused = (def: ConnectionDefinition, url: string, reason: RegExp) =>
      assert.throws(() => resolveUrl(def, url), (err: Error) => err instanceof ToolInputError && reason.test(err.message));
    refused(em, 'https://em.lab:9399/api/', /Refused: https:\/\/em\.lab:9399 is not the server of connection "Lab EM" \(https:\/\/em\.lab:9398\)\..*nothing was sent/);
    refused(em, 'https://evil.example/api/jobs', /Refused/);
    refused(em, 'http://em.lab:9398/api/', /Refused/);
    refused(em, '//evil.example/api/', /not a URL without one/);
    refused(em, 'file:///etc/passwd', /not file: URLs/);
    refused(em, 'javascript:alert(1)', /not javascript: URLs/);
    refused(em, 'https://admin:pw@em.lab:9398/api/', /user name or password/);
    refused(em, '/api/jobs\n/x', /control character/);
    refused(em, '/api/jobs/1?action=start', /action link/);
    refused(em, ' ', /Give a URL/);
  });
});

/** A raw response with this body. */
function raw(body: string, contentType = 'application/json'): RawResponse {
  return { method: 'GET', url: 'https://vspc.lab:1280/api/v3/x', status: 200, statusText: 'OK', headers: [], body: Buffer.from(body), contentType, durationMs: 1, receivedAt: new Date() };
}

function list(n: number, total = n): Resource {
  return {
    href: 'https://vspc.lab:1280/api/v3/organizations/companies',
    links: [],
    fields: [],
    children: Array.from({ length: n }, (_, i) => ({ name: `Company ${i}`, uid: `uid-${i}`, href: `https://vspc.lab:1280/api/v3/organizations/companies/uid-${i}`, links: [], fields: [{ name: 'status', value: 'Active' }, { name: 'address', children: [{ name: 'city', value: 'Lyon' }] }], children: [] })),
    paging: { total, count: n, offset: 0, next: 'https://vspc.lab:1280/api/v3/organizations/companies?offset=100&limit=100' },
  };
}

const summary = (fetched: Fetched, secrets: string[] = [], budget?: number) =>
  summariseResponse({ connectionName: 'Lab VSPC', product: 'Service Provider Console', url: 'https://vspc.lab:1280/api/v3/organizations/companies', fetched, secrets, rawLink: 'veeam-api:/Lab%20VSPC/x.json?connection=v1', budget });

describe('a tool\u2019s result', () => {
  it('holds a small body whole', () => {
    const body = JSON.stringify({ data: [{ name: 'Acme', instanceUid: 'u1' }], meta: { pagingInfo: { total: 1, count: 1, offset: 0 } } });
    const text = summary({ resource: list(1), raw: raw(body) });
    assert.match(text, /^Status: 200 OK; content type application\/json; \d+ bytes\.$/m);
    assert.match(text, /^Body:\n\{\n {2}"data": \[/m);
    assert.doesNotMatch(text, /Reduced/);
    assert.match(text, /from this link: veeam-api:\/Lab%20VSPC\/x\.json\?connection=v1/);
  });

  it('summarises a large list within the budget: its size, paging links and first items, the reduction said', () => {
    const resource = list(500, 1234);
    const text = summary({ resource, raw: raw(JSON.stringify({ data: resource.children, pad: 'x'.repeat(100_000) })) });
    assert.ok(text.length <= RESULT_BUDGET, `${text.length}`);
    assert.match(text, /Reduced to fit about 8,000 characters: the body \([\d,]+ bytes\) is summarised/);
    assert.match(text, /^List: 1,234 in all; starting at item 0; 500 on this page\.$/m);
    assert.match(text, /^Paging next: https:\/\/vspc\.lab:1280\/api\/v3\/organizations\/companies\?offset=100&limit=100$/m);
    assert.match(text, /^- "Company 0" id=uid-0 url=\S+ \| status=Active; address\.city=Lyon$/m);
    const shown = text.split('\n').filter((l) => l.startsWith('- "Company')).length;
    assert.match(text, new RegExp(`^Shown: ${shown} of the 500 items of this page \\(1,234 in all\\)\\. For more:`, 'm'));
    assert.ok(shown > 20 && shown < 500);
  });

  it('describes a large single resource by its fields and links', () => {
    const resource: Resource = { type: 'Job', name: 'Big', links: [{ rel: 'Start', href: 'https://em.lab:9398/api/jobs/1?action=start', type: 'Task' }], fields: Array.from({ length: 2000 }, (_, i) => ({ name: `f${i}`, value: 'v'.repeat(50) })), children: [] };
    const text = summary({ resource, raw: raw('<Job>' + 'x'.repeat(50_000) + '</Job>', 'application/xml') });
    assert.ok(text.length <= RESULT_BUDGET);
    assert.match(text, /is not shown; its fields and links follow, as many as fit/);
    assert.match(text, /^Left out: [\d,]+ field\(s\) and 1 link\(s\)\.$/m);
  });

  it('makes server text safe and redacts a secret before anything is cut', () => {
    const token = 'TOKEN-0123456789abcdef';
    const hostile = { resource: list(1), raw: raw(JSON.stringify({ data: [{ name: 'Evil\u001b[2J\u202eName', note: `echo ${token}`, access_token: 'abc-secret-value' }] })) };
    const text = summary(hostile, [token]);
    assert.ok(!text.includes(token) && !text.includes('abc-secret-value'));
    assert.match(text, /echo <redacted>/);
    assert.doesNotMatch(text, /[\u001b\u202e]/);
    // A secret across the place the body is cut is redacted whole, never half shown.
    for (let at = 7000; at < 7200; at += 7) {
      const out = new ResultText([token], 7100);
      out.block(`${'a'.repeat(at)}${token}`);
      assert.ok(!out.toString().includes('TOKEN'), `cut at ${at}: ${out.toString().slice(-30)}`);
    }
  });
});

describe('veeam_describe\u2019s text', () => {
  const wide: PathDescription = {
    path: '/api/v1/jobs',
    operations: ['GET', 'POST'].map((method) => ({
      method,
      summary: `${method} jobs`,
      parameters: [{ name: 'limit', in: 'query', required: false, type: 'integer (int32)', default: '100' }],
      responses: [{ status: '200', description: 'OK', schema: { name: 'R', type: 'R', properties: Array.from({ length: 40 }, (_, i) => ({ name: `p${i}`, type: 'string', required: i < 2, description: 'd'.repeat(200) })) } }, { status: '404' }],
    })),
    below: [{ path: '/api/v1/jobs/{id}', methods: ['GET', 'DELETE'] }],
    moreBelow: 0,
  };

  it('gives each operation\u2019s parameters and answer, within the budget, and says what was left out', () => {
    const text = pathText(wide, 'Header', [], undefined, 6000);
    assert.ok(text.length <= 6000, `${text.length}`);
    assert.match(text, /^GET — GET jobs$/m);
    assert.match(text, /^ {2}- limit \(query\): integer \(int32\), default 100$/m);
    assert.match(text, /^ {4}p0: string, required — d+$/m);
    assert.match(text, /^Reduced to fit about 6,000 characters: \d+ line\(s\) left out; ask for one operation \(method\) to see all of it\.$/m);
    const one = pathText(wide, 'Header', [], 'post');
    assert.doesNotMatch(one, /^GET —/m);
    assert.match(one, /^POST — POST jobs$/m);
    assert.match(one, /^ {2}Other answers: 404$/m);
    assert.match(one, /^- \/api\/v1\/jobs\/\{id\}: GET, DELETE$/m);
  });

  it('describes a resource by its links (actions marked) and fields', () => {
    const resource: Resource = { type: 'Job', name: 'J', links: [{ rel: 'Down', type: 'BackupJobSessionReferenceList', href: 'https://em.lab:9398/api/jobs/1/backupSessions' }, { rel: 'Start', href: 'https://em.lab:9398/api/jobs/1?action=start', type: 'Task' }], fields: [{ name: 'JobType', value: 'Backup' }], children: [] };
    const text = resourceText({ resource, raw: raw('<Job/>', 'application/xml') }, 'Header', []);
    assert.match(text, /^Resource: type=Job, name="J"; 2 link\(s\), 1 field\(s\)\.$/m);
    assert.match(text, /^- Down BackupJobSessionReferenceList https:\/\/em\.lab:9398\/api\/jobs\/1\/backupSessions$/m);
    assert.match(text, /^- Start Task \S+\?action=start \(action: not sent by these tools\)$/m);
    assert.match(text, /^- JobType=Backup$/m);
  });
});
