import { ACTIONS, COLLECTIONS, SUB_COLLECTIONS } from './catalog';

/**
 * The simulator's own OpenAPI 3.0.1 document, shaped like the one a VBR server publishes (FACTS.md): full paths
 * (`/api/v1/…`), the `x-api-version` header required on every operation, tags per area, list operations with
 * skip/limit/orderColumn/orderAsc/nameFilter, items by `{id}`, sub-collections, POST actions, and schemas that refer
 * to each other, polymorphism included, so a reader meets `allOf`/`oneOf` reference cycles as in the real one.
 */

export const SWAGGER_UI_PATH = '/swagger/ui/index.html';

/** Where the document of a revision is served (the simulator's choice: the Swashbuckle convention). */
export function swaggerDocumentPath(revision: string): string {
  return `/swagger/${revision}/swagger.json`;
}

/** The revision whose document `path` names, if the server supports it. */
export function swaggerRevision(path: string, revisions: readonly string[]): string | undefined {
  const match = /^\/swagger\/v?([^/]+)\/swagger\.json$/i.exec(path);
  return match ? revisions.find((r) => r.toLowerCase() === match[1].toLowerCase()) : undefined;
}

/** Swagger UI's page: its "Select a definition" list is the `urls` of the configuration, newest first. */
export function swaggerUiPage(revisions: readonly string[]): string {
  const urls = [...revisions].reverse().map((r) => ({ url: swaggerDocumentPath(r), name: r }));
  return (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Veeam Backup &amp; Replication REST API</title>\n' +
    '<link rel="stylesheet" href="./swagger-ui.css"></head>\n<body><div id="swagger-ui"></div>\n' +
    '<script src="./swagger-ui-bundle.js"></script>\n<script>\n' +
    `window.onload = function () { window.ui = SwaggerUIBundle(${JSON.stringify({ urls, dom_id: '#swagger-ui', deepLinking: true })}); };\n` +
    '</script></body></html>\n'
  );
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ref('Error') } } });
const STANDARD_ERRORS = {
  '400': errorResponse('Bad request.'),
  '401': errorResponse('Unauthorized. The authorization header has been expected but not found (or found but is expired).'),
  '403': errorResponse('Forbidden. The user sending the request does not have adequate privileges.'),
  '404': errorResponse('Not found. No object was found with the path parameter specified in the request.'),
  '500': errorResponse('Internal server error.'),
};

function versionHeader(revision: string) {
  return { name: 'x-api-version', in: 'header', required: true, description: 'Version and revision of the client REST API, in the format <version>-<revision>.', schema: { type: 'string', default: revision } };
}

function listParameters(noun: string, orderColumns: readonly string[]) {
  return [
    { name: 'skip', in: 'query', description: `Number of ${noun}s to skip.`, schema: { type: 'integer', format: 'int32' } },
    { name: 'limit', in: 'query', description: `Maximum number of ${noun}s to return.`, schema: { type: 'integer', format: 'int32' } },
    { name: 'orderColumn', in: 'query', description: `Sorts ${noun}s by one of their parameters.`, schema: { type: 'string', enum: [...orderColumns] } },
    { name: 'orderAsc', in: 'query', description: 'Sorts in the ascending order by the orderColumn parameter.', schema: { type: 'boolean' } },
    { name: 'nameFilter', in: 'query', description: 'Filters by the nameFilter pattern; * stands for any characters at the beginning, the end or both.', schema: { type: 'string' } },
  ];
}

const idParameter = (noun: string) => ({ name: 'id', in: 'path', required: true, description: `ID of the ${noun}.`, schema: { type: 'string', format: 'uuid' } });
const resultSchema = (item: string) => `${item.replace(/Model$/, '')}sResult`;
const opId = (text: string) => text.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^./, (c) => c.toUpperCase());

const str = { type: 'string' };
const date = { type: 'string', format: 'date-time' };
const uuid = { type: 'string', format: 'uuid' };
const int = { type: 'integer', format: 'int32' };
const num = { type: 'number', format: 'double' };
const bool = { type: 'boolean' };
const obj = (required: string[], properties: Record<string, unknown>) => ({ type: 'object', required, properties });

const SCHEMAS: Record<string, unknown> = {
  Error: obj(['errorCode', 'message'], { errorCode: str, message: str, resourceId: str }),
  PaginationResult: obj(['total', 'count'], { total: int, count: int, skip: int, limit: int }),
  TokenModel: obj(['access_token', 'token_type', 'refresh_token', 'expires_in', '.issued', '.expires'], { access_token: str, token_type: str, refresh_token: str, expires_in: int, '.issued': date, '.expires': date }),
  TokenLoginSpec: obj(['grant_type'], { grant_type: { type: 'string', enum: ['password', 'refresh_token', 'authorization_code'] }, username: str, password: { type: 'string', format: 'password' }, refresh_token: str, code: str, use_short_term_refresh: bool }),
  EmptySuccessResponse: { type: 'object' },
  ServerInfoModel: obj(['name', 'buildVersion', 'patches'], { vbrId: str, name: str, buildVersion: str, patches: { type: 'array', items: str }, databaseVendor: str, platform: str }),
  ServerTimeModel: obj(['serverTime'], { serverTime: date, timeZone: str }),
  EJobType: { type: 'string', enum: ['Backup', 'BackupCopy', 'Replica', 'EntraIDTenantBackup', 'FileBackup'] },
  // JobModel is polymorphic: it names its subtypes, each of which is a JobModel (allOf): a reference cycle.
  JobModel: {
    type: 'object',
    required: ['id', 'name', 'type', 'isDisabled'],
    properties: { id: uuid, name: str, description: str, type: ref('EJobType'), isDisabled: bool, isHighPriority: bool },
    discriminator: { propertyName: 'type', mapping: { Backup: '#/components/schemas/BackupJobModel' } },
    oneOf: [ref('BackupJobModel')],
  },
  BackupJobModel: { allOf: [ref('JobModel'), obj([], { virtualMachines: ref('BackupJobVirtualMachinesModel'), storage: { type: 'object' }, schedule: { type: 'object' } })] },
  BackupJobVirtualMachinesModel: obj(['includes'], { includes: { type: 'array', items: ref('InventoryObjectModel') }, excludes: { type: 'object' } }),
  // An inventory object holds containers that are inventory objects: a cycle through allOf.
  InventoryObjectModel: obj(['type', 'name'], { type: str, hostName: str, name: str, objectId: str, parent: ref('InventoryContainerModel') }),
  InventoryContainerModel: { allOf: [ref('InventoryObjectModel'), obj([], { children: { type: 'array', items: ref('InventoryObjectModel') } })] },
  JobStateModel: obj(['id', 'name', 'type', 'status', 'lastResult', 'workload', 'objectsCount'], { id: uuid, name: str, type: ref('EJobType'), description: str, status: str, lastRun: date, lastResult: str, nextRun: date, workload: str, repositoryId: uuid, repositoryName: str, objectsCount: int, sessionId: uuid }),
  // The body of `POST /api/v1/jobs/{id}/start` (JobStartSpec in Veeam's reference; the simulator accepts none too).
  JobStartSpec: obj(['performActiveFull'], { performActiveFull: { type: 'boolean', default: false }, startChainedJobs: { type: 'boolean', default: false } }),
  SessionResultModel: obj(['result'], { result: { type: 'string', enum: ['None', 'Success', 'Warning', 'Failed'] }, message: str, isCanceled: bool }),
  SessionModel: obj(['id', 'name', 'activityId', 'sessionType', 'creationTime', 'state', 'usn'], { id: uuid, name: str, activityId: uuid, sessionType: str, creationTime: date, endTime: date, state: { type: 'string', enum: ['Stopped', 'Starting', 'Stopping', 'Working', 'Pausing', 'Resuming', 'WaitingTape', 'Idle', 'Postprocessing', 'WaitingRepository', 'WaitingSlot'] }, progressPercent: int, result: ref('SessionResultModel'), resourceId: uuid, resourceReference: str, parentSessionId: uuid, usn: { type: 'integer', format: 'int64' } }),
  TaskSessionModel: obj(['id', 'type', 'sessionId', 'name', 'creationTime', 'state', 'usn'], { id: uuid, type: str, sessionId: uuid, sessionType: str, name: str, creationTime: date, endTime: date, state: str, result: ref('SessionResultModel'), progress: obj([], { progressPercent: int, processedSize: { type: 'integer', format: 'int64' }, readSize: { type: 'integer', format: 'int64' }, transferredSize: { type: 'integer', format: 'int64' }, duration: str }), usn: { type: 'integer', format: 'int64' } }),
  BackupModel: obj(['id', 'name', 'platformName', 'platformId', 'creationTime', 'repositoryId'], { id: uuid, jobId: uuid, policyTag: str, name: str, platformName: str, platformId: uuid, creationTime: date, repositoryId: uuid }),
  BackupObjectModel: obj(['id', 'name', 'type', 'platformName'], { id: uuid, name: str, type: str, platformName: str, platformId: uuid, objectId: str, path: str, restorePointsCount: int, backupId: uuid }),
  ObjectRestorePointModel: obj(['id', 'name', 'platformId', 'creationTime', 'backupId', 'allowedOperations'], { id: uuid, name: str, platformName: str, platformId: uuid, creationTime: date, backupId: uuid, backupObjectId: uuid, allowedOperations: { type: 'array', items: str } }),
  RepositoryModel: obj(['id', 'name', 'description', 'type'], { id: uuid, name: str, description: str, type: str, hostId: uuid, repository: obj([], { path: str, maxTaskCount: int, readWriteRate: int }), mountServer: { type: 'object' } }),
  RepositoryStateModel: obj(['id', 'name', 'type', 'description', 'capacityGB', 'freeGB', 'usedSpaceGB'], { id: uuid, name: str, type: str, description: str, hostId: uuid, hostName: str, path: str, capacityGB: num, freeGB: num, usedSpaceGB: num }),
  ManagedServerModel: obj(['id', 'name', 'description', 'type'], { id: uuid, name: str, description: str, type: str, status: str, credentialsId: uuid, credentialsStorageType: str }),
  ProxyModel: obj(['id', 'name', 'description', 'type'], { id: uuid, name: str, description: str, type: str, server: obj([], { hostId: uuid, transportMode: str, failoverToNetwork: bool, hostToProxyEncryption: bool, maxTaskCount: int }) }),
  CredentialsModel: obj(['id', 'username', 'description', 'type', 'creationTime'], { id: uuid, type: str, username: str, description: str, creationTime: date }),
};

/** The actions that take a body, by `<parent>/<name>`: the schema of its body. */
const ACTION_BODIES: Record<string, string | undefined> = { 'jobs/start': 'JobStartSpec' };

function resultSchemas(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const schema of new Set([...COLLECTIONS.map((c) => c.schema), ...SUB_COLLECTIONS.map((s) => s.schema)])) {
    out[resultSchema(schema)] = obj(['data', 'pagination'], { data: { type: 'array', items: ref(schema) }, pagination: ref('PaginationResult') });
  }
  return out;
}

/** The document for one revision: `info.version` is that revision. */
export function openApiDocument(revision: string): Record<string, unknown> {
  const header = versionHeader(revision);
  const ok = (schema: string, description = 'OK') => ({ description, content: { 'application/json': { schema: ref(schema) } } });
  const paths: Record<string, Record<string, unknown>> = {
    '/api/oauth2/token': {
      post: { tags: ['Login'], summary: 'Get Access Token', operationId: 'CreateToken', security: [], parameters: [header], requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('TokenLoginSpec') } } }, responses: { '200': ok('TokenModel'), ...STANDARD_ERRORS } },
    },
    '/api/oauth2/logout': { post: { tags: ['Login'], summary: 'Log Out', operationId: 'Logout', parameters: [header], responses: { '200': ok('EmptySuccessResponse'), ...STANDARD_ERRORS } } },
    '/api/v1/serverTime': { get: { tags: ['Service'], summary: 'Get Backup Server Time', operationId: 'GetServerTime', security: [], parameters: [header], responses: { '200': ok('ServerTimeModel'), ...STANDARD_ERRORS } } },
    '/api/v1/serverInfo': { get: { tags: ['Service'], summary: 'Get Backup Server Information', operationId: 'GetServerInfo', parameters: [header], responses: { '200': ok('ServerInfoModel'), ...STANDARD_ERRORS } } },
  };
  for (const c of COLLECTIONS) {
    const summary = `Get All ${plural(c.noun)}`;
    paths[`/api/v1/${c.path}`] = { get: { tags: [c.tag], summary, operationId: opId(`GetAll ${c.path}`), parameters: [header, ...listParameters(c.noun.toLowerCase(), c.orderColumns)], responses: { '200': ok(resultSchema(c.schema)), ...STANDARD_ERRORS } } };
    if (c.byId) {
      paths[`/api/v1/${c.path}/{id}`] = { get: { tags: [c.tag], summary: `Get ${c.noun}`, operationId: opId(`Get ${c.path} ById`), parameters: [header, idParameter(c.noun.toLowerCase())], responses: { '200': ok(c.schema), ...STANDARD_ERRORS } } };
    }
  }
  for (const s of SUB_COLLECTIONS) {
    paths[`/api/v1/${s.parent}/{id}/${s.name}`] = { get: { tags: [s.tag], summary: `Get ${plural(s.noun)} of ${s.parent}`, operationId: opId(`Get ${s.parent} ${s.name}`), parameters: [header, idParameter(s.parent), ...listParameters(s.noun.toLowerCase(), s.orderColumns)], responses: { '200': ok(resultSchema(s.schema)), ...STANDARD_ERRORS } } };
  }
  for (const a of ACTIONS) {
    const responses = a.answers === 'session' ? { '201': ok('SessionModel', 'Created. A session has been started.') } : { '200': ok('EmptySuccessResponse') };
    const spec = ACTION_BODIES[`${a.parent}/${a.name}`];
    const requestBody = spec && { required: false, content: { 'application/json': { schema: ref(spec) } } };
    paths[`/api/v1/${a.parent}/{id}/${a.name}`] = { post: { tags: [a.tag], summary: a.summary, operationId: opId(a.summary), parameters: [header, idParameter(a.parent)], ...(requestBody && { requestBody }), responses: { ...responses, ...STANDARD_ERRORS } } };
  }
  const tags = ['Login', 'Service', ...new Set([...COLLECTIONS.map((c) => c.tag), ...SUB_COLLECTIONS.map((s) => s.tag)])].map((name) => ({ name, description: `The ${name} section.` }));
  return {
    openapi: '3.0.1',
    info: { title: 'Veeam Backup & Replication REST API (simulator)', version: revision, description: 'The simulator publishes only the operations it serves.' },
    servers: [{ url: '/' }],
    security: [{ Bearer: [] }],
    tags,
    paths,
    components: {
      schemas: { ...SCHEMAS, ...resultSchemas() },
      securitySchemes: { Bearer: { type: 'apiKey', name: 'Authorization', in: 'header', description: 'Bearer <access_token>' } },
    },
  };
}

/** The plural the published document uses in its summaries ("Get All Repositories", "Get All Credentials"). */
function plural(noun: string): string {
  if (noun === 'Credentials record') return 'Credentials';
  if (/[^aeiou]y$/i.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}
