// What veeam_describe tells the model: a path's operations, parameters and schemas from the server's OpenAPI document
// (VSPC, VBR), or a resource's links and fields (EM, and a server without a document), within the budget, the
// reduction said. No vscode here: unit-tested in plain Node.
import type { Fetched, OperationSummary, PathDescription, PropertySummary, SchemaSummary, Secret } from '../../api';
import { count, flatFields, line, linkLines, listSize, ResultText, RESULT_BUDGET, SERVER_DATA_NOTE } from './result-text';

/** What the closing lines may take. */
const FOOTER_RESERVE = 400;

/** A path of the server's API document, described: GET first, each operation's parameters, body and answer. */
export function pathText(d: PathDescription, header: string, secrets: readonly Secret[], method?: string, budget = RESULT_BUDGET): string {
  const out = new ResultText(secrets, budget - FOOTER_RESERVE);
  out.always(header);
  out.always(`Path ${d.path}: ${d.operations.map((o) => o.method).join(', ') || 'no operation'}.`);
  out.always(SERVER_DATA_NOTE);
  const wanted = method?.trim().toUpperCase();
  const operations = wanted ? d.operations.filter((o) => o.method === wanted) : d.operations;
  if (wanted && operations.length === 0) out.always(`The path has no ${line(wanted, 10)} operation.`);
  let left = 0;
  for (const op of operations) left += operationLines(op).filter((l) => !out.add(l)).length;
  if (d.below.length) {
    out.add('Paths below this one:');
    for (const b of d.below) if (!out.add(`- ${b.path}: ${b.methods.join(', ') || '(no operation)'}`)) left++;
    if (d.moreBelow) out.add(`- … and ${count(d.moreBelow)} more`);
  }
  if (left > 0) {
    out.always(`Reduced to fit about ${count(budget)} characters: ${count(left)} line(s) left out${wanted ? '' : '; ask for one operation (method) to see all of it'}.`);
  }
  out.always('Only GET is available through the Veeam tools; other operations are for the user to run from the Veeam API Explorer (Run Action asks them first).');
  return out.toString();
}

function operationLines(op: OperationSummary): string[] {
  const lines = [`${op.method}${op.summary ? ` \u2014 ${op.summary}` : ''}${op.operationId ? ` (operationId ${op.operationId})` : ''}${op.deprecated ? ' [deprecated]' : ''}`];
  if (op.description) lines.push(`  ${op.description}`);
  if (op.parameters.length) lines.push('  Parameters:');
  for (const p of op.parameters) {
    const extra = [p.enum && `one of ${p.enum.join('|')}`, p.default !== undefined && `default ${p.default}`].filter(Boolean).join(', ');
    lines.push(`  - ${p.name} (${p.in}${p.required ? ', required' : ''}): ${p.type}${extra ? `, ${extra}` : ''}${p.description ? ` \u2014 ${p.description}` : ''}`);
  }
  if (op.requestBody) {
    lines.push(`  Body (${op.requestBody.required ? 'required' : 'optional'}; ${op.requestBody.contentTypes.join(', ')}): ${op.requestBody.schema ? schemaTitle(op.requestBody.schema) : 'no schema'}`);
    if (op.requestBody.schema) lines.push(...schemaLines(op.requestBody.schema, '    '));
  }
  const errors: string[] = [];
  for (const r of op.responses) {
    if (!/^2/.test(r.status)) {
      errors.push(r.status);
      continue;
    }
    lines.push(`  Answer ${r.status}${r.description ? ` (${r.description})` : ''}: ${r.schema ? schemaTitle(r.schema) : 'no schema'}`);
    if (r.schema) lines.push(...schemaLines(r.schema, '    '));
  }
  if (errors.length) lines.push(`  Other answers: ${errors.join(', ')}`);
  return lines;
}

function schemaTitle(s: SchemaSummary): string {
  const extra = [s.enum && `one of ${s.enum.join('|')}`, s.variants && `one of the schemas ${s.variants.join(', ')}`].filter(Boolean).join('; ');
  return `${s.name && s.name !== s.type ? `${s.name}: ` : ''}${s.type}${extra ? ` (${extra})` : ''}`;
}

function schemaLines(s: SchemaSummary, indent: string): string[] {
  const lines = propertyLines(s.properties ?? [], indent);
  if (s.more) lines.push(`${indent}… ${count(s.more)} more properties`);
  return lines;
}

function propertyLines(props: readonly PropertySummary[], indent: string): string[] {
  const lines: string[] = [];
  for (const p of props) {
    const extra = p.enum ? `, one of ${p.enum.join('|')}` : '';
    lines.push(`${indent}${p.name}: ${p.type}${p.required ? ', required' : ''}${extra}${p.description ? ` \u2014 ${p.description}` : ''}`);
    if (p.properties) lines.push(...propertyLines(p.properties, `${indent}  `));
    if (p.more) lines.push(`${indent}  … ${count(p.more)} more properties`);
  }
  return lines;
}

/** A resource described by itself: what it is, its links (where to read next, and its actions) and its fields. */
export function resourceText(fetched: Fetched, header: string, secrets: readonly Secret[], budget = RESULT_BUDGET): string {
  const { resource } = fetched;
  const out = new ResultText(secrets, budget - FOOTER_RESERVE);
  out.always(header);
  const what = [resource.type && `type=${line(resource.type, 120)}`, resource.name !== undefined && `name=${JSON.stringify(line(resource.name))}`].filter(Boolean).join(', ');
  out.always(`Resource${what ? `: ${what}` : ''}; ${count(resource.links.length)} link(s), ${count(resource.fields.length)} field(s)${resource.children.length || resource.paging ? `; a list: ${listSize(resource)}` : ''}.`);
  out.always(SERVER_DATA_NOTE);
  let left = 0;
  const links = linkLines(resource);
  if (links.length) out.add('Links (GET the Down and Alternate ones to read further; actions are never sent by these tools):');
  for (const l of links) if (!out.add(l)) left++;
  const fields = flatFields(resource.fields, 200);
  if (fields.length) out.add('Fields:');
  for (const f of fields) if (!out.add(`- ${f}`)) left++;
  const first = resource.children[0];
  if (first) {
    out.add(`Items: ${first.type ? `of type ${line(first.type, 120)}, ` : ''}each with a name, an id and a URL; the first one's fields and links:`);
    for (const f of flatFields(first.fields, 60)) if (!out.add(`- ${f}`)) left++;
    for (const l of linkLines(first)) if (!out.add(l)) left++;
  }
  if (left > 0) out.always(`Reduced to fit about ${count(budget)} characters: ${count(left)} line(s) left out; veeam_get reads the resource itself.`);
  return out.toString();
}
