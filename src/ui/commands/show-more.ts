import { showError } from '../error-display';
import { MoreRowsNode } from '../tree/more-rows-node';
import type { ExplorerServices } from './services';

/** Rows being read for, so a second click on the same "Next page" or "Load more" row asks for nothing more. */
const loading = new Set<MoreRowsNode>();

/**
 * The one command of every "more rows" row: puts the rows it stands for in its place, from what was fetched ("Show
 * more") or from the next page ("Next page", "Load more"), under the same parent.
 */
export async function showMore(services: ExplorerServices, node?: MoreRowsNode): Promise<void> {
  if (!(node instanceof MoreRowsNode) || !node.parent || loading.has(node)) return;
  const parent = node.parent;
  loading.add(node);
  try {
    const rows = await services.tree.rowsAfter(node);
    await parent.replaceChild(node, rows, node.nextHref);
    services.tree.notifyChanged(parent);
  } catch (err) {
    showError(err, services, services.connections.get(node.connectionId));
  } finally {
    loading.delete(node);
  }
}
