import { startSimulators } from './index';

const USAGE = `Usage: node out/test/simulator/main.js [--em-port 9398] [--host 127.0.0.1] [--idle-minutes 15] [--jobs N]`;

function parseArgs(argv: string[]): { host: string; emPort: number; idleMinutes: number; jobs?: number } {
  const options = { host: '127.0.0.1', emPort: 9398, idleMinutes: 15, jobs: undefined as number | undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    const number = (min: number) => {
      const n = Number(value());
      if (!Number.isFinite(n) || n < min) throw new Error(`${flag} needs a number >= ${min}`);
      return n;
    };
    switch (flag) {
      case '--em-port':
        options.emPort = number(0);
        break;
      case '--host':
        options.host = value();
        break;
      case '--idle-minutes':
        options.idleMinutes = number(0);
        break;
      case '--jobs':
        options.jobs = Math.floor(number(0));
        break;
      case '--demo':
        break; // accepted for `npm start`; the simulator is always a demo
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
      default:
        throw new Error(`unknown option ${arg}`);
    }
  }
  return options;
}

async function main(): Promise<void> {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const sims = await startSimulators({
    host: options.host,
    emPort: options.emPort,
    idleTimeoutMs: options.idleMinutes * 60_000,
    jobs: options.jobs,
  });
  const { em } = sims;
  console.log(`Veeam Enterprise Manager REST API simulator`);
  console.log(`  EM URL:       ${em.url}`);
  console.log(`  Users:        ${em.users.admin.username} / ${em.users.admin.password}   (Portal Administrator)`);
  console.log(`                ${em.users.restoreOperator.username} / ${em.users.restoreOperator.password}   (Restore Operator: no jobs, no backup servers)`);
  console.log(`                ${em.users.noRole.username} / ${em.users.noRole.password}   (no EM role: logon answers 401)`);
  console.log(`  Tenant:       ${em.tenant.username} / ${em.tenant.password}   (Cloud Connect tenant, in a LoginSpec body)`);
  console.log(`  Certificate:  self-signed, made for this run; SHA-256 fingerprint`);
  console.log(`                ${sims.certificate.fingerprint256}`);
  console.log(`  Faults:       POST ${em.origin}/__simulator/faults {"kind":"slow","delayMs":3000}; DELETE to clear`);
  console.log(`Press Ctrl+C to stop.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the simulator.`);
    sims.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`failed to stop cleanly: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(`simulator failed to start: ${(err as Error).message}`);
  process.exit(1);
});
