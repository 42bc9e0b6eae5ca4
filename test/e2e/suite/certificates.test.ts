import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TlsError } from '../../../src/api';
import { addConnection, explorer, em, removeAllConnections, resetSimulator } from './explorer-fixture';

const normalized = (fp: string) => fp.replace(/[^0-9a-f]/gi, '').toUpperCase();

describe('certificates', () => {
  before(async () => {
    await removeAllConnections();
    await resetSimulator();
  });
  after(removeAllConnections);

  it('refuses the simulator\u2019s self-signed certificate by default, describing it', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'Untrusted', caFile: undefined });
    await assert.rejects(api.sessions.logOn(def.id), (err: TlsError) => {
      assert.equal(err.kind, 'tls');
      assert.ok(err.certificate, 'the error carries no certificate to show');
      assert.equal(normalized(err.certificate.fingerprint256), normalized(em.fingerprint));
      return true;
    });
    assert.equal(api.sessions.state(def.id), 'loggedOff');
  });

  it('logs on once that certificate is trusted for the connection', async () => {
    const api = await explorer();
    const def = api.connections.all().find((c) => c.name === 'Untrusted')!;
    await vscode.commands.executeCommand('veeamApiExplorer.editConnection', { id: def.id, trustedFingerprint: em.fingerprint });
    assert.equal(api.connections.get(def.id)?.trustedFingerprint, em.fingerprint);
    const info = await api.sessions.logOn(def.id);
    assert.ok(info.userName);
    await api.sessions.logOff(def.id);
  });

  it('refuses a connection that trusts another certificate', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'Pinned elsewhere', caFile: undefined, trustedFingerprint: 'AB'.repeat(32) });
    await assert.rejects(api.sessions.logOn(def.id), (err: TlsError) => err.kind === 'tls' && err.code === 'PIN_MISMATCH');
  });

  it('logs on with the CA file of the connection', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'With CA file' });
    assert.equal(def.caFile, em.caFile);
    assert.ok((await api.sessions.logOn(def.id)).userName);
    await api.sessions.logOff(def.id);
  });

  it('says which CA file it cannot read', async () => {
    const api = await explorer();
    const def = await addConnection({ name: 'Missing CA file', caFile: '/nonexistent/ca.pem' });
    await assert.rejects(api.sessions.logOn(def.id), /\/nonexistent\/ca\.pem/);
  });
});
