import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../../src/api';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { child, children, contextOf, explorer, labelOf, loggedOnConnection, removeAllConnections, requests, resetSimulator, simulator } from './explorer-fixture';

const setting = () => vscode.workspace.getConfiguration('veeamApiExplorer');

async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Waits until the document's text satisfies the check (a changed file reloads asynchronously): for as long as a busy
 * machine needs, up to 30 s, which only a document that never reloads reaches.
 */
async function waitForText(document: vscode.TextDocument, check: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (!check(document.getText())) {
    if (Date.now() >= deadline) assert.fail(`${what} within 30 s; the document holds:\n${document.getText().slice(0, 600)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return document.getText();
}

describe('raw responses', () => {
  let def: ConnectionDefinition;
  let root: ExplorerNode;
  let token: string | undefined;

  before(async () => {
    await removeAllConnections();
    await resetSimulator();
    await setting().update('rawResponse.showHeaders', undefined, vscode.ConfigurationTarget.Global);
    ({ def, node: root } = await loggedOnConnection({ name: 'Raw' }));
    await children(await child(root, 'Jobs'));
    token = (await requests()).map((r) => r.headers['x-restsvcsessionid']).find(Boolean);
    assert.ok(token, 'no request carried the session token');
  });
  after(async () => {
    await closeEditors();
    await setting().update('rawResponse.showHeaders', undefined, vscode.ConfigurationTarget.Global);
    await removeAllConnections();
    await resetSimulator();
  });

  it('opens what the tree fetched in a read-only XML editor without fetching it again', async () => {
    const jobs = await child(root, 'Jobs');
    await children(jobs);
    await simulator('DELETE', 'requests');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', jobs);
    assert.ok(editor);
    const doc = editor.document;
    assert.equal(doc.uri.scheme, 'veeam-api');
    assert.equal(doc.languageId, 'xml');
    assert.match(doc.uri.path, /^\/Raw\/Jobs \(JobReferenceList\)\.xml$/);
    assert.match(doc.getText(), /<EntityReferences[\s>]/);
    assert.match(doc.getText(), /\n {2,}<Ref /, 'the body is pretty-printed');
    assert.ok(!doc.getText().includes(token!));
    assert.equal((await requests()).length, 0, 'opening sent a request');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(doc.uri, Buffer.from('x'))));
    assert.equal(vscode.workspace.fs.isWritableFileSystem('veeam-api'), false);
  });

  it('opens a 20 MB response as received (too large to indent), the same bytes the server sent', async function () {
    // A bound for a hang, not for speed: the body is large, and a busy machine reads it slowly.
    this.timeout(120_000);
    const backups = await child(root, 'Backups');
    await simulator('POST', 'faults', { kind: 'huge', path: '/api/backups', sizeBytes: 20 * 1024 * 1024, times: 1 });
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', backups);
    const rows = await children(backups);
    assert.ok(rows.length > 500, `${rows.length} rows`);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', backups);
    assert.ok(editor);
    const text = editor.document.getText();
    assert.equal(Buffer.byteLength(text), 20 * 1024 * 1024, 'the document is the body, byte for byte');
    assert.ok(text.startsWith('<?xml') && text.trimEnd().endsWith('</EntityReferences>'));
    assert.ok(!/\n {2,}<Ref /.test(text.slice(0, 4096)), 'not indented');
    await closeEditors();
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', backups);
  });

  it('opens a response the tree has not fetched, titled by name and type', async () => {
    const ref = (await children(await child(root, 'Jobs')))[0];
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', ref);
    assert.ok(editor);
    assert.equal(editor.document.uri.path, `/Raw/${labelOf(ref)} (JobReference).xml`);
    assert.match(editor.document.getText(), /Type="JobReference"/);
  });

  it('shows the logon’s own answer for the connection, and adds its status line and redacted headers when asked', async function () {
    this.timeout(90_000); // two waits for the document to reload
    await simulator('DELETE', 'requests');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', root);
    assert.ok(editor);
    assert.equal((await requests()).length, 0, 'opening the logon response sent a request');
    const doc = editor.document;
    assert.match(doc.getText(), /<LogonSession /);
    assert.ok(!doc.getText().includes('HTTP 201'));
    assert.equal(await vscode.commands.executeCommand('veeamApiExplorer.toggleRawHeaders'), true);
    const text = await waitForText(doc, (t) => t.includes('HTTP 201'), 'the headers did not appear');
    assert.match(text, /^<\?xml[^>]*\?>\n<!--\n {2}POST https:\/\/\S+\/api\/sessionMngr\//);
    assert.match(text, /x-restsvcsessionid: <redacted>/i);
    assert.match(text, /set-cookie: X-RestSvcSessionId=<redacted>/i);
    assert.ok(!text.includes(token!), 'the token is in the document');
    assert.equal(await vscode.commands.executeCommand('veeamApiExplorer.toggleRawHeaders'), false);
    await waitForText(doc, (t) => !t.includes('HTTP 201'), 'the headers did not go');
  });

  it('refreshes an open document with a new GET', async () => {
    const backups = await child(root, 'Backups');
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', backups);
    assert.ok(editor);
    await simulator('DELETE', 'requests');
    await vscode.commands.executeCommand('veeamApiExplorer.refreshRawResponse', editor.document.uri);
    assert.deepEqual((await requests()).map((r) => `${r.method} ${r.path}`), ['GET /api/backups']);
  });

  it('switches the connection to JSON: the tree reloads and raw responses are JSON', async function () {
    this.timeout(90_000); // two waits for the document to reload
    const api = await explorer();
    assert.equal(await vscode.commands.executeCommand('veeamApiExplorer.switchRepresentation', def.id), 'json');
    assert.equal(api.connections.get(def.id)?.representation, 'json');
    assert.equal(api.sessions.state(def.id), 'loggedOn');
    const jobs = await child(root, 'Jobs');
    const refs = await children(jobs);
    assert.ok(refs.length > 0 && refs.every((r) => contextOf(r) === 'resource+href'));
    const last = (await requests()).filter((r) => r.path === '/api/jobs').at(-1);
    assert.match(last?.headers.accept ?? '', /application\/json/);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', jobs);
    assert.ok(editor);
    assert.equal(editor.document.languageId, 'json');
    assert.ok(editor.document.uri.path.endsWith('.json'));
    assert.ok(Array.isArray((JSON.parse(editor.document.getText()) as { Refs: unknown }).Refs));
    // Headers above JSON are // comments: the document becomes JSON with Comments while they show.
    await vscode.commands.executeCommand('veeamApiExplorer.toggleRawHeaders');
    await waitForText(editor.document, (t) => t.startsWith('// GET '), 'no header comments above the JSON');
    assert.equal(editor.document.languageId, 'jsonc');
    await vscode.commands.executeCommand('veeamApiExplorer.toggleRawHeaders');
    await waitForText(editor.document, (t) => t.startsWith('{'), 'the header comments stayed');
    assert.equal(editor.document.languageId, 'json');
    assert.equal(await vscode.commands.executeCommand('veeamApiExplorer.switchRepresentation', def.id), 'xml');
    assert.equal(api.connections.get(def.id)?.representation, undefined, 'XML, the default, is not written to settings');
  });

  it('does not log on by itself to read a document of a logged-off connection', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', await child(root, 'Repositories'));
    assert.ok(editor);
    const uri = editor.document.uri;
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
    await simulator('DELETE', 'requests');
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(uri)), /Log on to Raw/);
    assert.deepEqual(await requests(), []);
  });
});
