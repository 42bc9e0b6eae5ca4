// Why a certificate was refused, from Node's error code: the UI words each problem.
import type { CertificateInfo } from '../errors';

export type CertificateProblem = 'selfSigned' | 'unknownCa' | 'nameMismatch' | 'expired' | 'notYetValid' | 'pinMismatch' | 'other';

export function certificateProblem(code: string | undefined, cert?: CertificateInfo): CertificateProblem {
  switch (code) {
    case 'PIN_MISMATCH':
      return 'pinMismatch';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'selfSigned';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return 'unknownCa';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH':
      return 'nameMismatch';
    case 'CERT_HAS_EXPIRED':
      return 'expired';
    case 'CERT_NOT_YET_VALID':
      return 'notYetValid';
  }
  if (cert?.selfSigned) return 'selfSigned';
  return 'other';
}
