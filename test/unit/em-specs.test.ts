// Enterprise Manager's request bodies (src/api/kinds/em/specs.ts, EM_KIND.requestBodies): the documented specs an
// action link takes, in the connection's representation, and checkActionBody on XML documents.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { actionBodyOf, checkActionBody, english, type ActionBody, type Link } from '../../src/api';
import { MAX_BODY_CHARS } from '../../src/api/openapi/request-body';

const EM = 'https://em.example:9398/api';
const link = (rel: string, path: string, type?: string): Link => ({ rel, href: `${EM}/${path}`, ...(type && { type }) });
const xml = (l: Link) => actionBodyOf({ kind: 'em' }, l);
const json = (l: Link) => actionBodyOf({ kind: 'em', representation: 'json' }, l);
const CLONE = link('Clone', 'jobs/78c3919c-0000-4000-8000-000000000001?action=clone', 'JobCloneSpec');
const RESTORE = link('Restore', 'vmRestorePoints/5acac742-0000-4000-8000-000000000002?action=restore', 'RestoreSpec');

function timed<T>(limitMs: number, what: string, run: () => T): T {
  const started = performance.now();
  const result = run();
  assert.ok(performance.now() - started < limitMs, `${what}: ${Math.round(performance.now() - started)} ms`);
  return result;
}

describe('EM action bodies', () => {
  it('Clone of a job: JobCloneSpec in XML, with its namespace and the backup job\u2019s required elements', () => {
    assert.deepEqual(xml(CLONE), {
      contentType: 'application/xml',
      required: true,
      template: [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<JobCloneSpec xmlns="http://www.veeam.com/ent/v1.0">',
        '  <BackupJobCloneInfo>',
        '    <JobName>Nightly backup copy</JobName>',
        '    <FolderName>Nightly backup copy</FolderName>',
        '    <RepositoryUid>urn:veeam:Repository:00000000-0000-0000-0000-000000000000</RepositoryUid>',
        '  </BackupJobCloneInfo>',
        '</JobCloneSpec>',
        '',
      ].join('\n'),
      schemaName: 'JobCloneSpec',
      rootElement: 'JobCloneSpec',
      requiredPaths: ['BackupJobCloneInfo', 'BackupJobCloneInfo/JobName', 'BackupJobCloneInfo/FolderName', 'BackupJobCloneInfo/RepositoryUid'],
    });
  });

  it('Clone in EM\u2019s JSON: the root\u2019s children as members, no root, dotted required paths', () => {
    const body = json(CLONE)!;
    assert.deepEqual([body.contentType, body.schemaName, body.rootElement], ['application/json', 'JobCloneSpec', undefined]);
    assert.deepEqual(JSON.parse(body.template), {
      BackupJobCloneInfo: { JobName: 'Nightly backup copy', FolderName: 'Nightly backup copy', RepositoryUid: 'urn:veeam:Repository:00000000-0000-0000-0000-000000000000' },
    });
    assert.deepEqual(body.requiredPaths, ['BackupJobCloneInfo', 'BackupJobCloneInfo.JobName', 'BackupJobCloneInfo.FolderName', 'BackupJobCloneInfo.RepositoryUid']);
  });

  it('Restore of a VM restore point: RestoreSpec with PowerOnAfterRestore and QuickRollback, keeping the original VM', () => {
    const body = xml(RESTORE)!;
    assert.equal(body.rootElement, 'RestoreSpec');
    assert.match(body.template, /<VmRestoreSpec>\n {4}<PowerOnAfterRestore>false<\/PowerOnAfterRestore>\n {4}<QuickRollback>false<\/QuickRollback>\n {4}<KeepOriginalVM>true<\/KeepOriginalVM>\n {2}<\/VmRestoreSpec>/);
    assert.deepEqual(body.requiredPaths, ['VmRestoreSpec', 'VmRestoreSpec/PowerOnAfterRestore', 'VmRestoreSpec/QuickRollback']);
    assert.deepEqual(JSON.parse(json(RESTORE)!.template), { VmRestoreSpec: { PowerOnAfterRestore: false, QuickRollback: false, KeepOriginalVM: true } });
  });

  it('is known by the action and what it acts on, or by the link\u2019s spec type; start, stop, retry take none', () => {
    assert.equal(xml(link('Clone', 'jobs/1?action=clone'))?.schemaName, 'JobCloneSpec', 'without a Type');
    assert.equal(xml(link('Restore', 'vmRestorePoints/1/?action=restore'))?.schemaName, 'RestoreSpec');
    for (const rel of ['Start', 'Stop', 'Retry', 'ToggleScheduleEnabled']) assert.equal(xml(link(rel, `jobs/1?action=${rel.toLowerCase()}`, 'Task')), undefined, rel);
    assert.equal(xml(link('Clone', 'backupServers/1?action=clone')), undefined, 'a clone of something else');
    // Another documented spec the extension has no template of: an empty document of that root.
    const other = xml(link('Restore', 'vAppRestorePoints/1?action=restore', 'VAppRestoreSpec'))!;
    assert.deepEqual([other.rootElement, other.requiredPaths, other.required], ['VAppRestoreSpec', [], true]);
    assert.deepEqual(checkActionBody(other, other.template), []);
    assert.deepEqual(JSON.parse(json(link('Restore', 'vAppRestorePoints/1?action=restore', 'VAppRestoreSpec'))!.template), {});
    for (const type of ['Spec', '<x>Spec', `${'A'.repeat(200)}Spec`, 'Task']) assert.equal(xml(link('Go', 'things/1?action=go', type)), undefined, type);
    assert.equal(xml({ rel: 'Clone', href: 'not a url' }), undefined);
    // A link that carries its own body (OpenAPI kinds) keeps it.
    const own: ActionBody = { contentType: 'application/json', required: false, template: '{}', requiredPaths: [] };
    assert.equal(actionBodyOf({ kind: 'em' }, { ...CLONE, body: own }), own);
  });
});

describe('checking an XML document', () => {
  const clone = xml(CLONE)!;
  const restore = xml(RESTORE)!;

  it('accepts the templates, in either representation, and the root with a namespace prefix', () => {
    for (const body of [clone, restore, json(CLONE)!, json(RESTORE)!]) assert.deepEqual(checkActionBody(body, body.template), [], body.template);
    const prefixed = clone.template.replace('<JobCloneSpec xmlns=', '<v:JobCloneSpec xmlns:v=').replace('</JobCloneSpec>', '</v:JobCloneSpec>');
    assert.deepEqual(checkActionBody(clone, prefixed), []);
    assert.deepEqual(checkActionBody(clone, `\uFEFF\n\n${clone.template}`), []);
  });

  it('says where a document is not well-formed', () => {
    const cut = checkActionBody(clone, clone.template.replace('</JobName>', '</Job>'));
    assert.deepEqual(cut, [{ code: 'request-body.xml-malformed', params: { line: 4, reason: { code: 'xml.why.closes-other', params: { closing: 'Job', open: 'JobName' } } } }]);
    assert.equal(english(cut[0]), 'The document is not well-formed XML (line 4: </Job> closes <JobName>).');
    const late = checkActionBody(restore, '\n\n\n<RestoreSpec>\n  <VmRestoreSpec>\n</RestoreSpec>');
    assert.deepEqual([late[0].code, late[0].params?.line], ['request-body.xml-malformed', 6]);
    assert.equal(checkActionBody(clone, '<JobCloneSpec>a < b</JobCloneSpec>')[0].code, 'request-body.xml-malformed');
    assert.equal(checkActionBody(clone, '{"BackupJobCloneInfo": {}}')[0].code, 'request-body.xml-malformed', 'JSON for an XML body');
    const doctype = checkActionBody(clone, '<!DOCTYPE x [<!ENTITY e "boom">]><JobCloneSpec>&e;</JobCloneSpec>');
    assert.equal(doctype[0].code, 'request-body.xml-malformed', 'no entity of a document is expanded');
  });

  it('names a wrong root element and every missing required element', () => {
    const wrong = checkActionBody(clone, restore.template);
    assert.deepEqual(wrong, [{ code: 'request-body.wrong-root', params: { found: 'RestoreSpec', expected: 'JobCloneSpec' } }]);
    assert.equal(english(wrong[0]), 'The document\u2019s root element is <RestoreSpec>; the request takes <JobCloneSpec>.');
    const missing = checkActionBody(clone, '<JobCloneSpec xmlns="http://www.veeam.com/ent/v1.0"><BackupJobCloneInfo><JobName>x</JobName><RepositoryUid/></BackupJobCloneInfo></JobCloneSpec>');
    assert.deepEqual(missing, [{ code: 'request-body.missing', params: { path: 'BackupJobCloneInfo/FolderName' } }]);
    assert.equal(english(missing[0]), 'The document has no BackupJobCloneInfo/FolderName, which the request requires.');
    assert.deepEqual(checkActionBody(clone, '<JobCloneSpec><constructor/><__proto__/></JobCloneSpec>').map((w) => w.params?.path), clone.requiredPaths);
    assert.deepEqual(checkActionBody(restore, '<RestoreSpec/>').length, 3);
    // EM's JSON has no root: a document wrapped in one misses every member.
    const wrapped = checkActionBody(json(CLONE)!, JSON.stringify({ JobCloneSpec: JSON.parse(json(CLONE)!.template) }));
    assert.deepEqual(wrapped.map((w) => w.params?.path), json(CLONE)!.requiredPaths);
    assert.deepEqual(checkActionBody(clone, ''), [{ code: 'request-body.empty', params: { schema: 'JobCloneSpec' } }]);
  });

  it('is bounded on hostile documents', () => {
    const deep = timed(2000, '100,000 nested elements', () => checkActionBody(clone, `<JobCloneSpec>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</JobCloneSpec>`));
    assert.equal(deep[0].code, 'request-body.xml-malformed');
    assert.equal((deep[0].params?.reason as { code: string }).code, 'xml.why.too-deep');
    assert.equal(checkActionBody(clone, `<JobCloneSpec>${'x'.repeat(MAX_BODY_CHARS)}</JobCloneSpec>`)[0].code, 'request-body.too-large');
    const wide = timed(3000, '100,000 siblings', () => checkActionBody(clone, `<JobCloneSpec>${'<BackupJobCloneInfo/>'.repeat(100_000)}</JobCloneSpec>`));
    assert.deepEqual(wide.map((w) => w.params?.path), ['BackupJobCloneInfo/JobName', 'BackupJobCloneInfo/FolderName', 'BackupJobCloneInfo/RepositoryUid']);
    const attributes = timed(3000, 'an element with 5,000 attributes', () => checkActionBody(clone, `<JobCloneSpec ${Array.from({ length: 5000 }, (_, k) => `a${k}="v"`).join(' ')}/>`));
    assert.equal(attributes[0].code, 'request-body.xml-malformed');
    const token = fc.constantFrom('<JobCloneSpec>', '</JobCloneSpec>', '<BackupJobCloneInfo>', '</BackupJobCloneInfo>', '<JobName>', '</JobName>', '<v:JobName a=">">', '<x/>', '<!-- c -->', '<![CDATA[<]]>', '<?pi ?>', '<', '>', '"', "'", '/', 'text', '\n', '<!DOCTYPE', '&amp;');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 30 }), (tokens) => {
        const said = checkActionBody(clone, tokens.join(''));
        assert.ok(Array.isArray(said) && said.every((w) => english(w).length > 0));
      }),
      { numRuns: 2000 },
    );
    const long = 'n'.repeat(100_000);
    const name = checkActionBody(clone, `<${long}/>`);
    assert.ok(english(name[0]).length < 300, 'a long root name is cut');
  });
});
