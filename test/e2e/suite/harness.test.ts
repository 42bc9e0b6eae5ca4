// Proves the harness: the tests run inside a real VS Code extension host with this extension loaded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const extensionId = 'veeam-api-explorer.veeam-api-explorer';

describe('the extension host', () => {
  it('is a real VS Code', () => {
    assert.equal(typeof vscode.version, 'string');
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it(`has ${extensionId} installed`, () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `extension ${extensionId} is not installed in the host`);
  });
});
