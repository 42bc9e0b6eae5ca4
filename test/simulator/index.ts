import { EmServer, EmSimulator } from './em/server';
import { createLoopbackCertificate } from './tls';

export type { EmSimulator, RequestRecord } from './em/server';
export type { Fault, FaultKind } from './em/faults';
export type { Credentials } from './em/sessions';

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (a free port); the CLI defaults to 9398. */
  emPort?: number;
  /** Session idle expiry; default 15 minutes. */
  idleTimeoutMs?: number;
  /** Number of jobs in the estate; the content is deterministic for a given size. Default 12. */
  jobs?: number;
}

export interface Simulators {
  em: EmSimulator;
  certificate: { pem: string; fingerprint256: string };
  close(): Promise<void>;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;
export const DEFAULT_JOBS = 12;

/** Starts the simulators on loopback HTTPS with a certificate made for this run. */
export async function startSimulators(options: SimulatorOptions = {}): Promise<Simulators> {
  const certificate = await createLoopbackCertificate();
  const em = new EmServer({
    host: options.host ?? '127.0.0.1',
    port: options.emPort ?? 0,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    jobs: options.jobs ?? DEFAULT_JOBS,
    tls: { key: certificate.key, cert: certificate.pem },
  });
  await em.listen();
  let closing: Promise<void> | undefined;
  return {
    em,
    certificate: { pem: certificate.pem, fingerprint256: certificate.fingerprint256 },
    close: () => (closing ??= em.close()),
  };
}
