// A step of the UI walk (explorer-ui.ts): Run Action… on an Enterprise Manager job's Start row, from its inline icon,
// as a user does it: the modal names the job and the connection and shows method and URL (nothing is sent before it is
// answered), Run, the notification follows the task to its end, Open Result shows the final task, and the job's rows
// are read again: its newest session is the new one, stopped with success.
import * as assert from 'node:assert/strict';
import type { Simulators } from '../simulator-env';
import type { UiTest } from './ui-test';
import { actUntil, clickUntil, escapeRegExp, waitUntil, type Workbench } from './workbench';

export interface RunActionUiOptions {
  wb: () => Workbench;
  sims: Simulators;
  /** The EM connection's name, logged on, its Jobs list under it. */
  connection: string;
  /** The job the walk expanded (its row at level 3 under Jobs). */
  jobName: () => string;
}

export function runActionUiTest(o: RunActionUiOptions): UiTest {
  return {
    title: 'Run Action… (the inline icon of a job’s Start) asks in a modal, is followed to its end in a notification, and the job’s newest session shows it',
    async run() {
      const wb = o.wb();
      const jobName = o.jobName();
      const CONNECTION = o.connection;
      await wb.collapse(wb.row('Backup Servers', 2));
      await wb.expand(wb.row('Jobs', 2));
      await wb.expand(wb.row(jobName, 3));
      // The job's sessions, newest first: what the tree shows of a job's state on Enterprise Manager.
      const sessions = wb.row(/^Backup Job Sessions/, 4);
      await wb.expand(sessions);
      let before: { label: string }[] = [];
      await waitUntil(async () => (before = await wb.childRows(sessions)).length > 0, 'the job shows no sessions');
      const entity = wb.row(/^Job, alternate/, 4);
      await wb.expand(entity);
      const start = wb.row(/^Start, POST/, 5);
      await wb.revealRow(start);
      const icon = start.getByRole('button', { name: 'Run Action…' });
      const dialog = wb.dialog(new RegExp(`Start '${escapeRegExp(jobName)}' on ${CONNECTION}\\?`));
      const starts = () => o.sims.em.requests.filter((r) => r.method === 'POST' && /\?action=start$/.test(r.path)).length;
      const startsBefore = starts();
      // The row shows its inline actions while the mouse is over it.
      await actUntil(
        async () => {
          await start.hover({ timeout: 5_000 });
          await icon.click({ timeout: 5_000 });
        },
        () => dialog.isVisible(),
        'the Run Action… icon asked nothing',
      );
      const asked = await dialog.innerText();
      assert.match(asked, new RegExp(`Connection: ${CONNECTION} \\(EM, `));
      assert.match(asked, /Method: POST/);
      assert.match(asked, /URL: https:\/\/\S+\/api\/jobs\/\S+\?action=start/);
      assert.equal(starts(), startsBefore, 'the question came after the request');
      await wb.screenshot('ui-run-action-confirm');
      // The task's first reading is slow, so its notification stays long enough to be seen.
      o.sims.em.setFault({ kind: 'slow', delayMs: 3000, path: '/api/tasks/', times: 1 });
      await clickUntil(dialog.getByRole('button', { name: 'Run', exact: true }), async () => !(await dialog.isVisible()), 'Run left the dialog open');
      // Every notification is listed in the notification center; the bell toggles it: clicked only while closed.
      const center = wb.page.locator('.notifications-center.visible');
      const following = wb.page.locator('.notification-list-item').filter({ hasText: /StartJob on Simulator/ }).first();
      const succeeded = wb.page.locator('.notification-list-item').filter({ hasText: new RegExp(`Start '${escapeRegExp(jobName)}' on ${CONNECTION} succeeded`) }).first();
      await actUntil(
        async () => {
          if (!(await center.isVisible())) await wb.page.locator('[id="status.notifications"]').click({ timeout: 5_000 });
        },
        async () => (await following.isVisible()) || (await succeeded.isVisible()),
        'no notification followed the job',
      );
      if (await following.isVisible()) await wb.screenshot('ui-run-action-progress');
      await succeeded.waitFor();
      await following.waitFor({ state: 'detached' });
      assert.equal(starts(), startsBefore + 1, 'the job was not started exactly once');
      await wb.screenshot('ui-run-action-succeeded');
      // The bell's hover ("Hide Notifications") may cover the notification's button: the mouse away first.
      await wb.moveMouseAway();
      const openResult = succeeded.getByRole('button', { name: 'Open Result' });
      await actUntil(
        async () => {
          await wb.moveMouseAway();
          await openResult.click({ timeout: 5_000 });
        },
        () => wb.activeTab.filter({ hasText: /result/i }).isVisible(),
        'Open Result opened nothing',
      );
      const result = await wb.activeEditorText((t) => /"State":\s*"Finished"/.test(t));
      assert.match(result, /"Operation":\s*"StartJob"/);
      assert.match(result, /"Success":\s*true/);
      await actUntil(
        async () => {
          await wb.page.keyboard.press('Escape');
          if (await center.isVisible()) await center.getByRole('button', { name: /Hide Notifications/i }).click({ timeout: 2_000 });
        },
        async () => !(await center.isVisible()),
        'the notification center stays open',
      );
      // The job's rows were read again: its newest session is the new one, stopped with success.
      let now: { label: string }[] = [];
      await waitUntil(async () => {
        await wb.expand(wb.row(jobName, 3));
        await wb.expand(sessions);
        now = await wb.childRows(sessions);
        return now.length > before.length - 1 && now[0].label !== before[0].label;
      }, 'the job’s sessions show no new session');
      // The Job entity folded away: room for the session's fields.
      await wb.collapse(entity);
      const newest = wb.row(new RegExp(`^${escapeRegExp(now[0].label)}`), 5);
      await wb.expand(newest);
      const session = wb.row(/^Backup Job Session, alternate/, 6);
      await wb.expand(session);
      // The tree renders only the rows in view: scrolled to each field.
      for (const field of [/^State: Stopped/, /^Result: Success/]) {
        const row = wb.row(field, 7);
        await actUntil(() => wb.scrollTreeTo(row), () => row.isVisible(), `the new session shows no ${field.source.slice(1)}`);
      }
      await wb.screenshot('ui-run-action-session');
      // Left as found: Jobs folded, the tree scrolled back to the connection's row (the next steps start from it).
      await wb.scrollTreeTo(wb.row('Jobs', 2), 'up');
      await wb.collapse(wb.row('Jobs', 2));
      await wb.scrollTreeTo(wb.row(CONNECTION, 1), 'up');
    },
  };
}
