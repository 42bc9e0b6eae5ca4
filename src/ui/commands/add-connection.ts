import type { ConnectionDefinition } from '../../api';
import { askForConnection, urlProblemText } from '../connection-input';
import { completeConnectionUrl } from '../../api';
import type { ConnectionDraft } from '../connections';
import type { ExplorerServices } from './services';
import { revealQuietly } from '../tree/reveal';

/** Arguments that skip the guided input (scripts and tests); a password given is stored unless `storePassword: false`. */
export type AddConnectionArguments = ConnectionDraft & { password?: string };

export async function addConnection(services: ExplorerServices, args?: AddConnectionArguments): Promise<ConnectionDefinition | undefined> {
  const answers = isComplete(args) ? args : await askForConnection();
  if (!answers) return undefined;
  const url = completeConnectionUrl(answers.kind, answers.url);
  if (!url.ok) throw new Error(urlProblemText(url.problem));
  const { password, ...rest } = answers as AddConnectionArguments;
  const draft: ConnectionDraft = { ...(isComplete(args) ? rest : {}), kind: answers.kind, name: answers.name, url: url.url, username: answers.username, storePassword: answers.storePassword === false ? false : undefined };
  const def = await services.connections.add(draft, password);
  // The password just typed serves the first Log On (and its retry after trusting the certificate), stored or not:
  // storing can fail where no keyring is available.
  if (password !== undefined) services.sessions.providePassword(def.id, password);
  services.log.info(`Added connection ${def.name} (${def.kind}, ${def.url})`);
  // Show it expanded, so its "Log on…" item is the obvious next step.
  await revealQuietly(services.treeView, services.tree.connectionNode(def.id), { select: true, expand: true });
  return def;
}

function isComplete(args: AddConnectionArguments | undefined): args is AddConnectionArguments {
  return !!args && typeof args === 'object' && !!args.kind && !!args.name && !!args.url && typeof args.username === 'string';
}
