// A GET's answer as a tool tells it the model: the status, the content type and the body, whole when it fits the
// budget; otherwise reduced, and the reduction said: a list by its size, paging links and first items (name, id, URL,
// first fields), anything else by its fields and links. The full response stays one link away (Open Raw Response).
// No vscode here: unit-tested in plain Node.
import { prettyBody, redactText, type Fetched, type Secret } from '../../api';
import { block, count, flatFields, itemLine, line, linkLines, listSize, pagingLinks, ResultText, RESULT_BUDGET, SERVER_DATA_NOTE } from './result-text';

/** Bodies up to this size are indented before they are shown; larger ones are summarised anyway. */
const INDENT_LIMIT = 256 * 1024;
/** What the lines after a summarised list or resource (what was left out) may take, besides the closing line. */
const TAIL_RESERVE = 400;
/** A link to the raw response longer than this is not given (the tree's Open Raw Response is). */
const MAX_LINK = 1500;

export interface ResponseSummary {
  connectionName: string;
  /** The API's product name (`Enterprise Manager`). */
  product: string;
  url: string;
  fetched: Fetched;
  secrets: readonly Secret[];
  /** A `veeam-api:` link to the raw response document. */
  rawLink: string;
  /** A line saying what was searched (veeam_findItems). */
  search?: string;
  budget?: number;
}

/** The answer as the result's text (see the file's comment). */
export function summariseResponse(s: ResponseSummary): string {
  const budget = s.budget ?? RESULT_BUDGET;
  const { resource, raw } = s.fetched;
  const footer =
    s.rawLink.length <= MAX_LINK
      ? `The full response: the user opens it in VS Code from this link: ${s.rawLink} (or with "Open Raw Response" on its node in the Veeam API Explorer view). Give them the link when they want to see all of it.`
      : 'The full response: the user opens it with "Open Raw Response" on its node in the Veeam API Explorer view.';
  const out = new ResultText(s.secrets, budget - footer.length - TAIL_RESERVE);
  out.always(`GET ${line(s.url, 600)} on connection ${JSON.stringify(line(s.connectionName))} (${s.product}).`);
  if (s.search) out.always(s.search);
  out.always(`Status: ${raw.status} ${line(raw.statusText, 80)}; content type ${raw.contentType ? line(raw.contentType, 120) : 'none'}; ${count(raw.body.length)} bytes.`);
  const described = [resource.type && `type=${line(resource.type, 120)}`, resource.name !== undefined && `name=${JSON.stringify(line(resource.name))}`, resource.uid && `id=${line(resource.uid, 200)}`].filter(Boolean);
  if (described.length) out.always(`Resource: ${described.join(', ')}.`);
  const isList = resource.children.length > 0 || resource.paging !== undefined;
  const body = redactText(bodyText(s.fetched), s.secrets);
  const room = out.remaining - SERVER_DATA_NOTE.length - 20;
  if (body.length <= room) {
    if (isList) out.always(`List: ${listSize(resource)}.`);
    out.always(SERVER_DATA_NOTE);
    out.always('Body:');
    out.block(body);
  } else if (isList) {
    out.always(`Reduced to fit about ${count(budget)} characters: the body (${count(raw.body.length)} bytes) is summarised as the list's size, its paging links and its first items (name, id, URL and first fields), as many as fit.`);
    out.always(`List: ${listSize(resource)}.`);
    for (const l of pagingLinks(resource)) out.always(`Paging ${l}`);
    out.always(SERVER_DATA_NOTE);
    out.always('Items:');
    let shown = 0;
    for (const item of resource.children) {
      if (!out.add(itemLine(item))) break;
      shown++;
    }
    const total = resource.paging?.total;
    const left = resource.children.length - shown;
    out.always(
      `Shown: ${count(shown)} of the ${count(resource.children.length)} items of this page${total !== undefined ? ` (${count(total)} in all)` : ''}.` +
        (left > 0 || (total !== undefined && total > shown) ? ' For more: read the next page by its link, or narrow the list (veeam_findItems by name, or the API\u2019s own filters and a smaller limit: veeam_describe lists them).' : ''),
    );
  } else {
    out.always(`Reduced to fit about ${count(budget)} characters: the body (${count(raw.body.length)} bytes) is not shown; its fields and links follow, as many as fit.`);
    out.always(SERVER_DATA_NOTE);
    const fields = flatFields(resource.fields, 1000);
    let shownFields = 0;
    if (fields.length) out.always('Fields:');
    for (const f of fields) {
      if (!out.add(`- ${f}`)) break;
      shownFields++;
    }
    const links = linkLines(resource);
    let shownLinks = 0;
    if (links.length && out.add('Links:')) for (const l of links) {
      if (!out.add(l)) break;
      shownLinks++;
    }
    if (shownFields < fields.length || shownLinks < links.length) out.always(`Left out: ${count(fields.length - shownFields)} field(s) and ${count(links.length - shownLinks)} link(s).`);
  }
  out.always(footer);
  return out.toString();
}

/** The body to show, safe to read: indented when it is small enough to be shown whole; else its start (it is summarised). */
function bodyText({ raw }: Fetched): string {
  if (raw.body.length > INDENT_LIMIT) return block(raw.body.subarray(0, 2 * RESULT_BUDGET).toString('utf8'), 2 * RESULT_BUDGET);
  const { text } = prettyBody(raw);
  return block(text, text.length);
}
