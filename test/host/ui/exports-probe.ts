// Another extension, as any installed one could be: once the window has started it activates ours through
// `vscode.extensions.getExtension(id).activate()` and writes down what it got back (the extension's `exports`).
// The package test installs it beside the .vsix: the product must hand another extension nothing (its test API
// holds the connection store, whose storedPassword() reads passwords, and the host that answers its prompts).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** What the probe saw. */
export interface ExportsReport {
  found: boolean;
  /** `typeof` the value activate() resolved with ('undefined' when the extension exports nothing). */
  exportsType: string;
  /** Its own keys, when it is an object. */
  keys: string[];
  error?: string;
}

export interface ExportsProbe {
  /** The probe packaged, for `code-server --install-extension`. */
  vsix: string;
  /** The report, once the probe has written it. */
  report(): ExportsReport | undefined;
}

/** Packages the probe for the extension `targetId` with vsce (from this repository's node_modules). */
export function buildExportsProbe(repo: string, targetId: string): ExportsProbe {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'veeam-exports-probe-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const reportFile = path.join(dir, 'report.json');
  const manifest = {
    name: 'exports-probe',
    // Not a name the package test looks for among the running extensions.
    displayName: 'Exports probe (a test fixture)',
    description: 'Reports what another extension exports.',
    publisher: 'veeam-api-explorer-tests',
    version: '0.0.1',
    engines: { vscode: '^1.74.0' },
    main: './extension.js',
    activationEvents: ['onStartupFinished'],
    extensionDependencies: [],
  };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  fs.writeFileSync(path.join(dir, 'README.md'), '# Exports probe\n\nA test fixture.\n');
  fs.writeFileSync(
    path.join(dir, 'extension.js'),
    `const vscode = require('vscode');
const fs = require('fs');
exports.activate = async function () {
  const report = { found: false, exportsType: 'unknown', keys: [] };
  try {
    const extension = vscode.extensions.getExtension(${JSON.stringify(targetId)});
    report.found = !!extension;
    const api = extension ? await extension.activate() : undefined;
    report.exportsType = api === null ? 'null' : typeof api;
    report.keys = api && typeof api === 'object' ? Object.keys(api) : [];
  } catch (err) {
    report.error = String((err && err.stack) || err);
  }
  fs.writeFileSync(${JSON.stringify(reportFile)}, JSON.stringify(report));
};
`,
  );
  const vsix = path.join(dir, 'exports-probe.vsix');
  const vsce = path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  if (result.status !== 0 || !fs.existsSync(vsix)) throw new Error(`vsce could not package the exports probe: ${result.stdout}${result.stderr}`);
  return {
    vsix,
    report: () => (fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as ExportsReport) : undefined),
  };
}
