import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { LinkNode } from '../../../src/ui/tree/link-node';
import type { ExplorerTestApi } from '../../../src/extension';
import type { Host } from '../../../src/ui/host';
import { waitFor } from '../../unit/wait-for';
import { answering, child, children, contextOf, explorer, item, labelOf, loggedOnConnection, removeAllConnections, requests, resetSimulator, simulator, simulatorControl, type SimulatorRequest } from './explorer-fixture';

/**
 * True when the connection's session is logged on and has settled: for a moment nothing more reaches the simulator
 * (no GET and no logon still running: a logon in flight reads "logging on", a request in flight arrives there).
 * Asked through what the extension shows (the session's state) and what the server sees, not the session's internals.
 */
async function sessionSettled(api: ExplorerTestApi, connectionId: string): Promise<boolean> {
  if (api.sessions.state(connectionId) !== 'loggedOn') return false;
  const before = (await requests()).length;
  await new Promise((resolve) => setTimeout(resolve, 300));
  return api.sessions.state(connectionId) === 'loggedOn' && (await requests()).length === before;
}

describe('the link tree', () => {
  let root: ExplorerNode;

  before(async () => {
    await removeAllConnections();
    await resetSimulator();
    root = (await loggedOnConnection({ name: 'Tree' })).node;
  });
  after(async () => {
    await removeAllConnections();
    await resetSimulator();
  });

  it('shows a list link\u2019s references by name, with their type', async () => {
    const jobs = await child(root, 'Jobs');
    assert.equal(contextOf(jobs), 'link.down+href');
    assert.match(String((item(jobs).tooltip as vscode.MarkdownString).value), /JobReferenceList/);
    const refs = await children(jobs);
    assert.ok(refs.length >= 3);
    for (const ref of refs) {
      assert.equal(contextOf(ref), 'resource+href');
      assert.match(String((item(ref).tooltip as vscode.MarkdownString).value), /JobReference/);
      assert.doesNotMatch(labelOf(ref), /Reference|urn:/);
    }
  });

  it('shows a reference\u2019s Alternate and Down links, never its Up link', async () => {
    const ref = (await children(await child(root, 'Jobs')))[0];
    const links = await children(ref);
    const contexts = links.map(contextOf);
    assert.ok(contexts.includes('link.alternate+href'), contexts.join(', '));
    assert.ok(contexts.includes('link.down+href'), contexts.join(', '));
    assert.ok(!links.some((l) => /vbr\d+/.test(labelOf(l))), 'the Up link to the backup server is shown');
    const alternate = links.find((l) => contextOf(l) === 'link.alternate+href')!;
    assert.equal(labelOf(alternate), 'Job');
  });

  it('shows an entity\u2019s fields as name: value, nested fields as groups, and actions as inert leaves', async () => {
    const ref = (await children(await child(root, 'Jobs')))[0];
    const entity = (await children(ref)).find((l) => contextOf(l) === 'link.alternate+href')!;
    const nodes = await children(entity);
    const fields = nodes.filter((n) => contextOf(n) === 'field');
    assert.ok(fields.some((f) => /^JobType: \w+/.test(labelOf(f))), nodes.map(labelOf).join(', '));
    const group = nodes.find((n) => contextOf(n) === 'field.group');
    assert.ok(group, 'no nested field group');
    assert.equal(item(group).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.ok((await children(group)).length > 0);

    const actions = nodes.filter((n) => contextOf(n) === 'action');
    assert.deepEqual(actions.map(labelOf).slice(0, 3), ['Start', 'Stop', 'Retry']);
    for (const action of actions) {
      const tree = item(action);
      assert.equal(tree.command, undefined, `${labelOf(action)} does something on click`);
      assert.equal(tree.collapsibleState, vscode.TreeItemCollapsibleState.None);
      assert.match(String(tree.accessibilityInformation?.label), /action/);
      assert.deepEqual(await children(action), []);
    }
  });

  it('reuses what it fetched, and Refresh fetches exactly that node again', async () => {
    const jobs = await child(root, 'Jobs');
    await children(jobs);
    await simulator('DELETE', 'requests');
    await children(jobs);
    assert.equal((await requests()).length, 0, 'expanding again sent a request');
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', jobs);
    await children(jobs);
    assert.deepEqual((await requests()).map((r) => `${r.method} ${r.path}`), ['GET /api/jobs']);
  });

  it('shows a failed expansion as an error item with the message, and Retry loads it again', async () => {
    const repositories = await child(root, 'Repositories');
    await simulator('POST', 'faults', { kind: 'truncated', path: '/api/repositories', times: 1 });
    const [error, ...rest] = await children(repositories);
    assert.equal(rest.length, 0);
    assert.equal(contextOf(error), 'error.protocol');
    assert.ok(labelOf(error).length > 0);
    assert.equal(item(error).command?.command, 'veeamApiExplorer.retry');
    await vscode.commands.executeCommand('veeamApiExplorer.retry', error);
    const repos = await children(repositories);
    assert.ok(repos.length > 0 && repos.every((r) => contextOf(r) === 'resource+href'), repos.map(labelOf).join(', '));
  });

  it('shows a long list 500 rows at a time, with "Show more" appending the next rows without a request', async () => {
    const jobs = await child(root, 'Jobs');
    // About 1,300 references in one response (the simulator streams a valid list of the size asked for).
    await simulator('POST', 'faults', { kind: 'huge', path: '/api/jobs', sizeBytes: 400_000, times: 1 });
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', jobs);
    const first = await children(jobs);
    assert.equal(first.length, 501);
    const more = first[500];
    assert.equal(contextOf(more), 'showMore');
    const total = Number(/of (\d+) shown/.exec(labelOf(more).replace(/,/g, ''))?.[1]);
    assert.ok(total > 1000, labelOf(more));
    assert.match(labelOf(more), /^Show more \(500 of/);
    assert.equal(item(more).command?.command, 'veeamApiExplorer.showMore');
    const before = (await requests()).length;
    await vscode.commands.executeCommand('veeamApiExplorer.showMore', more);
    const second = await children(jobs);
    assert.equal(second.length, 1001);
    assert.deepEqual(second.slice(0, 500), first.slice(0, 500), 'the first rows are kept as they were');
    assert.match(labelOf(second[1000]), /^Show more \(1000 of/);
    await vscode.commands.executeCommand('veeamApiExplorer.showMore', second[1000]);
    const all = await children(jobs);
    assert.equal(all.length, total);
    assert.ok(all.every((n) => contextOf(n) === 'resource+href'));
    assert.equal((await requests()).length, before, 'Show more sent no request');
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', jobs);
  });

  it('stops a response over the size limit, says so with a way to raise it, and reads it once the limit is raised', async () => {
    const settings = vscode.workspace.getConfiguration('veeamApiExplorer');
    await settings.update('maxResponseSizeMB', 1, vscode.ConfigurationTarget.Global);
    try {
      const jobs = await child(root, 'Jobs');
      await simulator('POST', 'faults', { kind: 'huge', path: '/api/jobs', sizeBytes: 3 * 1024 * 1024, times: 2 });
      await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', jobs);
      const [error] = await children(jobs);
      assert.equal(contextOf(error), 'error.protocol.tooLarge');
      assert.match(labelOf(error), /larger than the 1\.0 MB limit; it was not read/);
      assert.match(String(item(error).description), /Raise the maximum response size/);
      await settings.update('maxResponseSizeMB', 4, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('veeamApiExplorer.retry', error);
      const rows = await children(jobs);
      assert.ok(rows.length > 500 && contextOf(rows[0]) === 'resource+href', `${rows.length} rows, first ${labelOf(rows[0])}`);
    } finally {
      await settings.update('maxResponseSizeMB', undefined, vscode.ConfigurationTarget.Global);
      await simulator('DELETE', 'faults');
      await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', await child(root, 'Jobs'));
    }
  });

  it('marks a link to another server as external and fetches it without any credential', async () => {
    const api = await explorer();
    const vspcUrl = process.env.VEEAM_TEST_VSPC_URL!;
    const foreign = new URL('/api/v3/about', vspcUrl).href;
    await simulatorControl(vspcUrl, 'DELETE', 'requests');
    const link = new LinkNode(root, root.connectionId, { rel: 'Down', href: foreign, type: 'About', name: 'About elsewhere' }, api.tree);
    const row = item(link);
    assert.match(String(row.description), new RegExp(`external: ${new URL(vspcUrl).host.replace(/\./g, '\\.')}`));
    assert.equal((row.iconPath as vscode.ThemeIcon).id, 'link-external');
    assert.match((row.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, " "), /without this connection/, (row.tooltip as vscode.MarkdownString).value);
    const own = await child(root, 'Jobs');
    assert.ok(!String(item(own).description ?? '').includes('external'));
    await children(link);
    const seen = (await simulatorControl(vspcUrl, 'GET', 'requests')) as SimulatorRequest[];
    const got = seen.filter((r) => r.path === '/api/v3/about');
    assert.equal(got.length, 1, 'the other server was asked once');
    assert.equal(got[0].headers.authorization, undefined);
    assert.equal(got[0].headers['x-restsvcsessionid'], undefined);
    assert.equal(got[0].headers.cookie, undefined);
  });

  it('renders hostile server text safely: no control or bidi characters, long names cut, code spans fenced', async () => {
    const api = await explorer();
    const id = root.connectionId;
    const name = `Job\u202Egnp.exe\u0000\u001b[31mred\nsecond line ${'x'.repeat(5000)}`;
    const link = new LinkNode(root, id, { rel: 'Down', href: `${new URL('/api/jobs', (await api.sessions.logonInfo(id))!.root.href).href}`, type: 'Evil`Type', name }, api.tree);
    const row = item(link);
    const label = String(row.label);
    assert.ok(!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(label), JSON.stringify(label.slice(0, 80)));
    assert.ok(label.length <= 200 && label.endsWith('\u2026'), `${label.length} characters`);
    const tooltip = (row.tooltip as vscode.MarkdownString).value;
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u202a-\u202e\u2066-\u2069]/.test(tooltip));
    assert.match(tooltip, /``Evil`Type``|`` Evil`Type ``/);
    const accessible = row.accessibilityInformation?.label ?? '';
    assert.ok(!/[\u0000-\u001f\u202a-\u202e]/.test(accessible));
  });

  it('offers Cancel on a slow expansion after a moment; Cancel ends the request and leaves an item that retries', async function () {
    this.timeout(60_000);
    const servers = await child(root, 'Backup Servers');
    await simulator('POST', 'faults', { kind: 'hang', path: '/api/backupServers', times: 1 });
    // The Host's notification is answered by one whose Cancel the test presses (its toast is VS Code's business).
    const shown: Array<{ options: vscode.ProgressOptions; cancel: vscode.CancellationTokenSource }> = [];
    const { host } = await explorer();
    const real = host.withProgress;
    const pressingCancel: Partial<Host> = {
      withProgress: (options, task) => {
        if (options.location !== vscode.ProgressLocation.Notification) return real(options, task);
        const cancel = new vscode.CancellationTokenSource();
        shown.push({ options, cancel });
        return task({ report: () => undefined }, cancel.token);
      },
    };
    try {
      await answering(pressingCancel, async () => {
        // Taken before the expansion starts, so the time measured to the notification is never shorter than its delay.
        const started = Date.now();
        const expanding = children(servers);
        // The notification is due after about 1.5 s; the request hangs until cancelled, so waiting longer is harmless.
        await waitFor(() => shown.length > 0, 'no notification was shown for the slow expansion', 30_000);
        const after = Date.now() - started;
        assert.equal(shown.length, 1);
        assert.equal(shown[0].options.cancellable, true);
        assert.match(shown[0].options.title ?? '', /^Reading Backup Servers .* from Tree…$/);
        assert.ok(after >= 1000, `the notification showed ${after} ms after the expansion started: it waits a moment before showing`);
        shown[0].cancel.cancel();
        const [cancelled, ...rest] = await expanding;
        assert.equal(rest.length, 0);
        assert.equal(labelOf(cancelled), 'The request was cancelled.');
        assert.equal(contextOf(cancelled), 'error.cancelled');
        await vscode.commands.executeCommand('veeamApiExplorer.retry', cancelled);
      });
      const rows = await children(servers);
      assert.ok(rows.length > 0 && rows.every((r) => contextOf(r) === 'resource+href'), rows.map(labelOf).join(', '));
    } finally {
      await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', servers);
    }
  });

  it('expands twenty lists at once after the session expired: one new logon, one GET per list, no unhandled rejection', async function () {
    this.timeout(30_000);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const lists = (await children(root)).filter((n) => contextOf(n).startsWith('link.down')).slice(0, 20);
      assert.equal(lists.length, 20);
      for (const node of lists) await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', node);
      await simulator('DELETE', 'requests');
      // The next request finds the session gone (every one in flight at that moment gets a 401).
      await simulator('POST', 'faults', { kind: 'expire', times: 1 });
      const results = await Promise.all(lists.map((node) => children(node)));
      assert.ok(results.every((rows) => rows.length > 0 && !rows.some((r) => contextOf(r).startsWith('error'))), results.map((rows) => rows.map(labelOf).join('; ')).join(' | '));
      // Nothing the expansions started may still be running (a rejection after the check below would go unseen).
      const api = await explorer();
      const connectionId = root.connectionId;
      let settled = false;
      for (const deadline = Date.now() + 10_000; !settled && Date.now() < deadline; ) settled = await sessionSettled(api, connectionId);
      assert.ok(settled, 'the session still runs requests or a logon');
      assert.equal(api.sessions.state(connectionId), 'loggedOn');
      const sent = await requests();
      const logons = sent.filter((r) => r.method === 'POST' && /sessionMngr/.test(r.path));
      assert.equal(logons.length, 1, 'one new logon');
      const gets = sent.filter((r) => r.method === 'GET' && !r.path.startsWith('/api/?') && r.path !== '/api/' && r.path !== '/api');
      for (const path of new Set(gets.map((r) => r.path))) {
        const times = gets.filter((r) => r.path === path).length;
        assert.ok(times <= 2, `${path} was asked ${times} times (once, and once more after the 401 at most)`);
      }
      // The control requests above took several turns of the event loop: a rejection left unhandled is reported by now.
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      // Later tests expect these lists not loaded yet.
      for (const node of await children(root)) if (contextOf(node).startsWith('link.down')) await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', node);
    }
  });

  it('shows a proxy\u2019s HTML error page as an HTTP error', async () => {
    const backups = await child(root, 'Backups');
    await simulator('POST', 'faults', { kind: 'html', path: '/api/backups', times: 1 });
    const [error] = await children(backups);
    assert.equal(contextOf(error), 'error.http');
    assert.match(labelOf(error), /502/);
  });

  it('shows an HTTP error status with the server\u2019s message', async () => {
    const servers = await child(root, 'Backup Servers');
    await simulator('POST', 'faults', { kind: 'status', status: 500, path: '/api/backupServers', times: 1 });
    const [error] = await children(servers);
    assert.equal(contextOf(error), 'error.http');
    assert.match(labelOf(error), /500/);
  });

  it('runs a query from the query service and pages through its result', async () => {
    const service = await child(root, 'Query');
    assert.equal(contextOf(service), 'queryService');
    const [newQuery] = await children(service);
    assert.equal(item(newQuery).command?.command, 'veeamApiExplorer.newQuery');
    await simulator('DELETE', 'requests');

    const query = await answering({ showInputBox: async () => 'type=Job&format=Refs&pageSize=3' }, () =>
      Promise.resolve(vscode.commands.executeCommand<ExplorerNode>('veeamApiExplorer.newQuery', service)),
    );
    assert.ok(query);
    assert.equal(labelOf(query), 'type=Job&format=Refs&pageSize=3');
    assert.deepEqual((await children(service)).map(labelOf), ['New query…', 'type=Job&format=Refs&pageSize=3']);
    const first = await children(query);
    assert.deepEqual(first.map(contextOf), ['resource+href', 'resource+href', 'resource+href', 'nextPage']);
    const next = first[3];
    assert.equal(item(next).description, 'page 2 of 4');
    await vscode.commands.executeCommand('veeamApiExplorer.showMore', next);
    const two = await children(query);
    assert.deepEqual(two.map(contextOf), [...Array(6).fill('resource+href'), 'nextPage']);
    assert.deepEqual(two.slice(0, 3), first.slice(0, 3), 'the first page was fetched again');
    assert.equal(new Set(two.slice(0, 6).map(labelOf)).size, 6);
    const sent = (await requests()).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(sent, ['GET /api/query?type=Job&format=Refs&pageSize=3', 'GET /api/query?type=Job&format=Refs&pageSize=3&page=2']);
  });

  it('walks every kind of node and only ever sends GET', async () => {
    await simulator('DELETE', 'requests');
    const seen = new Set<string>();
    const walk = async (node: ExplorerNode, depth: number): Promise<void> => {
      seen.add(contextOf(node).replace(/\+href$/, ''));
      if (depth === 0) return;
      // A couple of each kind: enough to meet every kind without walking the whole estate.
      const perKind = new Map<string, number>();
      for (const c of await children(node)) {
        const n = (perKind.get(contextOf(c)) ?? 0) + 1;
        perKind.set(contextOf(c), n);
        if (n <= 2) await walk(c, depth - 1);
      }
    };
    for (const label of ['Backup Servers', 'Jobs', 'Backups', 'Summary']) await walk(await child(root, label), 3);
    for (const kind of ['link.down', 'link.alternate', 'resource', 'field', 'action']) assert.ok(seen.has(kind), `never saw ${kind}: ${[...seen].join(', ')}`);
    const sent = await requests();
    assert.ok(sent.length > 5);
    assert.deepEqual(sent.filter((r) => r.method !== 'GET'), []);
  });

  it('copies an href and a curl command without the token', async () => {
    const jobs = await child(root, 'Jobs');
    const href = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyHref', jobs);
    assert.match(href!, /^https:\/\/.+\/api\/jobs$/);
    assert.equal(await vscode.env.clipboard.readText(), href);
    const curl = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyAsCurl', jobs);
    assert.ok(curl!.startsWith('curl '));
    assert.ok(curl!.includes(href!));
    assert.match(curl!, /X-RestSvcSessionId: \$VEEAM_SESSION_ID/);
    const token = (await requests()).map((r) => r.headers['x-restsvcsessionid']).find(Boolean);
    assert.ok(token && !curl!.includes(token));
  });
});
