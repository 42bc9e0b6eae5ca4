import { collections } from './routes';
import type { VspcEstate } from './estate';

/** Where the simulator publishes its OpenAPI document when asked to (`vspcOpenApiDocument`). */
export const OPENAPI_PATH = '/api/swagger/v3/swagger.json';

const AREA: Record<string, { tag: string; summary: string; item: string; param: string }> = {
  'organizations/companies': { tag: 'Organizations', summary: 'Get All Companies', item: 'Get Company', param: 'companyUid' },
  'organizations/resellers': { tag: 'Organizations', summary: 'Get All Resellers', item: 'Get Reseller', param: 'resellerUid' },
  'organizations/locations': { tag: 'Organizations', summary: 'Get All Locations', item: 'Get Location', param: 'locationUid' },
  'infrastructure/backupServers': { tag: 'Infrastructure', summary: 'Get All Backup Servers', item: 'Get Backup Server', param: 'backupServerUid' },
  'infrastructure/backupServers/jobs': { tag: 'Backup Server Jobs', summary: 'Get All Jobs', item: 'Get Job', param: 'jobUid' },
  'protectedWorkloads/virtualMachines': { tag: 'Protected Workloads', summary: 'Get All Protected VMs', item: 'Get Protected VM', param: 'vmUid' },
  'alarms/active': { tag: 'Alarms', summary: 'Get All Active Alarms', item: 'Get Active Alarm', param: 'activeAlarmUid' },
};

const paging = [
  { name: 'limit', in: 'query', schema: { type: 'integer', format: 'int32', minimum: 1, maximum: 500, default: 100 } },
  { name: 'offset', in: 'query', schema: { type: 'integer', format: 'int32', minimum: 0, default: 0 } },
  { name: 'filter', in: 'query', schema: { type: 'string' } },
  { name: 'sort', in: 'query', schema: { type: 'string' } },
];

/** A small, valid OpenAPI 3.0 document describing exactly the endpoints the simulator serves (GETs and job actions). */
export function openApiDocument(estate: VspcEstate): unknown {
  const paths: Record<string, unknown> = {
    '/about': { get: { tags: ['General'], summary: 'Get Portal Information', operationId: 'GetAbout', responses: { 200: { description: 'Portal information.' } } } },
    '/users/me': { get: { tags: ['Accounts'], summary: 'Get Current User', operationId: 'GetCurrentUser', responses: { 200: { description: 'The logged-on user.' } } } },
    '/token': { post: { tags: ['Authentication'], summary: 'Authenticate', operationId: 'Token', responses: { 200: { description: 'Tokens.' } } } },
  };
  for (const c of collections(estate)) {
    const area = AREA[c.path];
    if (!area) continue;
    paths[`/${c.path}`] = { get: { tags: [area.tag], summary: area.summary, parameters: paging, responses: { 200: { description: area.summary } } } };
    paths[`/${c.path}/{${area.param}}`] = {
      get: { tags: [area.tag], summary: area.item, parameters: [{ name: area.param, in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }], responses: { 200: { description: area.item } } },
    };
  }
  paths['/infrastructure/backupServers/{backupServerUid}/jobs'] = {
    get: { tags: ['Backup Server Jobs'], summary: 'Get All Jobs Configured on Backup Server', parameters: [{ name: 'backupServerUid', in: 'path', required: true, schema: { type: 'string' } }, ...paging], responses: { 200: { description: 'Jobs.' } } },
  };
  // The job actions the simulator runs (async: 202 and an asyncActions Location).
  const jobUid = [{ name: 'jobUid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }];
  for (const [verb, summary] of [['start', 'Start Job'], ['stop', 'Stop Job']]) {
    paths[`/infrastructure/backupServers/jobs/{jobUid}/${verb}`] = {
      post: { tags: ['Backup Server Jobs'], summary, operationId: `${verb === 'start' ? 'Start' : 'Stop'}BackupServerJob`, parameters: jobUid, responses: { 202: { description: 'The async action.' } } },
    };
  }
  return {
    openapi: '3.0.1',
    info: { title: 'Veeam Service Provider Console REST API (simulator)', version: '3.6' },
    servers: [{ url: '/api/v3' }],
    paths,
  };
}
