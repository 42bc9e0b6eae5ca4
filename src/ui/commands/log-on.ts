import * as vscode from 'vscode';
import { AuthError, TlsError, type ConnectionDefinition, type LogonInfo } from '../../api';
import { offerCertificateTrust } from '../certificate-trust';
import { showError } from '../error-display';
import { withCancellableProgress } from '../progress';
import { resolveConnection, type ConnectionArgument } from './connection-target';
import type { ExplorerServices } from './services';
import { revealQuietly } from '../tree/reveal';

/** Logs on; on an untrusted certificate, explains it and offers to trust it, then tries again. Errors are shown, not thrown. */
export async function logOn(services: ExplorerServices, arg?: ConnectionArgument): Promise<LogonInfo | undefined> {
  const { sessions } = services;
  const def = await resolveConnection(services, arg, vscode.l10n.t('Which connection do you want to log on to?'), (d) => sessions.state(d.id) !== 'loggedOn');
  if (!def) return undefined;
  const existing = sessions.logonInfo(def.id);
  if (existing) return existing;
  // Until the certificate question is answered the connection reads "logging on", and a refused certificate keeps the
  // password just given for the retry.
  return sessions.loggingOn(def.id, () => logOnTrusting(services, def));
}

async function logOnTrusting(services: ExplorerServices, first: ConnectionDefinition): Promise<LogonInfo | undefined> {
  const { connections, sessions, tree, treeView, log } = services;
  let def = first;
  for (let attempt = 0; ; attempt++) {
    const current = def;
    try {
      const info = await withCancellableProgress(services.host, vscode.l10n.t('Logging on to {0}…', current.name), (signal) => sessions.logOn(current.id, signal));
      log.info(`${current.name}: logged on as ${info.userName} (API ${info.apiVersion ?? '?'})`);
      tree.resetConnection(current.id);
      await revealQuietly(treeView, tree.connectionNode(current.id), { expand: true, select: false, focus: false });
      return info;
    } catch (err) {
      if (err instanceof TlsError && attempt === 0) {
        const cert = await offerCertificateTrust(services.host, err, current);
        if (cert) {
          def = await connections.update({ ...current, trustedFingerprint: cert.fingerprint256 });
          log.info(`${current.name}: trusting the certificate with SHA-256 fingerprint ${cert.fingerprint256}`);
          continue;
        }
      }
      // Escaping the password prompt is the user's choice, not an error to report.
      if (!(err instanceof AuthError && err.reason === 'no-password')) showError(err, services, current);
      sessions.failedLogOn(current.id, err);
      return undefined;
    }
  }
}
