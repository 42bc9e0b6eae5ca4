// Everything the extension shows the user or asks of them, behind one interface (the "Host" of vscode-kubernetes-tools):
// messages, questions, the guided input, progress and status bar text. The extension's tests answer and observe it
// through the test API instead of a person clicking a modal; nothing else in ui/ calls `vscode.window` for these.
import * as vscode from 'vscode';
import { quickInputPrompts, type GuidedPrompts } from './guided-input';

export interface Host {
  /** A modal or non-modal warning with choices; resolves to the choice, undefined when dismissed. */
  showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  /** A non-modal note with choices; resolves to the choice, undefined when dismissed. */
  showInformationMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  /** A non-modal error with choices; resolves to the choice, undefined when dismissed. */
  showErrorMessage(message: string, ...items: string[]): Thenable<string | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
  /** The steps of a guided input (Add and Edit Connection). */
  guided: GuidedPrompts;
  /** A task's progress (in the view or as a notification, as `options` say); `increment` moves a notification's bar. */
  withProgress<R>(options: vscode.ProgressOptions, task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>): Thenable<R>;
  /** A short text in the status bar, for `hideAfterMs`. */
  setStatusBarMessage(text: string, hideAfterMs: number): void;
}

export function createHost(): Host {
  return {
    showWarningMessage: (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
    showInformationMessage: (message, ...items) => vscode.window.showInformationMessage(message, ...items),
    showErrorMessage: (message, ...items) => vscode.window.showErrorMessage(message, ...items),
    showInputBox: (options) => vscode.window.showInputBox(options),
    showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
    guided: quickInputPrompts,
    withProgress: (options, task) => vscode.window.withProgress(options, task),
    setStatusBarMessage: (text, hideAfterMs) => void vscode.window.setStatusBarMessage(text, hideAfterMs),
  };
}
