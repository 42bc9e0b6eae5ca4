// Generate Script ▸ PowerShell / Python / Bash from the tree, in the real host: the one generator's script for the
// node (a collection pages), opened in an untitled editor of its language, trusting the certificate as the connection
// does, asking twice before a script that does not verify it, and holding no secret.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { generateScript, looksLikeCollection, type ConnectionDefinition } from '../../../src/api';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { addConnection, answering, child, em, explorer, removeAllConnections } from './explorer-fixture';

describe('Generate Script', () => {
  let def: ConnectionDefinition;
  let jobs: ExplorerNode;

  before(async () => {
    await removeAllConnections();
    // Pinned: the script pins the same certificate, and nothing is asked about trust.
    def = await addConnection({ name: 'EM scripts', caFile: undefined, trustedFingerprint: em.fingerprint });
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id));
    jobs = await child(await child(undefined, 'EM scripts'), 'Jobs');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllConnections();
  });

  for (const [language, languageId] of [['python', 'python'], ['bash', 'shellscript'], ['powershell', 'powershell']] as const) {
    it(`${language}: the generator's script for the node, in an untitled ${languageId} editor, pinned and without a secret`, async () => {
      const text = await vscode.commands.executeCommand<string>(`veeamApiExplorer.generateScript.${language}`, jobs);
      assert.ok(text, 'a script');
      const expected = generateScript(language, {
        kind: 'em',
        url: jobs.href!,
        baseUrl: def.url,
        username: def.username,
        fingerprint: em.fingerprint,
        collection: true,
        name: 'Jobs',
      });
      assert.equal(text, expected.text, 'the one generator, with the connection’s settings');
      const editor = vscode.window.activeTextEditor;
      assert.ok(editor?.document.isUntitled);
      assert.equal(editor.document.languageId, languageId);
      assert.equal(editor.document.getText(), text);
      assert.ok(text.includes(em.fingerprint.replace(/:/g, '').toUpperCase()) || text.toUpperCase().includes(em.fingerprint.replace(/:/g, '').toUpperCase()), 'the pinned fingerprint');
      assert.ok(!text.includes(em.password), 'no password');
      for (const secret of (await explorer()).sessions.secretsOf(def.id)) {
        const value = typeof secret === 'string' ? secret : secret?.password;
        if (value) assert.ok(!text.includes(value), 'no token or password');
      }
    });
  }

  it('asks how to check the certificate when the connection trusts none of its own, and twice before not verifying', async () => {
    const plain = await addConnection({ name: 'EM plain', caFile: undefined, trustedFingerprint: undefined });
    // Logged off: the connection's row has no URL of its own, so the command asks for one.
    const node = await child(undefined, 'EM plain');
    const url = new URL('jobs', plain.url).href;
    const showInputBox = async () => url;
    const picks: string[] = [];
    const warnings: string[] = [];
    // "Do not verify…", then Cancel at the second question: no script.
    const cancelled = await answering(
      {
        showQuickPick: (async (items: readonly vscode.QuickPickItem[]) => {
          picks.push(items.map((i) => i.label).join(' | '));
          return items[1];
        }) as never,
        showWarningMessage: async (message: string) => {
          warnings.push(message);
          return undefined;
        },
        showInputBox,
      },
      () => Promise.resolve(vscode.commands.executeCommand<string | undefined>('veeamApiExplorer.generateScript.python', node)),
    );
    assert.equal(cancelled, undefined);
    assert.equal(picks.length, 1);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /does not verify/);
    // Confirmed: the script says what not verifying means.
    const insecure = await answering(
      { showQuickPick: (async (items: readonly vscode.QuickPickItem[]) => items[1]) as never, showWarningMessage: async (_m: string, _o: vscode.MessageOptions, ...items: string[]) => items[0], showInputBox },
      () => Promise.resolve(vscode.commands.executeCommand<string | undefined>('veeamApiExplorer.generateScript.python', node)),
    );
    assert.ok(insecure);
    const target = { kind: 'em' as const, url, baseUrl: plain.url, username: plain.username, collection: looksLikeCollection('em', url), name: 'EM plain' };
    assert.equal(insecure, generateScript('python', { ...target, insecure: true }).text);
    // The system's CAs: verified, nothing skipped.
    const system = await answering({ showQuickPick: (async (items: readonly vscode.QuickPickItem[]) => items[0]) as never, showInputBox }, () =>
      Promise.resolve(vscode.commands.executeCommand<string | undefined>('veeamApiExplorer.generateScript.bash', node)),
    );
    assert.equal(system, generateScript('bash', { ...target, insecure: false }).text);
    assert.notEqual(system, generateScript('bash', { ...target, insecure: true }).text);
  });

  it('from the palette asks the URL, refusing one on another server, and the language', async () => {
    const prompts: Array<string | undefined> = [];
    const text = await answering(
      {
        showQuickPick: (async (items: ReadonlyArray<vscode.QuickPickItem & { def?: ConnectionDefinition }>) => items.find((i) => i.def?.id === def.id) ?? items.find((i) => i.label === 'Bash (curl)')) as never,
        showInputBox: async (options: vscode.InputBoxOptions) => {
          prompts.push(options.prompt);
          const validate = options.validateInput!;
          assert.ok(await validate('https://elsewhere.invalid:9398/api/jobs'), 'another server is refused');
          assert.equal(await validate(jobs.href!), undefined);
          return jobs.href!;
        },
      },
      () => Promise.resolve(vscode.commands.executeCommand<string | undefined>('veeamApiExplorer.generateScript')),
    );
    assert.equal(prompts.length, 1);
    assert.ok(text?.startsWith('#!/usr/bin/env bash'), text?.slice(0, 40));
  });
});
