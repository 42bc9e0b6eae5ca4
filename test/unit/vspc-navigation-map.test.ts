import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { VSPC_API_REVISION, VSPC_COLLECTIONS } from '../../src/api/kinds/vspc/navigation-map';

describe('VSPC navigation map (REST API 3.6)', () => {
  it('is for revision 3.6', () => {
    assert.equal(VSPC_API_REVISION, '3.6');
  });

  it('has every path once, top-level and sub-collection paths alike', () => {
    const all = VSPC_COLLECTIONS.flatMap((c) => [c.path, ...(c.item?.subCollections.map((s) => s.path) ?? [])]);
    const seen = new Set<string>();
    for (const path of all) {
      assert.ok(!seen.has(path), `duplicate path ${path}`);
      seen.add(path);
    }
  });

  it('has top-level paths that start with / and have no path parameter or trailing slash', () => {
    for (const c of VSPC_COLLECTIONS) {
      assert.match(c.path, /^\/[A-Za-z0-9]/, c.path);
      assert.ok(!c.path.includes('{') && !c.path.includes('}'), `path parameter in ${c.path}`);
      assert.ok(!c.path.endsWith('/'), `trailing slash in ${c.path}`);
      assert.ok(!c.path.includes('//'), `empty segment in ${c.path}`);
    }
  });

  it('puts each sub-collection under its parent item, with no other parameter', () => {
    for (const c of VSPC_COLLECTIONS) {
      if (!c.item) continue;
      assert.match(c.item.param, /^[A-Za-z][A-Za-z0-9]*$/, `${c.path} param`);
      assert.ok(c.item.nameProperties.length > 0, `${c.path} has no name properties`);
      const prefix = `${c.path}/{${c.item.param}}/`;
      const labels = new Set<string>();
      for (const sub of c.item.subCollections) {
        assert.ok(sub.path.startsWith(prefix), `${sub.path} is not under ${prefix}`);
        const rest = sub.path.slice(prefix.length);
        assert.ok(rest.length > 0 && !rest.includes('{') && !rest.endsWith('/'), sub.path);
        assert.ok(sub.label.trim().length > 0, `${sub.path} has no label`);
        assert.ok(!labels.has(sub.label), `label ${sub.label} twice under ${c.path}`);
        labels.add(sub.label);
      }
    }
  });

  it('labels collections readably and uniquely within each non-empty group', () => {
    const groups = new Map<string, Set<string>>();
    for (const c of VSPC_COLLECTIONS) {
      assert.ok(c.group.trim().length > 0, `${c.path} has no group`);
      assert.ok(c.label.trim().length > 0, `${c.path} has no label`);
      assert.equal(c.label, c.label.trim(), c.path);
      assert.ok(/^[A-Z0-9]/.test(c.label), `label of ${c.path} should start capitalised: ${c.label}`);
      const labels = groups.get(c.group) ?? new Set<string>();
      assert.ok(!labels.has(c.label), `label ${c.label} twice in group ${c.group}`);
      labels.add(c.label);
      groups.set(c.group, labels);
    }
    for (const [group, labels] of groups) assert.ok(labels.size > 0, `group ${group} is empty`);
    assert.ok(groups.size >= 8, `only ${groups.size} groups`);
  });

  it('marks singletons without items', () => {
    for (const c of VSPC_COLLECTIONS.filter((x) => x.singleton)) {
      assert.equal(c.item, undefined, `${c.path} is a singleton with items`);
    }
  });

  it('leaves out authentication, token and key endpoints and async-action internals', () => {
    for (const c of VSPC_COLLECTIONS) {
      assert.ok(!c.path.startsWith('/authentication'), c.path);
      assert.ok(!/\/token(s)?$/.test(c.path), c.path);
      assert.ok(!c.path.startsWith('/asyncActions/'), c.path);
    }
  });

  it('has the well-known collections', () => {
    const byPath = new Map(VSPC_COLLECTIONS.map((c) => [c.path, c]));
    for (const path of [
      '/about',
      '/organizations/companies',
      '/organizations/resellers',
      '/organizations/locations',
      '/infrastructure/backupServers',
      '/infrastructure/backupServers/jobs',
      '/infrastructure/backupAgents',
      '/infrastructure/managementAgents',
      '/infrastructure/sites',
      '/alarms/active',
      '/alarms/templates',
      '/protectedWorkloads/virtualMachines',
      '/users',
      '/licensing/console',
      '/pulse/tenants',
    ]) {
      assert.ok(byPath.has(path), `missing ${path}`);
    }
    assert.equal(byPath.get('/about')?.singleton, true);
    assert.equal(byPath.get('/users/me')?.singleton, true);
    assert.equal(byPath.get('/organizations/companies')?.item?.param, 'companyUid');
    assert.equal(byPath.get('/infrastructure/backupServers')?.item?.param, 'backupServerUid');
    assert.ok(
      byPath.get('/infrastructure/backupServers')?.item?.subCollections.some((s) => s.path === '/infrastructure/backupServers/{backupServerUid}/jobs'),
    );
    assert.equal(byPath.get('/alarms/active')?.item?.param, 'activeAlarmUid');
  });

  it('is large enough to cover the document', () => {
    assert.ok(VSPC_COLLECTIONS.length >= 150, `only ${VSPC_COLLECTIONS.length} collections`);
  });
});
