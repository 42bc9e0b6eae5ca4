import { LeafNode } from '../tree/leaf-node';
import type { ExplorerNode } from '../tree/node';
import type { ExplorerServices } from './services';

/** View title: forget every cached response and reload what is expanded. */
export function refreshView(services: ExplorerServices): void {
  services.tree.refresh();
}

/** Node menu: GET exactly this node again. */
export function refreshNode(services: ExplorerServices, node?: ExplorerNode): void {
  services.tree.refresh(node ?? services.treeView.selection[0]);
}

/** Error item: load the node that failed again. */
export function retry(services: ExplorerServices, node?: ExplorerNode): void {
  const target = node instanceof LeafNode && node.is('error') ? node.leaf.failed : node;
  if (target) services.tree.refresh(target);
}
