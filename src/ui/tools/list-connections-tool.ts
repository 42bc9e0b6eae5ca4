// veeam_listConnections: the user's connections as the explorer knows them (settings and session state); reads no
// server, so asks nothing. A definition never holds a secret; the password stays in secret storage.
import { kindOf, english } from '../../api';
import { ResultText, line } from './result-text';
import { apiBaseOf } from './target';
import type { ToolContext, ToolSpec } from './tools';

export const listConnectionsTool: ToolSpec<Record<string, never>> = {
  name: 'veeam_listConnections',
  target: () => undefined,
  async run(_input, ctx: ToolContext) {
    const { connections, sessions } = ctx.services;
    const all = connections.all();
    const out = new ResultText(all.flatMap((d) => sessions.secretsOf(d.id)));
    if (all.length === 0) {
      out.always('There is no Veeam connection yet. The user adds one with "Veeam: Add Connection" in the Veeam API Explorer.');
      return out.toString();
    }
    out.always(`${all.length} connection(s). Name one (by name or id) in the other Veeam tools; paths are read below the API root.`);
    for (const def of all) {
      const kind = kindOf(def.kind);
      const state = sessions.state(def.id);
      const info = sessions.logonInfo(def.id);
      const parts = [
        `- ${JSON.stringify(line(def.name))}`,
        `id=${line(def.id, 80)}`,
        `kind=${kind.shortName} (${english(kind.product)})`,
        `url=${line(def.url, 400)}`,
        `apiRoot=${line(apiBaseOf(def), 400)}`,
        `state=${state === 'loggedOn' ? 'logged on' : state === 'loggingOn' ? 'logging on' : 'logged off'}`,
        `user=${JSON.stringify(line(info?.userName ?? def.username))}`,
      ];
      const version = info?.apiVersion ?? (def.kind === 'vbr' ? def.apiVersion : undefined);
      if (version) parts.push(`apiVersion=${line(version, 80)}${info ? '' : ' (configured)'}`);
      const reason = state === 'loggedOff' ? sessions.endReason(def.id) : undefined;
      if (reason) parts.push(`lastLogonProblem=${JSON.stringify(line(reason, 300))}`);
      if (!out.add(parts.join(' '))) {
        out.always(`(${all.length - all.indexOf(def)} more connection(s) left out to keep this result short.)`);
        break;
      }
    }
    return out.toString();
  },
};
