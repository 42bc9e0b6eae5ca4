// Issue #15: the explorer as tools for Copilot Chat, invoked as a chat would (`vscode.lm.invokeTool`, no model needed)
// against the simulators of the three kinds. Outside a chat, VS Code asks a tool's confirmation in a modal dialog, and
// in an extension-test host its dialog service answers every confirmation "yes" by itself (it refuses to show dialogs
// in tests): so `invokeTool` runs every call here as a user who continued, and what the confirmation says (and that it
// sends nothing) is read from the same `prepareInvocation` VS Code calls, through the test API (`tools.prepareByName`).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../../src/api';
import { addConnection, answering, em, explorer, removeAllConnections, requests, resetSimulator, runnerEnv, simulatorControl, type SimulatorRequest } from './explorer-fixture';

const sims = runnerEnv({
  vspcUrl: 'VEEAM_TEST_VSPC_URL',
  vspcUser: 'VEEAM_TEST_VSPC_USER',
  vspcPassword: 'VEEAM_TEST_VSPC_PASSWORD',
  vbrUser: 'VEEAM_TEST_VBR_USER',
  vbrPassword: 'VEEAM_TEST_VBR_PASSWORD',
  // The second VBR simulator (12.3, its own certificate): a process reads each server's OpenAPI document once, and
  // vbr.test.ts watches the first one's logon read it.
  vbrUrl: 'VEEAM_TEST_VBR12_URL',
  vbrFingerprint: 'VEEAM_TEST_VBR12_FINGERPRINT',
  vbrCaFile: 'VEEAM_TEST_VBR12_CA_PEM_FILE',
});
const vspcRequests = () => simulatorControl(sims.vspcUrl, 'GET', 'requests') as Promise<SimulatorRequest[]>;
const vbrRequests = () => simulatorControl(sims.vbrUrl, 'GET', 'requests', undefined, sims.vbrCaFile) as Promise<SimulatorRequest[]>;
const clearRequests = () => Promise.all([resetSimulator(), simulatorControl(sims.vspcUrl, 'DELETE', 'requests'), simulatorControl(sims.vbrUrl, 'DELETE', 'requests', undefined, sims.vbrCaFile)]);
const paths = (list: SimulatorRequest[]) => list.map((r) => `${r.method} ${decodeURIComponent(r.path)}`);

/** The text a tool answers, invoked as a chat would (no chat: no invocation token). */
async function tool(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** What a call would show before it runs: the confirmation (if it asks) and the progress message, as plain text. */
async function prepared(name: string, input: object): Promise<{ title?: string; message?: string; running?: string } | undefined> {
  const p = (await explorer()).tools.prepareByName(name, input);
  const text = (m: string | vscode.MarkdownString | undefined) => (typeof m === 'string' ? m : m?.value);
  return p && { title: p.confirmationMessages?.title, message: text(p.confirmationMessages?.message), running: text(p.invocationMessage) };
}

const addEm = (name: string) => addConnection({ name });
const addVspc = (name: string) => addConnection({ kind: 'vspc', name, url: sims.vspcUrl, username: sims.vspcUser, password: sims.vspcPassword, caFile: undefined, trustedFingerprint: em.fingerprint });
const addVbr = (name: string) => addConnection({ kind: 'vbr', name, url: sims.vbrUrl, username: sims.vbrUser, password: sims.vbrPassword, caFile: undefined, trustedFingerprint: sims.vbrFingerprint });

describe('Copilot Chat tools', function () {
  this.timeout(60_000);
  let emDef: ConnectionDefinition;
  let vspcDef: ConnectionDefinition;
  let vbrDef: ConnectionDefinition;

  before(async () => {
    await removeAllConnections();
    await clearRequests();
    (await explorer()).tools.confirmations.reset();
    emDef = await addEm('Lab EM');
    vspcDef = await addVspc('Lab VSPC');
    vbrDef = await addVbr('Lab VBR');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllConnections();
    await resetSimulator();
  });

  it('are contributed and registered: the four tools, read only', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('veeam_'));
    assert.deepEqual(ours.map((t) => t.name).sort(), ['veeam_describe', 'veeam_findItems', 'veeam_get', 'veeam_listConnections']);
    for (const t of ours) {
      assert.ok(t.description.length > 200, `${t.name} has a model description precise enough to choose it`);
      assert.ok(t.tags.includes('read-only'), `${t.name} is tagged read-only`);
    }
    assert.deepEqual((ours.find((t) => t.name === 'veeam_get')!.inputSchema as { required: string[] }).required, ['url']);
  });

  it('veeam_listConnections lists every connection, its kind, URL, state, user and API version, asking nothing and sending nothing', async () => {
    await clearRequests();
    assert.equal(await prepared('veeam_listConnections', {}), undefined, 'no confirmation: it reads no server');
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', vbrDef.id));
    await clearRequests();
    const text = await tool('veeam_listConnections', {});
    assert.match(text, /^3 connection\(s\)/);
    assert.match(text, new RegExp(`- "Lab EM" id=${emDef.id} kind=EM \\(Enterprise Manager\\) url=${emDef.url.replace(/[.?]/g, '\\$&')}.* state=logged off user="${em.user}"`));
    assert.match(text, /- "Lab VSPC" .*kind=VSPC .*state=logged off user=/);
    assert.match(text, /- "Lab VBR" .*kind=VBR .*state=logged on user=".+" apiVersion=1\.\d-rev\d/);
    for (const secret of [em.password, sims.vspcPassword, sims.vbrPassword]) assert.ok(!text.includes(secret));
    assert.deepEqual([...(await requests()), ...(await vspcRequests()), ...(await vbrRequests())], [], 'no request at all');
  });

  it('ask first for each connection, naming it and the URL, say when they would log on, and send nothing to ask', async () => {
    const api = await explorer();
    api.tools.confirmations.reset();
    await clearRequests();
    const first = await prepared('veeam_get', { connection: 'Lab EM', url: '/api/jobs' });
    assert.ok(first?.title && first.message, 'the first read of a connection is confirmed');
    assert.equal(first.title, 'Read from Lab EM?');
    assert.ok(first.message.includes(`GET ${new URL('/api/jobs', em.url).href}`), first.message);
    assert.match(first.message, /Lab EM/);
    assert.match(first.message, /not logged on: continuing logs on to it as/, 'a logged-off connection is logged on only after the user confirms');
    assert.deepEqual(await requests(), [], 'asking sent nothing, and did not log on');
    assert.equal(api.sessions.state(emDef.id), 'loggedOff');

    // Confirmed (the test host says yes): the call logs on with the stored password and reads.
    const text = await tool('veeam_get', { connection: 'Lab EM', url: '/api/jobs' });
    assert.match(text, /Status: 200 OK/);
    assert.equal(api.sessions.state(emDef.id), 'loggedOn');
    const again = await prepared('veeam_get', { connection: 'Lab EM', url: '/api/backups' });
    assert.equal(again?.title, undefined, 'the second read of a confirmed, logged-on connection is not asked about');
    assert.match(again?.running ?? '', /Reading .*\/api\/backups.* from .*Lab EM/);
    const other = await prepared('veeam_findItems', { connection: 'Lab VBR', collection: '/api/v1/jobs', name: 'x' });
    assert.equal(other?.title, 'Read from Lab VBR?', 'another connection is asked about, logged on or not');
    assert.doesNotMatch(other?.message ?? '', /not logged on/);
    assert.ok(other?.message?.includes('nameFilter=*x*'), 'the confirmation names the URL the call sends');

    await vscode.commands.executeCommand('veeamApiExplorer.logOff', emDef.id);
    const loggedOff = await prepared('veeam_get', { connection: 'Lab EM', url: '/api/jobs' });
    assert.match(loggedOff?.message ?? '', /not logged on/, 'logged off again: a read asks again, as it would log on');
  });

  it('veeam_get reads a resource of each kind: status, content type, body; its own server only', async () => {
    await clearRequests();
    const emText = await tool('veeam_get', { connection: 'Lab EM', url: 'jobs' });
    assert.match(emText, /^GET https:\/\/127\.0\.0\.1:\d+\/api\/jobs on connection "Lab EM" \(Enterprise Manager\)\.$/m);
    assert.match(emText, /^Status: 200 OK; content type application\/xml; charset=utf-8; [\d,]+ bytes\.$/m);
    const emJobs = (await (await explorer()).sessions.get(emDef.id, new URL('/api/jobs', em.url).href)).resource.children;
    for (const job of emJobs) assert.ok(emText.includes(`- ${JSON.stringify(job.name)} id=${job.uid} url=${job.href}`), `${job.name} is listed`);
    const sent = await requests();
    assert.ok(sent.some((r) => r.method === 'GET' && r.path === '/api/jobs' && r.headers['x-restsvcsessionid']), 'the GET went with the session');
    assert.ok(sent.every((r) => r.method === 'GET' || /sessionMngr/.test(r.path)), `only GETs (and the logon): ${paths(sent)}`);

    const vbrText = await tool('veeam_get', { connection: 'Lab VBR', url: '/api/v1/jobs/states' });
    assert.match(vbrText, /Status: 200 OK; content type application\/json/);
    assert.match(vbrText, /lastResult/);
    const vspcText = await tool('veeam_get', { connection: vspcDef.id, url: `${sims.vspcUrl.replace(/\/$/, '')}/about` });
    assert.match(vspcText, /on connection "Lab VSPC" \(Service Provider Console\)/);
    assert.match(vspcText, /Status: 200 OK/);
    assert.ok(paths(await vspcRequests()).includes('GET /api/v3/about'));
    const failed = await tool('veeam_get', { connection: 'Lab VBR', url: '/api/v1/jobs/00000000-0000-0000-0000-00000000dead' });
    assert.match(failed, /failed\.\nStatus: 404/, 'an HTTP error is a result the model can read');
  });

  it('answer the README’s example: the failed backup job sessions, through Enterprise Manager’s query service', async () => {
    const text = await tool('veeam_get', { connection: 'Lab EM', url: '/api/query?type=BackupJobSession&format=Entities&filter=result==Failed&pageSize=50' });
    assert.match(text, /Status: 200 OK/);
    const sessions = text.split('\n').filter((l) => l.startsWith('- "'));
    const body = /^Body:\n([\s\S]*)\nThe full response/m.exec(text)?.[1];
    if (body) {
      assert.match(body, /<Result>Failed<\/Result>/);
      assert.doesNotMatch(body, /<Result>(Success|Warning)<\/Result>/);
    } else {
      assert.ok(sessions.length > 0, text.slice(0, 800));
      for (const l of sessions) assert.match(l, /Result=Failed/);
    }
  });

  it('summarise a large list within the budget, say so, and link the full response', async () => {
    const text = await tool('veeam_get', { connection: 'Lab VSPC', url: '/api/v3/organizations/companies?limit=500' });
    assert.ok(text.length <= 8000, `${text.length} characters`);
    assert.match(text, /Reduced to fit about 8,000 characters: the body \([\d,]+ bytes\) is summarised/);
    const total = Number(/List: ([\d,]+) in all/.exec(text)?.[1].replace(/,/g, ''));
    assert.ok(total > 100, `the list's total is given (${total})`);
    const shown = text.split('\n').filter((l) => /^- ".*" id=\S+ url=https:/.test(l));
    assert.ok(shown.length >= 5, `items by name, id and URL (${shown.length})`);
    assert.match(text, new RegExp(`Shown: ${shown.length} of the [\\d,]+ items of this page \\(${total.toLocaleString('en-US')} in all\\)\\. For more:`));
    const link = /from this link: (veeam-api:\S+)/.exec(text)?.[1];
    assert.ok(link, 'a link to the full response');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(link));
    const body = document.getText();
    assert.ok(body.length > text.length * 3, 'the linked document holds the whole response');
    for (const l of shown.slice(0, 3)) assert.ok(body.includes(/ id=(\S+)/.exec(l)![1]), 'the linked document is the same response');
  });

  it('veeam_findItems searches a collection by name on the server, for each kind', async () => {
    const api = await explorer();
    await clearRequests();
    const vspcText = await tool('veeam_findItems', { connection: 'Lab VSPC', collection: '/api/v3/organizations/companies', name: 'acme' });
    const sentFilter = (await vspcRequests()).map((r) => new URL(r.path, sims.vspcUrl).searchParams.get('filter')).find(Boolean);
    assert.deepEqual(JSON.parse(sentFilter ?? 'null'), [{ property: 'name', operation: 'contains', collation: 'ignorecase', value: 'acme' }]);
    const found = Number(/: (\d+) found\./.exec(vspcText)?.[1]);
    assert.ok(found > 0, vspcText.slice(0, 400));
    for (const l of vspcText.split('\n').filter((x) => x.startsWith('- "'))) assert.match(l, /acme/i);

    const jobs = await api.sessions.get(vbrDef.id, new URL('/api/v1/jobs', sims.vbrUrl).href);
    const jobName = jobs.resource.children[1].name!;
    const part = jobName.slice(1, 6);
    const vbrText = await tool('veeam_findItems', { connection: 'Lab VBR', collection: 'v1/jobs', name: part });
    assert.ok((await vbrRequests()).some((r) => decodeURIComponent(r.path).includes(`nameFilter=*${part}*`)), 'VBR: nameFilter');
    assert.ok(vbrText.includes(JSON.stringify(jobName)), `the job is found: ${vbrText.slice(0, 600)}`);

    await clearRequests();
    const emJobs = await api.sessions.get(emDef.id, new URL('/api/jobs', em.url).href);
    const emJob = emJobs.resource.children[0].name!;
    const emText = await tool('veeam_findItems', { connection: 'Lab EM', collection: 'Job', name: emJob.slice(2, 8) });
    const query = (await requests()).find((r) => r.path.startsWith('/api/query'));
    assert.ok(query, 'EM: the query service');
    const params = new URL(query.path, em.url).searchParams;
    assert.equal(params.get('type'), 'Job');
    assert.equal(params.get('filter'), `name=="*${emJob.slice(2, 8)}*"`);
    assert.ok(emText.includes(JSON.stringify(emJob)), emText.slice(0, 600));
    const fromCollection = await tool('veeam_findItems', { connection: 'Lab EM', collection: '/api/repositories', name: 'repo' });
    assert.match(fromCollection, /GET \S+\/api\/query\?type=Repository&format=Refs&filter=name%3D%3D%22\*repo\*%22/);
    await assert.rejects(tool('veeam_findItems', { connection: 'Lab EM', collection: '/api/jobs/123/backupSessions', name: 'x' }), /filters by name only through its query service/);
  });

  it('veeam_describe gives a path\u2019s operations from the server\u2019s OpenAPI document (VBR), a resource\u2019s links and fields otherwise', async () => {
    const jobs = await tool('veeam_describe', { connection: 'Lab VBR', path: '/api/v1/jobs/{id}' });
    assert.match(jobs, /From the OpenAPI document of connection "Lab VBR" \(Veeam Backup & Replication, revision 1\.\d-rev\d\)/);
    assert.match(jobs, /^GET — Get Job/m);
    assert.match(jobs, /- id \(path, required\): string \(uuid\)/);
    assert.match(jobs, /- x-api-version \(header, required\): string, default 1\.\d-rev\d/);
    assert.match(jobs, /Answer 200 \(OK\): JobModel \(one of the schemas BackupJobModel\)/);
    assert.match(jobs, /^ {4}name: string, required/m);
    assert.match(jobs, /^- \/api\/v1\/jobs\/\{id\}\/start: POST/m);
    const sessions = await tool('veeam_describe', { connection: 'Lab VBR', path: `${sims.vbrUrl}v1/sessions`, method: 'GET' });
    assert.match(sessions, /- nameFilter \(query\): string/);
    assert.match(sessions, /- orderColumn \(query\): string, one of /);
    assert.match(sessions, /data: array of SessionModel/);
    const missing = await tool('veeam_describe', { connection: 'Lab VBR', path: '/api/v1/nothing/here' });
    assert.match(missing, /No path of the OpenAPI document .* matches/);

    const vspc = await tool('veeam_describe', { connection: 'Lab VSPC', path: '/api/v3/organizations/companies' });
    assert.match(vspc, /the server publishes no OpenAPI document the explorer could read/);
    assert.match(vspc, /a list: [\d,]+ in all/);
    const emRoot = await tool('veeam_describe', { connection: 'Lab EM', path: '/api/jobs' });
    assert.match(emRoot, /^Resource; \d+ link\(s\), \d+ field\(s\); a list: \d+ item\(s\)\.$/m);
    assert.match(emRoot, /Items: of type JobReference/);
    assert.match(emRoot, /^- Alternate Job ".+" \S+\?format=Entity$/m);
    const entity = /^- Alternate Job ".+" (\S+\?format=Entity)$/m.exec(emRoot)![1];
    const job = await tool('veeam_describe', { connection: 'Lab EM', path: entity });
    assert.match(job, /^Resource: type=Job, name=".+"; \d+ link\(s\), \d+ field\(s\)\.$/m);
    assert.match(job, /^- Start Task \S+\?action=start \(action: not sent by these tools\)$/m, `actions are shown as actions: ${job}`);
    assert.match(job, /^- JobType=\w+$/m);
  });

  it('refuse another server\u2019s URL, other schemes and action links, sending nothing', async () => {
    await clearRequests();
    const foreign = `${sims.vspcUrl.replace(/\/$/, '')}/about`;
    assert.equal(await prepared('veeam_get', { connection: 'Lab EM', url: foreign }), undefined, 'nothing to confirm: it is refused');
    await assert.rejects(tool('veeam_get', { connection: 'Lab EM', url: foreign }), (err: Error) => {
      assert.match(err.message, /Refused: https:\/\/127\.0\.0\.1:\d+ is not the server of connection "Lab EM" \(https:\/\/127\.0\.0\.1:\d+\)\. .*nothing was sent/);
      return true;
    });
    await assert.rejects(tool('veeam_get', { connection: 'Lab EM', url: 'https://example.invalid/api/' }), /Refused/);
    await assert.rejects(tool('veeam_get', { connection: 'Lab EM', url: 'file:///etc/passwd' }), /Only the connection’s https URLs/);
    await assert.rejects(tool('veeam_describe', { connection: 'Lab EM', path: '/api/jobs/1?action=start' }), /action link/);
    await assert.rejects(tool('veeam_get', { connection: 'Nobody', url: '/api/' }), /There is no connection named "Nobody"\. The connections are: "Lab EM", "Lab VSPC", "Lab VBR"/);
    await assert.rejects(tool('veeam_get', { url: '/api/' }), /Name the connection: there are several/);
    assert.deepEqual([...paths(await requests()), ...paths(await vspcRequests()), ...paths(await vbrRequests())], [], 'no server got anything');
  });

  it('log a connection on with the explorer\u2019s own password prompt, and say so when the user cancels it', async () => {
    const api = await explorer();
    // Added as settings are (no password given, none stored): every logon asks.
    const asking = await api.connections.add({ kind: 'em', name: 'Ask EM', url: em.url, username: em.user, storePassword: false, caFile: em.caFile });
    api.tools.confirmations.reset();
    await clearRequests();
    const prompts: string[] = [];
    const cancelled = await answering({ showInputBox: async (o) => void prompts.push(String(o.prompt ?? o.title)) }, () => tool('veeam_get', { connection: 'Ask EM', url: '/api/jobs' }));
    assert.equal(prompts.length, 1, 'the explorer asked for the password, once');
    assert.match(cancelled, /"Ask EM" could not be logged on .*Nothing was read/);
    assert.ok(!(await requests()).some((r) => r.path === '/api/jobs'), 'the URL was not read');
    const text = await answering({ showInputBox: async () => em.password }, () => tool('veeam_get', { connection: 'Ask EM', url: '/api/jobs' }));
    assert.match(text, /Status: 200 OK/);
    assert.equal(api.sessions.state(asking.id), 'loggedOn');
    assert.ok(!text.includes(em.password), 'the password typed is nowhere in the result');
  });
});
