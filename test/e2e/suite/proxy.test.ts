// VS Code's proxy settings reach the extension's connections: http.proxy (through a local CONNECT proxy),
// http.noProxy, and a connection's "proxy": "direct".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LogonInfo } from '../../../src/api';
import { TestProxy } from '../../simulator/proxy';
import { NamingProxy } from '../../unit/naming-proxy';
import { addConnection, answering, em, explorer, removeAllConnections, requests, resetSimulator } from './explorer-fixture';

const http = () => vscode.workspace.getConfiguration('http');

describe('proxy settings', () => {
  let proxy: TestProxy;
  const emHost = () => new URL(em.url).host;

  before(async () => {
    await removeAllConnections();
    await resetSimulator();
    proxy = await TestProxy.start();
  });
  after(async () => {
    await http().update('proxy', undefined, vscode.ConfigurationTarget.Global);
    await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
    await removeAllConnections();
    await proxy.close();
  });
  beforeEach(() => proxy.clear());

  it('logs on through http.proxy, and the proxy sees only a tunnel to the server', async () => {
    await http().update('proxy', proxy.url(), vscode.ConfigurationTarget.Global);
    const def = await addConnection({ name: 'Via proxy' });
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id), 'Log On through the proxy failed');
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
    assert.ok(proxy.connects.length >= 1, 'the proxy was not used');
    assert.ok(proxy.connects.every((c) => c.target === emHost() && c.status === 200));
    const token = (await requests()).map((r) => r.headers['x-restsvcsessionid']).find(Boolean);
    assert.ok(token, 'the server got the session');
    assert.ok(!proxy.carriedText().includes(token) && !proxy.carriedText().includes(em.password), 'the proxy could read a secret');
  });

  it('goes direct for a host in http.noProxy, and for a connection set to "direct"', async () => {
    await http().update('proxy', proxy.url(), vscode.ConfigurationTarget.Global);
    const direct = await addConnection({ name: 'Direct', proxy: 'direct' });
    assert.equal(direct.proxy, 'direct', 'the connection keeps its proxy choice');
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', direct.id));
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', direct.id);
    assert.equal(proxy.connects.length, 0);

    await http().update('noProxy', [new URL(em.url).hostname], vscode.ConfigurationTarget.Global);
    const listed = await addConnection({ name: 'Listed' });
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', listed.id));
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', listed.id);
    assert.equal(proxy.connects.length, 0);
  });

  it('asks to trust the certificate read through the proxy, for a server only the proxy can reach', async () => {
    // The host name resolves nowhere but in the proxy: a certificate shown to the user came through the tunnel.
    const hidden = 'em.behind-the-proxy.test';
    const naming = await NamingProxy.start({ [hidden]: new URL(em.url).hostname });
    try {
      await http().update('proxy', naming.url(), vscode.ConfigurationTarget.Global);
      await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
      const def = await addConnection({ name: 'Behind the proxy', url: `https://${hidden}:${new URL(em.url).port}/api/`, caFile: undefined });
      const asked: string[] = [];
      const info = await answering(
        {
          showWarningMessage: async (_message, options, ...items) => {
            asked.push(options.detail ?? '');
            return items[0];
          },
        },
        () => Promise.resolve(vscode.commands.executeCommand<LogonInfo>('veeamApiExplorer.logOn', def.id)),
      );
      assert.equal(asked.length, 1, 'the user was not asked to trust the certificate');
      const normalized = (fp: string) => fp.replace(/[^0-9a-f]/gi, '').toUpperCase();
      assert.ok(normalized(asked[0]).includes(normalized(em.fingerprint)), `the question does not show the server's fingerprint: ${asked[0]}`);
      assert.ok(info, 'no logon after trusting the certificate');
      const api = await explorer();
      assert.equal(normalized(api.connections.get(def.id)?.trustedFingerprint ?? ''), normalized(em.fingerprint));
      await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
      assert.ok(naming.connects.length >= 2, 'the refused logon and the trusted one both went through the proxy');
      assert.ok(naming.connects.every((c) => c.target === `${hidden}:${new URL(em.url).port}` && c.status === 200), JSON.stringify(naming.connects));
    } finally {
      await naming.close();
    }
  });

  it('says so when the proxy cannot be reached, naming the setting', async () => {
    const closed = await TestProxy.start();
    const url = closed.url();
    await closed.close();
    await http().update('proxy', url, vscode.ConfigurationTarget.Global);
    await http().update('noProxy', undefined, vscode.ConfigurationTarget.Global);
    const def = await addConnection({ name: 'Dead proxy' });
    assert.equal(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id), undefined);
    const api = await explorer();
    assert.equal(api.sessions.state(def.id), 'loggedOff');
    await assert.rejects(api.sessions.logOn(def.id), (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'network');
      assert.match(err.message, /proxy http:\/\/127\.0\.0\.1:\d+ \(http\.proxy\) cannot be reached: ECONNREFUSED/);
      return true;
    });
  });
});
