// Run Action… on the three simulators: the confirmation (Cancel sends nothing, Run sends exactly one request), the
// following to success or failure with Open Result, Cancel while following (the server's own cancel, exactly once),
// a read-only connection, a role that may not run it, and the History's Run Request.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../../src/api';
import type { TaskRecord } from '../../../src/ui/activity/activity';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { addKindConnection, jobAction, listed, resultEditor, running, sims, vbrViewer, type Answers, type Kind, type Observed } from './action-fixture';
import { child, children, confirming, contextOf, em, explorer, item, removeAllConnections, type SimulatorRequest } from './explorer-fixture';

const KINDS: Kind[] = ['em', 'vspc', 'vbr'];

/** What each API sends and answers for a job's Start. */
const EXPECTED: Record<Kind, { start: RegExp; poll: RegExp; cancel: { method: string; path: RegExp }; succeeded: RegExp[]; failed: RegExp }> = {
  em: {
    start: /^\/api\/jobs\/[^/?]+\?action=start$/,
    poll: /^\/api\/tasks\/task-\d+$/,
    cancel: { method: 'DELETE', path: /^\/api\/tasks\/task-\d+$/ },
    succeeded: [/<State>Finished<\/State>/, /<Result Success="true"/],
    failed: /<Result Success="false"/,
  },
  vspc: {
    start: /^\/api\/v3\/infrastructure\/backupServers\/jobs\/[^/?]+\/start$/,
    poll: /^\/api\/v3\/asyncActions\/[^/?]+$/,
    cancel: { method: 'DELETE', path: /^\/api\/v3\/asyncActions\/[^/?]+$/ },
    succeeded: [/"status":\s*"succeed"/],
    failed: /"status":\s*"failed"/,
  },
  vbr: {
    start: /^\/api\/v1\/jobs\/[^/?]+\/start$/,
    poll: /^\/api\/v1\/sessions\/[^/?]+$/,
    cancel: { method: 'POST', path: /^\/api\/v1\/sessions\/[^/?]+\/stop$/ },
    succeeded: [/"state":\s*"Stopped"/, /"result":\s*"Success"/],
    failed: /"result":\s*"Failed"/,
  },
};

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NAME: Record<Kind, string> = { em: 'EM actions', vspc: 'VSPC actions', vbr: 'VBR actions' };

/**
 * Runs an action row as a user would: Run Action…, and for an action that takes a body (a request document opens
 * first) Send Request with the document as prefilled.
 */
async function runRow(action: ExplorerNode, answers: Answers): Promise<{ result: TaskRecord | undefined; seen: Observed }> {
  if (contextOf(action) !== 'action.body') return running<TaskRecord>(answers, 'veeamApiExplorer.runAction', action);
  const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.runAction', action);
  assert.ok(editor, 'Run Action… opened no request document');
  return running<TaskRecord>(answers, 'veeamApiExplorer.sendRequest', editor.document.uri);
}

describe('actions, run from the tree', function () {
  const connections = {} as Record<Kind, { def: ConnectionDefinition; root: ExplorerNode }>;

  before(async () => {
    await removeAllConnections();
    for (const kind of KINDS) {
      await sims[kind].clear();
      const def = await addKindConnection(kind, NAME[kind]);
      assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id), `Log On to ${kind} failed (see the extension log)`);
      connections[kind] = { def, root: await child(undefined, NAME[kind]) };
    }
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllConnections();
    for (const kind of KINDS) await sims[kind].clear();
  });

  for (const kind of KINDS) {
    it(`${kind}: an action row says it runs only through Run Action…; selecting or expanding it sends nothing`, async () => {
      const { action } = await jobAction(kind, connections[kind].root, 0, 'Start');
      await sims[kind].clear();
      const row = item(action);
      assert.match(contextOf(action), /^action(\.body)?$/);
      assert.equal(row.command, undefined, 'selecting it runs something');
      assert.equal(row.collapsibleState, vscode.TreeItemCollapsibleState.None);
      assert.equal(row.description, 'POST');
      // The Markdown source: appendText escapes what Markdown would act on (`\.`).
      const tooltip = (row.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1');
      assert.match(tooltip, /Run Action…/);
      assert.ok(tooltip.includes(action.copyableHref!), tooltip);
      assert.doesNotMatch(tooltip, /never sends/);
      assert.match(String(row.accessibilityInformation?.label), /action/);
      assert.deepEqual(await children(action), []);
      assert.deepEqual(await sims[kind].actions(), [], 'browsing sent something other than GET');
    });

    it(`${kind}: Cancel at the confirmation sends nothing; the confirmation names the job and the connection and shows method and URL`, async () => {
      const { def } = connections[kind];
      const { action, name } = await jobAction(kind, connections[kind].root, 1, 'Start');
      await sims[kind].clear();
      const tasksBefore = (await explorer()).activity.tasks().length;
      const { result, seen } = await runRow(action, { confirm: false });
      assert.equal(result, undefined);
      assert.equal(seen.confirmations.length, 1, 'one confirmation');
      const [confirmation] = seen.confirmations;
      assert.match(confirmation.message, new RegExp(`^Start( Job)? '${escaped(name)}' on ${escaped(def.name)}\\?$`));
      assert.deepEqual(confirmation.items, ['Run'], 'one button (Cancel is the dialog’s own)');
      assert.match(confirmation.detail, new RegExp(`^Connection: ${escaped(def.name)} \\(${kind.toUpperCase()}, `, 'm'));
      assert.match(confirmation.detail, /^Method: POST$/m);
      assert.ok(confirmation.detail.split('\n').includes(`URL: ${action.copyableHref}`), confirmation.detail);
      assert.deepEqual(await sims[kind].actions(), [], 'Cancel sent something');
      assert.equal((await explorer()).activity.tasks().length, tasksBefore, 'a cancelled confirmation is no task');
    });

    it(`${kind}: Run sends exactly one POST, follows it to its end, and Open Result opens the final document`, async () => {
      const { root } = connections[kind];
      const { action } = await jobAction(kind, root, 2, 'Start');
      await sims[kind].clear();
      const { result, seen } = await runRow(action, { confirm: true, openResult: true });
      assert.ok(result, 'Run Action… gave no task');
      assert.equal(result.state, 'succeeded', `${result.state}: ${result.error ?? ''}`);
      assert.equal(result.outcome?.state, 'succeeded');
      const sent = await sims[kind].actions();
      assert.equal(sent.length, 1, listed(sent));
      assert.equal(sent[0].method, 'POST');
      assert.match(sent[0].path, EXPECTED[kind].start);
      if (kind === 'vspc') assert.match(sent[0].headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/i, 'VSPC actions carry an x-request-id');
      assert.ok((await sims[kind].requests()).some((r) => r.method === 'GET' && EXPECTED[kind].poll.test(r.path)), 'the task was never read');
      const following = seen.progress.find((p) => p.cancellable && !/^Sending /.test(p.title));
      assert.ok(following, `no progress followed the task: ${seen.progress.map((p) => p.title).join(', ')}`);
      assert.ok(following.reports.some((r) => r.message), 'the progress said nothing of the state');
      if (kind === 'vbr') assert.ok(following.reports.some((r) => (r.increment ?? 0) > 0), 'the percent never moved the bar');
      const done = seen.notes.find((n) => n.level === 'info' && /succeeded/.test(n.message));
      assert.ok(done, `no success notification: ${seen.notes.map((n) => n.message).join(' | ')}`);
      assert.deepEqual(done.items, ['Open Result']);
      const editor = await resultEditor((text) => EXPECTED[kind].succeeded.every((re) => re.test(text)), 'final document');
      assert.ok(!editor.document.isDirty);
      const recorded = (await explorer()).activity.tasks().find((t) => t.id === result.id);
      assert.equal(recorded?.state, 'succeeded');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it(`${kind}: an action that fails on the server ends in an error notification with the server’s message`, async () => {
      const { action } = await jobAction(kind, connections[kind].root, 3, 'Start');
      await sims[kind].clear();
      await sims[kind].fault({ kind: 'action-fails', message: 'Repository rep-07 is out of space', times: 1 });
      const { result, seen } = await runRow(action, { confirm: true, openResult: true });
      assert.equal(result?.state, 'failed', `${result?.state}: ${result?.error ?? ''}`);
      const failed = seen.notes.find((n) => n.level === 'error');
      assert.ok(failed, `no error notification: ${seen.notes.map((n) => n.message).join(' | ')}`);
      assert.match(failed.message, /failed/);
      assert.match(failed.message, /Repository rep-07 is out of space/);
      assert.deepEqual(failed.items, ['Open Result']);
      await resultEditor((text) => EXPECTED[kind].failed.test(text), 'failed document');
      assert.equal((await sims[kind].actions()).length, 1);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it(`${kind}: Cancel while following asks the server to cancel, exactly once`, async () => {
      const { action } = await jobAction(kind, connections[kind].root, 4, 'Start');
      await sims[kind].clear();
      const { result, seen } = await runRow(action, { confirm: true, cancelFollowing: true });
      assert.equal(result?.state, 'canceled', `${result?.state}: ${result?.error ?? ''}`);
      const sent: SimulatorRequest[] = await sims[kind].actions();
      assert.equal(sent.length, 2, listed(sent));
      assert.match(sent[0].path, EXPECTED[kind].start);
      assert.equal(sent[1].method, EXPECTED[kind].cancel.method, listed(sent));
      assert.match(sent[1].path, EXPECTED[kind].cancel.path);
      const note = seen.notes.find((n) => /asked .* to cancel/i.test(n.message));
      assert.ok(note, `the user was not told the server was asked to cancel: ${seen.notes.map((n) => n.message).join(' | ')}`);
    });
  }

  it('em: Run Request (the History’s Run Again) goes through the same confirmation; Cancel sends nothing, Run sends it once', async () => {
    const { def, root } = connections.em;
    const { action } = await jobAction('em', root, 5, 'Start');
    const request = { method: 'POST', url: action.copyableHref! };
    await sims.em.clear();
    const cancelled = await running<TaskRecord>({ confirm: false }, 'veeamApiExplorer.runRequest', { connectionId: def.id, request, title: 'Start again' });
    assert.equal(cancelled.result, undefined);
    assert.equal(cancelled.seen.confirmations[0]?.message, `Start again on ${def.name}?`);
    assert.ok(cancelled.seen.confirmations[0].detail.split('\n').includes(`URL: ${request.url}`));
    assert.deepEqual(await sims.em.actions(), []);
    const ran = await running<TaskRecord>({ confirm: true }, 'veeamApiExplorer.runRequest', { connectionId: def.id, request });
    assert.equal(ran.result?.state, 'succeeded', `${ran.result?.state}: ${ran.result?.error ?? ''}`);
    assert.equal(ran.seen.confirmations[0]?.message, `POST ${request.url} on ${def.name}?`);
    const sent = await sims.em.actions();
    assert.deepEqual(sent.map((r) => r.method), ['POST'], listed(sent));
    // A GET is no action: the command refuses it without asking.
    const get = await running({ confirm: true }, 'veeamApiExplorer.runRequest', { connectionId: def.id, request: { method: 'GET', url: request.url } });
    assert.deepEqual(get.seen.confirmations, []);
  });

  it('em: the confirmation shows a long body cut at 2,000 characters, without control characters or the password; a DELETE’s button says Delete', async () => {
    const { def, root } = connections.em;
    const { action } = await jobAction('em', root, 7, 'Start');
    const body = `<Spec>\u0007\u001b[31m\u202e${em.password}\t${'x'.repeat(3000)}</Spec>`;
    await sims.em.clear();
    const { seen } = await running({ confirm: false }, 'veeamApiExplorer.runRequest', {
      connectionId: def.id,
      request: { method: 'POST', url: action.copyableHref, body, contentType: 'application/xml' },
    });
    const [confirmation] = seen.confirmations;
    assert.ok(confirmation, 'no confirmation');
    assert.match(confirmation.detail, /^Body \(application\/xml\):$/m);
    assert.match(confirmation.detail, /^\(the first 2000 of \d+ characters are shown\)$/m);
    assert.ok(confirmation.detail.length < 2600, `${confirmation.detail.length} characters`);
    assert.ok(!confirmation.detail.includes(em.password), 'the confirmation shows the password');
    assert.doesNotMatch(confirmation.detail, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, 'a control character reached the dialog');
    const deletion = await running({ confirm: false }, 'veeamApiExplorer.runRequest', { connectionId: def.id, request: { method: 'DELETE', url: action.copyableHref } });
    assert.deepEqual(deletion.seen.confirmations[0]?.items, ['Delete']);
    assert.deepEqual(await sims.em.actions(), [], 'Cancel sent something');
  });

  it('em: the rows an action changed are read again when it ended', async () => {
    const { root } = connections.em;
    const { action } = await jobAction('em', root, 6, 'Start');
    const entity = action.parent!;
    const ran = await runRow(action, { confirm: true });
    assert.equal(ran.result?.state, 'succeeded');
    await sims.em.clear();
    await children(entity);
    const read = (await sims.em.requests()).map((r) => `${r.method} ${r.path}`);
    assert.ok(read.includes(`GET ${new URL(entity.href!).pathname}${new URL(entity.href!).search}`), `the job was not read again: ${read.join(', ')}`);
  });

  it('a read-only connection ("actions": "off") offers no action, and the commands refuse it without sending anything', async () => {
    const def = await addKindConnection('em', 'EM read-only', { actions: 'off' });
    assert.equal((await explorer()).connections.get(def.id)?.actions, 'off');
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id));
    const { action } = await jobAction('em', await child(undefined, 'EM read-only'), 0, 'Start');
    assert.equal(contextOf(action), 'action.readOnly');
    assert.match(String(item(action).description), /read-only/);
    await sims.em.clear();
    const run = await running({ confirm: true }, 'veeamApiExplorer.runAction', action);
    assert.deepEqual(run.seen.confirmations, [], 'a read-only connection asked to confirm an action');
    assert.match(run.seen.notes.find((n) => n.level === 'error')?.message ?? '', /read-only/);
    const again = await running({ confirm: true }, 'veeamApiExplorer.runRequest', { connectionId: def.id, request: { method: 'POST', url: action.copyableHref } });
    assert.deepEqual(again.seen.confirmations, []);
    assert.match(again.seen.notes.find((n) => n.level === 'error')?.message ?? '', /read-only/);
    assert.deepEqual(await sims.em.actions(), [], 'a read-only connection sent an action');
    await confirming('veeamApiExplorer.removeConnection', def.id);
  });

  it('vbr: a role that may not run the action (Veeam Backup Viewer, 403) is told so', async () => {
    const def = await addKindConnection('vbr', 'VBR viewer', { username: vbrViewer.user, password: vbrViewer.password });
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id));
    const { action } = await jobAction('vbr', await child(undefined, 'VBR viewer'), 0, 'Start');
    await sims.vbr.clear();
    const { result, seen } = await runRow(action, { confirm: true });
    assert.equal(result?.state, 'error');
    const refused = seen.notes.find((n) => n.level === 'error');
    assert.match(refused?.message ?? '', /role of this account cannot run it/);
    assert.equal((await sims.vbr.actions()).length, 1);
  });
});
