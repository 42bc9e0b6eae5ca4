import { showError } from '../error-display';
import { HrefNode } from '../tree/href-node';
import { LoadMoreNode } from '../tree/load-more-node';
import { NextPageNode } from '../tree/next-page-node';
import type { ExplorerServices } from './services';

let loading: NextPageNode | LoadMoreNode | undefined;

/** Appends the next page of a paged list under the same parent, in place of the "Next page" or "Load more" item. */
export async function nextPage(services: ExplorerServices, node?: NextPageNode | LoadMoreNode): Promise<void> {
  if (!(node instanceof NextPageNode || node instanceof LoadMoreNode) || !(node.parent instanceof HrefNode) || loading === node) return;
  const parent = node.parent;
  loading = node;
  try {
    await parent.appendNextPage(node, node.nextHref);
    services.tree.notifyChanged(parent);
  } catch (err) {
    showError(err, services.log, services.connections.get(node.connectionId));
  } finally {
    loading = undefined;
  }
}
