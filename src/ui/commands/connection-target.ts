import * as vscode from 'vscode';
import type { ConnectionDefinition } from '../../api';
import type { ExplorerServices } from './services';
import { ExplorerNode } from '../tree/node';

/**
 * How a command names its connection: the tree node it was run on, a connection id (the Edit Connection button of an
 * error message passes one), or nothing from the palette (then it asks).
 */
export type ConnectionArgument = ExplorerNode | string | undefined;

export function connectionIdOf(arg: ConnectionArgument): string | undefined {
  if (arg instanceof ExplorerNode) return arg.connectionId;
  return typeof arg === 'string' ? arg : undefined;
}

/** The connection a command is about; from the palette (no argument) the user picks one. */
export async function resolveConnection(
  { connections, host }: Pick<ExplorerServices, 'connections' | 'host'>,
  arg: ConnectionArgument,
  placeholder: string,
  filter: (def: ConnectionDefinition) => boolean = () => true,
): Promise<ConnectionDefinition | undefined> {
  const id = connectionIdOf(arg);
  if (id) return connections.get(id);
  const all = connections.all();
  const candidates = all.filter(filter);
  if (all.length === 0) {
    const add = vscode.l10n.t('Add Connection');
    void host.showInformationMessage(vscode.l10n.t('There is no connection yet.'), add).then((choice) => {
      if (choice === add) void vscode.commands.executeCommand('veeamApiExplorer.addConnection');
    });
    return undefined;
  }
  if (candidates.length === 0) {
    void host.showInformationMessage(vscode.l10n.t('None of your connections is in a state for this (for example, all are logged on already).'));
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const picked = await host.showQuickPick(
    candidates.map((def) => ({ label: def.name, description: `${def.kind.toUpperCase()} · ${def.url}`, def })),
    { placeHolder: placeholder },
  );
  return picked?.def;
}
