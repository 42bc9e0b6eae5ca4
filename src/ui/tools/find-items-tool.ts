// veeam_findItems: a collection searched by name by the server itself, as the explorer's Filter by Name does it
// (VSPC `filter`, VBR `nameFilter`, EM's query service `filter=name=="*…*"`), so every page is searched, not one.
import { withNameFilter, type Fetched } from '../../api';
import { summary } from './get-tool';
import { line } from './result-text';
import { apiBaseOf, findConnection, resolveUrl, ToolInputError } from './target';
import { failureText } from './calls';
import type { ToolContext, ToolSpec, ToolTarget } from './tools';

export interface FindItemsInput {
  connection?: string;
  collection?: string;
  name?: string;
}

function target(input: FindItemsInput, ctx: ToolContext): ToolTarget {
  const collection = String(input.collection ?? '').trim();
  const def = findConnection(ctx.services.connections.all(), input.connection, collection);
  const text = String(input.name ?? '').trim();
  if (!text) throw new ToolInputError('Give the text to look for in the items\u2019 names (name).');
  // Enterprise Manager's query types (`Job`, `BackupJobSession`) stand for their query.
  const base = def.kind === 'em' && /^[A-Z][A-Za-z]{1,80}$/.test(collection) ? `${apiBaseOf(def)}query?type=${collection}&format=Refs` : resolveUrl(def, collection);
  const url = withNameFilter(def.kind, base, text);
  if (url === base) {
    throw new ToolInputError(
      def.kind === 'em'
        ? 'Enterprise Manager filters by name only through its query service: give a collection of the API root (/api/jobs, /api/backupSessions, …), a query URL (/api/query?type=Job) or a query type (Job, BackupJobSession, Repository, …).'
        : 'This collection cannot be filtered by name on the server.',
    );
  }
  return { def, what: url };
}

export const findItemsTool: ToolSpec<FindItemsInput> = {
  name: 'veeam_findItems',
  target,
  async run(input, ctx, signal) {
    const { def, what: url } = target(input, ctx);
    let fetched: Fetched;
    try {
      fetched = await ctx.responses.fetch(def.id, url, (get) => get(signal));
    } catch (err) {
      return failureText(def, url, err, ctx);
    }
    const found = fetched.resource.paging?.total ?? fetched.resource.children.length;
    const name = JSON.stringify(line(String(input.name ?? '').trim()));
    let search = `Search: the items whose name contains ${name} (not case-sensitive), filtered by the server with the query of the URL above: ${found} found.`;
    if (def.kind === 'em' && found === 0) {
      search += ' Enterprise Manager documents whole names in its filters (name=="…"); the * around the text may not be honoured by every server: try the exact name too.';
    }
    return summary(ctx, def, url, fetched, search);
  },
};
