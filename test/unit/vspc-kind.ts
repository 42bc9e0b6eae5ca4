// The shared JSON-API pieces (src/api/openapi/) as the Service Provider Console kind uses them: its map, style and
// product name. The VSPC tests reach the code through these.
import { say } from '../../src/api/messages';
import { parseJsonApiBody } from '../../src/api/openapi/json-body';
import { ApiNavigation, type ApiCollection } from '../../src/api/openapi/navigation';
import * as reader from '../../src/api/openapi/reader';
import { VSPC_API_REVISION, VSPC_COLLECTIONS, VSPC_STYLE } from '../../src/api/kinds/vspc/navigation-map';
import type { Resource } from '../../src/api/resource';

export { readJsonErrorMessage as readVspcErrorMessage, readRetryAfter } from '../../src/api/openapi/json-body';
export { MAX_OPENAPI_BYTES, MAX_OPENAPI_PATHS } from '../../src/api/openapi/reader';

/** The navigation of a VSPC server: the shipped map unless given another. */
export class VspcNavigation extends ApiNavigation {
  constructor(collections: readonly ApiCollection[] = VSPC_COLLECTIONS, revision = VSPC_API_REVISION) {
    super(collections, revision, VSPC_STYLE);
  }
}

export function parseVspcBody(text: string, url: string, baseUrl: string, navigation: ApiNavigation): Resource {
  return parseJsonApiBody(text, url, baseUrl, navigation, say('vspc.product'));
}

export function collectionsFromOpenApi(doc: unknown, known: readonly ApiCollection[] = []): ApiCollection[] | undefined {
  return reader.collectionsFromOpenApi(doc, known, VSPC_STYLE);
}

export function readOpenApiDocument(body: Uint8Array, known: readonly ApiCollection[] = []): reader.OpenApiReading {
  return reader.readOpenApiDocument(body, known, VSPC_STYLE);
}
