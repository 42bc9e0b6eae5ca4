import * as vscode from 'vscode';
import { hasQueryType, queryStringOf } from '../query-string';
import { ConnectionNode } from '../tree/connection-node';
import { QueryServiceNode } from '../tree/query-service-node';
import type { QueryNode } from '../tree/query-node';
import { resolveConnection, type ConnectionArgument } from './connection-target';
import type { ExplorerServices } from './services';
import { revealQuietly } from '../tree/reveal';

/**
 * Runs a query against EM's query service: asks for it, adds it under the Query node and expands it.
 * From the palette it first asks which connection.
 */
export async function newQuery(services: ExplorerServices, arg?: QueryServiceNode | ConnectionArgument): Promise<QueryNode | undefined> {
  const service = arg instanceof QueryServiceNode ? arg : await queryServiceOf(services, arg);
  if (!service) return undefined;
  const text = await services.host.showInputBox({
    title: vscode.l10n.t('New Query'),
    prompt: vscode.l10n.t('Query string: type is required; format, filter, sortAsc/sortDesc, pageSize and page are optional'),
    value: 'type=Job&format=Refs&pageSize=20',
    valueSelection: [5, 8],
    validateInput: (v) => (hasQueryType(v) ? undefined : vscode.l10n.t('Give the type of what to query, e.g. type=Job.')),
  });
  if (!text) return undefined;
  const node = service.addQuery(queryStringOf(text));
  services.tree.notifyChanged(service);
  await revealQuietly(services.treeView, node, { expand: true, select: true });
  return node;
}

async function queryServiceOf(services: ExplorerServices, arg: ConnectionArgument): Promise<QueryServiceNode | undefined> {
  const def = await resolveConnection(services, arg, vscode.l10n.t('Which connection do you want to query?'), (d) => d.kind === 'em' && services.sessions.state(d.id) === 'loggedOn');
  const node = def && services.tree.connectionNode(def.id);
  if (!(node instanceof ConnectionNode)) return undefined;
  const service = (await node.getChildren()).find((n): n is QueryServiceNode => n instanceof QueryServiceNode);
  if (!service) void services.host.showInformationMessage(vscode.l10n.t('{0} offers no query service: log on first.', def!.name));
  return service;
}
