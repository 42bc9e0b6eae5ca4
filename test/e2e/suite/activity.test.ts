// Issue #14, the Tasks and History views: every request recorded per connection (logons without bodies), bounded;
// the History view opens responses and runs GETs again (one GET each); the history kept in the workspace's storage
// folder without a secret in any form, and nothing written while that is off; the Tasks view and its documents.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { secretForms, type ConnectionDefinition, type Exchange, type RawResponse } from '../../../src/api';
import type { HistoryRecord, TaskRecord } from '../../../src/ui/activity/activity';
import type { HistoryNode } from '../../../src/ui/activity/history-view';
import type { TasksNode } from '../../../src/ui/activity/tasks-view';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { waitFor } from '../../unit/wait-for';
import { answering, child, children, em, explorer, loggedOnConnection, removeAllConnections, requests, resetSimulator, simulator, type SimulatorRequest } from './explorer-fixture';

const setting = () => vscode.workspace.getConfiguration('veeamApiExplorer');
const labelOf = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));
const pathOf = (url: string) => new URL(url).pathname;

/** The History view's entries of a connection, as the view lists them (newest first). */
async function historyRows(connectionId: string): Promise<Array<{ node: HistoryNode; item: vscode.TreeItem }>> {
  const { activityViews } = await explorer();
  const tree = activityViews.history;
  const group = tree.getChildren().find((g) => tree.getTreeItem(g).id === `history:${connectionId}`);
  assert.ok(group, 'the connection has a group in the History view');
  return tree.getChildren(group).map((node) => ({ node, item: tree.getTreeItem(node) }));
}

/** A response as a session hands it over. */
function response(body: string, status = 200, url = `${em.url.replace(/\/?$/, '')}/tasks/task-1`, contentType = 'application/xml'): RawResponse {
  return { method: 'GET', url, status, statusText: status === 202 ? 'Accepted' : 'OK', headers: [['content-type', contentType]], body: Buffer.from(body), contentType, durationMs: 7, receivedAt: new Date() };
}

/** The session token(s) the simulator saw. */
async function tokens(): Promise<string[]> {
  return [...new Set((await requests()).map((r) => r.headers['x-restsvcsessionid']).filter(Boolean))];
}

describe('the Tasks and History views', () => {
  let def: ConnectionDefinition;
  let root: ExplorerNode;

  before(async () => {
    await removeAllConnections();
    await resetSimulator();
    const api = await explorer();
    api.activity.clearHistory();
    await setting().update('history.persist', undefined, vscode.ConfigurationTarget.Global);
    ({ def, node: root } = await loggedOnConnection({ name: 'History' }));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setting().update('history.persist', undefined, vscode.ConfigurationTarget.Global);
    await setting().update('rawResponse.showHeaders', undefined, vscode.ConfigurationTarget.Global);
    await removeAllConnections();
    await resetSimulator();
  });

  it('records every request the server saw, the GETs with status, size and duration, the logon without bodies', async () => {
    const api = await explorer();
    await children(await child(root, 'Jobs'));
    const history = api.activity.history(def.id);
    const sent = (await requests()).filter((r) => !r.path.startsWith('/__simulator'));
    const key = (method: string, path: string) => `${method} ${path.replace(/\?.*$/, '')}`;
    assert.deepEqual(history.map((e) => key(e.method, new URL(e.url).pathname)).sort(), sent.map((r: SimulatorRequest) => key(r.method, r.path)).sort(), 'one entry per request the simulator saw');
    const logon = history.find((e) => e.credentials && e.method === 'POST' && pathOf(e.url) === '/api/sessionMngr/');
    assert.ok(logon, `the logon is recorded: ${history.map((e) => `${e.method} ${e.url} ${e.credentials ? 'credentials' : ''}`).join(', ')}`);
    assert.ok(logon.status && logon.status < 300);
    for (const e of history.filter((h) => h.credentials)) assert.ok(e.raw === undefined && e.requestBody === undefined, `${e.method} ${e.url} keeps no body`);
    const jobs = history.find((e) => e.method === 'GET' && pathOf(e.url) === '/api/jobs');
    assert.ok(jobs?.raw, 'the GET of the jobs is recorded with its response');
    assert.equal(jobs.status, 200);
    assert.equal(jobs.size, jobs.raw.body.length);
    assert.ok(jobs.size > 100 && jobs.durationMs >= 0 && jobs.durationMs < 60_000);
    assert.ok(!JSON.stringify(history.map(({ raw, ...rest }) => ({ ...rest, headers: raw?.headers }))).includes(em.password), 'no password in the history');
  });

  it('keeps the last 500 requests of a connection, and records a real GET after them', async () => {
    const api = await explorer();
    const base = `${new URL(em.url).origin}/api/bound`;
    for (let i = 0; i < 600; i++) api.activity.record(def.id, { at: new Date(), method: 'GET', url: `${base}/${i}`, status: 200, durationMs: 1, size: 0 });
    let history = api.activity.history(def.id);
    assert.equal(history.length, 500);
    assert.equal(history[0].url, `${base}/100`);
    await simulator('DELETE', 'requests');
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', await child(root, 'Jobs'));
    await children(await child(root, 'Jobs'));
    const sent = (await requests()).length;
    assert.ok(sent >= 1);
    history = api.activity.history(def.id);
    assert.equal(history.length, 500);
    assert.equal(pathOf(history.at(-1)!.url), '/api/jobs');
    assert.equal(history[0].url, `${base}/${100 + sent}`, 'as many of the oldest went as requests came');
  });

  it('lists a connection\u2019s requests newest first, and opens a response as it came', async () => {
    const rows = await historyRows(def.id);
    assert.equal(rows.length, 500);
    const newest = rows[0];
    assert.equal(labelOf(newest.item), 'GET /api/jobs');
    assert.match(String(newest.item.description), /^200 · \d+ ms · [\d.]+ (B|KB) · /);
    assert.equal(newest.item.contextValue, 'historyEntry.get+response');
    assert.ok(newest.item.accessibilityInformation?.label.startsWith('GET /api/jobs, 200'));
    assert.ok(rows.some((r) => labelOf(r.item) === 'GET /api/bound/599'));
    const ids = rows.map((r) => Number(/:(\d+)$/.exec(r.item.id!)![1]));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    const command = newest.item.command!;
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>(command.command, ...(command.arguments ?? []));
    assert.ok(editor);
    assert.equal(editor.document.uri.scheme, 'veeam-api');
    assert.match(editor.document.uri.path, /^\/History\/stored\/GET jobs\.xml$/);
    assert.match(editor.document.getText(), /<EntityReferences[\s>]/);
    for (const token of await tokens()) assert.ok(!editor.document.getText().includes(token));
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(editor.document.uri, Buffer.from('x'))));
  });

  it('runs a GET again with exactly one GET, recorded too, and opens its response', async () => {
    const api = await explorer();
    const [newest] = await historyRows(def.id);
    const before = api.activity.history(def.id).at(-1)!.id;
    await simulator('DELETE', 'requests');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.runAgain', newest.node);
    assert.ok(editor);
    const sent = await requests();
    assert.deepEqual(sent.map((r) => `${r.method} ${r.path}`), ['GET /api/jobs']);
    const recorded = api.activity.history(def.id).filter((e) => e.id > before);
    assert.deepEqual(recorded.map((e) => `${e.method} ${pathOf(e.url)} ${e.status}`), ['GET /api/jobs 200']);
    assert.match(editor.document.getText(), /<EntityReferences[\s>]/);
    assert.match(editor.document.uri.path, /^\/History\/jobs\.xml$/, 'the live document of the href, which Refresh can read again');
  });

  it('sends an action again only through Run Action, and says so when there is none', async () => {
    const api = await explorer();
    const url = `${new URL(em.url).origin}/api/jobs/job-1?action=start`;
    api.activity.record(def.id, { at: new Date(), method: 'POST', url, status: 202, durationMs: 3, size: 0, requestBody: '<Spec/>', requestContentType: 'application/xml' });
    const row = (await historyRows(def.id))[0];
    assert.equal(row.item.contextValue, 'historyEntry.action');
    await simulator('DELETE', 'requests');
    const runRequest = 'veeamApiExplorer.runRequest';
    const shown: string[] = [];
    const note = async (message: string) => {
      shown.push(message);
      return undefined;
    };
    if (!(await vscode.commands.getCommands(true)).includes(runRequest)) {
      // Without Run Action: a message, nothing sent.
      await answering({ showInformationMessage: note }, () => Promise.resolve(vscode.commands.executeCommand('veeamApiExplorer.runAgain', row.node)));
      assert.equal(shown.length, 1, 'it says why');
      // With it: Run Action is given the request whole.
      const given: unknown[] = [];
      const stub = vscode.commands.registerCommand(runRequest, (arg: unknown) => given.push(arg));
      try {
        await vscode.commands.executeCommand('veeamApiExplorer.runAgain', row.node);
      } finally {
        stub.dispose();
      }
      assert.deepEqual(given, [{ connectionId: def.id, request: { method: 'POST', url, body: '<Spec/>', contentType: 'application/xml' }, title: 'POST /api/jobs/job-1?action=start' }]);
    } else {
      // Run Action is there: whatever it asks, answered with Cancel, sends nothing.
      await answering({ showWarningMessage: note, showInformationMessage: note }, () => Promise.resolve(vscode.commands.executeCommand('veeamApiExplorer.runAgain', row.node)));
    }
    assert.deepEqual((await requests()).filter((r) => r.method !== 'GET'), [], 'nothing was sent');
  });

  it('keeps the history in the workspace storage without a secret in any form, reads it back, and writes nothing while off', async function () {
    this.timeout(60_000);
    const api = await explorer();
    const { store } = api.activityViews;
    assert.ok(store.file, 'the test host opens a workspace, so there is a storage folder');
    const file = store.file;
    assert.equal(fs.existsSync(file), false, 'nothing written while off');
    await setting().update('history.persist', true, vscode.ConfigurationTarget.Global);
    // A careless server repeats the session token in an error's body; a user typed the password into an action's body.
    await simulator('POST', 'faults', { kind: 'echo', path: '/api/jobs', times: 1 });
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', await child(root, 'Jobs'));
    await children(await child(root, 'Jobs'));
    const echoed = api.activity.history(def.id).at(-1)!;
    assert.ok(echoed.raw && echoed.status === 500 && /could not be processed/.test(echoed.raw.body.toString()), 'the echoing error was recorded');
    api.activity.record(def.id, {
      at: new Date(),
      method: 'POST',
      url: `${new URL(em.url).origin}/api/jobs/job-1?action=clone&secret=${encodeURIComponent(em.password)}`,
      status: 202,
      durationMs: 3,
      size: 0,
      requestBody: `<JobCloneSpec><Password>${em.password}</Password></JobCloneSpec>`,
    } satisfies Exchange);
    await store.flush();
    await waitFor(() => fs.existsSync(file), 'the history file is written', 10_000);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /\/api\/jobs/);
    assert.ok(!text.includes('JobCloneSpec'), 'no request body');
    const secrets = [em.password, ...(await tokens())];
    assert.ok(secrets.length >= 2, 'a token was seen');
    const forms = [...secrets.flatMap((s) => secretForms(s)), ...secretForms({ user: em.user, password: em.password })];
    for (const form of forms) assert.ok(!text.includes(form), `a secret (${form.slice(0, 3)}…) is in the history file`);
    assert.doesNotMatch(text, /x-restsvcsessionid|set-cookie|"authorization"/i);
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o077, 0, 'readable by this user only');

    // Read back (as at the next activation), marked as from an earlier window.
    const count = api.activity.history(def.id).length;
    api.activity.clearHistory();
    assert.equal(await store.load(), count);
    const restored = api.activity.history(def.id);
    assert.equal(restored.length, count);
    assert.ok(restored.every((e: HistoryRecord) => e.restored));
    assert.ok(restored.some((e) => pathOf(e.url) === '/api/jobs' && e.raw?.body.includes('<EntityReferences')));
    // The restored action lost its body: Run Again says so and sends nothing.
    const clone = (await historyRows(def.id)).find((r) => labelOf(r.item).startsWith('POST /api/jobs/job-1?action=clone'));
    assert.ok(clone, 'the action is listed');
    const said: string[] = [];
    await simulator('DELETE', 'requests');
    await answering({ showInformationMessage: async (m: string) => (said.push(m), undefined), showWarningMessage: async (m: string) => (said.push(m), undefined) }, () =>
      Promise.resolve(vscode.commands.executeCommand('veeamApiExplorer.runAgain', clone.node)),
    );
    assert.equal(said.length, 1);
    assert.match(said[0], /body of this request was not kept/);
    assert.deepEqual(await requests(), []);
    // A corrupt file is ignored.
    await store.flush();
    fs.writeFileSync(file, '{"format":"veeam-api-explorer.history","version":1,"connections":{"__proto__":[{"at":1}]');
    api.activity.clearHistory();
    assert.equal(await store.load(), 0);
    assert.equal(api.activity.history().length, 0);

    // Turned off: the file goes, and nothing is written any more.
    await setting().update('history.persist', false, vscode.ConfigurationTarget.Global);
    await waitFor(() => !fs.existsSync(file), 'the history file is deleted', 10_000);
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', await child(root, 'Jobs'));
    await children(await child(root, 'Jobs'));
    assert.ok(api.activity.history(def.id).length > 0);
    await store.flush();
    assert.equal(fs.existsSync(file), false, 'nothing written while off');
  });

  it('clears the history from the view\u2019s title', async () => {
    const api = await explorer();
    assert.ok(api.activity.history().length > 0);
    await vscode.commands.executeCommand('veeamApiExplorer.clearHistory');
    assert.equal(api.activity.history().length, 0);
    assert.deepEqual(api.activityViews.history.getChildren(), []);
  });

  it('shows a task with its state and percent, then its result, and opens its documents redacted', async () => {
    const api = await explorer();
    const { tasks } = api.activityViews;
    const url = `${new URL(em.url).origin}/api/jobs/job-1?action=start`;
    const record: TaskRecord = api.activity.addTask({ connectionId: def.id, title: "Start Job 'Nightly'", request: { method: 'POST', url } });
    const row = () => {
      const node = tasks.getChildren().find((n: TasksNode) => tasks.getTreeItem(n).id === `task:${record.id}`);
      assert.ok(node, 'the task is listed');
      return { node, item: tasks.getTreeItem(node) };
    };
    assert.equal(labelOf(tasks.getTreeItem(tasks.getChildren()[0])), "Start Job 'Nightly'", 'newest first');
    assert.equal(row().item.description, 'sending…');
    const accepted = response(`<Task Href="${url}"><State>Running</State><Echo>${em.password}</Echo></Task>`, 202, url);
    const reading = response('<Task><State>Running</State><Progress>42</Progress></Task>');
    api.activity.updateTask(record, { state: 'running', response: accepted, progress: { state: 'running', status: 'Running', percent: 42, message: 'line one\nline two\u202e', raw: reading } });
    let { node, item } = row();
    assert.equal(item.description, 'Running · 42%');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'sync~spin');
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.ok(tooltip.includes('History') && tooltip.includes('POST') && tooltip.includes('job-1'), tooltip);
    assert.ok(!tooltip.includes('\u202e'), 'the server\u2019s message is sanitised');
    assert.deepEqual(tasks.getChildren(node).map((n) => labelOf(tasks.getTreeItem(n))), ['Response', 'Latest Task Document']);

    const final = response('<Task><State>Finished</State><Result Success="true"/></Task>');
    api.activity.updateTask(record, { state: 'succeeded', endedAt: new Date(), outcome: { state: 'succeeded', status: 'Finished', raw: final, result: response('{"result":"done"}', 200, undefined, 'application/json') } });
    ({ node, item } = row());
    assert.match(String(item.description), /^succeeded · /);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    const documents = tasks.getChildren(node);
    assert.deepEqual(documents.map((n) => labelOf(tasks.getTreeItem(n))), ['Response', 'Final Task Document', 'Result']);
    const texts: string[] = [];
    for (const doc of documents) {
      const command = tasks.getTreeItem(doc).command!;
      const editor = await vscode.commands.executeCommand<vscode.TextEditor>(command.command, ...(command.arguments ?? []));
      assert.ok(editor && editor.document.uri.scheme === 'veeam-api');
      texts.push(editor.document.getText());
    }
    assert.ok(texts[0].includes('<redacted>'), 'the connection\u2019s password is redacted in a stored response');
    assert.ok(!texts.join('\n').includes(em.password));
    assert.match(texts[1], /<State>Finished<\/State>/);
    assert.match(texts[2], /"result": "done"/);

    // Rendered as the other raw documents: the status line and headers when asked for.
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openTaskDocument', documents[0]);
    assert.ok(editor);
    assert.doesNotMatch(editor.document.getText(), /HTTP 202/);
    await vscode.commands.executeCommand('veeamApiExplorer.toggleRawHeaders');
    await waitFor(() => /HTTP 202 Accepted/.test(editor.document.getText()), 'the headers are shown', 15_000, 100);
    await vscode.commands.executeCommand('veeamApiExplorer.toggleRawHeaders');
  });
});
