// The Tasks and History views in package.json: their place in the container, their menus on the context values the
// views compute, and the raw documents' Refresh kept off stored responses (nothing to read again).
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';

function repository(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.nls.json'))) return dir;
  throw new Error(`no package.nls.json above ${from}`);
}

const root = repository(__dirname);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

/** A `when` clause of the forms we use (`a == b`, `a =~ /re/`, `&&`, `false`), evaluated against a context. */
function holds(when: string | undefined, context: Record<string, string>): boolean {
  if (!when) return true;
  return when.split(/\s*&&\s*/).every((part) => {
    if (part === 'false') return false;
    const regex = /^(\w+) =~ \/(.+)\/$/.exec(part);
    if (regex) return new RegExp(regex[2]).test(context[regex[1]] ?? '');
    const equal = /^(\w+) == (.+)$/.exec(part);
    if (equal) return context[equal[1]] === equal[2];
    throw new Error(`a when clause this test does not read: ${part}`);
  });
}

function shown(menu: string, command: string, context: Record<string, string>): boolean {
  return (pkg.contributes.menus[menu] as MenuItem[]).some((m) => m.command === `veeamApiExplorer.${command}` && holds(m.when, context));
}

/** The palette lists every command, unless its entries there say when. */
function inPalette(command: string, context: Record<string, string> = {}): boolean {
  const entries = (pkg.contributes.menus.commandPalette as MenuItem[]).filter((m) => m.command === `veeamApiExplorer.${command}`);
  return !entries.length || entries.some((m) => holds(m.when, context));
}

const history = (viewItem: string) => ({ view: 'veeamApiExplorer.history', viewItem });
const tasks = (viewItem: string) => ({ view: 'veeamApiExplorer.tasks', viewItem });

describe('the Tasks and History views in package.json', () => {
  it('follow Connections in the container, each with a welcome', () => {
    const views = (pkg.contributes.views.veeamApiExplorer as Array<{ id: string; contextualTitle?: string; icon?: string }>).map((v) => v.id);
    assert.deepEqual(views, ['veeamApiExplorer.connections', 'veeamApiExplorer.tasks', 'veeamApiExplorer.history']);
    const welcomed = (pkg.contributes.viewsWelcome as Array<{ view: string }>).map((w) => w.view);
    assert.ok(welcomed.includes('veeamApiExplorer.tasks') && welcomed.includes('veeamApiExplorer.history'));
  });

  it('offer Run Again on GETs and actions, never on a logon; Open Response only when a response is kept', () => {
    for (const value of ['historyEntry.get+response', 'historyEntry.get', 'historyEntry.action+response', 'historyEntry.action']) assert.ok(shown('view/item/context', 'runAgain', history(value)), value);
    for (const value of ['historyEntry.credentials', 'historyConnection']) assert.ok(!shown('view/item/context', 'runAgain', history(value)), value);
    assert.ok(shown('view/item/context', 'openHistoryEntry', history('historyEntry.action+response')));
    assert.ok(!shown('view/item/context', 'openHistoryEntry', history('historyEntry.get')));
    assert.ok(!shown('view/item/context', 'runAgain', { view: 'veeamApiExplorer.connections', viewItem: 'historyEntry.get' }));
  });

  it('offer a task\u2019s documents on a task that has some, and Clear History in the History view\u2019s title', () => {
    assert.ok(shown('view/item/context', 'openTaskDocument', tasks('task.succeeded+response+task')));
    assert.ok(shown('view/item/context', 'openTaskDocument', tasks('taskDocument.result')));
    assert.ok(!shown('view/item/context', 'openTaskDocument', tasks('task.sending')));
    assert.ok(shown('view/title', 'clearHistory', { view: 'veeamApiExplorer.history' }));
    assert.ok(!shown('view/title', 'clearHistory', { view: 'veeamApiExplorer.connections' }));
  });

  it('keep their item-only commands out of the palette', () => {
    for (const command of ['openTaskDocument', 'openHistoryEntry', 'runAgain']) assert.ok(!inPalette(command), command);
    assert.ok(inPalette('clearHistory'));
  });

  it('offer Refresh on the raw document of an href, not on a stored response', () => {
    const live = { resourceScheme: 'veeam-api', resourcePath: '/EM simulator/Jobs (JobReferenceList).xml' };
    const stored = { resourceScheme: 'veeam-api', resourcePath: '/EM simulator/stored/GET jobs.xml' };
    const named = { ...live, resourcePath: '/stored/stored.xml' };
    assert.ok(shown('editor/title', 'refreshRawResponse', live) && inPalette('refreshRawResponse', live));
    assert.ok(shown('editor/title', 'refreshRawResponse', named) && inPalette('refreshRawResponse', named), 'a connection named "stored"');
    assert.ok(!shown('editor/title', 'refreshRawResponse', stored) && !inPalette('refreshRawResponse', stored));
    assert.ok(!inPalette('refreshRawResponse', { resourceScheme: 'file', resourcePath: '/a/b.xml' }));
  });
});
