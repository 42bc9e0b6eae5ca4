// What an action row is before anything is sent: its method, its body, whether its connection runs it at all.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { ActionBody, Link } from '../../src/api';
import { actionContextValue, actionMethodOf, actionShapeOf, isActionMethod, isReadOnly } from '../../src/ui/actions/action-shape';

const base = 'https://em.example.com:9398/api';
const link = (rel: string, path: string, extra: Partial<Link> = {}): Link => ({ rel, href: `${base}${path}`, ...extra });
const body: ActionBody = { contentType: 'application/json', required: true, template: '{}', requiredPaths: [] };

describe('action rows', () => {
  it('send EM’s action links as POST, its Delete links as DELETE and Edit links as PUT', () => {
    assert.equal(actionMethodOf(link('Start', '/jobs/1?action=start')), 'POST');
    assert.equal(actionMethodOf(link('Create', '/sessionMngr/?v=latest')), 'POST');
    assert.equal(actionMethodOf(link('Delete', '/logonSessions/1')), 'DELETE');
    assert.equal(actionMethodOf(link('Edit', '/jobs/1')), 'PUT');
  });

  it('send an OpenAPI operation with its own method, and never a method that is not an action', () => {
    assert.equal(actionMethodOf(link('start', '/v1/jobs/1/start', { method: 'POST' })), 'POST');
    assert.equal(actionMethodOf(link('Delete', '/v1/jobs/1', { method: 'delete' })), 'DELETE');
    assert.equal(actionMethodOf(link('Edit', '/v1/jobs/1', { method: 'patch' })), 'PATCH');
    for (const method of ['GET', 'HEAD', 'OPTIONS', 'TRACE', '', 'POST ']) assert.equal(actionMethodOf(link('x', '/v1/x', { method })), undefined, method);
    assert.ok(isActionMethod('PUT'));
    assert.ok(!isActionMethod('GET'));
    assert.ok(!isActionMethod(undefined));
  });

  it('take the link’s body, except for a DELETE', () => {
    assert.equal(actionShapeOf({ kind: 'vbr' }, link('start', '/v1/jobs/1/start', { method: 'POST', body })).body, body);
    assert.equal(actionShapeOf({ kind: 'vbr' }, link('Delete', '/v1/jobs/1', { method: 'DELETE', body })).body, undefined);
    assert.equal(actionShapeOf({ kind: 'em' }, link('Start', '/jobs/1?action=start')).body, undefined);
  });

  it('make a connection read-only only with "actions": "off"', () => {
    assert.equal(isReadOnly({}), false);
    assert.equal(isReadOnly({ actions: 'confirm' }), false);
    assert.equal(isReadOnly({ actions: 'off' }), true);
    assert.equal(actionShapeOf({ kind: 'em', actions: 'off' }, link('Start', '/jobs/1?action=start')).readOnly, true);
  });

  it('give each row the context value its menus match', () => {
    assert.equal(actionContextValue({ method: 'POST', readOnly: false }), 'action');
    assert.equal(actionContextValue({ method: 'POST', body, readOnly: false }), 'action.body');
    assert.equal(actionContextValue({ method: 'POST', body, readOnly: true }), 'action.readOnly');
    assert.equal(actionContextValue({ method: 'DELETE', readOnly: true }), 'action.readOnly');
    assert.equal(actionContextValue({ method: undefined, readOnly: false }), 'action.unsupported');
  });
});
