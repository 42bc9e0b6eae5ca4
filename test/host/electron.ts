// The desktop path: the same extension tests (out/e2e/index.js) in a locally installed VS Code through
// @vscode/test-electron. It never downloads VS Code (nothing outside the package registries is reachable on the
// project's machines); set VSCODE_EXECUTABLE to the Electron executable of an installed VS Code if it is not found.
// The tests that count run in code-server (`npm run test:host`).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { startSimulatorEnv } from './simulator-env';

const repo = path.resolve(__dirname, '../..');

function candidates(): string[] {
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return [
        '/Applications/Visual Studio Code.app/Contents/MacOS/Electron',
        path.join(home, 'Applications/Visual Studio Code.app/Contents/MacOS/Electron'),
        '/Applications/Visual Studio Code.app/Contents/MacOS/Code',
      ];
    case 'win32': {
      const local = process.env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local');
      return [
        path.join(local, 'Programs', 'Microsoft VS Code', 'Code.exe'),
        path.join(process.env.ProgramFiles ?? 'C:\\Program Files', 'Microsoft VS Code', 'Code.exe'),
      ];
    }
    default:
      return ['/usr/share/code/code', '/usr/lib/code/code', '/opt/visual-studio-code/code', '/snap/code/current/usr/share/code/code'];
  }
}

function findVSCode(): string | undefined {
  const explicit = process.env.VSCODE_EXECUTABLE;
  if (explicit) {
    if (!fs.existsSync(explicit)) throw new Error(`VSCODE_EXECUTABLE=${explicit} does not exist`);
    return explicit;
  }
  return candidates().find((c) => fs.existsSync(c));
}

async function main(): Promise<number> {
  const vscodeExecutablePath = findVSCode();
  if (!vscodeExecutablePath) {
    console.error(
      [
        'test:electron: no local VS Code found (looked in: ' + candidates().join(', ') + ').',
        'Install VS Code or set VSCODE_EXECUTABLE to its Electron executable (e.g. /usr/share/code/code).',
        'This path never downloads VS Code. The extension tests that count run in code-server: npm run test:host',
      ].join('\n'),
    );
    return 2;
  }
  for (const required of ['dist/extension.js', 'out/e2e/index.js']) {
    if (!fs.existsSync(path.join(repo, required))) throw new Error(`${required} is missing: run \`npm run test:electron\``);
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'veeam-electron-'));
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace);
  const simulator = await startSimulatorEnv(scratch);
  try {
    const files = process.argv.slice(2).filter((a) => !a.startsWith('-')).map((a) => path.basename(a));
    return await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repo,
      extensionTestsPath: path.join(repo, 'out/e2e/index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(scratch, 'user-data')],
      extensionTestsEnv: { ...simulator?.env, VEEAM_TEST_FILES: files.join(',') },
    });
  } catch (err) {
    console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    await simulator?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test:electron: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
