// The tree, commands and raw documents of a Service Provider Console connection, against the VSPC simulator.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../../src/api';
import type { Host } from '../../../src/ui/host';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { addConnection, answering, child, children, contextOf, em, explorer, item, labelOf, removeAllConnections, simulatorControl, description, page, required, confirming, logOnTyping, type GuidedAnswers, type SimulatorRequest } from './explorer-fixture';

/** The VSPC simulator as the runner describes it (its certificate is the EM simulator's). */
const vspc = {
  get url() {
    return required('VEEAM_TEST_VSPC_URL');
  },
  get user() {
    return required('VEEAM_TEST_VSPC_USER');
  },
  get password() {
    return required('VEEAM_TEST_VSPC_PASSWORD');
  },
};

/** A call to the VSPC simulator's control API (`/__simulator/...`). */
function control(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  return simulatorControl(vspc.url, method, path, body);
}

const requests = () => control('GET', 'requests') as Promise<SimulatorRequest[]>;
const gets = async () => (await requests()).filter((r) => r.method === 'GET').map((r) => decodeURIComponent(r.path));

async function resetVspc(): Promise<void> {
  await control('DELETE', 'faults');
  await control('DELETE', 'requests');
}

function addVspcConnection(name: string, extra: GuidedAnswers = {}): Promise<ConnectionDefinition> {
  return addConnection({ kind: 'vspc', name, url: vspc.url, username: vspc.user, password: vspc.password, caFile: undefined, trustedFingerprint: em.fingerprint, ...extra });
}



describe('a Service Provider Console connection', () => {
  let def: ConnectionDefinition;
  let root: ExplorerNode;

  before(async () => {
    await removeAllConnections();
    await resetVspc();
    def = await addVspcConnection('VSPC');
    const info = await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id);
    assert.ok(info, 'Log On failed (see the extension log)');
    root = await child(undefined, 'VSPC');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('veeamApiExplorer').update('rawResponse.showHeaders', undefined, vscode.ConfigurationTarget.Global);
    await removeAllConnections();
    await resetVspc();
  });

  it('logs on with a token and shows the user and the API revision', async () => {
    assert.equal(contextOf(root), 'connection.vspc.loggedOn+href');
    assert.match(description(root), /^VSPC · vspcadmin · API v3 \(3\.6\)$/);
    const paths = (await requests()).map((r) => `${r.method} ${r.path.split('?')[0]}`);
    assert.ok(paths.includes('POST /api/v3/token'), paths.join(', '));
    assert.ok(paths.includes('GET /api/v3/users/me'), paths.join(', '));
  });

  it('the connection row stands for the logged-on user: Copy URL gives /users/me, its raw document reads it again', async () => {
    const copied = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyHref', root);
    assert.match(copied ?? '', /\/api\/v3\/users\/me$/);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', root);
    assert.ok(editor);
    assert.match(editor.document.getText(), /"instanceUid"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('files the collections under groups, each with its count, sorted by label', async () => {
    const nodes = await children(root);
    const groups = nodes.filter((n) => contextOf(n) === 'group');
    assert.ok(groups.length >= 4, nodes.map(labelOf).join(', '));
    for (const name of ['Organizations', 'Infrastructure']) assert.ok(groups.some((g) => labelOf(g) === name), `no group ${name}`);
    for (const group of groups) {
      const links = await children(group);
      assert.equal(description(group), String(links.length));
      assert.equal(item(group).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      const labels = links.map(labelOf);
      assert.deepEqual(labels, [...labels].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base', numeric: true })), `${labelOf(group)} is not sorted`);
    }
    const companies = await child(await child(root, 'Organizations'), 'Companies');
    assert.equal(contextOf(companies), 'collection+href');
    assert.equal(await child(await child(root, 'Organizations'), 'Companies'), companies, 'a group makes its nodes once');
  });

  it('lists a collection by name and loads more, appended in place, until the last item', async () => {
    const companies = await child(await child(root, 'Organizations'), 'Companies');
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', companies);
    let { items, more } = await page(companies);
    assert.ok(more, 'no Load more item under Companies');
    const total = Number(/^Load more \((\d+) of (\d+)\)$/.exec(labelOf(more))?.[2]);
    assert.ok(total > items.length, labelOf(more));
    assert.equal(labelOf(more), `Load more (${items.length} of ${total})`);
    assert.equal(description(companies), String(total), 'a read collection shows its count');
    for (const company of items) {
      assert.equal(contextOf(company), 'resource+href');
      assert.doesNotMatch(labelOf(company), /^[0-9a-f]{8}-/i, 'an item is labelled by its uid');
    }
    assert.ok(items.some((c) => labelOf(c) === 'Müller & Söhne "Bau" <GmbH>'), 'names are shown as they are');
    const first = items;
    await control('DELETE', 'requests');
    let rounds = 0;
    while (more) {
      assert.ok(++rounds < 20, 'Load more never ends');
      await vscode.commands.executeCommand('veeamApiExplorer.showMore', more);
      const next = await page(companies);
      assert.ok(next.items.length > items.length, 'Load more added nothing');
      assert.deepEqual(next.items.slice(0, items.length), items, 'the items loaded before were replaced');
      ({ items, more } = next);
      if (more) assert.equal(labelOf(more), `Load more (${items.length} of ${total})`);
    }
    assert.equal(items.length, total);
    assert.equal(new Set(items.map((i) => i.href)).size, total, 'an item appears twice');
    assert.ok((await gets()).every((p) => /[?&]offset=\d+/.test(p)), 'each Load more reads the next offset');
    assert.deepEqual((await children(companies)).slice(0, first.length), first, 'collapsing keeps what was loaded');

    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', companies);
    const again = await page(companies);
    assert.equal(again.items.length, first.length, 'Refresh starts from the first page again');
    assert.ok(again.more);
  });

  it('filters a collection by name on the server, shows the filter, and clears it', async () => {
    const companies = await child(await child(root, 'Organizations'), 'Companies');
    await control('DELETE', 'requests');
    const applied = await answering({ showInputBox: async () => 'acme' }, () => Promise.resolve(vscode.commands.executeCommand<string>('veeamApiExplorer.filterByName', companies)));
    assert.equal(applied, 'acme');
    assert.match(description(companies), /^name contains "acme"( · \d+)?$/);
    assert.equal(contextOf(companies), 'collection+href+filtered');
    const { items } = await page(companies);
    assert.ok(items.length > 0);
    assert.equal(description(companies), `name contains "acme" · ${items.length}`, 'the count of what the filter found');
    for (const company of items) assert.match(labelOf(company), /acme/i);
    const sent = await gets();
    assert.equal(sent.length, 1, sent.join(', '));
    const filter = new URL(sent[0], vspc.url).searchParams.get('filter');
    assert.ok(filter, `the filter is not the API's filter parameter: ${sent[0]}`);
    assert.deepEqual(JSON.parse(filter), [{ property: 'name', operation: 'contains', collation: 'ignorecase', value: 'acme' }]);

    // From the menu: an input box pre-filled with the current filter.
    let offered: string | undefined;
    await answering(
      {
        showInputBox: async (options) => {
          offered = options.value;
          return 'Globex';
        },
      },
      () => Promise.resolve(vscode.commands.executeCommand('veeamApiExplorer.filterByName', companies)),
    );
    assert.equal(offered, 'acme');
    assert.match(description(companies), /^name contains "Globex"/);
    for (const company of (await page(companies)).items) assert.match(labelOf(company), /globex/i);

    // Escape changes nothing.
    await answering({ showInputBox: async () => undefined }, () => Promise.resolve(vscode.commands.executeCommand('veeamApiExplorer.filterByName', companies)));
    assert.match(description(companies), /^name contains "Globex"/);

    await control('DELETE', 'requests');
    await vscode.commands.executeCommand('veeamApiExplorer.clearFilter', companies);
    assert.match(description(companies), /^\d*$/);
    assert.equal(contextOf(companies), 'collection+href');
    const unfiltered = await page(companies);
    assert.ok(unfiltered.more, 'the whole list is back, with Load more');
    assert.match(labelOf(unfiltered.more), new RegExp(` of ${description(companies)}\\)$`), 'the count is the whole list\u2019s again');
    // The unfiltered first page may come from the cache; whatever is sent carries no filter.
    assert.ok(!(await gets()).some((p) => p.includes('filter=')), 'Clear Filter still sent a filter');
    assert.doesNotMatch(companies.href ?? '', /[?&]filter=/);
  });

  it('expands an item into its fields, nested objects and arrays, and its sub-collections', async () => {
    const companies = await child(await child(root, 'Organizations'), 'Companies');
    const company = (await page(companies)).items[0];
    const nodes = await children(company);
    const fields = nodes.filter((n) => contextOf(n) === 'field');
    assert.ok(fields.some((f) => /^instanceUid: [0-9a-f-]{36}$/.test(labelOf(f))), nodes.map(labelOf).join(', '));
    assert.ok(fields.some((f) => /^name: /.test(labelOf(f))));
    const subscription = nodes.find((n) => labelOf(n) === 'subscription');
    assert.ok(subscription, 'no nested object field');
    assert.equal(contextOf(subscription), 'field.group');
    assert.ok((await children(subscription)).some((f) => /^currency: \w+/.test(labelOf(f))));

    const servers = await child(await child(root, 'Infrastructure'), 'Backup Servers');
    const server = (await page(servers)).items[0];
    assert.ok(server, 'no backup server');
    const jobs = await child(server, 'Jobs');
    assert.equal(contextOf(jobs), 'collection+href');
    assert.match(jobs.href ?? '', /\/infrastructure\/backupServers\/[0-9a-f-]{36}\/jobs$/);
    const serverJobs = (await page(jobs)).items;
    assert.ok(serverJobs.length > 0, 'the sub-collection is empty');
    assert.ok(!serverJobs.some((j) => contextOf(j).startsWith('error')), serverJobs.map(labelOf).join(', '));
  });

  it('a sub-collection the server does not have (404 on a path from the API map) is a greyed, empty row, not an error', async () => {
    const servers = await child(await child(root, 'Infrastructure'), 'Backup Servers');
    const server = (await page(servers)).items[0];
    const jobs = await child(server, 'Jobs');
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', jobs);
    const path = new URL(jobs.href!).pathname;
    await control('POST', 'faults', { kind: 'status', status: 404, path });
    try {
      const rows = await children(jobs);
      assert.equal(rows.length, 1, rows.map(labelOf).join(', '));
      assert.equal(contextOf(rows[0]), 'message', `an error row instead: ${labelOf(rows[0])}`);
      assert.match(labelOf(rows[0]), /^Not on this server/);
      assert.match(description(jobs), /not on this server/);
      assert.equal((item(jobs).iconPath as vscode.ThemeIcon).id, 'circle-slash');
    } finally {
      await control('DELETE', 'faults');
    }
    // Refresh asks again, and the server's answer decides.
    await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', jobs);
    assert.ok((await page(jobs)).items.length > 0);
    assert.doesNotMatch(description(jobs), /not on this server/);
  });

  it('a group with more collections than a page ends in "Show more", which shows the rest in place', async () => {
    const config = vscode.workspace.getConfiguration('veeamApiExplorer');
    await config.update('tree.pageSize', 10, vscode.ConfigurationTarget.Global);
    try {
      await vscode.commands.executeCommand('veeamApiExplorer.refresh');
      const fresh = await child(undefined, 'VSPC');
      const groups = (await children(fresh)).filter((n) => contextOf(n) === 'group');
      const big = groups.find((g) => Number(description(g)) > 11);
      assert.ok(big, `no group with more than 11 collections: ${groups.map((g) => `${labelOf(g)} ${description(g)}`).join(', ')}`);
      const total = Number(description(big));
      const first = await children(big);
      assert.equal(first.length, 11, 'ten rows and "Show more"');
      const more = first[10];
      assert.equal(contextOf(more), 'showMore');
      assert.match(labelOf(more), new RegExp(`^Show more \\(10 of ${total} shown\\)$`));
      await vscode.commands.executeCommand('veeamApiExplorer.showMore', more);
      const after = await children(big);
      assert.ok(!after.includes(more), 'the "Show more" item is still there');
      assert.deepEqual(after.slice(0, 10), first.slice(0, 10), 'the first rows stay the same nodes');
      assert.equal(after.filter((n) => contextOf(n) !== 'showMore').length, total > 21 ? 20 : total);
    } finally {
      await config.update('tree.pageSize', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('veeamApiExplorer.refresh');
      root = await child(undefined, 'VSPC');
    }
  });

  it('opens a raw response as JSON without the token, and copies the URL and a curl command with a placeholder', async () => {
    const resellers = await child(await child(root, 'Organizations'), 'Resellers');
    await children(resellers);
    const token = (await requests()).map((r) => r.headers.authorization).find(Boolean)?.replace(/^Bearer /, '');
    assert.ok(token, 'no request carried the bearer token');

    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', resellers);
    assert.ok(editor);
    assert.equal(editor.document.languageId, 'json');
    assert.match(editor.document.uri.path, /\.json$/);
    assert.match(editor.document.getText(), /^\{\n {2}"/, 'the body is pretty-printed');
    assert.ok(!editor.document.getText().includes(token));

    await vscode.workspace.getConfiguration('veeamApiExplorer').update('rawResponse.showHeaders', true, vscode.ConfigurationTarget.Global);
    const withHeaders = await vscode.commands.executeCommand<vscode.TextEditor>('veeamApiExplorer.openRawResponse', root);
    assert.ok(withHeaders);
    for (let i = 0; i < 50 && !withHeaders.document.getText().startsWith('//'); i++) await new Promise((r) => setTimeout(r, 100));
    const text = withHeaders.document.getText();
    assert.match(text, /^\/\/ GET https:\/\/127\.0\.0\.1:\d+\/api\/v3\/users\/me/);
    assert.ok(!text.includes(token), 'the token is in the raw document');
    assert.doesNotMatch(text, /authorization: (?!Bearer <redacted>)/i);
    await vscode.workspace.getConfiguration('veeamApiExplorer').update('rawResponse.showHeaders', undefined, vscode.ConfigurationTarget.Global);

    const url = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyHref', resellers);
    assert.equal(url, resellers.href);
    assert.equal(await vscode.env.clipboard.readText(), resellers.href);
    const curl = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyAsCurl', resellers);
    assert.ok(curl);
    assert.match(curl, /-H "Authorization: Bearer \$VEEAM_TOKEN"/);
    assert.match(curl, /Accept: application\/json/);
    assert.ok(!curl.includes(token));
  });

  it('waits out a 429 and tells the user why it waits', async () => {
    const api = await explorer();
    const locations = await child(await child(root, 'Organizations'), 'Locations');
    await control('POST', 'faults', { kind: 'throttle', path: '/api/v3/organizations/locations', times: 1, retryAfter: 1 });
    // What the Host was asked to show: the messages reported on a progress notification, and the status bar's text.
    const shown: string[] = [];
    const { host } = api;
    const progress = host.withProgress;
    const statusBar = host.setStatusBarMessage;
    const observing: Partial<Host> = {
      withProgress: (options, task) =>
        progress(options, (real, token) =>
          task(
            {
              report: (value) => {
                if (value.message) shown.push(`progress: ${value.message}`);
                real.report(value);
              },
            },
            token,
          ),
        ),
      setStatusBarMessage: (text, hideAfterMs) => {
        shown.push(`statusBar: ${text}`);
        statusBar(text, hideAfterMs);
      },
    };
    await answering(observing, async () => {
      await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', locations);
      const { items } = await page(locations);
      assert.ok(items.length > 0);
      assert.ok(!items.some((n) => contextOf(n).startsWith('error')), items.map(labelOf).join(', '));
    });
    assert.equal(shown.length, 1, shown.join(' | '));
    assert.match(shown[0], /^progress: The server asked to slow down; retrying in 1 s/, 'not shown on the progress of the expansion that waits');
    const statuses = (await requests()).filter((r) => r.path.startsWith('/api/v3/organizations/locations')).length;
    assert.equal(statuses, 2, 'one throttled request and one retry');
    // A request no task waits for (e.g. a restored raw document) says so in the status bar instead.
    await control('POST', 'faults', { kind: 'throttle', path: '/api/v3/about', times: 1, retryAfter: 1 });
    shown.length = 0;
    await answering(observing, () => api.sessions.get(def.id, new URL('about', vspc.url).href));
    assert.deepEqual(shown, ['statusBar: $(watch) VSPC: The server asked to slow down; retrying in 1 s…']);
  });

  it('renews an expired or revoked token without the user noticing, and keeps the tree', async () => {
    const api = await explorer();
    const organizations = await child(root, 'Organizations');
    const resellers = await child(organizations, 'Resellers');
    for (const what of ['expire', 'revoke']) {
      await control('POST', what);
      await control('DELETE', 'requests');
      await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', resellers);
      const { items } = await page(resellers);
      assert.ok(items.length > 0 && !items.some((n) => contextOf(n).startsWith('error')), `${what}: ${items.map(labelOf).join(', ')}`);
      assert.equal(api.sessions.state(def.id), 'loggedOn', what);
      assert.equal(await child(root, 'Organizations'), organizations, `${what}: the tree was rebuilt`);
      const posts = (await requests()).filter((r) => r.method === 'POST').map((r) => r.path);
      // Expired: one refresh. Revoked: the refresh is refused, then one logon with the stored password.
      assert.deepEqual(posts, what === 'expire' ? ['/api/v3/token'] : ['/api/v3/token', '/api/v3/token'], `${what}: ${posts.join(', ')}`);
    }
  });

  it('when the tokens are revoked and the new logon is refused, shows the connection logged off with the reason', async () => {
    const api = await explorer();
    // Not stored: the fresh logon after the refused refresh asks, and gets a wrong password.
    const lost = await addVspcConnection('VSPC lost', { storePassword: false });
    assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', lost.id));
    const node = await child(undefined, 'VSPC lost');
    const about = await child(await child(node, 'General'), 'About');
    await control('POST', 'revoke');
    await answering({ showInputBox: async () => 'not-the-password' }, async () => {
      await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', about);
      const shown = await children(about);
      assert.ok(shown.some((n) => contextOf(n).startsWith('error')), shown.map(labelOf).join(', '));
    });
    assert.equal(api.sessions.state(lost.id), 'loggedOff');
    assert.match(api.sessions.endReason(lost.id) ?? '', /refused the logon/);
    const shownNode = await child(undefined, 'VSPC lost');
    assert.match(description(shownNode), /logged off \(failed\)/);
    const tooltip = item(shownNode).tooltip;
    const tooltipText = (typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '')).replace(/&nbsp;/g, ' ');
    assert.match(tooltipText, /Logged off: .*refused the logon/);
    assert.ok(await logOnTyping(lost.id, vspc.password));
    assert.equal(api.sessions.endReason(lost.id), undefined, 'a good logon clears the reason');
    await confirming('veeamApiExplorer.removeConnection', lost.id);
    // The revocation hit every session: let the suite's own connection renew its tokens (stored password) for the next tests.
    await api.sessions.get(def.id, new URL('about', vspc.url).href);
    assert.equal(api.sessions.state(def.id), 'loggedOn');
  });

  it('says plainly that an MFA account is not supported, and stays logged off', async () => {
    const api = await explorer();
    const mfa = await addVspcConnection('VSPC MFA', { username: 'mfauser', password: 'Vspc-Mfa-1' });
    await assert.rejects(api.sessions.logOn(mfa.id), /multi-factor authentication/);
    assert.equal(api.sessions.state(mfa.id), 'loggedOff');
    const nodes = await children(await child(undefined, 'VSPC MFA'));
    assert.deepEqual(nodes.map(contextOf), ['logOn']);
    await confirming('veeamApiExplorer.removeConnection', mfa.id);
  });

  it('logs off: revokes this identity\u2019s tokens (userLoginId) and shows the connection logged off', async () => {
    const api = await explorer();
    await control('DELETE', 'requests');
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
    const sent = (await requests()).map((r) => `${r.method} ${r.path}`);
    assert.ok(sent.some((r) => /^DELETE \/api\/v3\/users\/[0-9a-f-]{36}\/tokens\?userLoginId=\d+$/.test(r)), sent.join(', '));
    assert.equal(api.sessions.state(def.id), 'loggedOff');
    const node = await child(undefined, 'VSPC');
    assert.match(description(node), /logged off/);
    assert.deepEqual((await children(node)).map(contextOf), ['logOn']);
  });
});
