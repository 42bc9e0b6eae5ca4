import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Link, Resource } from '../../src/api';
import { fileNameOf, lastPathWord, linkLabel, resourceLabel } from '../../src/ui/tree/labels';
import { fieldLabel, linkRole, outline } from '../../src/ui/tree/outline';

const base = 'https://em.example.com:9398/api';
const link = (rel: string, path: string, type?: string, name?: string): Link => ({ rel, href: `${base}${path}`, type, name });
const resource = (r: Partial<Resource>): Resource => ({ links: [], fields: [], children: [], ...r });

describe('tree labels', () => {
  it('names a list link by its item type in the plural', () => {
    assert.equal(linkLabel(link('Down', '/jobs', 'JobReferenceList')), 'Jobs');
    assert.equal(linkLabel(link('Down', '/backupServers', 'BackupServerReferenceList')), 'Backup Servers');
    assert.equal(linkLabel(link('Down', '/vmRestorePoints', 'VmRestorePointReferenceList')), 'VM Restore Points');
    assert.equal(linkLabel(link('Down', '/repositories', 'RepositoryReferenceList')), 'Repositories');
    assert.equal(linkLabel(link('Down', '/nas/jobs', 'NASJobReferenceList')), 'NAS Jobs');
    assert.equal(linkLabel(link('Down', '/agents/jobs', 'AgentJobReferenceList')), 'Agent Jobs');
    assert.equal(linkLabel(link('Down', '/catalog/vms', 'CatalogVmReferenceList')), 'Catalog VMs');
    assert.equal(linkLabel(link('Down', '/vAppRestorePoints', 'VAppRestorePointReferenceList')), 'vApp Restore Points');
    assert.equal(linkLabel(link('Down', '/wanAccelerators', 'WanAcceleratorReferenceList')), 'WAN Accelerators');
    assert.equal(linkLabel(link('Down', '/logonSessions', 'LogonSessionList')), 'Logon Sessions');
  });

  it('names other links from the word their URL ends in, then their Type', () => {
    assert.equal(linkLabel(link('Down', '/query', 'QueryService')), 'Query');
    assert.equal(linkLabel(link('Down', '/backupSessions/urn:veeam:BackupJobSession:1', 'BackupJobSession')), 'Backup Job Session');
  });

  it('prefers the Name of a link', () => {
    assert.equal(linkLabel(link('Down', '/reports/summary', 'Report', 'Summary')), 'Summary');
  });


  it('ignores the query when naming from the URL', () => {
    assert.equal(lastPathWord(`${base}/query?type=Job&format=Entities`), 'query');
    assert.equal(lastPathWord(`${base}/`), undefined);
  });

  it('names resources by Name, then readable Type', () => {
    assert.equal(resourceLabel(resource({ name: 'Backup Job 1', type: 'JobReference' })), 'Backup Job 1');
    assert.equal(resourceLabel(resource({ type: 'EnterpriseManager' })), 'Enterprise Manager');
    assert.equal(resourceLabel(resource({ href: `${base}/repositories` })), 'Repositories');
  });

  it('makes safe file names for document titles', () => {
    assert.equal(fileNameOf('Backup/Job: "nightly"'), 'Backup Job nightly');
    assert.equal(fileNameOf('   '), 'response');
  });
});

describe('what a resource shows as children', () => {
  it('never shows Up links, shows Down and Alternate, and treats other relations and ?action= as actions', () => {
    assert.equal(linkRole(link('Up', '/backupServers/1')), 'up');
    assert.equal(linkRole(link('Down', '/jobs')), 'navigable');
    assert.equal(linkRole(link('Alternate', '/jobs/1?format=Entity')), 'navigable');
    assert.equal(linkRole(link('Start', '/jobs/1?action=start')), 'action');
    assert.equal(linkRole(link('Down', '/jobs/1?action=start')), 'action');
    assert.equal(linkRole(link('Delete', '/logonSessions/1')), 'action');
    assert.equal(linkRole(link('Create', '/sessionMngr/?v=latest')), 'action');
    assert.equal(linkRole(link('Next', '/query?page=2')), 'paging');
  });

  it('orders children, links, fields, actions, then the next page', () => {
    const entries = outline(
      resource({
        links: [link('Up', '/'), link('Start', '/jobs/1?action=start'), link('Down', '/jobs/1/includes'), link('Next', '/query?page=3')],
        fields: [{ name: 'JobType', value: 'Backup' }],
        children: [resource({ href: `${base}/jobs/2`, name: 'Two' })],
        paging: { page: 2, pagesCount: 5, next: `${base}/query?page=3` },
      }),
    );
    assert.deepEqual(entries.map((e) => e.kind), ['resource', 'link', 'field', 'action', 'nextPage']);
  });

  it('does not repeat a child as a Down link of the list', () => {
    const entries = outline(resource({ links: [link('Down', '/jobs/2')], children: [resource({ href: `${base}/jobs/2`, name: 'Two' })] }));
    assert.deepEqual(entries.map((e) => e.kind), ['resource']);
  });

  it('labels fields as name: value, groups by name', () => {
    assert.equal(fieldLabel({ name: 'JobType', value: 'Backup' }), 'JobType: Backup');
    assert.equal(fieldLabel({ name: 'ScheduleInfo', children: [{ name: 'Daily', value: 'true' }] }), 'ScheduleInfo');
    assert.equal(fieldLabel({ name: 'Description' }), 'Description: ');
  });
});
