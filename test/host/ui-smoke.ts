// A user's first look, driven through the real workbench: open VS Code with the extension, click its activity-bar
// icon, see its view. Screenshots go to .test-artifacts/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export interface UiSmokeOptions {
  context: BrowserContext;
  origin: string;
  workspace: string;
  repo: string;
  artifacts: string;
  log: (message: string) => void;
}

interface ViewContainer {
  id: string;
  title: string;
}

function contributedActivityBarContainer(repo: string): ViewContainer | undefined {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
    contributes?: { viewsContainers?: { activitybar?: ViewContainer[] } };
  };
  return pkg.contributes?.viewsContainers?.activitybar?.[0];
}

/** Resolves a `%key%` title from package.nls.json, as VS Code does. */
function localized(repo: string, title: string): string {
  const m = /^%(.+)%$/.exec(title);
  if (!m) return title;
  const nlsFile = path.join(repo, 'package.nls.json');
  if (!fs.existsSync(nlsFile)) return title;
  const nls = JSON.parse(fs.readFileSync(nlsFile, 'utf8')) as Record<string, string | { message: string }>;
  const v = nls[m[1]];
  return typeof v === 'string' ? v : (v?.message ?? title);
}

export type UiSmokeResult = 'passed' | 'failed' | 'skipped';

export async function runUiSmoke(o: UiSmokeOptions): Promise<UiSmokeResult> {
  const container = contributedActivityBarContainer(o.repo);
  if (!container) {
    o.log('UI smoke skipped: package.json contributes no activity-bar view container yet');
    return 'skipped';
  }
  const title = localized(o.repo, container.title);
  const started = Date.now();
  const page: Page = await o.context.newPage();
  fs.mkdirSync(o.artifacts, { recursive: true });
  const shot = (name: string) => page.screenshot({ path: path.join(o.artifacts, `${name}.png`) });
  try {
    const authority = new URL(o.origin).host;
    const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${authority}${o.repo}`]]);
    await page.goto(`${o.origin}/?folder=${encodeURIComponent(o.workspace)}&payload=${encodeURIComponent(payload)}`);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });

    const icon = page.locator('.part.activitybar').getByRole('tab', { name: title, exact: false }).first();
    await icon.waitFor({ timeout: 30_000 });
    await icon.click();
    const heading = page.locator('.part.sidebar .composite.title').filter({ hasText: new RegExp(escapeRegExp(title), 'i') });
    await heading.waitFor({ timeout: 30_000 });
    // The extension has activated and registered its tree when the view shows its welcome content or its first nodes
    // (before that VS Code says "There is no data provider registered that can provide view data").
    await page
      .locator('.part.sidebar')
      .locator('.welcome-view-content, .monaco-list-row')
      .first()
      .waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(500); // let the rest of the view paint before the screenshot
    await shot('ui-activity-bar-view');
    o.log(`UI smoke passed: clicked "${title}" in the activity bar, its view opened (${((Date.now() - started) / 1000).toFixed(1)} s); screenshot .test-artifacts/ui-activity-bar-view.png`);
    return 'passed';
  } catch (err) {
    await shot('ui-smoke-failure').catch(() => undefined);
    o.log(`UI smoke FAILED: ${err instanceof Error ? err.message : String(err)}; screenshot .test-artifacts/ui-smoke-failure.png`);
    return 'failed';
  } finally {
    await page.close().catch(() => undefined);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
