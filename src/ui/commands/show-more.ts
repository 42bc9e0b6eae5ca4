import { isGrowingNode, ShowMoreNode } from '../tree/show-more-node';
import type { ExplorerServices } from './services';

/** Shows the next page of rows of a long list in place of its "Show more" item (from what was fetched: no request). */
export async function showMore(services: ExplorerServices, node?: ShowMoreNode): Promise<void> {
  if (!(node instanceof ShowMoreNode) || !isGrowingNode(node.parent)) return;
  await node.parent.replaceChild(node, services.tree.showMore(node));
  services.tree.notifyChanged(node.parent);
}
