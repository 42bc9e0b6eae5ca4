// The parts of the VS Code workbench the UI tests touch, found the way a user (or a screen reader) finds them: the
// activity-bar tab by its title, tree rows by their accessible label, the quick input by its prompt, menu items and
// dialog buttons by their role and name. Every wait is on a condition of the page, never a fixed delay.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Workbench {
  private constructor(
    readonly page: Page,
    private readonly artifacts: string,
    private readonly log: (message: string) => void,
  ) {}

  /**
   * Opens the workbench on `folder`; with `extensionDevelopmentPath` the server must run with the smoke-test driver
   * (it loads the extension from that folder, as F5 does).
   */
  static async open(o: {
    context: BrowserContext;
    origin: string;
    folder: string;
    extensionDevelopmentPath?: string;
    artifacts: string;
    log: (message: string) => void;
    viewport?: { width: number; height: number };
  }): Promise<Workbench> {
    const page = await o.context.newPage();
    if (o.viewport) await page.setViewportSize(o.viewport);
    page.setDefaultTimeout(30_000);
    let url = `${o.origin}/?folder=${encodeURIComponent(o.folder)}`;
    if (o.extensionDevelopmentPath) {
      const authority = new URL(o.origin).host;
      const payload = JSON.stringify([['extensionDevelopmentPath', `vscode-remote://${authority}${o.extensionDevelopmentPath}`]]);
      url += `&payload=${encodeURIComponent(payload)}`;
    }
    await page.goto(url);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    fs.mkdirSync(o.artifacts, { recursive: true });
    return new Workbench(page, o.artifacts, o.log);
  }

  async close(): Promise<void> {
    await this.page.close().catch(() => undefined);
  }

  async screenshot(name: string): Promise<string> {
    const file = path.join(this.artifacts, `${name}.png`);
    await this.page.screenshot({ path: file });
    this.log(`  screenshot .test-artifacts/${name}.png`);
    return file;
  }

  /** The activity-bar tab of a view container, by its title. */
  activityBarTab(title: string): Locator {
    return this.page.locator('.part.activitybar').getByRole('tab', { name: title, exact: false }).first();
  }

  get sidebar(): Locator {
    return this.page.locator('.part.sidebar');
  }

  /** Clicks the container's activity-bar icon (unless its view is already open) and waits for its title. */
  async openViewContainer(title: string): Promise<void> {
    const tab = this.activityBarTab(title);
    await tab.waitFor();
    const heading = this.sidebar.locator('.composite.title').filter({ hasText: new RegExp(escapeRegExp(title), 'i') });
    if (!(await heading.isVisible())) await tab.click();
    await heading.waitFor();
  }

  /** Drags the side bar's edge to make it `width` pixels wide (cosmetic: for screenshots; a no-op when it cannot). */
  async widenSideBar(width: number): Promise<void> {
    const box = await this.sidebar.boundingBox();
    if (!box || box.width >= width) return;
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width + 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
    // Away from the edge, so the picture shows no highlighted sash.
    await this.page.mouse.move(box.x + width + 400, y);
    await waitUntil(async () => (await this.page.locator('.monaco-sash.hover, .monaco-sash.active').count()) === 0, 'the sash stays highlighted');
    const after = await this.sidebar.boundingBox();
    this.log(`  side bar ${Math.round(box.width)} → ${Math.round(after?.width ?? 0)} px wide`);
  }

  /** The welcome content of the side bar's view (shown while the tree is empty). */
  get welcome(): Locator {
    return this.sidebar.locator('.welcome-view-content');
  }

  /**
   * Tree rows of the side bar whose accessible label starts with `label` (the extension's labels read
   * "name, description, kind"), optionally at a tree depth (aria-level, 1 = top).
   */
  rows(label: string | RegExp, level?: number): Locator {
    const name = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}(,|$)`) : label;
    const rows = this.sidebar.getByRole('treeitem', { name });
    return level === undefined ? rows : rows.and(this.sidebar.locator(`[aria-level="${level}"]`));
  }

  row(label: string | RegExp, level?: number): Locator {
    return this.rows(label, level).first();
  }

  /** Every visible tree row at a depth. */
  rowsAt(level: number): Locator {
    return this.sidebar.locator(`.monaco-list-row[role="treeitem"][aria-level="${level}"]`);
  }

  /** The label a row shows (without description). */
  async labelOf(row: Locator): Promise<string> {
    return (await row.locator('.label-name').first().innerText()).trim();
  }

  /** Expands a collapsed row by clicking it, as a user does, and waits until the tree says it is expanded. */
  async expand(row: Locator): Promise<void> {
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    await waitForAttribute(row, 'aria-expanded', 'true');
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  get quickInputBox(): Locator {
    return this.quickInput.locator('.quick-input-box input');
  }

  /** Waits until the quick input shows `text` (an input box's prompt or a quick pick's item). */
  async waitForQuickInput(text: string | RegExp): Promise<void> {
    await this.quickInput.waitFor({ state: 'visible' });
    await this.quickInput.filter({ hasText: text }).waitFor({ state: 'visible' });
  }

  /** Like waitForQuickInput, but fails at once with the message of an error dialog (e.g. "command … not found"). */
  async waitForQuickInputOrError(text: string | RegExp): Promise<void> {
    const error = this.page.locator('.monaco-dialog-box').filter({ has: this.page.locator('.codicon-error, .dialog-icon.codicon-error') });
    await this.quickInput.filter({ hasText: text }).or(error).first().waitFor({ state: 'visible' });
    if (await error.isVisible()) throw new Error(`an error dialog instead of the quick input: ${(await error.innerText()).replace(/\s+/g, ' ')}`);
  }

  /** Waits for an input box showing `prompt`, types `value` into it and accepts it with Enter. */
  async answerInputBox(prompt: string | RegExp, value: string): Promise<void> {
    await this.waitForQuickInput(prompt);
    await this.quickInputBox.fill(value);
    await this.quickInputBox.press('Enter');
  }

  /** The quick pick's item whose accessible label starts with `label`. */
  quickPickItem(label: string | RegExp): Locator {
    const name = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}`) : label;
    return this.quickInput.locator('.quick-input-list').getByRole('option', { name }).first();
  }

  async waitForQuickInputClosed(): Promise<void> {
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /** F1, the command's title, Enter: the command palette as a user runs it. */
  async runFromCommandPalette(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInputBox.waitFor({ state: 'visible' });
    await this.quickInputBox.fill(`>${title}`);
    const item = this.quickPickItem(new RegExp(escapeRegExp(title), 'i'));
    await item.waitFor();
    await this.quickInputBox.press('Enter');
  }

  /** Right-clicks a row and chooses an item of its context menu. */
  async contextMenu(row: Locator, item: string): Promise<void> {
    await row.click({ button: 'right' });
    const menuItem = this.page.locator('.context-view .monaco-menu').getByRole('menuitem', { name: new RegExp(`^${escapeRegExp(item)}`) });
    await menuItem.first().click();
  }

  /** The modal dialog with this message. */
  dialog(message: string | RegExp): Locator {
    return this.page.locator('.monaco-dialog-box').filter({ hasText: message });
  }

  /** The active editor's tab. */
  get activeTab(): Locator {
    return this.page.locator('.part.editor .tabs-container .tab.active');
  }

  /**
   * The whole text of the active editor, as a user gets it: click into it, select all, copy; read the clipboard.
   * (The editor only renders the lines in view, so the page's DOM does not hold it all.)
   */
  async activeEditorText(): Promise<string> {
    const editor = this.page.locator('.part.editor .editor-instance .monaco-editor').first();
    await editor.waitFor();
    await this.page.evaluate("navigator.clipboard.writeText('')");
    await editor.locator('.view-lines').click();
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('ControlOrMeta+C');
    let text = '';
    await waitUntil(async () => {
      text = await this.page.evaluate<string>('navigator.clipboard.readText()');
      return text.length > 0;
    }, 'the editor text never reached the clipboard');
    return text;
  }
}

/** Polls `check` (every 100 ms) until it holds; the failure names what never happened. */
export async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`${what} (waited ${timeoutMs / 1000} s)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForAttribute(locator: Locator, name: string, value: string): Promise<void> {
  await waitUntil(async () => (await locator.getAttribute(name)) === value, `${name} never became ${value}`);
}
