// The TLS policy on each socket, once its handshake is over: the chain and host name verified by Node, or exactly the
// pinned certificate. A refused socket is described (the certificate it presented), so the user can be asked about
// the very certificate the request met, on whatever path it took (direct or through a proxy's tunnel).
import * as tls from 'node:tls';
import type { CertificateInfo } from '../errors';
import type { Connector } from './undici';

/** What a certificate is, for the user who may trust it. */
export function describeCertificate(cert: tls.PeerCertificate): CertificateInfo {
  const name = (n: tls.Certificate | undefined) =>
    n ? Object.entries(n).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ') : '';
  const subject = name(cert.subject);
  const issuer = name(cert.issuer);
  return {
    fingerprint256: cert.fingerprint256,
    subject,
    issuer,
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
    selfSigned: subject === issuer,
  };
}

/**
 * Hands on a TLS socket only when its certificate chain and host name were verified (Node's `authorized`); otherwise
 * refuses it with the certificate it presented, read from this very socket.
 */
export function verifiedConnector(connect: Connector): Connector {
  return (opts, callback) =>
    connect(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'), null);
      // A plain http: connection has no certificate to check.
      if (!(socket instanceof tls.TLSSocket)) return callback(null, socket);
      if (socket.authorized === true) return callback(null, socket);
      const cert = socket.getPeerCertificate();
      const reason = socket.authorizationError;
      socket.destroy();
      callback(new CertificateRefused(typeof reason === 'string' ? reason : (reason as Error | undefined)?.message ?? 'UNVERIFIED', cert?.fingerprint256 ? describeCertificate(cert) : undefined), null);
    });
}

/** Hands on a socket only when its certificate has the pinned fingerprint. */
export function pinnedConnector(connect: Connector, pinned: string): Connector {
  return (opts, callback) =>
    connect(opts, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'), null);
      const cert = (socket as tls.TLSSocket).getPeerCertificate?.();
      if (!cert?.fingerprint256 || cert.fingerprint256 !== pinned) {
        socket.destroy();
        return callback(new PinMismatch(pinned, cert ? describeCertificate(cert) : undefined), null);
      }
      callback(null, socket);
    });
}

/** A certificate the TLS policy refused, with what it was (shown to the user, who may choose to trust it). */
export class CertificateRefused extends Error {
  constructor(
    /** Node's verification code: DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID, … */
    readonly code: string,
    readonly certificate: CertificateInfo | undefined,
  ) {
    super(`certificate refused: ${code}`);
  }
}

/** A socket whose certificate is not the pinned one: what was expected, and what came. */
export class PinMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly actual: CertificateInfo | undefined,
  ) {
    super('certificate fingerprint mismatch');
  }
}
