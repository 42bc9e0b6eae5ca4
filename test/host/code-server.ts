// Starts and stops code-server (installed by scripts/setup-host.sh) as a process group of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** What scripts/setup-host.sh installed, read from its manifest. */
export interface HostManifest {
  node: string;
  nodeVersion: string;
  codeServerEntry: string;
  codeServerVersion: string;
  chromium: string;
}

export function hostCacheDir(): string {
  return process.env.VEEAM_HOST_CACHE || path.join(os.homedir(), '.cache', 'veeam-api-explorer-host');
}

export function readHostManifest(): HostManifest {
  const file = path.join(hostCacheDir(), 'host.json');
  if (!fs.existsSync(file)) {
    throw new Error(`code-server is not installed (no ${file}): run \`npm run setup:host\` first`);
  }
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as HostManifest;
  for (const p of [manifest.node, manifest.codeServerEntry, manifest.chromium]) {
    if (!fs.existsSync(p)) throw new Error(`${p} is missing: run \`npm run setup:host\` again`);
  }
  return manifest;
}

/** A free TCP port on the loopback interface (free when asked; code-server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface CodeServerOptions {
  manifest: HostManifest;
  /** Per-run scratch folder: user data, extensions and config go below it. */
  dir: string;
  /** Extra environment for the server and so for the extension host it starts. */
  env: Record<string, string>;
  logFile: string;
}

export class CodeServer {
  private exited = false;
  private exitCode: number | null = null;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly origin: string,
  ) {
    child.on('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
    });
  }

  static async start(options: CodeServerOptions): Promise<CodeServer> {
    const { manifest, dir } = options;
    const port = await freePort();
    const userDataDir = path.join(dir, 'user-data');
    const extensionsDir = path.join(dir, 'extensions');
    fs.mkdirSync(userDataDir, { recursive: true });
    fs.mkdirSync(extensionsDir, { recursive: true });
    const config = path.join(dir, 'cs.yaml');
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    // Settings that keep the workbench quiet and deterministic under automation.
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          'telemetry.telemetryLevel': 'off',
          'update.mode': 'none',
          'extensions.autoUpdate': false,
          'extensions.autoCheckUpdates': false,
          'security.workspace.trust.enabled': false,
          'chat.disableAIFeatures': true,
          'workbench.secondarySideBar.defaultVisibility': 'hidden',
        },
        null,
        2,
      ),
    );

    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      // A VS Code terminal or an npm script leaks variables that would confuse a nested VS Code or node.
      if (/^(VSCODE_|ELECTRON_|npm_)/.test(k) || k === 'NODE_OPTIONS') continue;
      env[k] = v;
    }
    // No extension gallery: nothing to fetch from outside, and no failed look-ups of open-vsx.org in the log.
    env.EXTENSIONS_GALLERY = '{}';
    Object.assign(env, options.env);
    env.PATH = `${path.dirname(manifest.node)}${path.delimiter}${process.env.PATH ?? ''}`;

    const log = fs.openSync(options.logFile, 'a');
    const child = spawn(
      manifest.node,
      [
        manifest.codeServerEntry,
        '--config', config,
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--extensions-dir', extensionsDir,
        '--user-data-dir', userDataDir,
        '--vscode-option=--enable-smoke-test-driver',
      ],
      { detached: true, env, stdio: ['ignore', log, log] },
    );
    fs.closeSync(log);
    const server = new CodeServer(child, port, `http://127.0.0.1:${port}`);
    await server.waitHealthy(60_000, options.logFile);
    return server;
  }

  private async waitHealthy(timeoutMs: number, logFile: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) {
        throw new Error(`code-server exited with ${this.exitCode} before it was healthy; log: ${logFile}`);
      }
      try {
        const res = await fetch(`${this.origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; log: ${logFile}`);
  }

  /** Stops the server and everything it started (extension host, file watcher, pty host). */
  async stop(): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined) return;
    const signalGroup = (signal: NodeJS.Signals | 0): boolean => {
      try {
        process.kill(-pid, signal);
        return true;
      } catch {
        return false; // the group is gone
      }
    };
    if (!signalGroup('SIGTERM')) return;
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      if (!signalGroup(0)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    signalGroup('SIGKILL');
  }

  /** Synchronous last resort for process 'exit' handlers. */
  killNow(): void {
    if (this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}
