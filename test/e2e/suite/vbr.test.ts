// The tree, commands and raw documents of a Veeam Backup & Replication connection, against the VBR simulator (and a
// second one that speaks only the revisions of 12.3).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../../src/api';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { addConnection, answering, child, children, confirming, contextOf, em, explorer, item, labelOf, removeAllConnections, simulatorControl, description, page, runnerEnv, type GuidedAnswers, type SimulatorRequest } from './explorer-fixture';

/** The VBR simulators as the runner describes them (the first one's certificate is the EM simulator's). */
const vbr = runnerEnv({
  url: 'VEEAM_TEST_VBR_URL',
  user: 'VEEAM_TEST_VBR_USER',
  password: 'VEEAM_TEST_VBR_PASSWORD',
  // A server of Veeam Backup & Replication 12.3: revisions up to 1.2-rev1, its own certificate.
  url12: 'VEEAM_TEST_VBR12_URL',
  fingerprint12: 'VEEAM_TEST_VBR12_FINGERPRINT',
  caFile12: 'VEEAM_TEST_VBR12_CA_PEM_FILE',
});

const control = (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, url = vbr.url) =>
  simulatorControl(url, method, path, body, url === vbr.url ? undefined : vbr.caFile12);
const requests = (url = vbr.url) => control('GET', 'requests', undefined, url) as Promise<SimulatorRequest[]>;

async function resetVbr(): Promise<void> {
  await control('DELETE', 'faults');
  await control('DELETE', 'requests');
}

function addVbrConnection(name: string, extra: GuidedAnswers & Partial<ConnectionDefinition> = {}): Promise<ConnectionDefinition> {
  return addConnection({ kind: 'vbr', name, url: vbr.url, username: vbr.user, password: vbr.password, caFile: undefined, trustedFingerprint: em.fingerprint, ...extra });
}

const tooltipOf = (node: ExplorerNode) => {
  const tooltip = item(node).tooltip;
  // The Markdown source: appendText escapes what Markdown would act on (`\(`).
  return (typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '')).replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
};


describe('a Veeam Backup & Replication connection', () => {
  let def: ConnectionDefinition;
  let root: ExplorerNode;
  const jobs = async () => child(await child(root, 'Jobs'), 'Jobs');

  before(async () => {
    await removeAllConnections();
    await resetVbr();
    def = await addVbrConnection('VBR');
    const info = await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id);
    assert.ok(info, 'Log On failed (see the extension log)');
    root = await child(undefined, 'VBR');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllConnections();
    await resetVbr();
  });

  it('is added without an API revision in its settings, and logs on with the newest one, shown in its description', async () => {
    const stored = (await explorer()).connections.get(def.id);
    assert.equal(stored?.kind, 'vbr');
    assert.equal(stored?.url, vbr.url);
    assert.equal(stored?.apiVersion, undefined, 'an empty revision is stored as none');
    assert.equal(contextOf(root), 'connection.vbr.loggedOn+href');
    assert.equal(description(root), 'VBR · vbradmin · 1.3-rev1');
    assert.match(tooltipOf(root), /API revision: 1\.3-rev1/);
    const sent = await requests();
    const token = sent.find((r) => r.method === 'POST' && r.path === '/api/oauth2/token');
    assert.ok(token, sent.map((r) => `${r.method} ${r.path}`).join(', '));
    assert.equal(token.headers['x-api-version'], '1.3-rev1');
    assert.ok(sent.some((r) => r.method === 'GET' && r.path === '/swagger/1.3-rev1/swagger.json'), 'the server’s OpenAPI document was not read');
    for (const r of sent.filter((r) => r.path.startsWith('/api/'))) assert.equal(r.headers['x-api-version'], '1.3-rev1', `${r.method} ${r.path}`);
  });

  it('shows the groups and collections of the server’s own document', async () => {
    const nodes = await children(root);
    const groups = nodes.filter((n) => contextOf(n) === 'group').map(labelOf);
    for (const name of ['Jobs', 'Sessions', 'Backups', 'Repositories', 'Managed Servers', 'Credentials']) assert.ok(groups.includes(name), `no group ${name}: ${groups.join(', ')}`);
    const jobGroup = await child(root, 'Jobs');
    assert.deepEqual((await children(jobGroup)).map(labelOf), ['Job states', 'Jobs']);
    assert.equal(contextOf(await jobs()), 'collection+href');
    assert.match((await jobs()).href ?? '', /\/api\/v1\/jobs$/);
    // The server's information is the connection's fields.
    assert.ok(nodes.some((n) => contextOf(n) === 'field' && labelOf(n) === 'name: vbr01.lab.example'), nodes.map(labelOf).join(', '));
    // And its own node shows it too: its fields, not the connection's groups again.
    const service = await child(root, 'Service');
    const serverInfo = (await children(service)).find((n) => /Information/.test(labelOf(n)));
    assert.ok(serverInfo, 'a Backup Server Information node');
    const infoNodes = await children(serverInfo);
    assert.ok(infoNodes.some((n) => contextOf(n) === 'field' && labelOf(n) === 'name: vbr01.lab.example'), infoNodes.map(labelOf).join(', '));
    assert.ok(!infoNodes.some((n) => contextOf(n) === 'group'), 'no groups under it');
  });

  it('pages through hundreds of jobs with Load more (skip and limit), appended in place', async () => {
    const list = await jobs();
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', list);
    await control('DELETE', 'requests');
    let { items, more } = await page(list);
    assert.ok(more, 'no Load more under Jobs');
    const total = Number(/^Load more \((\d+) of (\d+)\)$/.exec(labelOf(more))?.[2]);
    assert.ok(total >= 300, labelOf(more));
    assert.equal(description(list), String(total), 'a read collection shows its count');
    assert.ok(items.some((j) => labelOf(j) === 'Müller & Söhne "Bau" <b>Nightly</b>'), 'names are shown as they are');
    for (const job of items) {
      assert.equal(contextOf(job), 'resource+href');
      assert.doesNotMatch(labelOf(job), /^[0-9a-f]{8}-/i, 'a job is labelled by its id');
    }
    let rounds = 0;
    while (more) {
      assert.ok(++rounds < 20, 'Load more never ends');
      await vscode.commands.executeCommand('veeamApiExplorer.showMore', more);
      const next = await page(list);
      assert.ok(next.items.length > items.length, 'Load more added nothing');
      assert.deepEqual(next.items.slice(0, items.length), items, 'the items loaded before were replaced');
      ({ items, more } = next);
    }
    assert.equal(items.length, total);
    assert.equal(new Set(items.map((i) => i.href)).size, total, 'a job appears twice');
    const sent = (await requests()).filter((r) => r.path.startsWith('/api/v1/jobs'));
    assert.ok(sent.every((r) => r.method === 'GET'), sent.map((r) => `${r.method} ${r.path}`).join(', '));
    assert.ok(sent.slice(1).every((r) => /[?&]skip=\d+/.test(r.path) && /[?&]limit=\d+/.test(r.path)), `Load more did not page by skip and limit: ${sent.map((r) => r.path).join(', ')}`);

    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', list);
    const again = await page(list);
    assert.ok(again.more && again.items.length < total, 'Refresh starts from the first page again');
  });

  it('filters jobs by name on the server (nameFilter), and clears the filter', async () => {
    const list = await jobs();
    await control('DELETE', 'requests');
    const applied = await answering({ showInputBox: async () => 'müller' }, () => Promise.resolve(vscode.commands.executeCommand<string>('veeamApiExplorer.filterByName', list)));
    assert.equal(applied, 'müller');
    assert.equal(contextOf(list), 'collection+href+filtered');
    const { items, more } = await page(list);
    assert.equal(more, undefined);
    assert.ok(items.length > 0);
    for (const job of items) assert.match(labelOf(job), /müller/i);
    assert.equal(description(list), `name contains "müller" · ${items.length}`);
    const sent = (await requests()).filter((r) => r.method === 'GET');
    assert.equal(sent.length, 1, sent.map((r) => r.path).join(', '));
    assert.equal(new URL(sent[0].path, vbr.url).searchParams.get('nameFilter'), '*müller*');

    await vscode.commands.executeCommand('veeamApiExplorer.clearFilter', list);
    assert.equal(contextOf(list), 'collection+href');
    assert.ok((await page(list)).more, 'the whole list is back, with Load more');
    assert.doesNotMatch(list.href ?? '', /nameFilter/);
  });

  it('expands a job into its fields and its actions, shown as leaves and never sent', async () => {
    const job = (await page(await jobs())).items[0];
    await control('DELETE', 'requests');
    const nodes = await children(job);
    assert.ok(nodes.some((n) => contextOf(n) === 'field' && /^id: [0-9a-f-]{36}$/.test(labelOf(n))), nodes.map(labelOf).join(', '));
    const actions = nodes.filter((n) => contextOf(n) === 'action');
    assert.ok(actions.length >= 2, `no action leaves: ${nodes.map((n) => `${labelOf(n)} (${contextOf(n)})`).join(', ')}`);
    for (const action of actions) assert.equal(item(action).collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.ok((await requests()).every((r) => r.method === 'GET'), 'browsing sent something else than GET');
  });

  it('the connection row stands for the server information: Copy URL gives its URL, its raw document reads it again', async () => {
    const copied = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyHref', root);
    assert.match(copied ?? '', /\/api\/v1\/serverInfo$/);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', root);
    assert.ok(editor);
    assert.match(editor.document.getText(), /"name": "vbr01\.lab\.example"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    // The tree under the row is still the server's API, not the server information.
    assert.ok((await children(root)).some((n) => contextOf(n) === 'group' && labelOf(n) === 'Jobs'));
  });

  it('opens a raw response as JSON without the token, and copies the URL and a curl command with x-api-version and a placeholder', async () => {
    const list = await jobs();
    await children(list);
    const tokens = new Set((await requests()).map((r) => r.headers.authorization?.replace(/^Bearer /, '')).filter(Boolean));
    assert.ok(tokens.size > 0, 'no request carried the bearer token');

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', list);
    assert.ok(editor);
    assert.equal(editor.document.languageId, 'json');
    assert.match(editor.document.uri.path, /\.json$/);
    const text = editor.document.getText();
    assert.match(text, /^\{\n {2}"/, 'the body is pretty-printed');
    assert.match(text, /"pagination"/);
    for (const token of tokens) assert.ok(!text.includes(token!), 'the raw response shows the token');

    const url = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyHref', list);
    assert.equal(url, list.href);
    const curl = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyAsCurl', list);
    assert.ok(curl);
    assert.equal(await vscode.env.clipboard.readText(), curl);
    assert.match(curl, /-H 'x-api-version: 1\.3-rev1'/);
    assert.match(curl, /-H "Authorization: Bearer \$VEEAM_TOKEN"/);
    assert.match(curl, /Accept: application\/json/);
    for (const token of tokens) assert.ok(!curl.includes(token!), 'the curl command holds the token');
  });

  it('logs off with POST /api/oauth2/logout and shows the connection logged off', async () => {
    const api = await explorer();
    await control('DELETE', 'requests');
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
    const sent = (await requests()).map((r) => `${r.method} ${r.path}`);
    assert.ok(sent.includes('POST /api/oauth2/logout'), sent.join(', '));
    assert.equal(api.sessions.state(def.id), 'loggedOff');
    const node = await child(undefined, 'VBR');
    assert.equal(description(node), 'VBR · logged off');
    assert.deepEqual((await children(node)).map(contextOf), ['logOn']);
  });

  it('a 12.3 server refuses the newest revision: the connection falls back to 1.2-rev1 and says so', async () => {
    await control('DELETE', 'requests', undefined, vbr.url12);
    const older = await addVbrConnection('VBR 12.3', { url: vbr.url12, trustedFingerprint: vbr.fingerprint12 });
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', older.id), 'Log On failed (see the extension log)');
    const node = await child(undefined, 'VBR 12.3');
    assert.equal(description(node), 'VBR · vbradmin · 1.2-rev1');
    assert.match(tooltipOf(node), /API revision: 1\.2-rev1 \(the server does not support 1\.3-rev1\)/);
    const tokenRequests = (await requests(vbr.url12)).filter((r) => r.path === '/api/oauth2/token').map((r) => r.headers['x-api-version']);
    assert.deepEqual(tokenRequests, ['1.3-rev1', '1.2-rev1']);
    const list = await child(await child(node, 'Jobs'), 'Jobs');
    assert.ok((await page(list)).items.length > 0);
    const curl = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyAsCurl', list);
    assert.match(curl ?? '', /-H 'x-api-version: 1\.2-rev1'/, 'the curl command names the revision in use');
    await confirming('veeamApiExplorer.removeConnection', older.id);
  });

  it('a connection that names its revision keeps it in its settings and sends it; a malformed one is refused', async () => {
    const named = await addVbrConnection('VBR named', { apiVersion: '1.2-rev0' });
    assert.equal((await explorer()).connections.get(named.id)?.apiVersion, '1.2-rev0');
    const entry = vscode.workspace.getConfiguration('veeamApiExplorer').get<Array<Record<string, unknown>>>('connections')?.find((c) => c.id === named.id);
    assert.equal(entry?.apiVersion, '1.2-rev0');
    assert.ok(!JSON.stringify(entry).includes(vbr.password), 'the password is in the settings');
    await control('DELETE', 'requests');
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', named.id));
    assert.equal(description(await child(undefined, 'VBR named')), 'VBR · vbradmin · 1.2-rev0');
    assert.ok((await requests()).filter((r) => r.path.startsWith('/api/')).every((r) => r.headers['x-api-version'] === '1.2-rev0'));
    await confirming('veeamApiExplorer.removeConnection', named.id);

    await assert.rejects(addVbrConnection('VBR malformed', { apiVersion: 'latest' }), /e\.g\. 1\.3-rev1/);
    assert.ok(!(await explorer()).connections.all().some((c) => c.name === 'VBR malformed'));
  });
});
