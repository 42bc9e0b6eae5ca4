import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

/** The layer rules of src/api (scripts/check-layers.mjs, run by `npm run typecheck`): a stray import fails them. */
const repo = resolve(__dirname, '../../..');
const script = join(repo, 'scripts/check-layers.mjs');
let scratch: string;

function check(apiDir: string): Promise<{ code: number; stderr: string; stdout: string }> {
  return new Promise((done) =>
    execFile(process.execPath, [script, apiDir], { cwd: repo }, (err, stdout, stderr) => done({ code: err ? Number(err.code) : 0, stdout, stderr })),
  );
}

/** A copy of src/api with one more line in one file. */
function copyWith(file: string, line: string): string {
  const dir = mkdtempSync(join(scratch, 'api-'));
  cpSync(join(repo, 'src/api'), dir, { recursive: true });
  writeFileSync(join(dir, file), `${line}\n`, { flag: 'a' });
  return dir;
}

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'veeam-layers-'));
});
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('the layers of src/api', () => {
  it('hold in the tree as it is', async () => {
    const run = await check(join(repo, 'src/api'));
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /no import against the rules/);
  });

  for (const [what, file, line, message] of [
    ['a vscode import anywhere', 'session/walk.ts', "import * as vscode from 'vscode';", /session\/walk\.ts: imports vscode/],
    ['a type-only vscode import', 'resource.ts', "import type { Uri } from 'vscode';", /resource\.ts: imports vscode/],
    ['an import of the UI', 'kinds/em/parser.ts', "import { showError } from '../../../ui/error-display';", /outside src\/api/],
    ['the transport importing a parser', 'transport/http.ts', "import { OFF_THREAD_BYTES } from '../parse/parse';", /the transport imports parse\/parse/],
    ['the parser core importing a kind', 'parse/parse.ts', "import { parseEmBody } from '../kinds/em/parser';", /the parser core imports kinds\/em\/parser/],
    ['the OpenAPI reader importing a kind', 'openapi/reader.ts', "import { VSPC_STYLE } from '../kinds/vspc/navigation-map';", /the OpenAPI reader imports kinds\/vspc\/navigation-map/],
    ['a kind importing another kind', 'kinds/em/kind.ts', "import { vspcBaseUrl } from '../vspc/kind';", /the kind kinds\/em imports another kind/],
    ['a loop between folders', 'session/request-flow.ts', "import { createSession } from '../kinds/registry';", /a loop between folders: .*session/],
  ] as const) {
    it(`refuse ${what}`, async () => {
      const run = await check(copyWith(file, line));
      assert.equal(run.code, 1, `${run.stdout}${run.stderr}`);
      assert.match(run.stderr, message);
    });
  }
});
