import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LogonInfo } from '../../../src/api';
import { addConnection, answering, logOnTyping, child, children, connectionNode, contextOf, em, explorer, item, labelOf, loggedOnConnection, removeAllConnections, requests, resetSimulator, simulator } from './explorer-fixture';

describe('log on and off', () => {
  before(async () => {
    await removeAllConnections();
    await resetSimulator();
  });
  after(async () => {
    await removeAllConnections();
    await resetSimulator();
  });

  it('offers "Log on…" under a logged-off connection instead of logging on by itself', async () => {
    const def = await addConnection({ name: 'Logged off' });
    const node = await connectionNode(def);
    const [only, ...rest] = await children(node);
    assert.equal(rest.length, 0);
    assert.equal(labelOf(only), 'Log on…');
    assert.equal(item(only).command?.command, 'veeamApiExplorer.logOn');
    assert.deepEqual((await requests()).filter((r) => r.method === 'POST'), [], 'expanding logged on');
  });

  it('logs on: the connection shows the user and API version and the LogonSession links', async () => {
    const api = await explorer();
    const def = api.connections.all().find((c) => c.name === 'Logged off')!;
    const info = await vscode.commands.executeCommand<LogonInfo>('veeamApiExplorer.logOn', def.id);
    assert.ok(info);
    assert.equal(api.sessions.state(def.id), 'loggedOn');
    const node = await connectionNode(def);
    assert.match(String(item(node).description), /^EM · .+ · API v1_7$/);
    assert.equal(contextOf(node), 'connection.em.loggedOn+href');
    const labels = (await children(node)).map(labelOf);
    for (const expected of ['Backup Servers', 'Jobs', 'Repositories', 'Backups', 'Restore Points', 'VM Restore Points', 'Summary', 'NAS Jobs', 'Agent Jobs']) {
      assert.ok(labels.includes(expected), `no ${expected} in ${labels.join(', ')}`);
    }
    assert.ok(!labels.includes('Enterprise Manager'), 'the Up link is shown');
    const logons = (await requests()).filter((r) => r.method === 'POST');
    assert.equal(logons.length, 1);
    assert.match(logons[0].path, /^\/api\/sessionMngr\//);
  });

  it('logs on again by itself when the session expired, and keeps the tree', async () => {
    const api = await explorer();
    const def = api.connections.all().find((c) => c.name === 'Logged off')!;
    const node = await connectionNode(def);
    const jobs = await child(node, 'Jobs');
    await simulator('POST', 'expire');
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', jobs);
    const refs = await children(jobs);
    assert.ok(refs.length > 0 && refs.every((r) => contextOf(r) === 'resource+href'), refs.map(labelOf).join(', '));
    assert.equal(api.sessions.state(def.id), 'loggedOn');
    assert.equal((await requests()).filter((r) => r.method === 'POST' && r.path.startsWith('/api/sessionMngr')).length, 2);
    assert.equal(await child(node, 'Jobs'), jobs, 'the connection\u2019s children were rebuilt');
  });

  it('logs off: the session is deleted on the server and "Log on…" is back', async () => {
    const api = await explorer();
    const def = api.connections.all().find((c) => c.name === 'Logged off')!;
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
    assert.equal(api.sessions.state(def.id), 'loggedOff');
    const deletes = (await requests()).filter((r) => r.method === 'DELETE');
    assert.equal(deletes.length, 1);
    assert.match(deletes[0].path, /^\/api\/logonSessions\//);
    const node = await connectionNode(def);
    assert.equal(item(node).description, 'EM · logged off');
    assert.deepEqual((await children(node)).map(labelOf), ['Log on…']);
  });

  it('says so when the password is wrong, and stays logged off', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'Wrong password', password: 'not-the-password' });
    const shown: Array<{ message: string; items: string[] }> = [];
    const info = await answering(
      {
        showErrorMessage: async (message, ...items) => {
          shown.push({ message, items });
          return undefined;
        },
      },
      () => Promise.resolve(vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id)),
    );
    assert.equal(info, undefined);
    assert.equal(shown.length, 1, 'one error notification');
    assert.match(shown[0].message, /^Wrong password: Enterprise Manager refused the logon of .+\. Check the user name and password/);
    assert.deepEqual(shown[0].items, ['Edit Connection', 'Show Log']);
    assert.equal(api.sessions.state(def.id), 'loggedOff');
    await assert.rejects(api.sessions.logOn(def.id), (err: Error & { kind?: string }) => err.kind === 'auth');
  });

  it('uses a password typed but not stored for the first Log On only', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'Not stored', storePassword: false });
    assert.equal(await api.connections.storedPassword(def), undefined);
    const info = await vscode.commands.executeCommand<LogonInfo>('veeamApiExplorer.logOn', def.id);
    assert.ok(info, 'the password given when adding was not used');
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
    const again = await logOnTyping<LogonInfo>(def.id, em.password);
    assert.ok(again, 'a password given to Log On was not used');
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
  });

  it('asks for a password that is not stored at each logon, also the one after an expiry', async () => {
    const def = await addConnection({ name: 'Asks each time', storePassword: false, password: undefined });
    const prompts: string[] = [];
    await answering(
      {
        showInputBox: async (options) => {
          prompts.push(`${options.title} ${options.password}`);
          return em.password;
        },
      },
      async () => {
        assert.ok(await vscode.commands.executeCommand<LogonInfo>('veeamApiExplorer.logOn', def.id));
        const jobs = await child(await connectionNode(def), 'Jobs');
        await simulator('POST', 'expire');
        assert.ok((await children(jobs)).every((n) => contextOf(n) === 'resource+href'));
      },
    );
    assert.deepEqual(prompts, ['Log on to Asks each time true', 'Log on to Asks each time true']);
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
  });

  it('asks once for a password that should be stored but is not, and stores it only after a good logon', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'Asks once', password: undefined });
    assert.equal(await api.connections.storedPassword(def), undefined);
    const answers = ['not-the-password', em.password];
    const prompts: string[] = [];
    await answering(
      {
        showInputBox: async (options) => {
          prompts.push(String(options.title));
          return answers.shift();
        },
      },
      async () => {
        assert.equal(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id), undefined, 'the wrong password fails');
        assert.equal(await api.connections.storedPassword(def), undefined, 'a password that failed is not stored');
        assert.ok(await vscode.commands.executeCommand<LogonInfo>('veeamApiExplorer.logOn', def.id));
        assert.equal(await api.connections.storedPassword(def), em.password, 'the password that worked is stored');
        await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
        assert.ok(await vscode.commands.executeCommand<LogonInfo>('veeamApiExplorer.logOn', def.id));
      },
    );
    assert.equal(prompts.length, 2, 'asked for the two first logons, not for the third');
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
  });

  it('from the palette, asks which connection to log on to', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'Picked from the palette' });
    let offered: string[] = [];
    const info = await answering(
      {
        showQuickPick: async (items) => {
          offered = items.map((i) => i.label);
          return items.find((i) => i.label === def.name);
        },
      },
      () => Promise.resolve(vscode.commands.executeCommand<LogonInfo>('veeamApiExplorer.logOn')),
    );
    assert.ok(info);
    assert.ok(offered.length > 1 && offered.includes(def.name));
    assert.equal(api.sessions.state(def.id), 'loggedOn');
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
  });

  it('logs every session off on deactivation', async () => {
    const api = await explorer();
    const { def } = await loggedOnConnection({ name: 'Closing' });
    await simulator('DELETE', 'requests');
    await api.sessions.logOffAll(3000);
    assert.equal((await requests()).filter((r) => r.method === 'DELETE').length, 1);
    assert.equal(api.sessions.state(def.id), 'loggedOff');
  });

  it('gives up logging off at its bound when the server does not answer', async () => {
    const api = await explorer();
    const { def } = await loggedOnConnection({ name: 'Closing on a silent server' });
    await simulator('DELETE', 'requests');
    // The server takes the DELETE and never answers: only logOffAll's own bound ends it before the request timeout (30 s).
    await simulator('POST', 'faults', { kind: 'hang', path: '/api/logonSessions' });
    try {
      const started = Date.now();
      await api.sessions.logOffAll(3000);
      const took = Date.now() - started;
      assert.ok(took < 15_000, `logOffAll(3000) took ${took} ms: the 3 s bound did not end the unanswered logoff`);
    } finally {
      await simulator('DELETE', 'faults');
    }
    assert.equal((await requests()).filter((r) => r.method === 'DELETE').length, 1, 'the logoff was sent');
    assert.equal(api.sessions.state(def.id), 'loggedOff');
  });
});
