// Starts the simulators (EM, and VSPC and VBR when test/simulator has them) in this process and describes them to the
// extension tests through VEEAM_TEST_EM_*, VEEAM_TEST_VSPC_* and VEEAM_TEST_VBR_* variables; a second set, whose VBR
// speaks only the revisions of 12.3 (VEEAM_TEST_VBR12_*), shows a client falling back to an older revision.
// build-tests.mjs bundles test/simulator into out/host/simulator.js when it exists; it is loaded at run time so that
// the harness builds and type-checks before the simulator is written.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The part of test/simulator's API the harness uses. */
export interface Simulators {
  em: {
    url: string;
    origin: string;
    port: number;
    users: { admin: { username: string; password: string } };
    /** Every request received, headers in lower case. */
    requests: { method: string; path: string; headers: Record<string, string> }[];
    /** A fault switch (test/simulator/README.md). */
    setFault(fault: { kind: string; path?: string; times?: number; delayMs?: number }): void;
  };
  /** Absent in simulators older than the VSPC one. */
  vspc?: { url: string; users: { admin: { username: string; password: string } } };
  /** Absent in simulators older than the VBR one. */
  vbr?: {
    url: string;
    origin: string;
    users: { admin: { username: string; password: string }; viewer: { username: string; password: string } };
    requests: { method: string; path: string; headers: Record<string, string> }[];
  };
  certificate: { pem: string; fingerprint256: string };
  close(): Promise<void> | void;
}

export interface SimulatorEnv {
  env: Record<string, string>;
  /** The running simulators themselves (the UI tests read their request log). */
  sims: Simulators;
  close(): Promise<void> | void;
}

/** How long an action started on the simulators runs (an EM task, a VSPC async action, a VBR job session). */
export const ACTION_MS = 2000;

/** Undefined while test/simulator does not exist yet. */
export async function startSimulatorEnv(scratch: string): Promise<SimulatorEnv | undefined> {
  const bundle = path.join(__dirname, 'simulator.js');
  if (!fs.existsSync(bundle)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { startSimulators } = require(bundle) as {
    startSimulators: (options?: { vbrRevisions?: 'vbr13' | 'vbr12.3'; emTaskDurationMs?: number; vspcActionDurationMs?: number; vbrActionDurationMs?: number }) => Promise<Simulators>;
  };
  // Actions run for 2 s on each API: long enough to be seen running (and cancelled), short enough for the tests.
  const sims = await startSimulators({ emTaskDurationMs: ACTION_MS, vspcActionDurationMs: ACTION_MS, vbrActionDurationMs: ACTION_MS });
  // A Veeam Backup & Replication 12.3 server (its own certificate, trusted by fingerprint in the tests).
  let older: Simulators | undefined;
  try {
    older = sims.vbr ? await startSimulators({ vbrRevisions: 'vbr12.3' }) : undefined;
  } catch (err) {
    await sims.close();
    throw err;
  }
  const caFile = path.join(scratch, 'em-ca.pem');
  fs.writeFileSync(caFile, sims.certificate.pem);
  const olderCaFile = path.join(scratch, 'vbr12-ca.pem');
  if (older) fs.writeFileSync(olderCaFile, older.certificate.pem);
  return {
    env: {
      VEEAM_TEST_EM_URL: sims.em.url,
      VEEAM_TEST_EM_USER: sims.em.users.admin.username,
      VEEAM_TEST_EM_PASSWORD: sims.em.users.admin.password,
      VEEAM_TEST_EM_FINGERPRINT: sims.certificate.fingerprint256,
      VEEAM_TEST_EM_CA_PEM_FILE: caFile,
      // The same certificate serves both simulators.
      ...(sims.vspc
        ? {
            VEEAM_TEST_VSPC_URL: sims.vspc.url,
            VEEAM_TEST_VSPC_USER: sims.vspc.users.admin.username,
            VEEAM_TEST_VSPC_PASSWORD: sims.vspc.users.admin.password,
          }
        : {}),
      ...(sims.vbr
        ? {
            VEEAM_TEST_VBR_URL: sims.vbr.url,
            VEEAM_TEST_VBR_USER: sims.vbr.users.admin.username,
            VEEAM_TEST_VBR_PASSWORD: sims.vbr.users.admin.password,
            // A Veeam Backup Viewer: reads everything, every action answers 403.
            VEEAM_TEST_VBR_VIEWER_USER: sims.vbr.users.viewer.username,
            VEEAM_TEST_VBR_VIEWER_PASSWORD: sims.vbr.users.viewer.password,
          }
        : {}),
      ...(older?.vbr
        ? {
            VEEAM_TEST_VBR12_URL: older.vbr.url,
            VEEAM_TEST_VBR12_FINGERPRINT: older.certificate.fingerprint256,
            VEEAM_TEST_VBR12_CA_PEM_FILE: olderCaFile,
          }
        : {}),
    },
    sims,
    close: async () => {
      await Promise.all([sims.close(), older?.close()]);
    },
  };
}
