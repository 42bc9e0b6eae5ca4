// A hand-edited connection with an http:// URL: refused at Log On (the row says why) unless veeamApiExplorer.allowHttp
// is on; then it logs on, and each logon over http:// is a warning in the log.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../../src/api';
import { em, explorer, logOnTyping, item, labelOf, children, logOnceItHolds, removeAllConnections, resetSimulator } from './explorer-fixture';

const config = () => vscode.workspace.getConfiguration('veeamApiExplorer');

/**
 * A plain-HTTP front for the HTTPS simulator, as an old lab server without TLS would be: it records every request
 * (with its headers) and passes it on.
 */
async function cleartextFront(): Promise<{ url: string; seen: http.IncomingHttpHeaders[]; close(): Promise<void> }> {
  const target = new URL(em.url);
  const ca = fs.readFileSync(em.caFile, 'utf8');
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    const upstream = https.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host }, ca },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
    seen,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe('connections over http://', () => {
  let front: Awaited<ReturnType<typeof cleartextFront>>;
  let def: ConnectionDefinition;

  before(async () => {
    await removeAllConnections();
    await resetSimulator();
    front = await cleartextFront();
    // As a user would write it by hand: the add and edit commands only make https:// URLs.
    def = { id: 'cleartext-1', kind: 'em', name: 'Plain HTTP', url: front.url, username: em.user, storePassword: false };
    await config().update('connections', [def], vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await config().update('allowHttp', undefined, vscode.ConfigurationTarget.Global);
    await removeAllConnections();
    await front.close();
  });

  const row = async () => {
    const node = (await children()).find((n) => labelOf(n) === def.name);
    assert.ok(node, 'no row for the connection');
    const tree = item(node);
    const tooltip = typeof tree.tooltip === 'string' ? tree.tooltip : (tree.tooltip?.value ?? '');
    return { description: String(tree.description ?? ''), tooltip };
  };

  it('refuses to log on, says why on Log On and on its row, and sends nothing', async () => {
    const api = await explorer();
    const before = await row();
    assert.equal(await logOnTyping(def.id, em.password), undefined, 'logged on over http://');
    await assert.rejects(api.sessions.logOn(def.id), (err: Error & { kind?: string; hint?: string }) => {
      assert.equal(err.kind, 'usage');
      assert.match(err.message, /"Plain HTTP" uses http:\/\/, which would send the password and the session token across the network in clear/);
      assert.match(err.hint ?? '', /veeamApiExplorer\.allowHttp/);
      return true;
    });
    assert.equal(api.sessions.state(def.id), 'loggedOff');
    assert.equal(front.seen.length, 0, 'a request went out over http://');
    // The row said so before the Log On, and still does.
    assert.match(before.description, /refused: http:\/\/ would send the password in clear/);
    assert.match(before.tooltip, /allowHttp/);
    assert.match((await row()).description, /refused: http:\/\//);
    assert.equal(config().get('allowHttp'), false, 'allowHttp is off by default');
  });

  it('with veeamApiExplorer.allowHttp on, logs on and logs a warning; turned off again, the session is dropped', async () => {
    const api = await explorer();
    await config().update('allowHttp', true, vscode.ConfigurationTarget.Global);
    assert.doesNotMatch((await row()).description, /refused/);
    const info = await logOnTyping(def.id, em.password);
    assert.ok(info, 'no logon over http:// with allowHttp on');
    assert.equal(api.sessions.state(def.id), 'loggedOn');
    assert.ok(front.seen.some((h) => /^Basic /.test(String(h.authorization))), 'the logon did not go through the http:// front');
    await logOnceItHolds(api.logUri, /Plain HTTP: logged on over http:\/\/ \(veeamApiExplorer\.allowHttp is on\): the password and the session token crossed the network unencrypted/);

    await config().update('allowHttp', false, vscode.ConfigurationTarget.Global);
    await assert.rejects(api.sessions.get(def.id, front.url), /uses http:\/\//);
    assert.equal(api.sessions.state(def.id), 'loggedOff');
    assert.match((await row()).description, /refused: http:\/\//);
  });
});
