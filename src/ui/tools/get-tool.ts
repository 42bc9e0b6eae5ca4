// veeam_get: one GET of a URL (or a path) of a connection's own server, answered small (response-summary.ts), the
// full response one link away: the raw response document, served from the same cache as the tree's.
import * as vscode from 'vscode';
import { english, kindOf, representationOf, type ConnectionDefinition, type Fetched } from '../../api';
import { rawDocumentUri } from '../documents';
import { rawLanguage } from '../raw-text';
import { summariseResponse } from './response-summary';
import { findConnection, resolveUrl } from './target';
import { failureText } from './calls';
import type { ToolContext, ToolSpec, ToolTarget } from './tools';

export interface GetInput {
  connection?: string;
  url?: string;
}

function target(input: GetInput, ctx: ToolContext): ToolTarget {
  const def = findConnection(ctx.services.connections.all(), input.connection, input.url);
  return { def, what: resolveUrl(def, String(input.url ?? '')) };
}

export const getTool: ToolSpec<GetInput> = {
  name: 'veeam_get',
  target,
  async run(input, ctx, signal) {
    const { def, what: url } = target(input, ctx);
    let fetched: Fetched;
    try {
      fetched = await ctx.responses.fetch(def.id, url, (get) => get(signal));
    } catch (err) {
      return failureText(def, url, err, ctx);
    }
    return summary(ctx, def, url, fetched);
  },
};

/** The answer as the model reads it, with the link to its raw response document. */
export function summary(ctx: ToolContext, def: ConnectionDefinition, url: string, fetched: Fetched, search?: string): string {
  return summariseResponse({
    connectionName: def.name,
    product: english(kindOf(def.kind).product),
    url,
    fetched,
    secrets: ctx.services.sessions.secretsOf(def.id),
    rawLink: rawLink(def, url, fetched),
    search,
  });
}

/** The `veeam-api:` document of the response (what Open Raw Response opens), titled by the resource. */
export function rawLink(def: ConnectionDefinition, url: string, fetched: Fetched): string {
  const { resource } = fetched;
  const title = resource.name && resource.type ? `${resource.name} (${resource.type})` : (resource.name ?? resource.type ?? vscode.l10n.t('response'));
  return rawDocumentUri({ connectionId: def.id, href: url, representation: representationOf(def) }, def.name, title, rawLanguage(fetched.raw)).toString();
}
