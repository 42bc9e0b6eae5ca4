import * as vscode from 'vscode';
import type { CertificateInfo, ConnectionDefinition, TlsError } from '../api';
import { certificateProblem, type CertificateProblem } from '../api';
import type { Host } from './host';
import { wordError } from './wording';

function problemText(problem: CertificateProblem): string {
  switch (problem) {
    case 'selfSigned':
      return vscode.l10n.t('The server presents a self-signed certificate, which no authority vouches for.');
    case 'unknownCa':
      return vscode.l10n.t('The certificate was issued by an authority this computer does not trust (a private CA, or a proxy that intercepts TLS).');
    case 'nameMismatch':
      return vscode.l10n.t('The certificate was issued for another host name than the one in the connection URL.');
    case 'expired':
      return vscode.l10n.t('The certificate has expired.');
    case 'notYetValid':
      return vscode.l10n.t('The certificate is not valid yet.');
    case 'pinMismatch':
      return vscode.l10n.t('The certificate is not the one you trusted for this connection: it has changed since.');
    default:
      return vscode.l10n.t('The certificate could not be verified.');
  }
}

/**
 * Says why the certificate was refused and what it is, and asks whether to trust exactly this certificate
 * for this connection. Returns the certificate when the user trusts it.
 */
export async function offerCertificateTrust(host: Host, error: TlsError, def: ConnectionDefinition): Promise<CertificateInfo | undefined> {
  // The certificate read from the connection the request itself made (through the proxy, when there is one): a
  // separate look at the server could take another path and show another certificate than the one to be trusted.
  const cert = error.certificate;
  if (!cert?.fingerprint256) return undefined;
  const problem = certificateProblem(error.code, cert);
  const detail = [
    // The transport's own message says the same as a known problem's text; keep it only when it is the only clue.
    problem === 'other' ? wordError(error).message : problemText(problem),
    '',
    vscode.l10n.t('SHA-256 fingerprint: {0}', cert.fingerprint256),
    vscode.l10n.t('Subject: {0}', cert.subject),
    vscode.l10n.t('Issuer: {0}', cert.issuer),
    vscode.l10n.t('Valid from {0} to {1}', cert.validFrom, cert.validTo),
    '',
    vscode.l10n.t('Compare the fingerprint with the one of the certificate on the server before you trust it. Only this connection will trust it.'),
  ].join('\n');
  const trust = vscode.l10n.t('Trust This Certificate');
  const choice = await host.showWarningMessage(vscode.l10n.t('The certificate of {0} is not trusted', def.name), { modal: true, detail }, trust);
  return choice === trust ? cert : undefined;
}
