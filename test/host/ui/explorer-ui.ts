// A user's first session with the extension, driven through the real workbench in Chromium: open the view from the
// activity bar, add a connection through the input boxes, log on (trusting the simulator's certificate in the modal),
// walk three levels down, open a raw response from the context menu, save it as a file, switch to JSON from the
// command palette. Then a Service Provider Console connection: add it from the view's title bar, log on, expand a
// group and a long collection, Load more, Filter by Name…, and Edit and Remove it from its context menu. Last a
// Veeam Backup & Replication connection: add it through the input boxes (its API revision step left empty), log on
// (the newest revision in its description), expand Jobs, open the raw response of the job list. On the way, Run Action…
// starts an EM job from its Start row: the modal, the notification to its end, Open Result, the job's newest session.
// Screenshots of the key steps go to .test-artifacts/ (ui-*.png); ui-raw-response.png is the README's picture.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Locator } from 'playwright-core';
import type { Simulators } from '../simulator-env';
import { runActionUiTest } from './run-action-ui';
import type { UiSuite } from './ui-test';
import { actUntil, clickUntil, escapeRegExp, waitUntil, Workbench } from './workbench';

export interface ExplorerUiOptions {
  context: BrowserContext;
  /** A code-server with the smoke-test driver and fresh user data; started by `before`. */
  startServer(): Promise<{ origin: string; stop(): Promise<void> }>;
  workspace: string;
  repo: string;
  artifacts: string;
  sims: Simulators;
  /** SHA-256 fingerprint of the simulator's certificate. */
  fingerprint: string;
  log: (line: string) => void;
}

/** The view container's title, read from package.json and package.nls.json as VS Code does. */
export function viewContainerTitle(repo: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
    contributes: { viewsContainers: { activitybar: { title: string }[] } };
  };
  const title = pkg.contributes.viewsContainers.activitybar[0].title;
  const key = /^%(.+)%$/.exec(title)?.[1];
  if (!key) return title;
  const nls = JSON.parse(fs.readFileSync(path.join(repo, 'package.nls.json'), 'utf8')) as Record<string, string>;
  return nls[key] ?? title;
}

/** The size of docs/screenshot.png. */
export const SCREENSHOT_VIEWPORT = { width: 1280, height: 800 };

const CONNECTION = 'Simulator';
const VSPC_CONNECTION = 'Provider Lab';
const VSPC_RENAMED = 'Provider Lab West';
const VBR_CONNECTION = 'Backup Server';

/** The part of the VSPC simulator's API these tests read besides its address: its request log. */
interface VspcRequestLog {
  requests: { method: string; path: string; headers: Record<string, string> }[];
}

function xmlEscaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function explorerUiSuite(o: ExplorerUiOptions): UiSuite {
  const title = viewContainerTitle(o.repo);
  let server: { origin: string; stop(): Promise<void> } | undefined;
  let wb: Workbench;
  let jobName = '';
  const connectionRow = (): Locator => wb.row(CONNECTION, 1);
  const vspc = () => {
    const sim = o.sims.vspc as (Simulators['vspc'] & Partial<VspcRequestLog>) | undefined;
    assert.ok(sim?.requests, 'the simulators have no VSPC simulator with a request log');
    return sim as NonNullable<Simulators['vspc']> & VspcRequestLog;
  };
  const vspcGets = (pattern: RegExp) => vspc().requests.filter((r) => r.method === 'GET' && pattern.test(decodeURIComponent(r.path)));
  const vspcRow = (name: string, state = '') => wb.row(new RegExp(`^${escapeRegExp(name)}, VSPC · ${state}`), 1);
  const vbr = () => {
    assert.ok(o.sims.vbr, 'the simulators have no VBR simulator');
    return o.sims.vbr;
  };
  const vbrRow = (state = '') => wb.row(new RegExp(`^${escapeRegExp(VBR_CONNECTION)}, VBR · ${state}`), 1);

  /**
   * Add Connection… from the view's title bar, the kind picked and the steps answered up to storing the password (the
   * URL prompt naming the kind's default port and path); a VBR connection's revision step is answered by the caller.
   */
  const addFromTitleBar = async (kind: string, name: string, urlPrompt: RegExp, sim: { url: string; users: { admin: { username: string; password: string } } }) => {
    // The EM connection folded away, so what follows shows only the new connection's rows.
    await wb.collapse(connectionRow());
    // The view's own title bar: the container's while Connections is its only view, else the Connections pane's header
    // (whose actions show while the mouse is over it).
    const bar = wb.sidebar.locator('.composite.title, .pane-header').filter({ has: wb.page.getByRole('button', { name: /^Add Connection…/ }) }).first();
    const add = bar.getByRole('button', { name: /^Add Connection…/ });
    await actUntil(
      async () => {
        await bar.hover({ timeout: 5_000 });
        await add.click({ timeout: 5_000 });
      },
      () => wb.quickPickItem(kind).isVisible(),
      'the title bar’s Add Connection… showed no quick pick',
    );
    await wb.chooseQuickPickItem(kind);
    await wb.answerInputBox('A name for this connection', name);
    await wb.inputBoxPrompt(urlPrompt).waitFor();
    await wb.answerInputBox('Server URL', sim.url);
    await wb.answerInputBox('User name', sim.users.admin.username);
    await wb.answerInputBox('Password', sim.users.admin.password);
    await wb.chooseQuickPickItem('Store the password');
  };

  /** Log on… under a connection row, trusting the simulator's certificate if asked; waits for `loggedOn`. */
  const logOnTrusting = async (name: string, started: Locator, loggedOn: Locator) => {
    // Trust is per connection: the same certificate is asked about again for each.
    const dialog = wb.dialog(`The certificate of ${name} is not trusted`);
    // Clicked again only while the connection has not left "logged off" (a second Log On would ask twice).
    await clickUntil(wb.row('Log on…', 2), async () => (await dialog.isVisible()) || (await started.isVisible()), 'Log on… did nothing');
    await dialog.or(loggedOn).first().waitFor();
    if (await dialog.isVisible()) {
      assert.match(await dialog.innerText(), new RegExp(escapeRegExp(o.fingerprint)), 'the dialog does not show the certificate fingerprint');
      await clickUntil(dialog.getByRole('button', { name: 'Trust This Certificate' }), async () => !(await dialog.isVisible()), 'the certificate dialog stays open');
    }
    await loggedOn.waitFor();
  };
  let companiesTotal = 0;

  return {
    title: 'the explorer, driven like a user',
    async before() {
      server = await o.startServer();
      await o.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
      wb = await Workbench.open({
        context: o.context,
        origin: server.origin,
        folder: o.workspace,
        extensionDevelopmentPath: o.repo,
        artifacts: o.artifacts,
        log: o.log,
        viewport: SCREENSHOT_VIEWPORT,
      });
    },
    async onFailure(tag) {
      await wb?.screenshot(`ui-failure-${tag}`);
    },
    async after() {
      await wb?.close();
      await server?.stop();
    },
    tests: [
      {
        title: `clicking the "${title}" activity-bar icon shows the view and its welcome`,
        async run() {
          await wb.openViewContainer(title);
          // Before the extension has registered its tree, VS Code shows "There is no data provider…" instead.
          await wb.welcome.waitFor({ state: 'visible' });
          await wb.welcome.getByRole('button', { name: 'Add Connection' }).waitFor();
          await wb.screenshot('ui-activity-bar-view');
        },
      },
      {
        title: 'Add Connection asks for kind, name, URL, user, password and storing it, then shows the connection',
        async run() {
          await clickUntil(wb.welcome.getByRole('button', { name: 'Add Connection' }), () => wb.quickPickItem('Enterprise Manager').isVisible(), 'Add Connection showed no quick pick');
          await wb.chooseQuickPickItem('Enterprise Manager');
          await wb.answerInputBox('A name for this connection', CONNECTION);
          await wb.answerInputBox('Server URL', o.sims.em.url);
          await wb.answerInputBox('User name', o.sims.em.users.admin.username);
          await wb.inputBoxPrompt('Password').waitFor();
          assert.equal(await wb.quickInputBox.getAttribute('type'), 'password', 'the password is typed in the clear');
          await wb.answerInputBox('Password', o.sims.em.users.admin.password);
          await wb.waitForQuickInput('Store the password');
          await wb.screenshot('ui-add-connection-store-password');
          await wb.chooseQuickPickItem('Store the password');
          await wb.waitForQuickInputClosed();
          // Revealed expanded, logged off, with its "Log on…" item as the obvious next step.
          await wb.row(new RegExp(`^${CONNECTION}, EM · logged off`), 1).waitFor();
          await wb.row('Log on…', 2).waitFor();
          await wb.welcome.waitFor({ state: 'hidden' });
        },
      },
      {
        title: 'Log on… shows the untrusted certificate with its fingerprint; trusting it logs on',
        async run() {
          const dialog = wb.dialog(`The certificate of ${CONNECTION} is not trusted`);
          // Clicked again only while neither the dialog shows nor the connection left "logged off" (a second Log On
          // would ask twice).
          const started = wb.row(new RegExp(`^${CONNECTION}, EM · (?!logged off)`), 1);
          await clickUntil(wb.row('Log on…', 2), async () => (await dialog.isVisible()) || (await started.isVisible()), 'Log on… did nothing');
          await dialog.waitFor();
          assert.match(await dialog.innerText(), new RegExp(escapeRegExp(o.fingerprint)), 'the dialog does not show the certificate fingerprint');
          await wb.screenshot('ui-trust-certificate');
          await clickUntil(dialog.getByRole('button', { name: 'Trust This Certificate' }), async () => !(await dialog.isVisible()), 'the certificate dialog stays open');
          await wb.row(new RegExp(`^${CONNECTION}, EM · (?!logged off|logging on)`), 1).waitFor();
          await wb.row('Jobs', 2).waitFor();
          assert.ok(
            o.sims.em.requests.some((r) => r.method === 'POST' && /sessionMngr/.test(r.path)),
            'the simulator saw no logon request',
          );
        },
      },
      {
        title: 'expands three levels down: Jobs → a job → its Job entity and its fields',
        async run() {
          await wb.expand(wb.row('Jobs', 2));
          const job = wb.rowsAt(3).first();
          await job.waitFor();
          jobName = await wb.labelOf(job);
          assert.ok(jobName && !/Reference|urn:/.test(jobName), `job row label: ${jobName}`);
          await wb.expand(wb.row(jobName, 3));
          const entity = wb.row(/^Job, alternate/, 4);
          await wb.expand(entity);
          await wb.row(/^JobType: \w+/, 5).waitFor();
          await wb.screenshot('ui-tree-expanded');
        },
      },
      {
        title: 'Open Raw Response from the context menu shows the job’s XML in an editor, without the session token',
        async run() {
          const tokens = new Set(o.sims.em.requests.map((r) => r.headers['x-restsvcsessionid']).filter(Boolean));
          assert.ok(tokens.size > 0, 'no request carried a session token');
          await wb.contextMenu(wb.row(/^Job, alternate/, 4), 'Open Raw Response');
          const tab = wb.activeTab;
          await tab.filter({ hasText: '(Job).xml' }).waitFor();
          assert.match(await tab.innerText(), new RegExp(escapeRegExp(jobName)));
          const text = await wb.activeEditorText((t) => /<\/Job>/.test(t));
          assert.match(text, /^<\?xml |^<Job[\s>]/);
          assert.match(text, /<Job\b[^>]*Type="Job"/);
          assert.match(text, new RegExp(`Name="${escapeRegExp(xmlEscaped(jobName))}"`));
          assert.match(text, /<JobType>\w+<\/JobType>/);
          for (const token of tokens) assert.ok(!text.includes(token!), 'the raw response shows the session token');
          // Deselect, and give the tree room, so the picture (the README's) shows the document as a user sees it.
          await wb.page.keyboard.press('ControlOrMeta+Home');
          await wb.widenSideBar(440);
          await wb.screenshot('ui-raw-response');
        },
      },
      {
        title: 'File: Save As… saves the read-only raw response as a file with the same text',
        async run() {
          const shown = await wb.activeEditorText();
          const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'veeam-save-as-')), 'job.xml');
          await wb.runFromCommandPalette('File: Save As...');
          await wb.quickInput.filter({ hasText: 'Save As' }).waitFor({ state: 'visible' });
          // The dialog fills in its suggestion after it opens: type the path only once it has, or it is overwritten.
          await waitUntil(async () => (await wb.quickInputBox.inputValue()).length > 0, 'the Save As dialog suggested no path');
          await wb.screenshot('ui-save-as-dialog');
          await waitUntil(async () => {
            if ((await wb.quickInputBox.inputValue()) !== target) await wb.quickInputBox.fill(target);
            return (await wb.quickInputBox.inputValue()) === target;
          }, 'the path could not be typed into the Save As dialog');
          // OK is ignored while the dialog is still reading the folder it shows: press it until the file is there
          // (each press given time to save before the next, which could ask whether to replace the file).
          const ok = wb.quickInput.getByRole('button', { name: 'OK' });
          await clickUntil(ok, async () => fs.existsSync(target), `nothing was saved at ${target}`, { settleMs: 2_000 });
          await waitUntil(async () => fs.readFileSync(target, 'utf8') === shown, 'the saved file differs from the raw response shown');
          await wb.activeTab.filter({ hasText: 'job.xml' }).waitFor();
          await wb.screenshot('ui-saved-as-file');
          fs.rmSync(path.dirname(target), { recursive: true, force: true });
        },
      },
      {
        title: 'Veeam: Switch Between XML and JSON from the command palette logs on again in JSON',
        async run() {
          const before = o.sims.em.requests.length;
          await wb.runFromCommandPalette('Veeam: Switch Between XML and JSON');
          // Logged on again (not "logging on…"), in JSON: only then does its context menu offer the raw response.
          await wb.row(new RegExp(`^${CONNECTION}, EM · (?!logged off|logging on).* · JSON`), 1).waitFor();
          await waitUntil(
            async () => o.sims.em.requests.slice(before).some((r) => r.method === 'POST' && /sessionMngr/.test(r.path) && /json/.test(r.headers.accept ?? '')),
            'the simulator saw no logon asking for JSON',
          );
          await wb.contextMenu(connectionRow(), 'Open Raw Response');
          await wb.activeTab.filter({ hasText: '.json' }).waitFor();
          const text = await wb.activeEditorText((t) => /^\s*\{[\s\S]*\}\s*$/.test(t));
          assert.match(text.trimStart(), /^\{/);
          assert.match(text, /"SessionId"|"Links"/);
          await wb.page.keyboard.press('ControlOrMeta+Home');
          await wb.screenshot('ui-switched-to-json');
        },
      },
      {
        title: 'a slow expansion shows a notification with Cancel; Cancel ends the request and leaves an item to retry',
        async run() {
          o.sims.em.setFault({ kind: 'hang', path: '/api/backupServers', times: 1 });
          // The list hangs: expanded, its children never load.
          await wb.expand(wb.row('Backup Servers', 2), { whileLoading: true });
          // The notification is listed in the notification center (the status bar's bell) whether or not it pops up.
          // The bell toggles the center: click it only while the center is closed.
          const item = wb.page.locator('.notification-list-item').filter({ hasText: /Reading Backup Servers/ }).first();
          const center = wb.page.locator('.notifications-center.visible');
          await actUntil(
            async () => {
              if (!(await center.isVisible())) await wb.page.locator('[id="status.notifications"]').click({ timeout: 5_000 });
            },
            () => item.isVisible(),
            'no notification for the slow expansion',
          );
          await wb.screenshot('ui-cancel-notification');
          const cancelled = wb.row('The request was cancelled.', 3);
          await clickUntil(item.getByRole('button', { name: 'Cancel' }), () => cancelled.isVisible(), 'Cancel left no error row');
          await item.waitFor({ state: 'detached' });
          // The fault was for one request: selecting the item reads the list again.
          await clickUntil(cancelled, async () => (await cancelled.count()) === 0, 'selecting the error row did not retry');
          await waitUntil(async () => (await wb.rowsAt(3).count()) > 0, 'Retry showed no rows');
          // Close the notification center (Escape closes it when it has the focus; otherwise its own close button).
          await actUntil(
            async () => {
              await wb.page.keyboard.press('Escape');
              if (await center.isVisible()) await center.getByRole('button', { name: /Hide Notifications/i }).click({ timeout: 2_000 });
            },
            async () => !(await center.isVisible()),
            'the notification center stays open',
          );
        },
      },
      runActionUiTest({ wb: () => wb, sims: o.sims, connection: CONNECTION, jobName: () => jobName }),
      {
        title: 'a second window has the connection and its stored password: Log on… there asks for nothing',
        async run() {
          const second = await Workbench.open({
            context: o.context,
            origin: server!.origin,
            folder: o.workspace,
            extensionDevelopmentPath: o.repo,
            artifacts: o.artifacts,
            log: o.log,
            viewport: SCREENSHOT_VIEWPORT,
          });
          try {
            await second.openViewContainer(title);
            const row = second.row(new RegExp(`^${CONNECTION}, EM · logged off`), 1);
            await row.waitFor();
            const logOn = second.row('Log on…', 2);
            // The window may restore the row expanded: expand() leaves it so.
            await second.expand(row);
            const logons = () => o.sims.em.requests.filter((r) => r.method === 'POST' && /sessionMngr/.test(r.path)).length;
            const before = logons();
            const loggedOn = second.row(new RegExp(`^${CONNECTION}, EM · (?!logged off|logging on)`), 1);
            // Clicked again only if the simulator saw no logon and the row did not change (a second Log On would count).
            await clickUntil(logOn, async () => logons() > before || (await loggedOn.isVisible()), 'Log on… in the second window sent nothing', { settleMs: 5_000 });
            await loggedOn.waitFor();
            assert.equal(await second.quickInput.isVisible(), false, 'the second window asked for something (the password?)');
            assert.equal(logons(), before + 1, 'the second window logged on with the password the first one stored');
            await second.screenshot('ui-second-window');
          } finally {
            await second.close();
          }
        },
      },
      {
        title: 'Add Connection… in the view’s title bar adds a Service Provider Console connection',
        async run() {
          await addFromTitleBar('Service Provider Console', VSPC_CONNECTION, /^Server URL .*port 1280 and path \/api\/v3\//, vspc());
          await wb.waitForQuickInputClosed();
          await vspcRow(VSPC_CONNECTION, 'logged off').waitFor();
          await wb.row('Log on…', 2).waitFor();
          await connectionRow().waitFor();
        },
      },
      {
        title: 'Log on… to it (trusting its certificate when asked) logs on with a token and shows its groups',
        async run() {
          const loggedOn = vspcRow(VSPC_CONNECTION, '(?!logged off|logging on)');
          await logOnTrusting(VSPC_CONNECTION, vspcRow(VSPC_CONNECTION, '(?!logged off)'), loggedOn);
          assert.match((await loggedOn.getAttribute('aria-label')) ?? '', new RegExp(`· ${escapeRegExp(vspc().users.admin.username)} · API v3`));
          await wb.row('Organizations', 2).waitFor();
          assert.ok(vspc().requests.some((r) => r.method === 'POST' && r.path.startsWith('/api/v3/token')), 'the simulator saw no token request');
        },
      },
      {
        title: 'expands a group and a collection of more than 100 items; its "Load more" row appends the next page',
        async run() {
          await wb.expand(wb.row('Organizations', 2));
          const companies = wb.row('Companies', 3);
          await wb.expand(companies);
          // Read: the row shows the count the server gave.
          const counted = wb.row(/^Companies, \d+,/, 3);
          await counted.waitFor();
          companiesTotal = Number(/^Companies, (\d+),/.exec((await counted.getAttribute('aria-label')) ?? '')?.[1]);
          assert.ok(companiesTotal > 100, `Companies has ${companiesTotal} items`);
          assert.ok(vspcGets(/\/organizations\/companies(\?|$)/).length > 0, 'the simulator was not asked for the companies');
          // The first page: 100 items and "Load more" as the 101st of 101 rows.
          const firstMore = wb.row(new RegExp(`^Load more \\(100 of ${companiesTotal}\\)`), 4);
          await wb.scrollTreeTo(firstMore);
          assert.equal(await firstMore.getAttribute('aria-posinset'), '101');
          assert.equal(await firstMore.getAttribute('aria-setsize'), '101');
          const nextPage = () => vspcGets(/\/organizations\/companies\?.*offset=100\b/).length;
          // Clicked again only while the simulator saw no request for the next page.
          await clickUntil(firstMore, async () => nextPage() > 0, 'Load more asked for nothing', { settleMs: 5_000 });
          const secondMore = wb.row(new RegExp(`^Load more \\(200 of ${companiesTotal}\\)`), 4);
          // The new items take the place of the old "Load more": the 101st row is a company now.
          await waitUntil(
            async () => (await wb.rowsAt(4).and(wb.sidebar.locator('[aria-posinset="101"][aria-setsize="201"]')).count()) === 1,
            'the next page was not appended (no 101st of 201 rows)',
          );
          const appended = (await wb.rowsAt(4).and(wb.sidebar.locator('[aria-posinset="101"]')).first().getAttribute('aria-label')) ?? '';
          assert.doesNotMatch(appended, /^Load more/, 'the 101st row is not an item');
          await wb.scrollTreeTo(secondMore);
          assert.equal(await secondMore.getAttribute('aria-posinset'), '201');
          assert.equal(nextPage(), 1, 'the next page was asked for more than once');
          await wb.screenshot('ui-vspc-load-more');
        },
      },
      {
        title: 'Filter by Name… (the inline icon of a collection) shows only the matching items, filtered by the server',
        async run() {
          const companies = wb.row('Companies', 3);
          await wb.scrollTreeTo(companies, 'up');
          const filterIcon = companies.getByRole('button', { name: 'Filter by Name…' });
          const prompt = 'Show the items whose name contains';
          // The row shows its inline actions while the mouse is over it.
          await actUntil(
            async () => {
              await companies.hover({ timeout: 5_000 });
              await filterIcon.click({ timeout: 5_000 });
            },
            () => wb.inputBoxPrompt(prompt).isVisible(),
            'the filter icon asked for nothing',
          );
          await wb.waitForQuickInput('Filter Companies by Name');
          const before = vspc().requests.length;
          await wb.answerInputBox(prompt, 'acme');
          const filtered = wb.row(/^Companies, name contains "acme" · \d+,/, 3);
          await filtered.waitFor();
          const count = Number(/ · (\d+),/.exec((await filtered.getAttribute('aria-label')) ?? '')?.[1]);
          assert.ok(count > 0 && count < companiesTotal, `the filter found ${count} of ${companiesTotal}`);
          await wb.expand(filtered);
          // Every child in view matches, and there are as many children as the count says (no "Load more").
          let children: { label: string; of: number }[] = [];
          await waitUntil(async () => (children = await wb.childRows(filtered)).length > 0, 'Companies filtered shows no rows');
          for (const child of children) {
            assert.match(child.label, /acme/i, `a row the filter should have hidden: ${child.label}`);
            assert.equal(child.of, count, `${child.label}: one of ${child.of} rows, the count says ${count}`);
          }
          const sent = vspc().requests.slice(before).filter((r) => r.method === 'GET' && r.path.includes('/organizations/companies'));
          assert.ok(sent.length > 0, 'the filter sent nothing');
          const filter = new URL(sent[0].path, vspc().url).searchParams.get('filter');
          assert.ok(filter && /acme/.test(filter), `not filtered by the server: ${sent[0].path}`);
          await wb.screenshot('ui-vspc-filter');
        },
      },
      {
        title: 'Edit Connection… from the context menu offers the current values and renames the connection',
        async run() {
          const requestsBefore = vspc().requests.length;
          await wb.contextMenu(vspcRow(VSPC_CONNECTION), 'Edit Connection…');
          await wb.waitForQuickInput(`Edit Connection ${VSPC_CONNECTION}`);
          await wb.chooseQuickPickItem('Service Provider Console');
          const offered = async (prompt: string) => {
            await wb.inputBoxPrompt(prompt).waitFor();
            return wb.quickInputBox.inputValue();
          };
          assert.equal(await offered('A name for this connection'), VSPC_CONNECTION);
          await wb.answerInputBox('A name for this connection', VSPC_RENAMED);
          assert.equal(await offered('Server URL'), vspc().url);
          await wb.answerInputBox('Server URL', vspc().url);
          assert.equal(await offered('User name'), vspc().users.admin.username);
          await wb.answerInputBox('User name', vspc().users.admin.username);
          assert.equal(await offered('Password (leave empty to keep the current one)'), '');
          await wb.answerInputBox('Password (leave empty to keep the current one)', '');
          await wb.chooseQuickPickItem('Store the password');
          await wb.waitForQuickInputClosed();
          // Only the name changed: the same session goes on under the new name.
          await vspcRow(VSPC_RENAMED, '(?!logged off|logging on)').waitFor();
          await vspcRow(VSPC_CONNECTION).waitFor({ state: 'detached' });
          assert.equal(vspc().requests.slice(requestsBefore).filter((r) => r.method === 'POST').length, 0, 'renaming logged on again');
        },
      },
      {
        title: 'Remove Connection from the context menu asks in a modal: Cancel keeps it, Remove removes it and logs off',
        async run() {
          const row = vspcRow(VSPC_RENAMED);
          const dialog = wb.dialog(`Remove the connection "${VSPC_RENAMED}"?`);
          await wb.contextMenu(row, 'Remove Connection');
          await dialog.waitFor();
          assert.match(await dialog.innerText(), /Its stored password is deleted too/);
          await wb.screenshot('ui-remove-connection');
          await clickUntil(dialog.getByRole('button', { name: 'Cancel' }), async () => !(await dialog.isVisible()), 'Cancel left the dialog open');
          assert.ok(await row.isVisible(), 'Cancel removed the connection');
          const before = vspc().requests.length;
          await wb.contextMenu(row, 'Remove Connection');
          await dialog.waitFor();
          await clickUntil(dialog.getByRole('button', { name: 'Remove', exact: true }), async () => !(await dialog.isVisible()), 'Remove left the dialog open');
          await row.waitFor({ state: 'detached' });
          await connectionRow().waitFor();
          await waitUntil(
            async () => vspc().requests.slice(before).some((r) => r.method === 'DELETE' && /\/users\/[^/]+\/tokens(\?|$)/.test(r.path)),
            'removing the connection did not log it off',
          ).catch((err: Error) => {
            const seen = vspc().requests.slice(before).map((r) => `${r.method} ${r.path}`);
            throw new Error(`${err.message}; the simulator saw: ${seen.join(', ') || 'nothing'}`);
          });
          assert.equal(await wb.rows(new RegExp(`, VSPC · `), 1).count(), 0, 'a VSPC connection is still shown');
        },
      },
      {
        title: 'Add Connection… adds a Veeam Backup & Replication connection, its API revision left to the newest',
        async run() {
          await addFromTitleBar('Veeam Backup & Replication', VBR_CONNECTION, /^Server URL .*port 9419 and path \/api\//, vbr());
          await wb.inputBoxPrompt('API revision, empty for the newest this extension knows: 1.3-rev1').waitFor();
          await wb.screenshot('ui-vbr-api-revision');
          await wb.answerInputBox('API revision', '');
          await wb.waitForQuickInputClosed();
          await vbrRow('logged off').waitFor();
          await wb.row('Log on…', 2).waitFor();
        },
      },
      {
        title: 'Log on… to it (trusting its certificate when asked) shows the revision in use and the server’s API groups',
        async run() {
          await logOnTrusting(VBR_CONNECTION, vbrRow('(?!logged off)'), vbrRow('vbradmin · 1\\.3-rev1'));
          await wb.row('Jobs', 2).waitFor();
          await wb.row('Repositories', 2).waitFor();
          const token = vbr().requests.find((r) => r.method === 'POST' && r.path === '/api/oauth2/token');
          assert.equal(token?.headers['x-api-version'], '1.3-rev1', 'the logon did not name the newest revision');
        },
      },
      {
        title: 'expands Jobs: the job list shows its count and the jobs by name',
        async run() {
          await wb.expand(wb.row('Jobs', 2));
          const list = wb.row('Jobs', 3);
          await wb.expand(list);
          const counted = wb.row(/^Jobs, \d+,/, 3);
          await counted.waitFor();
          const total = Number(/^Jobs, (\d+),/.exec((await counted.getAttribute('aria-label')) ?? '')?.[1]);
          assert.ok(total >= 300, `Jobs has ${total} items`);
          const first = wb.rowsAt(4).first();
          await first.waitFor();
          const name = await wb.labelOf(first);
          assert.ok(name && !/^[0-9a-f]{8}-/i.test(name), `a job row is labelled ${name}`);
          await wb.screenshot('ui-vbr-jobs');
        },
      },
      {
        title: 'Open Raw Response from the context menu of Jobs shows the list’s JSON, without the token',
        async run() {
          const tokens = new Set(vbr().requests.map((r) => r.headers.authorization?.replace(/^Bearer /, '')).filter(Boolean));
          assert.ok(tokens.size > 0, 'no request carried the bearer token');
          await wb.contextMenu(wb.row(/^Jobs, \d+,/, 3), 'Open Raw Response');
          await wb.activeTab.filter({ hasText: '.json' }).waitFor();
          const text = await wb.activeEditorText((t) => /"pagination"/.test(t));
          assert.match(text.trimStart(), /^\{/);
          assert.match(text, /"data"/);
          for (const token of tokens) assert.ok(!text.includes(token!), 'the raw response shows the token');
          await wb.page.keyboard.press('ControlOrMeta+Home');
          await wb.screenshot('ui-vbr-raw-response');
        },
      },
    ],
  };
}
