import { SIMULATOR_MFA_CODE, startSimulators, type VbrRelease } from '.';

const USAGE =
  `Usage: node out/test/simulator/main.js [--em-port 9398] [--host 127.0.0.1] [--idle-minutes 15] [--jobs N]\n` +
  `         [--vspc-port 1280] [--vspc-token-minutes 60] [--vspc-items 250] [--vspc9]\n` +
  `         [--vspc-openapi]   publish an OpenAPI document of the VSPC simulator (the client then shows only what it serves)\n` +
  `         [--vbr-port 9419] [--vbr-token-minutes 60] [--vbr-refresh-minutes 20160] [--vbr-items 300]\n` +
  `         [--vbr12]          the VBR simulator accepts the revisions of 12.3 (1.0-rev1…1.2-rev1) instead of 13's\n` +
  `         [--action-seconds 3]  how long an EM task, a VSPC async action and a VBR job session run`;

interface CliOptions {
  host: string;
  emPort: number;
  idleMinutes: number;
  jobs?: number;
  vspcPort: number;
  vspcTokenMinutes: number;
  vspcItems?: number;
  vspcLegacyAuth: boolean;
  vspcOpenApiDocument: boolean;
  vbrPort: number;
  vbrTokenMinutes: number;
  vbrRefreshMinutes: number;
  vbrItems?: number;
  vbrRevisions: VbrRelease;
  actionSeconds: number;
}

function parseArgs(argv: string[]): CliOptions {
  const options: CliOptions = { host: '127.0.0.1', emPort: 9398, idleMinutes: 15, jobs: undefined, vspcPort: 1280, vspcTokenMinutes: 60, vspcItems: undefined, vspcLegacyAuth: true, vspcOpenApiDocument: false,
    vbrPort: 9419, vbrTokenMinutes: 60, vbrRefreshMinutes: 14 * 24 * 60, vbrItems: undefined, vbrRevisions: 'vbr13',
    actionSeconds: 3,
  };
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
      case '--vspc-port':
        options.vspcPort = number(0);
        break;
      case '--vspc-token-minutes':
        options.vspcTokenMinutes = number(0);
        break;
      case '--vspc-items':
        options.vspcItems = Math.floor(number(1));
        break;
      case '--vspc9':
        options.vspcLegacyAuth = false; // VSPC 9: the /authentication/* logon endpoints are gone
        break;
      case '--vspc-openapi':
        options.vspcOpenApiDocument = true;
        break;
      case '--vbr-port':
        options.vbrPort = number(0);
        break;
      case '--vbr-token-minutes':
        options.vbrTokenMinutes = number(0);
        break;
      case '--vbr-refresh-minutes':
        options.vbrRefreshMinutes = number(0);
        break;
      case '--vbr-items':
        options.vbrItems = Math.floor(number(1));
        break;
      case '--vbr12':
        options.vbrRevisions = 'vbr12.3';
        break;
      case '--action-seconds':
        options.actionSeconds = number(0);
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
    vspcPort: options.vspcPort,
    vspcTokenLifetimeMs: options.vspcTokenMinutes * 60_000,
    vspcItems: options.vspcItems,
    vspcLegacyAuth: options.vspcLegacyAuth,
    vspcOpenApiDocument: options.vspcOpenApiDocument,
    vbrPort: options.vbrPort,
    vbrAccessTokenLifetimeMs: options.vbrTokenMinutes * 60_000,
    vbrRefreshTokenLifetimeMs: options.vbrRefreshMinutes * 60_000,
    vbrItems: options.vbrItems,
    vbrRevisions: options.vbrRevisions,
    emTaskDurationMs: options.actionSeconds * 1000,
    vspcActionDurationMs: options.actionSeconds * 1000,
    vbrActionDurationMs: options.actionSeconds * 1000,
  });
  const { em, vspc, vbr } = sims;
  console.log(`Veeam Enterprise Manager REST API simulator`);
  console.log(`  EM URL:       ${em.url}`);
  console.log(`  Users:        ${em.users.admin.username} / ${em.users.admin.password}   (Portal Administrator)`);
  console.log(`                ${em.users.restoreOperator.username} / ${em.users.restoreOperator.password}   (Restore Operator: no jobs, no backup servers)`);
  console.log(`                ${em.users.noRole.username} / ${em.users.noRole.password}   (no EM role: logon answers 401)`);
  console.log(`  Tenant:       ${em.tenant.username} / ${em.tenant.password}   (Cloud Connect tenant, in a LoginSpec body)`);
  console.log(`  Faults:       POST ${em.origin}/__simulator/faults {"kind":"slow","delayMs":3000}; DELETE to clear`);
  console.log(`Veeam Service Provider Console REST API v3 simulator`);
  console.log(`  VSPC URL:     ${vspc.url}`);
  console.log(`  Users:        ${vspc.users.admin.username} / ${vspc.users.admin.password}   (Portal Administrator)`);
  console.log(`                ${vspc.users.readOnly.username} / ${vspc.users.readOnly.password}   (Read-only User)`);
  console.log(`                ${vspc.users.mfa.username} / ${vspc.users.mfa.password}   (MFA on: logon answers an mfa_token; grant_type=mfa code ${SIMULATOR_MFA_CODE})`);
  console.log(`  Logon:        POST /api/v3/token${options.vspcLegacyAuth ? ' and the older /api/v3/authentication/usernamepassword' : ' only (VSPC 9: /authentication/* answer 404)'}; tokens last ${options.vspcTokenMinutes} min`);
  console.log(`  Faults:       POST ${vspc.origin}/__simulator/faults {"kind":"throttle","retryAfter":2}; DELETE to clear`);
  console.log(`Veeam Backup & Replication REST API simulator (${options.vbrRevisions === 'vbr13' ? 'VBR 13' : 'VBR 12.3'})`);
  console.log(`  VBR URL:      ${vbr.url}`);
  console.log(`  Users:        ${vbr.users.admin.username} / ${vbr.users.admin.password}   (Veeam Backup Administrator)`);
  console.log(`                ${vbr.users.viewer.username} / ${vbr.users.viewer.password}   (Veeam Backup Viewer: reads only, actions answer 403)`);
  console.log(`                ${vbr.users.noRole.username} / ${vbr.users.noRole.password}   (no role: logon answers 401)`);
  console.log(`  Revisions:    x-api-version ${vbr.revisions.join(', ')} (on every /api request, logon included)`);
  console.log(`  Logon:        POST /api/oauth2/token (form); tokens last ${options.vbrTokenMinutes} min, refresh tokens work once`);
  console.log(`  Swagger UI:   ${vbr.origin}/swagger/ui/index.html`);
  console.log(`  Faults:       POST ${vbr.origin}/__simulator/faults {"kind":"throttle","retryAfter":2}; DELETE to clear`);
  console.log(`All servers use one certificate: self-signed, made for this run; SHA-256 fingerprint`);
  console.log(`                ${sims.certificate.fingerprint256}`);
  console.log(`Press Ctrl+C to stop.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the simulators.`);
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
