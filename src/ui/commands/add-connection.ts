import type { ConnectionDefinition } from '../../api';
import { completeConnectionUrl } from '../../api';
import { askForConnection, urlProblemText } from '../connection-input';
import type { ExplorerServices } from './services';
import { revealQuietly } from '../tree/reveal';

/** Asks for the connection step by step (kind, name, URL, user, password, whether to store it, a VBR revision) and adds it. */
export async function addConnection(services: ExplorerServices): Promise<ConnectionDefinition | undefined> {
  const answers = await askForConnection(undefined, services.host.guided);
  if (!answers) return undefined;
  const url = completeConnectionUrl(answers.kind, answers.url);
  if (!url.ok) throw new Error(urlProblemText(url.problem));
  const { password } = answers;
  const def = await services.connections.add(
    { kind: answers.kind, name: answers.name, url: url.url, username: answers.username, storePassword: answers.storePassword ? undefined : false, apiVersion: answers.apiVersion },
    password,
  );
  // The password just typed serves the first Log On (and its retry after trusting the certificate), stored or not:
  // storing can fail where no keyring is available.
  if (password !== undefined) services.sessions.providePassword(def.id, password);
  services.log.info(`Added connection ${def.name} (${def.kind}, ${def.url})`);
  // Show it expanded, so its "Log on…" item is the obvious next step.
  await revealQuietly(services.treeView, services.tree.connectionNode(def.id), { select: true, expand: true });
  return def;
}
