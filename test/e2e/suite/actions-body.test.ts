// Actions that take a body: Run Action… opens a request document (prefilled, Send Request in its title and a CodeLens
// on line 1); a document that is not well-formed or lacks a required field is refused before the confirmation, with
// nothing sent; a valid one is confirmed with its body shown and sent with it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { actionBodyOf, type ActionBody, type ConnectionDefinition } from '../../../src/api';
import type { TaskRecord } from '../../../src/ui/activity/activity';
import type { LeafNode } from '../../../src/ui/tree/leaf-node';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { addKindConnection, jobAction, listed, running, sims, type Kind } from './action-fixture';
import { child, contextOf, removeAllConnections } from './explorer-fixture';

/** The document without its first required field: an XML element removed, or a JSON member deleted. */
function withoutRequired(text: string, body: ActionBody): string {
  const path = body.requiredPaths[0];
  assert.ok(path, 'the body has no required field');
  if (/json/.test(body.contentType)) {
    const doc = JSON.parse(text) as Record<string, unknown>;
    const parts = path.split('.');
    let at: Record<string, unknown> = doc;
    for (const part of parts.slice(0, -1)) at = at[part] as Record<string, unknown>;
    delete at[parts.at(-1)!];
    return JSON.stringify(doc, null, 2);
  }
  const element = path.split('/').at(-1)!;
  const without = text.replace(new RegExp(`\\s*<${element}\\b[^>]*?(/>|>[\\s\\S]*?</${element}>)`), '');
  assert.notEqual(without, text, `no <${element}> in the template`);
  return without;
}

async function setText(editor: vscode.TextEditor, text: string): Promise<void> {
  const whole = new vscode.Range(editor.document.positionAt(0), editor.document.positionAt(editor.document.getText().length));
  assert.ok(await editor.edit((e) => e.replace(whole, text)));
  // Saved (in memory): closing the document at the end asks nothing.
  await editor.document.save();
}

describe('actions that take a body', () => {
  const connections = {} as Record<'em' | 'vbr', { def: ConnectionDefinition; root: ExplorerNode }>;

  before(async () => {
    await removeAllConnections();
    for (const kind of ['em', 'vbr'] as const) {
      await sims[kind].clear();
      const def = await addKindConnection(kind, `${kind.toUpperCase()} bodies`);
      assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id));
      connections[kind] = { def, root: await child(undefined, `${kind.toUpperCase()} bodies`) };
    }
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllConnections();
    for (const kind of ['em', 'vbr'] as const) await sims[kind].clear();
  });

  const cases: Array<{ kind: 'em' | 'vbr'; label: string; language: string; path: RegExp }> = [
    { kind: 'em', label: 'Clone', language: 'xml', path: /\?action=clone$/ },
    { kind: 'vbr', label: 'Start', language: 'json', path: /\/start$/ },
  ];
  for (const { kind, label, language, path } of cases) {
    it(`${kind}: ${label} opens a request document; one that is wrong is refused before the confirmation, a valid one is sent with its body`, async () => {
      const { def, root } = connections[kind];
      const { action } = await jobAction(kind as Kind, root, 0, label);
      assert.equal(contextOf(action), 'action.body');
      const body = actionBodyOf(def, (action as LeafNode<Extract<LeafNode['leaf'], { kind: 'actionLink' }>>).leaf.link);
      assert.ok(body);
      await sims[kind].clear();

      const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.runAction', action);
      assert.ok(editor, 'no request document');
      const { uri } = editor.document;
      assert.equal(uri.scheme, 'veeam-request');
      assert.equal(editor.document.languageId, language);
      const template = editor.document.getText();
      assert.equal(template, body.template, 'the document is not the prefilled template');
      assert.doesNotMatch(template.split('\n')[0], /^\s*(<!--|\/\/)/, 'the first line is a comment');
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      assert.equal(lenses.length, 1);
      assert.equal(lenses[0].range.start.line, 0);
      assert.equal(lenses[0].command?.title, `Send Request to ${def.name}: POST ${action.copyableHref}`);
      assert.equal(lenses[0].command?.command, 'veeamApiExplorer.sendRequest');

      // Not well-formed: refused, no confirmation, nothing sent.
      await setText(editor, language === 'json' ? '{ "unclosed": ' : '<Unclosed>');
      const malformed = await running({ confirm: true }, 'veeamApiExplorer.sendRequest', uri);
      assert.deepEqual(malformed.seen.confirmations, []);
      assert.match(malformed.seen.notes.find((n) => n.level === 'error')?.message ?? '', /^The request was not sent: \(1\) /);

      if (body.requiredPaths.length) {
        await setText(editor, withoutRequired(template, body));
        const missing = await running({ confirm: true }, 'veeamApiExplorer.sendRequest', uri);
        assert.deepEqual(missing.seen.confirmations, [], 'a document without a required field was confirmed');
        assert.match(missing.seen.notes.find((n) => n.level === 'error')?.message ?? '', /^The request was not sent: /);
      }
      assert.deepEqual(await sims[kind].actions(), [], 'a refused document was sent');

      await setText(editor, template);
      const sent = await running<TaskRecord>({ confirm: true }, 'veeamApiExplorer.sendRequest', uri);
      const [confirmation] = sent.seen.confirmations;
      assert.ok(confirmation, 'no confirmation');
      assert.match(confirmation.detail, new RegExp(`^Body \\(${body.contentType.replace(/[+/]/g, '\\$&')}\\):$`, 'm'));
      assert.ok(confirmation.detail.includes(template.split('\n')[0]), confirmation.detail);
      assert.ok(sent.result && ['succeeded', 'done'].includes(sent.result.state), `${sent.result?.state}: ${sent.result?.error ?? ''}`);
      const posted = (await sims[kind].actions()) as Array<{ method: string; path: string; body?: string; headers: Record<string, string> }>;
      assert.equal(posted.length, 1, listed(posted));
      assert.match(posted[0].path, path);
      assert.equal(posted[0].body, template, 'the body sent is not the document');
      assert.match(posted[0].headers['content-type'] ?? '', new RegExp(language));
    });
  }
});
