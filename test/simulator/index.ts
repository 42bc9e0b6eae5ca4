import { EmServer, EmSimulator } from './em/server';
import { createLoopbackCertificate } from './tls';
import { DEFAULT_VSPC_ITEMS } from './vspc/estate';
import { VspcServer, VspcSimulator } from './vspc/server';
import { DEFAULT_VBR_JOBS } from './vbr/estate';
import type { ServerRelease } from './vbr/revisions';
import { VbrServer, VbrSimulator } from './vbr/server';
import { DEFAULT_ACCESS_LIFETIME_MS, DEFAULT_REFRESH_LIFETIME_MS } from './vbr/tokens';

export type { Credentials, RequestRecord, SimulatorControls } from './core/server';
export type { EmSimulator, IssuedSession } from './em/server';
export type { Fault, FaultKind } from './em/faults';
export type { VspcSimulator } from './vspc/server';
export type { IssuedToken } from './vspc/tokens';
export type { VspcFault, VspcFaultKind } from './vspc/faults';
export { SIMULATOR_MFA_CODE } from './vspc/tokens';
export { DEFAULT_VSPC_ITEMS } from './vspc/estate';
export type { VbrSimulator } from './vbr/server';
export type { IssuedToken as VbrIssuedToken } from './vbr/tokens';
export type { VbrFault, VbrFaultKind } from './vbr/faults';
export type { ServerRelease as VbrRelease } from './vbr/revisions';
export { SERVER_REVISIONS as VBR_SERVER_REVISIONS } from './vbr/revisions';
export { listBody, type ListBodyKind } from './list-body';

export interface SimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (a free port); the CLI defaults to 9398. */
  emPort?: number;
  /** Session idle expiry; default 15 minutes. */
  idleTimeoutMs?: number;
  /** Number of jobs in the estate; the content is deterministic for a given size. Default 12. */
  jobs?: number;
  /** Default 0 (a free port); the CLI defaults to 1280. */
  vspcPort?: number;
  /** Lifetime of VSPC access tokens; default 1 hour. */
  vspcTokenLifetimeMs?: number;
  /** The older `/authentication/*` logon endpoints exist (default true); false behaves like VSPC 9 (404). */
  vspcLegacyAuth?: boolean;
  /** Size of the VSPC estate: the number of companies; other collections scale with it. Deterministic. Default 250. */
  vspcItems?: number;
  /** Publish an OpenAPI document of what the VSPC simulator serves at /api/swagger/v3/swagger.json (default false). */
  vspcOpenApiDocument?: boolean;
  /** Default 0 (a free port); the CLI defaults to 9419. */
  vbrPort?: number;
  /** Lifetime of VBR access tokens; default 60 minutes. */
  vbrAccessTokenLifetimeMs?: number;
  /** Lifetime of VBR refresh tokens (each works once); default 14 days. */
  vbrRefreshTokenLifetimeMs?: number;
  /** Size of the VBR estate: the number of jobs; sessions and the rest scale with it. Deterministic. Default 300. */
  vbrItems?: number;
  /** The revisions (x-api-version) the VBR simulator accepts: those of VBR 13 (default) or of 12.3. */
  vbrRevisions?: ServerRelease;
  /**
   * How long an EM action's Task stays Running. Default 0: it is Running in the 202 and Finished at the next request
   * (what the older tests expect); the demo (`main.ts`) uses 3 s.
   */
  emTaskDurationMs?: number;
  /** How long a VSPC async action stays `running`; default 3 s. */
  vspcActionDurationMs?: number;
  /** How long a VBR job session started by an action stays `Working`; default 3 s. */
  vbrActionDurationMs?: number;
}

export interface Simulators {
  em: EmSimulator;
  vspc: VspcSimulator;
  vbr: VbrSimulator;
  certificate: { pem: string; fingerprint256: string };
  close(): Promise<void>;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 15 * 60_000;
export const DEFAULT_JOBS = 12;
export const DEFAULT_VSPC_TOKEN_LIFETIME_MS = 60 * 60_000;
/** How long a VSPC async action or a VBR job session runs when the options do not say. */
export const DEFAULT_ACTION_DURATION_MS = 3000;
export const DEFAULT_VBR_ITEMS = DEFAULT_VBR_JOBS;
export const DEFAULT_VBR_ACCESS_TOKEN_LIFETIME_MS = DEFAULT_ACCESS_LIFETIME_MS;
export const DEFAULT_VBR_REFRESH_TOKEN_LIFETIME_MS = DEFAULT_REFRESH_LIFETIME_MS;

/** Starts the simulators on loopback HTTPS with a certificate made for this run. */
export async function startSimulators(options: SimulatorOptions = {}): Promise<Simulators> {
  const certificate = await createLoopbackCertificate();
  const em = new EmServer({
    host: options.host ?? '127.0.0.1',
    port: options.emPort ?? 0,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    jobs: options.jobs ?? DEFAULT_JOBS,
    taskDurationMs: options.emTaskDurationMs ?? 0,
    tls: { key: certificate.key, cert: certificate.pem },
  });
  const vspc = new VspcServer({
    host: options.host ?? '127.0.0.1',
    port: options.vspcPort ?? 0,
    tokenLifetimeMs: options.vspcTokenLifetimeMs ?? DEFAULT_VSPC_TOKEN_LIFETIME_MS,
    legacyAuth: options.vspcLegacyAuth ?? true,
    items: options.vspcItems ?? DEFAULT_VSPC_ITEMS,
    openApiDocument: options.vspcOpenApiDocument ?? false,
    actionDurationMs: options.vspcActionDurationMs ?? DEFAULT_ACTION_DURATION_MS,
    tls: { key: certificate.key, cert: certificate.pem },
  });
  const vbr = new VbrServer({
    host: options.host ?? '127.0.0.1',
    port: options.vbrPort ?? 0,
    accessTokenLifetimeMs: options.vbrAccessTokenLifetimeMs ?? DEFAULT_VBR_ACCESS_TOKEN_LIFETIME_MS,
    refreshTokenLifetimeMs: options.vbrRefreshTokenLifetimeMs ?? DEFAULT_VBR_REFRESH_TOKEN_LIFETIME_MS,
    items: options.vbrItems ?? DEFAULT_VBR_ITEMS,
    revisions: options.vbrRevisions ?? 'vbr13',
    actionDurationMs: options.vbrActionDurationMs ?? DEFAULT_ACTION_DURATION_MS,
    tls: { key: certificate.key, cert: certificate.pem },
  });
  const listening: Array<EmServer | VspcServer | VbrServer> = [];
  try {
    for (const server of [em, vspc, vbr]) {
      await server.listen();
      listening.push(server);
    }
  } catch (err) {
    await Promise.all(listening.map((server) => server.close()));
    throw err;
  }
  let closing: Promise<void> | undefined;
  return {
    em,
    vspc,
    vbr,
    certificate: { pem: certificate.pem, fingerprint256: certificate.fingerprint256 },
    close: () => (closing ??= Promise.all(listening.map((server) => server.close())).then(() => undefined)),
  };
}
