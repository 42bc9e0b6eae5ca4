// The packaged extension as a user gets it: `npm run package` built veeam-api-explorer.vsix; install it into a fresh
// extensions folder with `code-server --install-extension`, start code-server without any development path, and
// check in the page that it activates and shows its view. A file left out by .vscodeignore or a dependency that
// esbuild did not bundle stops activation, and so fails here.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { UiSuite } from './ui-test';
import { viewContainerTitle } from './explorer-ui';
import { buildExportsProbe, type ExportsProbe } from './exports-probe';
import { actUntil, waitUntil, Workbench } from './workbench';

export interface PackageUiOptions {
  context: BrowserContext;
  repo: string;
  vsix: string;
  /** `code-server --install-extension` into the extensions folder of the server `start` then starts. */
  install(vsix: string): Promise<{ extensionsDir: string; output: string }>;
  start(): Promise<{ origin: string; stop(): Promise<void> }>;
  workspace: string;
  artifacts: string;
  log: (line: string) => void;
}

/** The newest modification time of the files a .vsix is made from. */
function newestSource(repo: string): { file: string; mtime: number } {
  let newest = { file: '', mtime: 0 };
  const visit = (p: string): void => {
    if (!fs.existsSync(p)) return;
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    } else if (stat.mtimeMs > newest.mtime) {
      newest = { file: path.relative(repo, p), mtime: stat.mtimeMs };
    }
  };
  for (const p of ['src', 'media', 'package.json', 'package.nls.json', '.vscodeignore', 'scripts/build.mjs']) visit(path.join(repo, p));
  return newest;
}

export function packageUiSuite(o: PackageUiOptions): UiSuite {
  const pkg = JSON.parse(fs.readFileSync(path.join(o.repo, 'package.json'), 'utf8')) as { publisher: string; name: string; displayName: string; version: string; main: string };
  const extensionFolder = `${pkg.publisher}.${pkg.name}-${pkg.version}`.toLowerCase();
  const title = viewContainerTitle(o.repo);
  let server: { origin: string; stop(): Promise<void> } | undefined;
  let wb: Workbench | undefined;
  let probe: ExportsProbe | undefined;

  return {
    title: `the packaged extension (${path.basename(o.vsix)})`,
    async onFailure(tag) {
      await wb?.screenshot(`package-failure-${tag}`);
    },
    async after() {
      await wb?.close();
      await server?.stop();
    },
    tests: [
      {
        title: 'code-server --install-extension installs the .vsix built by npm run package',
        async run() {
          assert.ok(fs.existsSync(o.vsix), `${o.vsix} does not exist: run \`npm run package\` (npm run test:host does)`);
          if (!process.env.VEEAM_HOST_VSIX) {
            const newest = newestSource(o.repo);
            assert.ok(
              fs.statSync(o.vsix).mtimeMs >= newest.mtime,
              `${path.basename(o.vsix)} is older than ${newest.file}: run \`npm run package\` (npm run test:host does)`,
            );
          }
          const { extensionsDir, output } = await o.install(o.vsix);
          assert.match(output, /was successfully installed/i, output);
          const installed = path.join(extensionsDir, extensionFolder);
          assert.ok(fs.existsSync(path.join(installed, 'package.json')), `no ${extensionFolder} in the extensions folder: ${fs.readdirSync(extensionsDir).join(', ')}`);
          // Nothing but the bundles, icons and docs: sources and tests stay out.
          assert.ok(!fs.existsSync(path.join(installed, 'src')), 'the .vsix holds src/');
          assert.ok(!fs.existsSync(path.join(installed, 'test')), 'the .vsix holds test/');
          assert.ok(!fs.existsSync(path.join(installed, 'node_modules')), 'the .vsix holds node_modules/');
        },
      },
      {
        title: 'another extension is installed beside it (a probe that asks for its exports)',
        async run() {
          probe = buildExportsProbe(o.repo, `${pkg.publisher}.${pkg.name}`);
          const { output } = await o.install(probe.vsix);
          assert.match(output, /was successfully installed/i, output);
        },
      },
      {
        title: 'without a development path, its activity-bar icon opens its view with the welcome',
        async run() {
          server = await o.start();
          wb = await Workbench.open({ context: o.context, origin: server.origin, folder: o.workspace, artifacts: o.artifacts, log: o.log });
          // A development host says so in the window title: this one must run only what is installed.
          assert.doesNotMatch(await wb.page.title(), /Extension Development Host/);
          await wb.openViewContainer(title);
          await wb.welcome.waitFor({ state: 'visible' });
          await wb.welcome.getByRole('button', { name: 'Add Connection' }).waitFor();
          await wb.screenshot('package-view');
        },
      },
      {
        title: 'Developer: Show Running Extensions lists it as activated, without an error',
        async run() {
          await wb!.runFromCommandPalette('Developer: Show Running Extensions');
          const list = wb!.page.locator('.runtime-extensions-editor .monaco-list');
          await list.locator('.monaco-list-row').first().waitFor();
          // The list renders only the rows in view and re-sorts itself as extensions finish activating (dropping the
          // focus), so look for our row by its text, paging down through the list until it is rendered. Every other
          // try jumps to the end instead: the list is sorted by activation time, and ours takes a few milliseconds, so
          // when many built-in extensions have activated its row is near the bottom.
          const row = list.locator('.monaco-list-row', { hasText: pkg.displayName }).first();
          let tries = 0;
          await waitUntil(async () => {
            if ((await row.count()) > 0) return true;
            await list.locator('.monaco-list-row').first().click({ timeout: 2000 }).catch(() => undefined);
            await wb!.page.keyboard.press(tries++ % 2 === 0 ? 'End' : 'PageDown');
            return (await row.count()) > 0;
          }, `${pkg.displayName} is not among the running extensions`);
          let text = '';
          await waitUntil(
            async () => /Activation: \d+\s*ms/.test((text = (await row.innerText()).replace(/\s+/g, ' '))),
            `not activated; its row says: ${text}`,
            15_000,
          ).catch(() => assert.fail(`not activated; its row says: ${text}`));
          await wb!.screenshot('package-running-extensions');
          assert.match(text, new RegExp(`\\b${pkg.version.replace(/\./g, '\\.')}\\b`), text);
          assert.equal(await row.locator('.codicon-error, .codicon-warning').count(), 0, `the extension reports a problem: ${text}`);
          assert.doesNotMatch(text, /fail|error/i);
          const editor = wb!.page.locator('.runtime-extensions-editor');
          await actUntil(() => wb!.page.keyboard.press('Escape'), async () => !(await editor.isVisible()), 'Escape does not leave Running Extensions');
        },
      },
      {
        title: 'its commands run: Veeam: Add Connection from the command palette asks which product',
        async run() {
          await wb!.runFromCommandPalette('Veeam: Add Connection');
          await wb!.waitForQuickInputOrError('Enterprise Manager');
          await wb!.quickPickItem('Service Provider Console').waitFor();
          await actUntil(() => wb!.quickInputBox.press('Escape', { timeout: 5_000 }), async () => !(await wb!.quickInput.isVisible()), 'Escape does not close the quick pick');
        },
      },
      {
        title: 'another extension gets nothing from it: its exports are undefined (no test API, no stored passwords)',
        async run() {
          // The probe activates once the window has started, and activates this extension to get its exports.
          await waitUntil(async () => probe!.report() !== undefined, 'the exports probe wrote no report', 30_000);
          const report = probe!.report()!;
          assert.equal(report.error, undefined, report.error);
          assert.ok(report.found, 'the probe did not find the extension');
          assert.equal(report.exportsType, 'undefined', `another extension got ${report.exportsType} with ${report.keys.join(', ')}`);
        },
      },
    ],
  };
}
