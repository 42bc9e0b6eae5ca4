// The questions the extension asks the user, behind one small interface (the "Host" of vscode-kubernetes-tools):
// the extension's tests answer them through the test API instead of a person clicking a modal.
import * as vscode from 'vscode';

export interface Host {
  /** A modal or non-modal warning with choices; resolves to the choice, undefined when dismissed. */
  showWarningMessage(message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Thenable<string | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Thenable<T | undefined>;
}

export function createHost(): Host {
  return {
    showWarningMessage: (message, options, ...items) => vscode.window.showWarningMessage(message, options, ...items),
    showInputBox: (options) => vscode.window.showInputBox(options),
    showQuickPick: (items, options) => vscode.window.showQuickPick(items, options),
  };
}
