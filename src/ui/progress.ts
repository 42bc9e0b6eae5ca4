import { AsyncLocalStorage } from 'node:async_hooks';
import * as vscode from 'vscode';
import type { Host } from './host';

export const VIEW_ID = 'veeamApiExplorer.connections';

/** The progress of the task a request runs for: a session's notice (a 429 wait) reaches the task that is waiting. */
interface RunningTask {
  message?: string;
  /** Shows the notification now if it is not shown yet. */
  showNow(): void;
  report?: (message: string) => void;
}

const runningTask = new AsyncLocalStorage<RunningTask>();

/**
 * Shows a message (e.g. "The server asked to slow down; retrying in 30 s…") on the progress notification of the task
 * the caller runs for, showing the notification at once; false when the caller runs for no task.
 */
export function reportToRunningProgress(message: string): boolean {
  const task = runningTask.getStore();
  if (!task) return false;
  task.message = message;
  task.report?.(message);
  task.showNow();
  return true;
}

/**
 * Runs a slow task with an AbortSignal that reaches the HTTP request.
 * In the view: a progress bar in the view, and after a moment a notification with Cancel (the view's bar can't cancel).
 * Elsewhere (`noticeAfterMs: 0`): a cancellable notification right away.
 */
export async function withCancellableProgress<T>(
  host: Pick<Host, 'withProgress'>,
  title: string,
  task: (signal: AbortSignal) => Promise<T>,
  options: { inView?: boolean; noticeAfterMs?: number } = {},
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let shown = false;
  const running: RunningTask = { showNow: () => showNotice() };
  const work = runningTask.run(running, () => task(controller.signal));
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  if (options.inView) void host.withProgress({ location: { viewId: VIEW_ID } }, () => settled);
  function showNotice(): void {
    if (shown) return;
    shown = true;
    if (timer) clearTimeout(timer);
    void host.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      running.report = (message) => progress.report({ message });
      if (running.message) progress.report({ message: running.message });
      return settled;
    });
  }
  const delay = options.noticeAfterMs ?? (options.inView ? 1500 : 0);
  if (delay <= 0) showNotice();
  else timer = setTimeout(showNotice, delay);
  try {
    return await work;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
