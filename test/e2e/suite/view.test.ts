import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, children, explorer, removeAllConnections } from './explorer-fixture';

describe('the Veeam API Explorer view', () => {
  before(removeAllConnections);

  it('activates and registers every command', async () => {
    await explorer();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    const commands = await vscode.commands.getCommands(true);
    for (const id of [
      'addConnection', 'editConnection', 'removeConnection', 'logOn', 'logOff', 'refresh', 'refreshNode', 'openRawResponse',
      'copyHref', 'copyAsCurl', 'switchRepresentation', 'toggleRawHeaders', 'refreshRawResponse', 'retry', 'showMore',
    ]) {
      assert.ok(commands.includes(`veeamApiExplorer.${id}`), `veeamApiExplorer.${id} is not registered`);
    }
  });

  it('registers a handler for every command package.json declares', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: Array<{ command: string }> } };
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const { command } of pkg.contributes.commands) assert.ok(registered.has(command), `${command} has no handler`);
  });

  it('contributes an activity-bar container and a Connections view with a welcome', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
      contributes: { viewsContainers: { activitybar: Array<{ id: string; icon: string }> }; views: Record<string, Array<{ id: string; contextualTitle?: string; icon?: string }>>; viewsWelcome: Array<{ view: string; contents: string }> };
    };
    const container = pkg.contributes.viewsContainers.activitybar[0];
    assert.match(container.icon, /^media\/.+\.svg$/);
    const view = pkg.contributes.views[container.id][0];
    assert.equal(view.id, 'veeamApiExplorer.connections');
    assert.ok(view.contextualTitle && view.icon);
    assert.ok(pkg.contributes.viewsWelcome.some((w) => w.view === view.id && w.contents.includes('command:veeamApiExplorer.addConnection')));
  });

  it('is empty without connections, so the welcome shows', async () => {
    assert.deepEqual(await children(), []);
  });

  it('opens from the command palette', async () => {
    await vscode.commands.executeCommand('veeamApiExplorer.connections.focus');
  });
});
