import type { CertificateInfo } from './errors';

/** Connects to the URL's origin without verifying and returns the certificate it presents. */
export async function probeCertificate(url: string, timeoutMs = 10000, signal?: AbortSignal): Promise<CertificateInfo> {
  void url; void timeoutMs; void signal;
  throw new Error('not implemented yet');
}

/** `ab:CD:ef…` or `abcdef…` → `AB:CD:EF:…` (Node's fingerprint256 form). */
export function normalizeFingerprint(hex: string): string {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return clean.match(/.{1,2}/g)?.join(':') ?? '';
}
