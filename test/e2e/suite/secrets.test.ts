// Issue #5 "Secrets": a whole session of both APIs, then everything the extension wrote (its log file, every raw
// document, the clipboard, the messages it showed, the settings, what its Copilot Chat tools answered) is searched
// for the passwords and tokens.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../../src/api';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { addConnection, answering, confirming, child, children, em, explorer, logOnceItHolds, removeAllConnections, requests, resetSimulator, simulator, simulatorControl, type SimulatorRequest } from './explorer-fixture';

const vspcUrl = () => process.env.VEEAM_TEST_VSPC_URL!;
const vspcUser = () => process.env.VEEAM_TEST_VSPC_USER!;
const vspcPassword = () => process.env.VEEAM_TEST_VSPC_PASSWORD!;
const vspcRequests = () => simulatorControl(vspcUrl(), 'GET', 'requests') as Promise<SimulatorRequest[]>;

describe('secrets stay secret', () => {
  const shown: string[] = [];
  let emDef: ConnectionDefinition;
  let vspcDef: ConnectionDefinition;

  before(async () => {
    await removeAllConnections();
    await resetSimulator();
    await simulatorControl(vspcUrl(), 'DELETE', 'requests');
    await vscode.workspace.getConfiguration('veeamApiExplorer').update('rawResponse.showHeaders', true, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('veeamApiExplorer').update('rawResponse.showHeaders', undefined, vscode.ConfigurationTarget.Global);
    await removeAllConnections();
    await resetSimulator();
    await simulatorControl(vspcUrl(), 'DELETE', 'faults');
  });

  it('a full session of both APIs writes neither password nor any token anywhere', async function () {
    this.timeout(120_000);
    const api = await explorer();
    const record = async (message: string): Promise<string | undefined> => {
      shown.push(message);
      return undefined;
    };
    await answering({ showWarningMessage: record, showInputBox: async () => undefined }, async () => {
      emDef = await addConnection({ name: 'Secret EM' });
      vspcDef = await addConnection({ kind: 'vspc', name: 'Secret VSPC', url: vspcUrl(), username: vspcUser(), password: vspcPassword(), caFile: undefined, trustedFingerprint: em.fingerprint });
      const opened: vscode.TextEditor[] = [];
      for (const def of [emDef, vspcDef]) {
        assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id), `Log On of ${def.name}`);
        const root = await child(undefined, def.name);
        opened.push((await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', root))!);
        const walk = async (node: ExplorerNode, depth: number) => {
          const list = (await children(node)).slice(0, 3);
          for (const c of list) {
            const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', c).then(undefined, () => undefined);
            if (editor) opened.push(editor);
            await vscode.commands.executeCommand('veeamApiExplorer.copyAsCurl', c).then(undefined, () => undefined);
            shown.push(await vscode.env.clipboard.readText());
            if (depth > 0) await walk(c, depth - 1);
          }
        };
        await walk(root, 1);
      }
      // An expiry (a new logon), a refresh of the tokens, and a failed logon with a wrong password.
      await simulator('POST', 'faults', { kind: 'expire', times: 1 });
      await children(await child(await child(undefined, 'Secret EM'), 'Jobs'));
      await simulatorControl(vspcUrl(), 'POST', 'faults', { kind: 'expire', times: 1 });
      await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', await child(undefined, 'Secret VSPC'));
      await children(await child(undefined, 'Secret VSPC'));
      // A careless server that repeats the session token and the password in its errors (raw, percent-encoded,
      // base64): what the tree, the messages and the log show of them is redacted.
      const treeText = (node: ExplorerNode) => {
        const item = node.getTreeItem();
        const tooltip = item.tooltip instanceof vscode.MarkdownString ? item.tooltip.value : String(item.tooltip ?? '');
        return [typeof item.label === 'string' ? item.label : item.label?.label, item.description, tooltip].join(' | ');
      };
      await simulator('POST', 'faults', { kind: 'echo', path: '/api/jobs', times: 1 });
      const jobs = await child(await child(undefined, 'Secret EM'), 'Jobs');
      await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', jobs);
      const echoed = (await children(jobs)).map(treeText).join('\n');
      assert.match(echoed, /could not be processed: <redacted>/, `the echoing error was shown, redacted: ${echoed}`);
      shown.push(echoed);
      // Copilot Chat's tools (#15): what each answers the model, an echoing error included, is searched too.
      const tool = async (name: string, input: object) => {
        const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
        const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
        shown.push(text);
        return text;
      };
      await tool('veeam_listConnections', {});
      for (const [connection, url] of [['Secret EM', '/api/'], ['Secret EM', '/api/logonSessions'], ['Secret VSPC', '/api/v3/users/me'], ['Secret VSPC', '/api/v3/organizations/companies']]) {
        assert.match(await tool('veeam_get', { connection, url }), /Status: 200/, `veeam_get ${url}`);
      }
      await tool('veeam_findItems', { connection: 'Secret VSPC', collection: '/api/v3/organizations/companies', name: 'a' });
      await tool('veeam_findItems', { connection: 'Secret EM', collection: 'Job', name: 'Backup' });
      await tool('veeam_describe', { connection: 'Secret EM', path: '/api/' });
      await tool('veeam_describe', { connection: 'Secret VSPC', path: '/api/v3/users/me' });
      await simulator('POST', 'faults', { kind: 'echo', path: '/api/backups', times: 1 });
      assert.match(await tool('veeam_get', { connection: 'Secret EM', url: '/api/backups' }), /could not be processed: <redacted>/, 'the echoing error reached the tool’s result, redacted');
      const echoingLogon = await addConnection({ name: 'Echoing logon' });
      await simulator('POST', 'faults', { kind: 'echo', path: '/api/sessionMngr', status: 500, times: 1 });
      await vscode.commands.executeCommand('veeamApiExplorer.logOn', echoingLogon.id);
      shown.push(treeText(await child(undefined, 'Echoing logon')), api.sessions.endReason(echoingLogon.id) ?? '');
      assert.match(api.sessions.endReason(echoingLogon.id) ?? '', /<redacted>/, 'the echoing logon failed, its message redacted');
      const wrong = await addConnection({ name: 'Wrong password', password: 'Not-The-Password-42' });
      await vscode.commands.executeCommand('veeamApiExplorer.logOn', wrong.id);
      for (const def of [emDef, vspcDef]) await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
      assert.ok(opened.length >= 6, `opened ${opened.length} raw documents`);
    });

    const emSent = await requests();
    const vspcSent = await vspcRequests();
    const secrets = new Set<string>([em.password, vspcPassword(), 'Not-The-Password-42', Buffer.from(`${em.user}:${em.password}`).toString('base64')]);
    for (const r of emSent) if (r.headers['x-restsvcsessionid']) secrets.add(r.headers['x-restsvcsessionid']);
    for (const r of vspcSent) {
      const bearer = /^Bearer (.+)$/.exec(r.headers.authorization ?? '')?.[1];
      if (bearer) secrets.add(bearer);
    }
    assert.ok([...secrets].length >= 6, 'tokens of both servers were seen');

    // The log channel reaches its file in its own time: wait for the last line written above (the second logoff).
    const { files, text: logText } = await logOnceItHolds(api.logUri, /Secret VSPC: logged off/);
    assert.ok(/GET https:\/\/127\.0\.0\.1:\d+\/api\/jobs/.test(logText) && /\/api\/v3\//.test(logText), `the log was found and holds the requests (${files.join(', ')})`);
    const documents = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'veeam-api').map((d) => d.getText());
    assert.ok(documents.length >= 6);
    assert.ok(documents.some((d) => /x-restsvcsessionid: <redacted>/i.test(d)), 'the headers were shown, redacted');
    const settings = JSON.stringify(vscode.workspace.getConfiguration('veeamApiExplorer'));
    const everything: Array<[string, string]> = [
      ['log', logText],
      ...documents.map((d, i): [string, string] => [`document ${i}`, d]),
      ...shown.map((m, i): [string, string] => [`message, clipboard or tool result ${i}`, m]),
      ['settings', settings],
      // The request history (#14): every exchange of the session, logons included, with its response.
      ...api.activity.history().map((e, i): [string, string] => [`history entry ${i}`, JSON.stringify({ ...e, raw: e.raw && { ...e.raw, body: e.raw.body.toString('utf8') } })]),
    ];
    assert.ok(api.activity.history().some((e) => e.credentials) && api.activity.history().length > 10, 'the history recorded the session');
    assert.ok(shown.some((m) => m.startsWith('curl ')), 'curl commands were copied');
    assert.ok(/Wrong password: .*refused the logon/.test(logText), 'the wrong password was reported (errors are logged as shown)');
    const forms = [...secrets].flatMap((s) => [s, encodeURIComponent(s), Buffer.from(s).toString('base64')]);
    for (const [where, text] of everything) {
      for (const form of forms) assert.ok(!text.includes(form), `a secret (${form.slice(0, 3)}…) is in the ${where}`);
    }
  });

  it('renaming a connection keeps its password; removing it deletes it', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'To rename' });
    assert.equal(await api.connections.storedPassword(def), em.password);
    await api.connections.update({ ...def, name: 'Renamed' });
    const renamed = api.connections.get(def.id)!;
    assert.equal(renamed.name, 'Renamed');
    assert.equal(await api.connections.storedPassword(renamed), em.password);
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id), 'logs on with the kept password, no prompt');
    await confirming('veeamApiExplorer.removeConnection', def.id);
    assert.equal(await api.connections.storedPassword({ ...renamed }), undefined);
  });
});
