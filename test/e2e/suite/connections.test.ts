import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { addConnection, answering, guidedAnswers, connectionNode, contextOf, em, explorer, item, removeAllConnections } from './explorer-fixture';

const settingText = () => JSON.stringify(vscode.workspace.getConfiguration('veeamApiExplorer').inspect('connections')?.globalValue ?? []);

describe('connections', () => {
  before(removeAllConnections);
  after(removeAllConnections);

  it('adds a connection to the user settings without its password, which goes to secret storage', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'Lab EM', url: new URL(em.url).host });
    assert.equal(def.url, em.url, 'a bare host:port is completed with https and /api/');
    assert.deepEqual(api.connections.get(def.id), def);
    assert.ok(settingText().includes(def.id));
    assert.ok(!settingText().includes(em.password), 'the password is in settings');
    assert.equal(await api.connections.storedPassword(def), em.password);
  });

  it('shows the connection logged off, with kind, URL and a context value for its menus', async () => {
    const api = await explorer();
    const def = api.connections.all().find((c) => c.name === 'Lab EM')!;
    const node = await connectionNode(def);
    const tree = item(node);
    assert.equal(tree.description, 'EM · logged off');
    assert.equal(contextOf(node), 'connection.em.loggedOff');
    assert.ok((tree.tooltip as vscode.MarkdownString).value.replace(/\\/g, '').includes(em.url), 'the tooltip shows the URL');
    assert.equal(tree.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.ok(tree.accessibilityInformation?.label.includes('Lab EM'));
  });

  it('edits a connection, keeping what was not changed', async () => {
    const api = await explorer();
    const def = api.connections.all().find((c) => c.name === 'Lab EM')!;
    const edited = await answering({ guided: guidedAnswers({ name: 'Lab EM (renamed)' }) }, () =>
      Promise.resolve(vscode.commands.executeCommand<typeof def>('veeamApiExplorer.editConnection', def.id)),
    );
    assert.equal(edited?.name, 'Lab EM (renamed)');
    assert.equal(api.connections.get(def.id)?.url, def.url);
    assert.equal(await api.connections.storedPassword(def), em.password);
    await connectionNode(edited!);
  });

  it('does not store a password the user chose not to store', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'Ask each time', storePassword: false });
    assert.equal(def.storePassword, false);
    assert.equal(await api.connections.storedPassword(def), undefined);
    assert.ok(!settingText().includes(em.password));
  });

  it('refuses a URL that is not https', async () => {
    await assert.rejects(
      answering({ guided: guidedAnswers({ kind: 'em', name: 'Plain', url: 'http://em.example.com', username: 'u' }) }, () => Promise.resolve(vscode.commands.executeCommand('veeamApiExplorer.addConnection'))),
      /https/,
    );
  });

  it('keeps a connection when the user does not confirm its removal', async () => {
    const api = await explorer();
    const def = api.connections.all().find((c) => c.name === 'Lab EM (renamed)')!;
    const removed = await answering({ showWarningMessage: async () => undefined }, () => Promise.resolve(vscode.commands.executeCommand('veeamApiExplorer.removeConnection', def.id)));
    assert.equal(removed, false);
    assert.ok(api.connections.get(def.id));
  });

  it('removes a connection and its stored password once confirmed', async () => {
    const api = await explorer();
    const def = api.connections.all().find((c) => c.name === 'Lab EM (renamed)')!;
    let question = '';
    const removed = await answering(
      {
        showWarningMessage: async (message, options, ...items) => {
          question = `${message} ${options.modal}`;
          return items[0];
        },
      },
      () => Promise.resolve(vscode.commands.executeCommand('veeamApiExplorer.removeConnection', def.id)),
    );
    assert.equal(question, 'Remove the connection "Lab EM (renamed)"? true');
    assert.equal(removed, true);
    assert.equal(api.connections.get(def.id), undefined);
    assert.ok(!settingText().includes(def.id));
    assert.equal(await api.connections.storedPassword({ ...def, storePassword: undefined }), undefined);
  });
});
