import * as vscode from 'vscode';
import { representationOf, type Representation, type Resource } from '../../api';
import { applyRawLanguage, RAW_SCHEME, rawDocumentUri, rawTargetOf, type RawTarget } from '../documents';
import { setShowHeaders, showHeaders } from '../settings';
import { showError } from '../error-display';
import { withCancellableProgress } from '../progress';
import { rawLanguage } from '../raw-text';
import { ConnectionNode } from '../tree/connection-node';
import { HrefNode } from '../tree/href-node';
import type { ExplorerNode } from '../tree/node';
import type { ExplorerServices } from './services';

/** Opens the response of a node in a read-only editor; what the tree already fetched is not fetched again. */
export async function openRawResponse(services: ExplorerServices, arg?: ExplorerNode): Promise<vscode.TextEditor | undefined> {
  const { connections, documents, log } = services;
  const node = arg ?? services.treeView.selection[0];
  const href = node?.href;
  if (!node || !href) return undefined;
  const def = connections.get(node.connectionId);
  if (!def) return undefined;
  const representation: Representation = representationOf(def);
  const target: RawTarget = { connectionId: def.id, href, representation };
  try {
    // Usually cached by the tree: the notification only appears when the answer takes a moment.
    const fetched = await withCancellableProgress(services.host, vscode.l10n.t('Reading {0}…', href), (signal) => documents.response(target, signal), { noticeAfterMs: 400 });
    const title = titleOf(node, fetched.resource);
    const uri = rawDocumentUri(target, def.name, title, rawLanguage(fetched.raw));
    const document = await vscode.workspace.openTextDocument(uri);
    await applyRawLanguage(document);
    return await vscode.window.showTextDocument(document, { preview: true });
  } catch (err) {
    showError(err, services, def);
    return undefined;
  }
}

/** Editor title: GET the document's href again and reload it. */
export async function refreshRawResponse(services: ExplorerServices, uri?: vscode.Uri): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (target?.scheme !== RAW_SCHEME) return;
  const def = services.connections.get(rawTargetOf(target).connectionId);
  try {
    await withCancellableProgress(services.host, vscode.l10n.t('Reading {0}…', rawTargetOf(target).href), (signal) => services.documents.refresh(target, signal));
  } catch (err) {
    showError(err, services, def);
  }
}

/** Shows or hides the status line and headers above the body of every raw response document. */
export async function toggleRawHeaders(): Promise<boolean> {
  const next = !showHeaders();
  await setShowHeaders(next);
  for (const document of vscode.workspace.textDocuments) if (document.uri.scheme === RAW_SCHEME) await applyRawLanguage(document, next);
  return next;
}

/** The tab title: the resource's name and type. */
function titleOf(node: ExplorerNode, resource: Resource): string {
  if (node instanceof HrefNode || node instanceof ConnectionNode) return node.documentTitle;
  if (resource.name && resource.type) return `${resource.name} (${resource.type})`;
  return resource.name ?? resource.type ?? vscode.l10n.t('response');
}
