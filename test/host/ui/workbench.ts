// The parts of the VS Code workbench the UI tests touch, found the way a user (or a screen reader) finds them: the
// activity-bar tab by its title, tree rows by their accessible label, the quick input by its prompt, menu items and
// dialog buttons by their role and name. Every wait is on a condition of the page, never a fixed delay.
//
// On a busy machine the page may not have caught up with what it last did when it is read, and a click or key may
// land a moment later than it was sent. So nothing here reads a state and then acts on that reading alone (a click on
// an activity-bar tab or a twistie toggles: a stale reading turns it into the opposite of what was meant). Each
// action is followed by a wait for its effect, and the state is read again before an action is repeated.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';

/**
 * A row of a tree, not one of the copies the tree draws on top of itself as sticky headers for the ancestors of the
 * rows in view (same label and id, no aria-level).
 */
const TREE_ROW = '.monaco-list-row[role="treeitem"]:not(.monaco-tree-sticky-row)';

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

  /**
   * Opens a view container from its activity-bar icon and waits for its title. The icon toggles (clicking it while
   * its container shows hides the side bar), so it is clicked only while the container is not the selected one, and
   * the title is waited for after each click before the state is read again.
   */
  async openViewContainer(title: string): Promise<void> {
    const tab = this.activityBarTab(title);
    await tab.waitFor();
    const heading = this.sidebar.locator('.composite.title').filter({ hasText: new RegExp(escapeRegExp(title), 'i') });
    await actUntil(
      async () => {
        // Selected and the side bar showing: it is opening (or restoring); a click now would close it.
        if ((await tab.getAttribute('aria-selected')) === 'true' && (await this.sidebar.isVisible())) return;
        await tab.click({ timeout: 5_000 });
      },
      () => heading.isVisible(),
      `the "${title}" view container did not open`,
    );
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
    const rows = this.sidebar.getByRole('treeitem', { name }).and(this.sidebar.locator(TREE_ROW));
    return level === undefined ? rows : rows.and(this.sidebar.locator(`[aria-level="${level}"]`));
  }

  row(label: string | RegExp, level?: number): Locator {
    return this.rows(label, level).first();
  }

  /** Every rendered tree row at a depth. */
  rowsAt(level: number): Locator {
    return this.sidebar.locator(`${TREE_ROW}[aria-level="${level}"]`);
  }

  /** The label a row shows (without description). */
  async labelOf(row: Locator): Promise<string> {
    return (await row.locator('.label-name').first().innerText()).trim();
  }

  /**
   * Expands a row by clicking its twistie, as a user does, unless it is expanded already; never collapses it. The
   * twistie toggles, so after each click the tree is given time to say so (aria-expanded) before it is read again.
   * Then waits until its children are loaded (the twistie stops spinning), unless `whileLoading` (a list that is
   * meant to hang).
   */
  async expand(row: Locator, options: { whileLoading?: boolean } = {}): Promise<void> {
    await row.waitFor();
    const name = (await row.getAttribute('aria-label')) ?? 'a row';
    const twistie = row.locator('.monaco-tl-twistie');
    await actUntil(
      async () => {
        if ((await row.getAttribute('aria-expanded')) === 'true') return;
        await this.revealRow(row);
        await twistie.click({ timeout: 5_000 });
      },
      async () => (await row.getAttribute('aria-expanded')) === 'true',
      `"${name}" never expanded`,
    );
    if (options.whileLoading) return;
    await waitUntil(async () => (await row.getAttribute('aria-expanded')) === 'true' && !(await isLoading(twistie)), `the children of "${name}" never loaded`);
  }

  /** Collapses a row by clicking its twistie, unless it is collapsed already (the converse of `expand`). */
  async collapse(row: Locator): Promise<void> {
    await row.waitFor();
    const name = (await row.getAttribute('aria-label')) ?? 'a row';
    await actUntil(
      async () => {
        if ((await row.getAttribute('aria-expanded')) !== 'true') return;
        await this.revealRow(row);
        await row.locator('.monaco-tl-twistie').click({ timeout: 5_000 });
      },
      async () => (await row.getAttribute('aria-expanded')) === 'false',
      `"${name}" never collapsed`,
    );
  }

  /**
   * Scrolls the side bar's tree with the mouse wheel until `row` can be clicked: rendered (the tree renders only the
   * rows in view), and neither below the view nor under the sticky rows of its ancestors at the top (what is at its
   * middle is the row itself). Towards the row when it is rendered, else `first` (default down); then the other way,
   * each way until the rows in view stop changing.
   */
  async scrollTreeTo(row: Locator, first: 'up' | 'down' = 'down'): Promise<void> {
    if (await this.usable(row)) return;
    const tree = this.sidebar.locator('.monaco-list').first();
    await tree.waitFor();
    const box = await tree.boundingBox();
    if (!box) throw new Error('the tree has no size');
    const rendered = async () => (await this.sidebar.locator(TREE_ROW).evaluateAll((rows) => rows.map((r) => r.id))).join(' ');
    const at = (await row.count()) > 0 ? await row.boundingBox() : null;
    const down = at ? at.y > box.y + box.height / 2 : first === 'down';
    for (const direction of down ? [1, -1] : [-1, 1]) {
      for (let moves = 0; moves < 100; moves++) {
        // Low in the tree, away from the sticky rows.
        await this.page.mouse.move(box.x + box.width / 2, box.y + box.height * 0.75);
        const before = await rendered();
        // The workbench scrolls a few rows per wheel event whatever its delta: about half the view per move.
        for (let notches = 0; notches < 6; notches++) await this.page.mouse.wheel(0, direction * 100);
        // The wheel's effect lands a frame later: wait for the rows to change (or see that they did not).
        const moved = await waitUntil(async () => (await rendered()) !== before, 'the tree did not scroll', 2_000).then(() => true, () => false);
        // Rendered: look closer, with the mouse (and the tooltip it may have opened) out of the way.
        if ((await row.count()) > 0) {
          await this.moveMouseAway();
          if (await this.usable(row)) return;
        }
        if (!moved) break;
      }
    }
    throw new Error('scrolled the whole tree without bringing the row into view');
  }

  /** Scrolls the tree to `row` unless it can be clicked where it is. */
  async revealRow(row: Locator): Promise<void> {
    await row.waitFor();
    if (!(await this.usable(row))) await this.scrollTreeTo(row);
  }

  /** True when the middle of `row` is in view and nothing covers it (a sticky row, a hover). */
  private async usable(row: Locator): Promise<boolean> {
    if ((await row.count()) === 0) return false;
    return row
      .evaluate((element) => {
        const r = element.getBoundingClientRect();
        if (r.height === 0) return false;
        const hit = element.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
        return !!hit && element.contains(hit);
      })
      .catch(() => false);
  }

  /**
   * Moves the mouse to an empty part of the title bar and waits for any hover (a tree row's tooltip) to go away, so
   * that it covers nothing the next step looks at.
   */
  async moveMouseAway(): Promise<void> {
    const bar = await this.page.locator('.part.titlebar').boundingBox();
    await this.page.mouse.move(bar ? bar.x + bar.width * 0.2 : 1, bar ? bar.y + bar.height / 2 : 1);
    await waitUntil(async () => (await this.page.locator('.monaco-hover:visible, .workbench-hover:visible').count()) === 0, 'a hover stays', 5_000).catch(() => undefined);
  }

  /**
   * The rendered rows just below `row` and one level deeper (its children in view), with their place among all its
   * children (aria-posinset of aria-setsize).
   */
  async childRows(row: Locator): Promise<{ label: string; position: number; of: number }[]> {
    const id = await row.getAttribute('id');
    const rows: { id: string; index: number; level: number; label: string; position: number; of: number }[] = await this.sidebar.locator(TREE_ROW).evaluateAll((elements) =>
      elements.map((e) => ({
        id: e.id,
        index: Number(e.getAttribute('data-index')),
        level: Number(e.getAttribute('aria-level')),
        label: e.getAttribute('aria-label') ?? '',
        position: Number(e.getAttribute('aria-posinset')),
        of: Number(e.getAttribute('aria-setsize')),
      })),
    );
    rows.sort((a, b) => a.index - b.index);
    const at = rows.findIndex((r) => r.id === id);
    if (at < 0) throw new Error('the row is not rendered');
    const level = rows[at].level;
    const children: { label: string; position: number; of: number }[] = [];
    for (let i = at + 1; i < rows.length && rows[i].level > level && rows[i].index === rows[i - 1].index + 1; i++) {
      if (rows[i].level === level + 1) children.push({ label: rows[i].label, position: rows[i].position, of: rows[i].of });
    }
    return children;
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

  /**
   * Waits for an input box showing `prompt`, types `value` into it and accepts it with Enter; then waits until the
   * prompt has gone (the next step or nothing). Enter is pressed once: pressed again it could answer the next step.
   */
  async answerInputBox(prompt: string | RegExp, value: string): Promise<void> {
    const message = this.inputBoxPrompt(prompt);
    await message.waitFor();
    await waitUntil(async () => {
      if ((await this.quickInputBox.inputValue()) !== value) await this.quickInputBox.fill(value);
      return (await this.quickInputBox.inputValue()) === value;
    }, `"${value}" could not be typed into the input box`);
    await this.quickInputBox.press('Enter');
    await message.waitFor({ state: 'hidden' });
  }

  /** The prompt under an input box (its message line), matched case-sensitively. */
  inputBoxPrompt(prompt: string | RegExp): Locator {
    return this.quickInput.locator('.quick-input-message').filter({ hasText: typeof prompt === 'string' ? new RegExp(escapeRegExp(prompt)) : prompt });
  }

  /** The quick pick's item whose accessible label starts with `label`. */
  quickPickItem(label: string | RegExp): Locator {
    const name = typeof label === 'string' ? new RegExp(`^${escapeRegExp(label)}`) : label;
    return this.quickInput.locator('.quick-input-list').getByRole('option', { name }).first();
  }

  /**
   * Clicks a quick pick's item and waits until the pick has gone (the next step or nothing); clicks again only while
   * the item still shows (an accepted pick is answered once, a second accept of it is ignored).
   */
  async chooseQuickPickItem(label: string | RegExp): Promise<void> {
    const item = this.quickPickItem(label);
    await item.waitFor();
    await clickUntil(item, async () => !(await item.isVisible()), `the quick pick's item ${String(label)} was not accepted`);
  }

  async waitForQuickInputClosed(): Promise<void> {
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /**
   * F1, the command's title, Enter: the command palette as a user runs it. Enter runs the focused entry, so it is
   * pressed only once the filtered list has focused the command wanted; then the palette must have gone (or another
   * quick input taken its place).
   */
  async runFromCommandPalette(title: string): Promise<void> {
    const value = `>${title}`;
    // F1 before the workbench listens to keys does nothing: press it again while no palette shows.
    await actUntil(
      async () => {
        if (!(await this.quickInputBox.isVisible())) await this.page.keyboard.press('F1');
      },
      () => this.quickInputBox.isVisible(),
      'F1 opened no command palette',
    );
    await waitUntil(async () => {
      if ((await this.quickInputBox.inputValue()) !== value) await this.quickInputBox.fill(value);
      return (await this.quickInputBox.inputValue()) === value;
    }, `"${value}" could not be typed into the command palette`);
    const wanted = new RegExp(escapeRegExp(title), 'i');
    const focused = this.quickInput.locator('.quick-input-list .monaco-list-row.focused[role="option"]');
    await waitUntil(
      async () => wanted.test((await focused.getAttribute('aria-label', { timeout: 1_000 }).catch(() => null)) ?? ''),
      `the command palette does not offer "${title}" first`,
    );
    await this.quickInputBox.press('Enter');
    await waitUntil(
      async () => !(await this.quickInputBox.isVisible()) || (await this.quickInputBox.inputValue()) !== value,
      `the command palette did not run "${title}"`,
    );
  }

  /** The context menu while one shows (the menu may be drawn in a shadow root: locators look inside those). */
  get contextMenuPanel(): Locator {
    return this.page.locator('.context-view .monaco-menu');
  }

  /**
   * Right-clicks a row and chooses an item of its context menu with the keyboard: waits for the menu to show and stop
   * changing, moves the focus down to the item (a bounded number of presses), presses Enter, and checks that the menu
   * closed. A mouse click on a menu that is still laying itself out can be lost; when anything is off (no menu, no
   * such item, the focus elsewhere, the menu still open after Enter), Escape and the whole right-click again.
   */
  async contextMenu(row: Locator, item: string): Promise<void> {
    const wanted = new RegExp(`^${escapeRegExp(item)}`);
    const menu = this.contextMenuPanel;
    const items = menu.getByRole('menuitem');
    const problems: string[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await this.closeContextMenu();
      await this.revealRow(row);
      // A hover left by an earlier step may cover the row.
      if (!(await row.click({ button: 'right', timeout: 5_000 }).then(() => true, () => false))) {
        problems.push('the row could not be right-clicked');
        await this.moveMouseAway();
        continue;
      }
      if (!(await menu.waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false))) {
        problems.push('no menu');
        continue;
      }
      // Settled: the same items at the same place twice in a row.
      let last = '';
      const settled = await waitUntil(async () => {
        const now = JSON.stringify([await items.allInnerTexts(), await menu.boundingBox()]);
        const same = now === last;
        last = now;
        return same;
      }, 'the menu kept changing', 10_000).then(() => true, () => false);
      const labels = (await items.allInnerTexts()).map((t) => t.trim());
      if (!settled || !labels.some((l) => wanted.test(l))) {
        problems.push(settled ? `no "${item}" among ${labels.join(' | ')}` : 'the menu kept changing');
        continue;
      }
      // The menu takes the focus as it shows; the keys below go wherever the focus is.
      let focused: string | undefined;
      await waitUntil(async () => (focused = await this.focusedMenuItem()) !== undefined, '', 2_000).catch(() => undefined);
      for (let presses = 0; focused !== undefined && !wanted.test(focused) && presses <= labels.length + 1; presses++) {
        await this.page.keyboard.press('ArrowDown');
        focused = await this.focusedMenuItem();
      }
      if (focused === undefined || !wanted.test(focused)) {
        problems.push(focused === undefined ? 'the focus is not in the menu' : `the focus stopped on "${focused}"`);
        continue;
      }
      await this.page.keyboard.press('Enter');
      if (await menu.waitFor({ state: 'hidden', timeout: 10_000 }).then(() => true, () => false)) return;
      problems.push('the menu stayed open after Enter');
    }
    await this.closeContextMenu();
    throw new Error(`could not choose "${item}" from the context menu: ${problems.join('; ')}`);
  }

  /** Escape until no context menu shows. */
  private async closeContextMenu(): Promise<void> {
    await actUntil(() => this.page.keyboard.press('Escape'), async () => !(await this.contextMenuPanel.isVisible()), 'the context menu does not close', { settleMs: 2_000 });
  }

  /**
   * The label of the menu item that has the keyboard focus ('' for the menu itself); undefined when the focus is not
   * in a menu. Follows the focus into shadow roots.
   */
  private async focusedMenuItem(): Promise<string | undefined> {
    const label = await this.page.evaluate<string | null>(`(() => {
      let element = document.activeElement;
      while (element && element.shadowRoot && element.shadowRoot.activeElement) element = element.shadowRoot.activeElement;
      if (!element || !element.closest('.monaco-menu')) return null;
      const item = element.closest('.action-menu-item');
      const text = item && item.querySelector('.action-label');
      return text ? text.textContent.trim() : '';
    })()`);
    return label ?? undefined;
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
   * (The editor only renders the lines in view, so the page's DOM does not hold it all.) Each attempt does it all
   * again: a click or key that landed before the editor was ready leaves the clipboard empty, and waiting on the
   * clipboard alone would never see it filled. `accept` says what a complete text looks like (default: not empty).
   */
  async activeEditorText(accept: (text: string) => boolean = (text) => text.length > 0): Promise<string> {
    const editor = this.page.locator('.part.editor .editor-instance .monaco-editor').first();
    await editor.waitFor();
    let text = '';
    const copied = waitUntil(async () => {
      await this.page.evaluate("navigator.clipboard.writeText('')");
      await editor.locator('.view-lines').click({ timeout: 5_000 });
      await this.page.keyboard.press('ControlOrMeta+A');
      await this.page.keyboard.press('ControlOrMeta+C');
      // The copy reaches the clipboard asynchronously: give it a moment (a condition, not a delay) before copying again.
      await waitUntil(async () => (text = await this.page.evaluate<string>('navigator.clipboard.readText()')).length > 0, '', 2_000).catch(() => undefined);
      return accept(text);
    }, "the editor's text never reached the clipboard");
    await copied.catch((err: Error) => {
      throw text ? new Error(`the editor's text on the clipboard is not what was expected: ${text.slice(0, 200)}…`) : err;
    });
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

/**
 * Converges on a state: while `done` does not hold, `act` (which may look at the page again and do nothing), then
 * wait up to `settleMs` for `done` (longer on each attempt: a busy machine may take a while to show an effect)
 * before looking again. An action that throws (its element went away) counts as an attempt; the last error is named.
 */
export async function actUntil(
  act: () => Promise<void>,
  done: () => Promise<boolean>,
  what: string,
  options: { settleMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const settleMs = options.settleMs ?? 3_000;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let lastError: unknown;
  for (let attempt = 1; ; attempt++) {
    if (await done()) return;
    if (Date.now() > deadline) {
      throw new Error(`${what} (tried ${attempt - 1} times in ${(options.timeoutMs ?? 30_000) / 1000} s${lastError ? `; last error: ${String(lastError).split('\n')[0]}` : ''})`);
    }
    try {
      await act();
    } catch (err) {
      lastError = err;
    }
    const wait = Math.min(settleMs * attempt, Math.max(0, deadline - Date.now()));
    if (await waitUntil(done, what, wait).then(() => true, () => false)) return;
  }
}

/** Clicks `target` until `done` holds (see actUntil); a click whose element is gone or hidden is not retried blindly. */
export async function clickUntil(target: Locator, done: () => Promise<boolean>, what: string, options: { settleMs?: number; timeoutMs?: number } = {}): Promise<void> {
  await actUntil(
    async () => {
      if (await target.isVisible()) await target.click({ timeout: 5_000 });
    },
    done,
    what,
    options,
  );
}

function isLoading(twistie: Locator): Promise<boolean> {
  return twistie.evaluate((e) => e.classList.contains('codicon-tree-item-loading')).catch(() => false);
}
