// Deterministic list answers of a given size, rendered by the simulators' own code from their sample estates:
// EM `EntityReferences` of jobs (XML and JSON, as `GET /api/jobs`), VSPC `{data:[companies…],meta:{pagingInfo}}`,
// VBR `{data:[jobs…],pagination}` (as `GET /api/v1/jobs`).
import { buildEstate } from './em/estate';
import { indexEstate, jobKind, referenceElement } from './em/kinds';
import { EM_NAMESPACE, toJsonValue, toXmlFragment, XML_PROLOG } from './em/render';
import { buildVbrEstate } from './vbr/estate';
import { buildVspcEstate } from './vspc/estate';

export type ListBodyKind = 'em-xml' | 'em-json' | 'vspc' | 'vbr';

/** Distinct items to cycle through: enough variety of names, ids and links without building a huge estate. */
const DISTINCT = 500;

function emItems(apiUrl: string): ReturnType<typeof referenceElement>[] {
  const index = indexEstate(buildEstate(DISTINCT));
  const hrefs = { api: (path: string) => apiUrl + path };
  return index.estate.jobs.map((job) => referenceElement('Ref', hrefs, jobKind, job, index));
}

/**
 * A list answer of about `bytes` bytes (never less than one item) and the number of items in it. `apiUrl` is the
 * API's base URL the EM links point below (`https://HOST:9398/api/`); VSPC and VBR answers carry no links.
 */
export function listBody(kind: ListBodyKind, bytes: number, apiUrl: string): { text: string; items: number } {
  let head: string;
  let tail: (n: number) => string;
  let items: string[];
  let separator = '';
  if (kind === 'em-xml') {
    head = `${XML_PROLOG}<EntityReferences xmlns="${EM_NAMESPACE}">`;
    tail = () => '</EntityReferences>';
    items = emItems(apiUrl).map(toXmlFragment);
  } else if (kind === 'em-json') {
    head = '{"Refs":[';
    tail = () => ']}';
    separator = ',';
    items = emItems(apiUrl).map((e) => JSON.stringify(toJsonValue(e)));
  } else if (kind === 'vbr') {
    head = '{"data":[';
    tail = (n) => `],"pagination":{"total":${n},"count":${n},"skip":0,"limit":${n}}}`;
    separator = ',';
    items = buildVbrEstate(DISTINCT).jobs.map((j) => JSON.stringify(j));
  } else {
    head = '{"data":[';
    tail = (n) => `],"meta":{"pagingInfo":{"total":${n},"count":${n},"offset":0}}}`;
    separator = ',';
    items = buildVspcEstate(DISTINCT).companies.map((c) => JSON.stringify(c));
  }
  const parts: string[] = [head];
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail(0)) + 16;
  let n = 0;
  do {
    const item = (n > 0 ? separator : '') + items[n % items.length];
    parts.push(item);
    size += Buffer.byteLength(item);
    n++;
  } while (size + Buffer.byteLength(items[n % items.length]) <= bytes);
  parts.push(tail(n));
  return { text: parts.join(''), items: n };
}
