// The simulators in a process of their own, so their rendering never stalls (or fills the memory of) the process
// being measured. Started by run.mjs with an IPC channel; answers small commands about counts and faults.
import { startSimulators, type Simulators } from '../test/simulator';

interface Command {
  id: number;
  cmd: 'stats' | 'fault' | 'clearFaults' | 'clearRequests';
  target?: 'em' | 'vspc' | 'vbr' | 'emBig';
  fault?: Record<string, unknown>;
}

export interface SimulatorStats {
  connections: number;
  requests: number;
}

async function main(): Promise<void> {
  const walkItems = Number(process.env.BENCH_WALK_ITEMS ?? 2000);
  const treeItems = Number(process.env.BENCH_TREE_ITEMS ?? 10000);
  // One set for the walks (2,000 EM jobs; 2,000 companies; 2,000 VBR jobs), one EM with the long list the tree shows.
  const walk = await startSimulators({ jobs: walkItems, vspcItems: walkItems, vbrItems: walkItems });
  let big: Simulators | undefined;
  try {
    big = await startSimulators({ jobs: treeItems, vspcItems: 1, vbrItems: 1 });
  } catch (err) {
    await walk.close();
    throw err;
  }
  const sims = { em: walk.em, vspc: walk.vspc, vbr: walk.vbr, emBig: big.em };
  const stats = (): Record<string, SimulatorStats> =>
    Object.fromEntries(Object.entries(sims).map(([k, s]) => [k, { connections: s.connectionsOpened(), requests: s.requests.length }]));
  const close = async () => {
    await Promise.allSettled([walk.close(), big?.close()]);
  };
  process.on('message', (message: Command) => {
    let result: unknown;
    try {
      const target = message.target ? sims[message.target] : undefined;
      switch (message.cmd) {
        case 'stats':
          result = stats();
          break;
        case 'fault':
          target!.setFault(message.fault as never);
          break;
        case 'clearFaults':
          for (const s of Object.values(sims)) s.clearFaults();
          break;
        case 'clearRequests':
          for (const s of Object.values(sims)) s.clearRequests();
          break;
      }
      process.send!({ id: message.id, result });
    } catch (err) {
      process.send!({ id: message.id, error: (err as Error).message });
    }
  });
  process.on('disconnect', () => void close().then(() => process.exit(0)));
  process.on('SIGTERM', () => void close().then(() => process.exit(0)));
  process.send!({
    ready: true,
    fingerprint: walk.certificate.fingerprint256,
    pem: walk.certificate.pem,
    bigFingerprint: big.certificate.fingerprint256,
    bigPem: big.certificate.pem,
    em: { url: walk.em.url, origin: walk.em.origin, user: walk.em.users.admin },
    vspc: { url: walk.vspc.url, origin: walk.vspc.origin, user: walk.vspc.users.admin },
    vbr: { url: walk.vbr.url, origin: walk.vbr.origin, user: walk.vbr.users.admin },
    emBig: { url: big.em.url, origin: big.em.origin, user: big.em.users.admin },
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench simulators failed to start: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
