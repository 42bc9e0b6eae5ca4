// Nothing happens by browsing: a walk over the estates of the three simulators (every kind of row expanded, lists
// paged, rows refreshed, raw responses opened) sends GET and nothing else, though it meets action rows on the way.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { addKindConnection, listed, sims, type Kind } from './action-fixture';
import { child, children, contextOf, removeAllConnections } from './explorer-fixture';

const KINDS: Kind[] = ['em', 'vspc', 'vbr'];
/**
 * How deep the walk goes, how many rows of each kind it opens under a row (every group and every collection of a
 * group: an API's areas), and how many rows it opens in all.
 */
const DEPTH = 5;
const PER_KIND = 2;
const EVERY = /^(group|collection)$/;
const MAX_ROWS = 300;

describe('browsing the estates of the three APIs', function () {
  before(async () => {
    await removeAllConnections();
    for (const kind of KINDS) await sims[kind].clear();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await removeAllConnections();
    for (const kind of KINDS) await sims[kind].clear();
  });

  it('expanding, paging, refreshing and opening every kind of row sends only GET requests', async function () {
    this.timeout(240_000);
    for (const kind of KINDS) {
      const name = `${kind.toUpperCase()} estate`;
      const def = await addKindConnection(kind, name);
      assert.ok(await vscode.commands.executeCommand('veeamApiExplorer.logOn', def.id), `Log On to ${kind} failed`);
      // The logon's own requests (a POST on every API) are the connection's, not browsing.
      await sims[kind].clear();
      const seen = new Map<string, number>();
      let opened = 0;
      const walk = async (node: ExplorerNode, depth: number): Promise<void> => {
        const kindOf = contextOf(node).replace(/\+.*$/, '');
        seen.set(kindOf, (seen.get(kindOf) ?? 0) + 1);
        if (depth === 0 || opened >= MAX_ROWS) return;
        opened++;
        const rows = await children(node);
        const perKind = new Map<string, number>();
        for (const row of rows) {
          const context = contextOf(row);
          if (/^(loadMore|nextPage|showMore)$/.test(context)) {
            // Paging is browsing too: one page more, once per list.
            if (!perKind.has(context)) await vscode.commands.executeCommand('veeamApiExplorer.showMore', row);
            perKind.set(context, 1);
            continue;
          }
          const n = (perKind.get(context) ?? 0) + 1;
          perKind.set(context, n);
          if (n <= PER_KIND || EVERY.test(context.replace(/\+.*$/, ''))) await walk(row, depth - 1);
        }
      };
      const root = await child(undefined, name);
      await walk(root, DEPTH);
      // Refresh and the raw document of a row read it again: GETs as well.
      const first = (await children(root)).find((n) => /\+href/.test(contextOf(n)))!;
      await vscode.commands.executeCommand('veeamApiExplorer.refreshNode', first);
      await children(first);
      await vscode.commands.executeCommand('veeamApiExplorer.openRawResponse', first);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const sent = await sims[kind].requests();
      assert.ok(sent.length > 20, `${kind}: the walk read too little to prove anything (${sent.length} requests)`);
      assert.ok([...seen.keys()].some((k) => k.startsWith('action')), `${kind}: the walk met no action row: ${[...seen.keys()].join(', ')}`);
      assert.deepEqual(sent.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`), [], `${kind}: browsing sent ${listed(sent.filter((r) => r.method !== 'GET'))}`);
    }
  });
});
