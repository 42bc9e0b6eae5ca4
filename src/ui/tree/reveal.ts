import type * as vscode from 'vscode';
import type { ExplorerNode } from './node';

/**
 * Shows a node in the Connections view when the view is open (expanded, selected or focused as asked); never opens
 * the view, and never fails: a node the tree has dropped meanwhile is simply not shown.
 */
export async function revealQuietly(view: vscode.TreeView<ExplorerNode>, node: ExplorerNode | undefined, options: { expand?: boolean; select?: boolean; focus?: boolean }): Promise<void> {
  if (!node || !view.visible) return;
  await Promise.resolve(view.reveal(node, options)).catch(() => undefined);
}
