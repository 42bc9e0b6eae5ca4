// Runs generated scripts as a user would: a file, `python3 FILE` or `bash FILE`, stdin closed, the password in the
// environment only. Shared by the scripts-*.test.ts files.
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

const folder = mkdtempSync(join(tmpdir(), 'veeam-scripts-'));
let files = 0;

/** Writes the script to a file of its own and runs it; `env` is all the environment it gets, with PATH and HOME. */
export function runScript(
  language: 'python' | 'bash',
  text: string,
  env: Record<string, string | undefined>,
  started?: (child: ChildProcess) => void,
): Promise<ScriptRun> {
  const file = join(folder, `script-${++files}.${language === 'python' ? 'py' : 'sh'}`);
  writeFileSync(file, text, { mode: 0o600 });
  const full: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...env };
  for (const key of Object.keys(full)) if (full[key] === undefined) delete full[key];
  return new Promise((done) => {
    const child = execFile(language === 'python' ? 'python3' : 'bash', [file], { env: full, timeout: 90_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end();
    started?.(child);
  });
}

/** Runs a program and resolves with its exit code and output (for the tools check and for parsing literals). */
export function runProgram(file: string, args: string[], input?: string): Promise<ScriptRun> {
  return new Promise((done) => {
    const child = execFile(file, args, { timeout: 60_000, env: { ...process.env, LANG: 'C.UTF-8' } }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end(input);
  });
}

/**
 * Fails, naming `npm run setup:host`, when a tool the generated scripts need is missing: python3 with requests, curl,
 * jq, xmllint, openssl. Nothing is skipped silently.
 */
export async function requireScriptTools(): Promise<void> {
  const missing: string[] = [];
  for (const [tool, args] of [
    ['python3', ['-c', 'import requests']],
    ['curl', ['--version']],
    ['jq', ['--version']],
    ['xmllint', ['--version']],
    ['openssl', ['version']],
  ] as const) {
    const run = await runProgram(tool, [...args]).catch(() => ({ code: -1 }) as ScriptRun);
    if (run.code !== 0) missing.push(tool === 'python3' ? 'python3 with requests' : tool);
  }
  if (missing.length) {
    throw new Error(`The generated scripts' tools are missing: ${missing.join(', ')}. Run \`npm run setup:host\` (it installs them), then run the tests again.`);
  }
}
