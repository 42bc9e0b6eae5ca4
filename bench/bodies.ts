// Deterministic response bodies of a given size, in the shapes the simulators serve (their own renderers and estates):
// EM `EntityReferences` of jobs (XML and JSON, as `GET /api/jobs`), VSPC `{data:[companies…],meta:{pagingInfo}}`.
import { buildEstate } from '../test/simulator/em/estate';
import { indexEstate, jobKind, referenceElement } from '../test/simulator/em/kinds';
import { EM_NAMESPACE, toJsonValue, toXmlFragment, XML_PROLOG } from '../test/simulator/em/render';
import { buildVspcEstate } from '../test/simulator/vspc/estate';

export type BodyKind = 'em-xml' | 'em-json' | 'vspc';

export const EM_BASE = 'https://127.0.0.1:9398/api/';
export const VSPC_BASE = 'https://127.0.0.1:1280/api/v3/';
/** The URL a body is parsed as coming from (it decides, for VSPC, where in the API the list is). */
export const BODY_URL: Record<BodyKind, string> = {
  'em-xml': `${EM_BASE}jobs`,
  'em-json': `${EM_BASE}jobs`,
  vspc: `${VSPC_BASE}organizations/companies`,
};

/** Distinct items to cycle through: enough variety of names, ids and links without building a huge estate. */
const DISTINCT = 500;

function emItems(): ReturnType<typeof referenceElement>[] {
  const index = indexEstate(buildEstate(DISTINCT));
  const hrefs = { api: (path: string) => EM_BASE + path };
  return index.estate.jobs.map((job) => referenceElement('Ref', hrefs, jobKind, job, index));
}

/** A body of about `bytes` bytes (never less than one item). */
export function makeBody(kind: BodyKind, bytes: number): { text: string; items: number } {
  let head: string;
  let tail: (n: number) => string;
  let items: string[];
  let separator = '';
  if (kind === 'em-xml') {
    head = `${XML_PROLOG}<EntityReferences xmlns="${EM_NAMESPACE}">`;
    tail = () => '</EntityReferences>';
    items = emItems().map(toXmlFragment);
  } else if (kind === 'em-json') {
    head = '{"Refs":[';
    tail = () => ']}';
    separator = ',';
    items = emItems().map((e) => JSON.stringify(toJsonValue(e)));
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
