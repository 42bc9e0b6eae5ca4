import * as vscode from 'vscode';
import { curlHeaders, printableUrl, toCurl } from '../../api';
import type { ExplorerNode } from '../tree/node';
import type { ExplorerServices } from './services';

/** The node's URL; characters a terminal could act on when it is pasted (controls, bidirectional marks) percent-encoded. */
export async function copyHref(services: ExplorerServices, node?: ExplorerNode): Promise<string | undefined> {
  const raw = (node ?? services.treeView.selection[0])?.copyableHref;
  if (!raw) return undefined;
  const href = printableUrl(raw);
  await vscode.env.clipboard.writeText(href);
  services.host.setStatusBarMessage(vscode.l10n.t('Copied {0}', href), 3000);
  return href;
}

/**
 * A curl command for the GET; the session token is a placeholder, never the real one. Printable characters only
 * (see toCurl): it may be pasted into a terminal.
 */
export async function copyAsCurl(services: ExplorerServices, node?: ExplorerNode): Promise<string | undefined> {
  const target = node ?? services.treeView.selection[0];
  const href = target?.href;
  if (!target || !href) return undefined;
  const def = services.connections.get(target.connectionId);
  // The revision the session speaks (a VBR server may have refused the connection's own); else the connection's.
  const apiVersion = def?.kind === 'vbr' ? (services.sessions.logonInfo(target.connectionId)?.apiVersion ?? def.apiVersion) : undefined;
  const command = toCurl('GET', href, curlHeaders({ kind: def?.kind ?? 'em', representation: def?.representation, apiVersion }));
  await vscode.env.clipboard.writeText(command);
  services.host.setStatusBarMessage(vscode.l10n.t('Copied the curl command (the session token is a placeholder)'), 3000);
  return command;
}
