import { X509Certificate, randomBytes } from 'node:crypto';
import { generate } from 'selfsigned';

export interface SimulatorCertificate {
  /** Private key, PEM. */
  key: string;
  /** Certificate, PEM: what a client pins or trusts as its CA. */
  pem: string;
  /** SHA-256 fingerprint as Node prints it, `AB:CD:…`. */
  fingerprint256: string;
}

/** A fresh self-signed certificate for loopback: SAN 127.0.0.1, ::1 and localhost. */
export async function createLoopbackCertificate(): Promise<SimulatorCertificate> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(notBefore.getTime() + 30 * 24 * 3_600_000);
  // A unique subject per run: a client that trusts two simulators' certificates at once finds each
  // issuer by subject name, and two certificates with one name would hide each other.
  const commonName = `Veeam API Explorer Simulator ${randomBytes(4).toString('hex')}`;
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, pem: pems.cert, fingerprint256: new X509Certificate(pems.cert).fingerprint256 };
}
