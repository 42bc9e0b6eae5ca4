// Copy as curl and Copy URL of a link whose href holds control and bidirectional characters (as a hostile server can
// send): what reaches the clipboard is printable only, and the row and tooltip show the href on one line.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Resource } from '../../../src/api';
import type { ExplorerNode } from '../../../src/ui/tree/node';
import { explorer, item, labelOf, loggedOnConnection, removeAllConnections, resetSimulator } from './explorer-fixture';

/** Control characters (C0, DEL, C1), bidirectional controls and marks, separators, BOM, lone surrogates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|\p{Cs}/u;

function tooltipOf(node: ExplorerNode): string {
  const tooltip = item(node).tooltip;
  return typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
}

describe('copying a hostile href', () => {
  before(async () => {
    await removeAllConnections();
    await resetSimulator();
  });
  after(removeAllConnections);

  it('Copy as curl and Copy URL put printable characters only on the clipboard; the row shows the href on one line', async () => {
    const api = await explorer();
    const { def, node } = await loggedOnConnection({ name: 'Hostile hrefs' });
    const origin = new URL(api.connections.get(def.id)!.url).origin;
    const hrefs = [
      // The report's attack: a newline and a command after \x01 and \x0b.
      `${origin}/api/jobs\x01\x0b\ntouch /tmp/veeam-curl-pwned\n`,
      // One Node cannot parse as a URL, so nothing on the way normalises it.
      `https://em example\u202e\u2066/\x1b]0;title\x07\x85$(id)\`id\`'\n\rrm -rf ~\n`,
    ];
    const resource: Resource = { links: hrefs.map((href, i) => ({ rel: 'Down', href, name: `Hostile ${i}\u202e\n` })), fields: [], children: [] };
    const nodes = api.tree.childrenOf(node, def.id, resource).filter((n) => hrefs.includes(n.href ?? ''));
    assert.equal(nodes.length, hrefs.length, `the links became ${api.tree.childrenOf(node, def.id, resource).map(labelOf).join(', ')}`);
    for (const link of nodes) {
      const label = labelOf(link);
      assert.doesNotMatch(label, UNSAFE, `label ${JSON.stringify(label)}`);
      const tooltip = tooltipOf(link);
      assert.doesNotMatch(tooltip.replace(/\n/g, ''), UNSAFE, `tooltip ${JSON.stringify(tooltip)}`);
      // appendText writes spaces as &nbsp;.
      for (const line of tooltip.split('\n')) assert.doesNotMatch(line, /^(\s|&nbsp;)*(touch|rm)(\s|&nbsp;)/, `the href's command is a line of its own in the tooltip: ${JSON.stringify(tooltip)}`);

      const curl = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyAsCurl', link);
      assert.ok(curl?.startsWith('curl '), String(curl));
      assert.equal(await vscode.env.clipboard.readText(), curl);
      assert.doesNotMatch(curl, UNSAFE, `curl command ${JSON.stringify(curl)}`);
      assert.match(curl, /X-RestSvcSessionId: \$VEEAM_SESSION_ID/);

      const copied = await vscode.commands.executeCommand<string>('veeamApiExplorer.copyHref', link);
      assert.ok(copied);
      assert.equal(await vscode.env.clipboard.readText(), copied);
      assert.doesNotMatch(copied, UNSAFE, `copied URL ${JSON.stringify(copied)}`);
      assert.ok(curl.includes(`'${copied.replace(/'/g, `'\\''`)}'`), `the curl command holds the copied URL: ${curl} / ${copied}`);
    }
    assert.ok((await vscode.commands.executeCommand<string>('veeamApiExplorer.copyHref', nodes[0]))!.endsWith('/api/jobs%01%0B%0Atouch%20/tmp/veeam-curl-pwned%0A'));
    await vscode.commands.executeCommand('veeamApiExplorer.logOff', def.id);
  });
});
