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

/** `browser: false` when only code-server is needed (the demo). */
export function readHostManifest(options: { browser?: boolean } = {}): HostManifest {
  const file = path.join(hostCacheDir(), 'host.json');
  if (!fs.existsSync(file)) {
    throw new Error(`code-server is not installed (no ${file}): run \`npm run setup:host\` first`);
  }
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as HostManifest;
  const needed = [manifest.node, manifest.codeServerEntry, ...(options.browser === false ? [] : [manifest.chromium])];
  for (const p of needed) {
    if (!fs.existsSync(p)) throw new Error(`${p} is missing: run \`npm run setup:host\` again`);
  }
  return manifest;
}

/** A free TCP port on the loopback interface (free when asked; code-server binds it right after). */
export function freePort(): Promise<number> {
  return portIfFree(0) as Promise<number>;
}

/** `wanted` if nothing listens on it at 127.0.0.1 (0: any free port), else undefined. */
export function portIfFree(wanted: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' || err.code === 'EACCES' ? resolve(undefined) : reject(err)));
    server.listen(wanted, '127.0.0.1', () => {
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
  /** Default: a free port. */
  port?: number;
  /** Names the user-data and extensions folders below `dir` (several servers may share one scratch folder). */
  name?: string;
  /** Added to the quiet defaults of the user settings.json. */
  settings?: Record<string, unknown>;
  /** Default true: lets a page's `payload` load a development extension and run tests. The demo turns it off. */
  smokeTestDriver?: boolean;
}

/** Settings that keep the workbench quiet and deterministic under automation. */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** The folders a server of this name uses below `dir`. */
export function serverDirs(dir: string, name?: string): { userDataDir: string; extensionsDir: string; config: string } {
  const suffix = name ? `-${name}` : '';
  return {
    userDataDir: path.join(dir, `user-data${suffix}`),
    extensionsDir: path.join(dir, `extensions${suffix}`),
    config: path.join(dir, `cs${suffix}.yaml`),
  };
}

/** The environment code-server runs in: no leaked VS Code/npm variables, no gallery, Node 24 first on PATH. */
function serverEnv(manifest: HostManifest, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A VS Code terminal or an npm script leaks variables that would confuse a nested VS Code or node.
    if (/^(VSCODE_|ELECTRON_|npm_)/.test(k) || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  // No extension gallery: nothing to fetch from outside, and no failed look-ups of open-vsx.org in the log.
  env.EXTENSIONS_GALLERY = '{}';
  Object.assign(env, extra);
  env.PATH = `${path.dirname(manifest.node)}${path.delimiter}${process.env.PATH ?? ''}`;
  return env;
}

/**
 * `code-server --install-extension FILE` into the extensions folder of the server named `name` below `dir`, as a user
 * would install a .vsix. Resolves with the CLI's output; rejects when it fails.
 */
export function installExtension(manifest: HostManifest, vsix: string, dir: string, name: string | undefined, logFile: string): Promise<string> {
  const { userDataDir, extensionsDir, config } = serverDirs(dir, name);
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  return new Promise((resolve, reject) => {
    const child = spawn(
      manifest.node,
      [manifest.codeServerEntry, '--config', config, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix],
      { env: serverEnv(manifest, {}), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      fs.appendFileSync(logFile, `--install-extension ${vsix}\n${output}\n`);
      if (code === 0) resolve(output.trim());
      else reject(new Error(`code-server --install-extension exited with ${code}: ${output.trim()}`));
    });
  });
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
    const port = options.port ?? (await freePort());
    const { userDataDir, extensionsDir, config } = serverDirs(dir, options.name);
    fs.mkdirSync(userDataDir, { recursive: true });
    fs.mkdirSync(extensionsDir, { recursive: true });
    fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
    const env = serverEnv(manifest, options.env);

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
        ...(options.smokeTestDriver === false ? [] : ['--vscode-option=--enable-smoke-test-driver']),
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
