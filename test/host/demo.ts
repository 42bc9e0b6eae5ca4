// `npm start`: the extension in a real VS Code (code-server) in your browser, with ready connections to the simulators.
// scripts/demo.sh builds everything first and then runs this (bundled to out/host/demo.js).
//
// - the simulators on their usual ports when free (EM 9398, VSPC 1280, VBR 9419), else on free ones;
// - code-server on 127.0.0.1:8080 when free, else a free port, with the current build of the extension loaded from
//   this checkout (a link in its extensions folder, so `npm run build` + "Developer: Reload Window" picks up changes);
// - a user settings.json with one connection per simulator, its certificate already trusted by fingerprint. Passwords
//   are not written by the demo: they are printed here, Log On asks for each once and keeps it in SecretStorage.
// Ctrl+C (or SIGTERM/SIGHUP) stops everything; the scratch folder (settings, code-server's state) is removed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulators, type Simulators } from '../simulator';
import { CodeServer, portIfFree, readHostManifest, serverDirs } from './code-server';

const repo = path.resolve(__dirname, '../..');
const EM_PORT = 9398;
const VSPC_PORT = 1280;
const VBR_PORT = 9419;
const CODE_SERVER_PORT = 8080;
/** Actions run a few seconds in the demo, so their progress can be watched. */
const ACTIONS_RUN = { emTaskDurationMs: 5000, vspcActionDurationMs: 5000, vbrActionDurationMs: 5000 };

/** A connection the demo sets up, and what to tell the user about it. */
interface DemoConnection {
  definition: { id: string; kind: 'em' | 'vspc' | 'vbr'; name: string; url: string; username: string; trustedFingerprint: string };
  password: string;
  /** Lines printed under the connection. */
  notes: string[];
}

async function startDemoSimulators(): Promise<Simulators> {
  const emPort = (await portIfFree(EM_PORT)) ?? 0;
  const vspcPort = (await portIfFree(VSPC_PORT)) ?? 0;
  const vbrPort = (await portIfFree(VBR_PORT)) ?? 0;
  try {
    // The VSPC simulator publishes its API document, so the demo's tree shows exactly what it serves.
    return await startSimulators({ emPort, vspcPort, vbrPort, vspcOpenApiDocument: true, ...ACTIONS_RUN });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    return startSimulators({ emPort: 0, vspcPort: 0, vbrPort: 0, vspcOpenApiDocument: true, ...ACTIONS_RUN }); // taken between the check and the listen
  }
}

function emConnection(sims: Simulators): DemoConnection {
  const { admin } = sims.em.users;
  return {
    definition: {
      id: 'demo-em-simulator',
      kind: 'em',
      name: 'EM simulator',
      url: sims.em.url,
      username: admin.username,
      trustedFingerprint: sims.certificate.fingerprint256,
    },
    password: admin.password,
    notes: [`faults: POST ${sims.em.origin}/__simulator/faults {"kind":"slow","delayMs":3000}; DELETE to clear`],
  };
}

function vspcConnection(sims: Simulators): DemoConnection {
  const { admin } = sims.vspc.users;
  return {
    definition: {
      id: 'demo-vspc-simulator',
      kind: 'vspc',
      name: 'VSPC simulator',
      url: sims.vspc.url,
      username: admin.username,
      trustedFingerprint: sims.certificate.fingerprint256,
    },
    password: admin.password,
    notes: [],
  };
}

function vbrConnection(sims: Simulators): DemoConnection {
  const { admin, viewer } = sims.vbr.users;
  return {
    definition: {
      id: 'demo-vbr-simulator',
      kind: 'vbr',
      name: 'VBR simulator',
      url: sims.vbr.url,
      username: admin.username,
      trustedFingerprint: sims.certificate.fingerprint256,
    },
    password: admin.password,
    notes: [`read-only account: ${viewer.username} / ${viewer.password} (Veeam Backup Viewer)`, `API revisions it accepts: ${sims.vbr.revisions.join(', ')}`],
  };
}

/** The extension as it is built in this checkout, linked where code-server looks for installed extensions. */
function linkExtension(extensionsDir: string): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string; main: string };
  if (!fs.existsSync(path.join(repo, pkg.main))) throw new Error(`${pkg.main} is missing: run \`npm run build\` first`);
  const link = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`.toLowerCase());
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.symlinkSync(repo, link, 'dir');
  return link;
}

async function main(): Promise<void> {
  const manifest = readHostManifest({ browser: false });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'veeam-api-explorer-demo-'));
  const cleanups: Array<() => Promise<void> | void> = [() => fs.rmSync(scratch, { recursive: true, force: true })];
  let stopping: Promise<void> | undefined;
  const stop = (why: string, code: number): Promise<void> =>
    (stopping ??= (async () => {
      if (why) console.log(`\n${why}: stopping code-server and the simulators…`);
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (err) {
          console.error(`  ${(err as Error).message}`);
        }
      }
      process.exit(code);
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal, 0));
  // `npm start` runs this under `sh -c`, which dies on SIGTERM without passing it on: when the parent goes, stop too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop('npm went away', 0);
  }, 1000);

  try {
    const sims = await startDemoSimulators();
    cleanups.push(() => sims.close());
    const connections: DemoConnection[] = [emConnection(sims), vspcConnection(sims), vbrConnection(sims)];

    const port = (await portIfFree(CODE_SERVER_PORT)) ?? undefined;
    linkExtension(serverDirs(scratch, 'demo').extensionsDir);
    const logFile = path.join(scratch, 'code-server.log');
    const server = await CodeServer.start({
      manifest,
      dir: scratch,
      name: 'demo',
      env: {},
      logFile,
      port,
      smokeTestDriver: false,
      settings: {
        'workbench.startupEditor': 'none',
        'veeamApiExplorer.connections': connections.map((c) => c.definition),
      },
    });
    cleanups.push(() => server.stop());
    process.once('exit', () => server.killNow());
    const workspace = path.join(scratch, 'workspace');
    fs.mkdirSync(workspace);

    const lines = [
      '',
      'Veeam API Explorer demo',
      '',
      `  Open ${server.origin}/?folder=${encodeURIComponent(workspace)} in a browser,`,
      '  click the Veeam API Explorer icon in the activity bar, then "Log on…" under a connection.',
      '',
    ];
    for (const c of connections) {
      lines.push(
        `  ${c.definition.name} (${c.definition.kind.toUpperCase()})  ${c.definition.url}`,
        `    user:     ${c.definition.username}`,
        `    password: ${c.password}   (Log On asks for it once, then keeps it in VS Code's secret storage)`,
        `    certificate trusted by fingerprint ${c.definition.trustedFingerprint}`,
        ...c.notes.map((n) => `    ${n}`),
        '',
      );
    }
    if (port === undefined) lines.push(`  (port ${CODE_SERVER_PORT} was taken, so code-server listens on ${server.port})`, '');
    lines.push(`  code-server ${manifest.codeServerVersion} log: ${logFile}`, '', 'Ctrl+C stops everything.', '');
    console.log(lines.join('\n'));
  } catch (err) {
    console.error(`The demo could not start: ${(err as Error).message}`);
    await stop('', 1);
  }
}

void main();
