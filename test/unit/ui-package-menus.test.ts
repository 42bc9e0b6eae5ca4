// package.json is the UI's table of contents: its menus must match the context values the tree nodes compute,
// and every %key% must have a title in package.nls.json.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';

/** The repository: the nearest folder above the compiled test that holds package.nls.json. */
function repository(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, 'package.nls.json'))) return dir;
  throw new Error(`no package.nls.json above ${from}`);
}

const root = repository(__dirname);
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

const itemMenus: MenuItem[] = pkg.contributes.menus['view/item/context'];

/** Whether a menu item's `viewItem` condition accepts a context value (the forms we use: `=~ /re/` and `==`). */
function accepts(menu: MenuItem, contextValue: string): boolean {
  const regex = /viewItem =~ \/(.+?)\/(?:\s|$)/.exec(menu.when ?? '');
  if (regex) return new RegExp(regex[1]).test(contextValue);
  const equal = /viewItem == ([\w.+-]+)/.exec(menu.when ?? '');
  if (equal) return equal[1] === contextValue;
  return true;
}

function shownFor(command: string, contextValue: string): boolean {
  return itemMenus.some((m) => m.command === `veeamApiExplorer.${command}` && accepts(m, contextValue));
}

describe('package.json menus', () => {
  it('offer Log On on logged-off connections and Log Off on logged-on ones', () => {
    assert.ok(shownFor('logOn', 'connection.em.loggedOff'));
    assert.ok(!shownFor('logOn', 'connection.em.loggedOn+href'));
    assert.ok(shownFor('logOff', 'connection.em.loggedOn+href'));
    assert.ok(shownFor('logOff', 'connection.vspc.loggingOn'));
    assert.ok(!shownFor('logOff', 'connection.em.loggedOff'));
    assert.ok(shownFor('switchRepresentation', 'connection.em.loggedOff'));
    assert.ok(!shownFor('switchRepresentation', 'connection.vspc.loggedOff'));
  });

  it('offer the response commands on every node with an href, and on nothing else', () => {
    for (const value of ['link.down+href', 'link.alternate+href', 'resource+href', 'query+href', 'connection.em.loggedOn+href']) {
      for (const command of ['openRawResponse', 'refreshNode', 'copyHref', 'copyAsCurl']) assert.ok(shownFor(command, value), `${command} on ${value}`);
    }
    for (const value of ['action', 'field', 'field.group', 'nextPage', 'logOn', 'error.http', 'message', 'resource', 'queryService']) {
      for (const command of ['openRawResponse', 'refreshNode', 'copyAsCurl']) assert.ok(!shownFor(command, value), `${command} on ${value}`);
    }
    assert.ok(shownFor('copyHref', 'action'), 'an action\u2019s URL can be copied');
  });

  it('offer the response commands and Filter by Name on VSPC collections, Clear Filter only when filtered', () => {
    for (const value of ['collection+href', 'collection+href+filtered']) {
      for (const command of ['openRawResponse', 'refreshNode', 'copyHref', 'copyAsCurl', 'filterByName']) assert.ok(shownFor(command, value), `${command} on ${value}`);
    }
    assert.ok(shownFor('clearFilter', 'collection+href+filtered'));
    assert.ok(!shownFor('clearFilter', 'collection+href'));
    for (const value of ['link.down+href', 'resource+href', 'group', 'loadMore', 'connection.vspc.loggedOn+href']) {
      assert.ok(!shownFor('filterByName', value), `filterByName on ${value}`);
      assert.ok(!shownFor('clearFilter', value), `clearFilter on ${value}`);
    }
    for (const command of ['openRawResponse', 'refreshNode', 'copyAsCurl']) {
      assert.ok(!shownFor(command, 'group'), `${command} on a group`);
      assert.ok(!shownFor(command, 'loadMore'), `${command} on Load more`);
    }
    const inline = itemMenus.find((m) => m.command === 'veeamApiExplorer.filterByName' && m.group?.startsWith('inline'));
    assert.ok(inline, 'Filter by Name is an inline icon');
    assert.ok((pkg.contributes.commands as Array<{ command: string; icon?: string }>).some((c) => c.command === 'veeamApiExplorer.filterByName' && c.icon === '$(filter)'));
  });

  it('offer Retry on error items and New Query on the query service', () => {
    assert.ok(shownFor('retry', 'error.network'));
    assert.ok(shownFor('newQuery', 'queryService'));
  });

  it('offer Run Action on runnable action rows only (inline and in the menu), and Copy URL on every action row', () => {
    for (const value of ['action', 'action.body']) {
      const menus = itemMenus.filter((m) => m.command === 'veeamApiExplorer.runAction' && accepts(m, value));
      assert.deepEqual(menus.map((m) => m.group?.replace(/@\d+$/, '')).sort(), ['0_action', 'inline'], value);
    }
    for (const value of ['action.readOnly', 'action.unsupported', 'field', 'resource+href', 'link.down+href', 'logOn', 'message', 'actions', 'xaction']) {
      assert.ok(!shownFor('runAction', value), `runAction on ${value}`);
    }
    for (const value of ['action', 'action.body', 'action.readOnly', 'action.unsupported']) assert.ok(shownFor('copyHref', value), `copyHref on ${value}`);
    const sendInTitle = (pkg.contributes.menus['editor/title'] as MenuItem[]).find((m) => m.command === 'veeamApiExplorer.sendRequest');
    assert.equal(sendInTitle?.when, 'resourceScheme == veeam-request');
  });

  it('keep item-only commands out of the palette', () => {
    const hidden = new Set((pkg.contributes.menus.commandPalette as MenuItem[]).filter((m) => m.when === 'false').map((m) => m.command));
    for (const id of ['refreshNode', 'retry', 'showMore', 'openRawResponse', 'copyHref', 'copyAsCurl', 'filterByName', 'clearFilter', 'runAction', 'runRequest']) assert.ok(hidden.has(`veeamApiExplorer.${id}`), id);
  });

  it('declare the connection setting "actions": confirm by default, or off', () => {
    const actions = pkg.contributes.configuration.properties['veeamApiExplorer.connections'].items.properties.actions;
    assert.deepEqual(actions.enum, ['confirm', 'off']);
    assert.equal(actions.default, 'confirm');
  });

  it('put one-click actions inline and order the rest', () => {
    for (const menu of itemMenus) assert.match(menu.group ?? '', /^(inline|\d+_\w+)(@\d+)?$/, JSON.stringify(menu));
  });

  it('have a title in package.nls.json for every %key%', () => {
    const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 20);
    for (const key of keys) assert.ok(nls[key], `package.nls.json has no ${key}`);
  });

  it('name only commands that exist', () => {
    const declared = new Set((pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command));
    const submenus = new Set(((pkg.contributes.submenus ?? []) as Array<{ id: string }>).map((s) => s.id));
    for (const [menu, items] of Object.entries(pkg.contributes.menus as Record<string, Array<MenuItem & { submenu?: string }>>)) {
      for (const item of items) {
        if (item.submenu !== undefined) assert.ok(submenus.has(item.submenu), `${menu} names the submenu ${item.submenu}, which is not declared`);
        else assert.ok(declared.has(item.command), `${menu} names ${item.command}`);
      }
    }
  });
});
