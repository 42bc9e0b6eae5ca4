// A user's first session with the extension, driven through the real workbench in Chromium: open the view from the
// activity bar, add a connection through the input boxes, log on (trusting the simulator's certificate in the modal),
// walk three levels down, open a raw response from the context menu, save it as a file, switch to JSON from the
// command palette.
// Screenshots of the key steps go to .test-artifacts/ (ui-*.png); ui-raw-response.png is the README's picture.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Locator } from 'playwright-core';
import type { Simulators } from '../simulator-env';
import type { UiSuite } from './ui-test';
import { escapeRegExp, waitUntil, Workbench } from './workbench';

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

function xmlEscaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function explorerUiSuite(o: ExplorerUiOptions): UiSuite {
  const title = viewContainerTitle(o.repo);
  let server: { origin: string; stop(): Promise<void> } | undefined;
  let wb: Workbench;
  let jobName = '';
  const connectionRow = (): Locator => wb.row(CONNECTION, 1);

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
          await wb.welcome.getByRole('button', { name: 'Add Connection' }).click();
          await wb.waitForQuickInput('Enterprise Manager');
          await wb.quickPickItem('Enterprise Manager').click();
          await wb.answerInputBox('A name for this connection', CONNECTION);
          await wb.answerInputBox('Server URL', o.sims.em.url);
          await wb.answerInputBox('User name', o.sims.em.users.admin.username);
          await wb.waitForQuickInput('Password');
          assert.equal(await wb.quickInputBox.getAttribute('type'), 'password', 'the password is typed in the clear');
          await wb.answerInputBox('Password', o.sims.em.users.admin.password);
          await wb.waitForQuickInput('Store the password');
          await wb.screenshot('ui-add-connection-store-password');
          await wb.quickPickItem('Store the password').click();
          await wb.waitForQuickInputClosed();
          // Revealed expanded, logged off, with its "Log on…" item as the obvious next step.
          await wb.row(new RegExp(`^${CONNECTION}, EM · logged off`), 1).waitFor();
          await wb.row('Log on…', 2).waitFor();
          assert.equal(await wb.welcome.isVisible(), false, 'the welcome still shows');
        },
      },
      {
        title: 'Log on… shows the untrusted certificate with its fingerprint; trusting it logs on',
        async run() {
          await wb.row('Log on…', 2).click();
          const dialog = wb.dialog(`The certificate of ${CONNECTION} is not trusted`);
          await dialog.waitFor();
          assert.match(await dialog.innerText(), new RegExp(escapeRegExp(o.fingerprint)), 'the dialog does not show the certificate fingerprint');
          await wb.screenshot('ui-trust-certificate');
          await dialog.getByRole('button', { name: 'Trust This Certificate' }).click();
          await dialog.waitFor({ state: 'hidden' });
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
          const text = await wb.activeEditorText();
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
          // OK is ignored while the dialog is still reading the folder it shows: press it until the file is there.
          const ok = wb.quickInput.getByRole('button', { name: 'OK' });
          await waitUntil(async () => {
            if (fs.existsSync(target)) return true;
            if (await ok.isVisible()) await ok.click({ timeout: 1000 }).catch(() => undefined);
            return fs.existsSync(target);
          }, `nothing was saved at ${target}`);
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
          const text = await wb.activeEditorText();
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
          await wb.expand(wb.row('Backup Servers', 2));
          // The notification is listed in the notification center (the status bar's bell) whether or not it pops up.
          const item = wb.page.locator('.notification-list-item').filter({ hasText: /Reading Backup Servers/ });
          await waitUntil(async () => {
            if (await item.first().isVisible()) return true;
            await wb.page.locator('[id="status.notifications"]').click();
            return item.first().isVisible();
          }, 'no notification for the slow expansion');
          await wb.screenshot('ui-cancel-notification');
          await item.first().getByRole('button', { name: 'Cancel' }).click();
          const cancelled = wb.row('The request was cancelled.', 3);
          await cancelled.waitFor();
          await item.first().waitFor({ state: 'detached' });
          // The fault was for one request: selecting the item reads the list again.
          await cancelled.click();
          await cancelled.waitFor({ state: 'detached' });
          await waitUntil(async () => (await wb.rowsAt(3).count()) > 0, 'Retry showed no rows');
          await wb.page.keyboard.press('Escape');
        },
      },
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
            if (!(await logOn.isVisible())) await second.expand(row);
            const logons = () => o.sims.em.requests.filter((r) => r.method === 'POST' && /sessionMngr/.test(r.path)).length;
            const before = logons();
            await logOn.click();
            await second.row(new RegExp(`^${CONNECTION}, EM · (?!logged off|logging on)`), 1).waitFor();
            assert.equal(await second.quickInput.isVisible(), false, 'the second window asked for something (the password?)');
            assert.equal(logons(), before + 1, 'the second window logged on with the password the first one stored');
            await second.screenshot('ui-second-window');
          } finally {
            await second.close();
          }
        },
      },
    ],
  };
}
