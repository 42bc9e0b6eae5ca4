import * as vscode from 'vscode';

export const VIEW_ID = 'veeamApiExplorer.connections';

/**
 * Runs a slow task with an AbortSignal that reaches the HTTP request.
 * In the view: a progress bar in the view, and after a moment a notification with Cancel (the view's bar can't cancel).
 * Elsewhere (`noticeAfterMs: 0`): a cancellable notification right away.
 */
export async function withCancellableProgress<T>(
  title: string,
  task: (signal: AbortSignal) => Promise<T>,
  options: { inView?: boolean; noticeAfterMs?: number } = {},
): Promise<T> {
  const controller = new AbortController();
  const work = task(controller.signal);
  const settled = work.then(
    () => undefined,
    () => undefined,
  );
  if (options.inView) void vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => settled);
  const showNotice = () =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return settled;
    });
  const delay = options.noticeAfterMs ?? (options.inView ? 1500 : 0);
  let timer: NodeJS.Timeout | undefined;
  if (delay <= 0) void showNotice();
  else timer = setTimeout(() => void showNotice(), delay);
  try {
    return await work;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
