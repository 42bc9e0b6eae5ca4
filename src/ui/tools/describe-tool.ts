// veeam_describe: what a path offers. Service Provider Console and Backup & Replication: its operations, parameters
// and schemas from the server's own OpenAPI document (read again from where the logon found it, parsed once per
// session). Enterprise Manager, and a server that publishes no document: the resource's own links and fields.
import { ApiDocument, english, kindOf, type ConnectionDefinition, type Fetched } from '../../api';
import { pathText, resourceText } from './describe-text';
import { line, ResultText } from './result-text';
import { findConnection, resolveUrl } from './target';
import { failureText } from './calls';
import type { ToolContext, ToolSpec, ToolTarget } from './tools';

export interface DescribeInput {
  connection?: string;
  path?: string;
  method?: string;
}

/** Documents read per connection, for as long as its session lasts (the tools drop them when it ends). */
export const readDocuments = new Map<string, ApiDocument | { refused: string } | 'none'>();

const usesDocument = (def: ConnectionDefinition) => def.kind === 'vspc' || def.kind === 'vbr';

function target(input: DescribeInput, ctx: ToolContext): ToolTarget & { url: string } {
  const def = findConnection(ctx.services.connections.all(), input.connection, input.path);
  const url = resolveUrl(def, String(input.path ?? ''));
  return { def, url, what: usesDocument(def) ? `${url} (its description in the server\u2019s API document)` : url };
}

export const describeTool: ToolSpec<DescribeInput> = {
  name: 'veeam_describe',
  target,
  async run(input, ctx, signal) {
    const { def, url } = target(input, ctx);
    const name = JSON.stringify(line(def.name));
    const product = english(kindOf(def.kind).product);
    const secrets = () => ctx.services.sessions.secretsOf(def.id);
    let note = '';
    if (usesDocument(def)) {
      let document: ApiDocument | { refused: string } | 'none' | undefined = readDocuments.get(def.id);
      if (!document) {
        try {
          const raw = await ctx.services.sessions.apiDocument(def.id, signal);
          document = raw ? ApiDocument.read(raw.body) : 'none';
        } catch (err) {
          return failureText(def, url, err, ctx);
        }
        readDocuments.set(def.id, document);
      }
      if (document instanceof ApiDocument) {
        const described = document.describe(url);
        const header = `From the OpenAPI document of connection ${name} (${product}${document.revision ? `, revision ${document.revision}` : ''}), for ${line(url, 2000)}:`;
        if (described) return pathText(described, header, secrets(), input.method);
        const similar = document.similar(url);
        const out = new ResultText(secrets());
        out.always(`No path of the OpenAPI document of connection ${name} matches ${line(url, 2000)}; nothing else was read.`);
        if (similar.length) out.always(`Paths ending in the same word: ${similar.join(', ')}.`);
        out.always('Give a path as the document writes it ({name} segments stand for ids) or a URL of a resource.');
        return out.toString();
      }
      note = document === 'none' ? ' (the server publishes no OpenAPI document the explorer could read, so the resource describes itself)' : ` (the server's OpenAPI document was not read: ${document.refused}; the resource describes itself)`;
    }
    let fetched: Fetched;
    try {
      fetched = await ctx.responses.fetch(def.id, url, (get) => get(signal));
    } catch (err) {
      return failureText(def, url, err, ctx);
    }
    return resourceText(fetched, `GET ${line(url, 2000)} on connection ${name} (${product})${note}:`, secrets());
  },
};
