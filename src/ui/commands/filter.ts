import * as vscode from 'vscode';
import { CollectionNode } from '../tree/collection-node';
import type { ExplorerNode } from '../tree/node';
import type { ExplorerServices } from './services';
import { revealQuietly } from '../tree/reveal';

/**
 * Filters a VSPC collection by name on the server (its `filter` parameter): asks for the text, pre-filled with the
 * current one. An empty answer clears the filter; Escape changes nothing.
 */
export async function filterByName(services: ExplorerServices, node?: ExplorerNode): Promise<string | undefined> {
  const target = node ?? services.treeView.selection[0];
  if (!(target instanceof CollectionNode)) return undefined;
  const answer = await services.host.showInputBox({
    title: vscode.l10n.t('Filter {0} by Name', target.label),
    prompt: vscode.l10n.t('Show the items whose name contains this text (not case-sensitive); leave empty to show all.'),
    value: target.nameFilter ?? '',
    placeHolder: vscode.l10n.t('e.g. acme'),
  });
  if (answer === undefined) return target.nameFilter;
  await apply(services, target, answer);
  return target.nameFilter;
}

/** Removes the name filter of a collection. */
export async function clearFilter(services: ExplorerServices, node?: ExplorerNode): Promise<void> {
  const target = node ?? services.treeView.selection[0];
  if (target instanceof CollectionNode) await apply(services, target, undefined);
}

async function apply(services: ExplorerServices, node: CollectionNode, text: string | undefined): Promise<void> {
  node.setNameFilter(text);
  services.log.info(`${services.connections.get(node.connectionId)?.name ?? ''}: ${node.label} ${node.nameFilter ? `filtered by name "${node.nameFilter}"` : 'unfiltered'} (${node.href})`);
  services.tree.notifyChanged(node);
  await revealQuietly(services.treeView, node, { expand: true, select: true, focus: false });
}
