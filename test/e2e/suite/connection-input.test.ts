// The Add/Edit Connection guided input, driven by a script instead of a person (the real quick input is the same
// steps; the Playwright UI tests click through it).
import * as assert from 'node:assert/strict';
import type { ConnectionDefinition } from '../../../src/api';
import { askForConnection } from '../../../src/ui/connection-input';
import { BACK, type GuidedPrompts, type InputStep, type PickStep } from '../../../src/ui/guided-input';

interface Shown {
  step: number;
  value?: string;
  active?: unknown;
  password?: boolean;
  rejected?: string;
}

/** Answers the steps in order; a typed value the step rejects is recorded and the next answer is "typed". */
function script(...answers: unknown[]): GuidedPrompts & { shown: Shown[] } {
  const shown: Shown[] = [];
  const next = () => {
    assert.ok(answers.length > 0, `the flow asked more than scripted: ${JSON.stringify(shown)}`);
    return answers.shift();
  };
  return {
    shown,
    async pick<T>(step: PickStep<T>) {
      shown.push({ step: step.step, active: step.active });
      const answer = next();
      if (answer !== BACK && answer !== undefined) assert.ok(step.items.some((i) => i.value === answer), `no item ${String(answer)}`);
      return answer as T | typeof BACK | undefined;
    },
    async input(step: InputStep) {
      const entry: Shown = { step: step.step, value: step.value, password: step.password };
      shown.push(entry);
      for (;;) {
        const answer = next();
        if (typeof answer !== 'string') return answer as typeof BACK | undefined;
        const problem = step.validate?.(answer);
        if (!problem) return answer;
        entry.rejected = problem;
      }
    },
  };
}

describe('the Add Connection guided input', () => {
  it('asks kind, name, URL, user, password and whether to store it, completing the URL', async () => {
    const prompts = script('em', 'Lab EM', 'em01.lab.local', 'LAB\\admin', 's3cret', true);
    const answers = await askForConnection(undefined, prompts);
    assert.deepEqual(answers, { kind: 'em', name: 'Lab EM', url: 'https://em01.lab.local:9398/api/', username: 'LAB\\admin', password: 's3cret', storePassword: true });
    assert.deepEqual(prompts.shown.map((s) => s.step), [1, 2, 3, 4, 5, 6]);
    assert.equal(prompts.shown[4].password, true, 'the password is typed in a password box');
  });

  it('goes back a step with what was typed kept', async () => {
    const prompts = script('vspc', 'First name', BACK, 'Second name', 'vspc.example.com', BACK, 'vspc.example.com:443', 'admin', '', false);
    const answers = await askForConnection(undefined, prompts);
    assert.equal(answers?.name, 'Second name');
    assert.equal(answers?.url, 'https://vspc.example.com:443/api/v3/');
    assert.equal(answers?.password, undefined);
    assert.equal(answers?.storePassword, false);
    const nameSteps = prompts.shown.filter((s) => s.step === 2);
    assert.equal(nameSteps[1].value, 'First name', 'going back lost the name');
    const urlSteps = prompts.shown.filter((s) => s.step === 3);
    assert.equal(urlSteps[2].value, 'https://vspc.example.com:1280/api/v3/', 'going back lost the URL');
  });

  it('refuses a URL that is not https, saying why', async () => {
    const prompts = script('em', 'Plain', 'http://em.example.com', 'em.example.com', 'u', 'p', true);
    const answers = await askForConnection(undefined, prompts);
    assert.match(prompts.shown.find((s) => s.step === 3)?.rejected ?? '', /https/);
    assert.equal(answers?.url, 'https://em.example.com:9398/api/');
  });

  it('loses nothing on Escape: the next Add starts from what was typed', async () => {
    assert.equal(await askForConnection(undefined, script('vspc', 'Half done', 'half.example.com', undefined)), undefined);
    const prompts = script('vspc', 'Half done', 'https://half.example.com:1280/api/v3/', 'me', 'pw', true);
    const answers = await askForConnection(undefined, prompts);
    assert.equal(prompts.shown[0].active, 'vspc');
    assert.equal(prompts.shown[1].value, 'Half done');
    assert.equal(prompts.shown[2].value, 'https://half.example.com:1280/api/v3/');
    assert.equal(answers?.name, 'Half done');
    const fresh = script('em', 'Fresh', 'fresh.example.com', 'u', 'p', true);
    await askForConnection(undefined, fresh);
    assert.equal(fresh.shown[1].value, '', 'a finished Add is remembered');
  });

  it('pre-fills Edit, and an empty password keeps the stored one', async () => {
    const existing: ConnectionDefinition = { id: 'x', kind: 'em', name: 'Prod', url: 'https://em.prod:9398/api/', username: 'CORP\\svc', storePassword: false };
    const prompts = script('em', 'Prod', 'https://em.prod:9398/api/', 'CORP\\svc', '', false);
    const answers = await askForConnection(existing, prompts);
    assert.deepEqual(prompts.shown.slice(0, 4).map((s) => s.active ?? s.value), ['em', 'Prod', 'https://em.prod:9398/api/', 'CORP\\svc']);
    assert.equal(prompts.shown[5].active, false);
    assert.equal(answers?.password, undefined);
  });

  it('leaves Edit without a change on Escape', async () => {
    const existing: ConnectionDefinition = { id: 'x', kind: 'em', name: 'Prod', url: 'https://em.prod:9398/api/', username: 'svc' };
    assert.equal(await askForConnection(existing, script('em', undefined)), undefined);
    const next = script('em', 'New', 'n.example.com', 'u', 'p', true);
    await askForConnection(undefined, next);
    assert.notEqual(next.shown[1].value, 'Prod', 'an escaped Edit became the Add draft');
  });

  it('offers every kind, and asks a VBR connection for its API revision as a seventh, optional step', async () => {
    let kinds: Array<{ label: string; description?: string; value: unknown }> = [];
    const prompts = script('vbr', 'Lab VBR', 'vbr.example.com', 'LAB\\backup', 'pw', true, 'newest', ' 1.2-rev1 ');
    const picking = prompts.pick.bind(prompts);
    prompts.pick = async (step) => {
      if (step.step === 1) kinds = step.items;
      return picking(step);
    };
    const answers = await askForConnection(undefined, prompts);
    assert.deepEqual(kinds.map((k) => k.value), ['em', 'vspc', 'vbr']);
    assert.deepEqual(kinds.map((k) => k.label), ['Enterprise Manager', 'Service Provider Console', 'Veeam Backup & Replication']);
    assert.equal(kinds[2].description, 'VBR REST API, port 9419');
    assert.deepEqual(answers, { kind: 'vbr', name: 'Lab VBR', url: 'https://vbr.example.com:9419/api/', username: 'LAB\\backup', password: 'pw', storePassword: true, apiVersion: '1.2-rev1' });
    assert.deepEqual(prompts.shown.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7]);
    assert.match(prompts.shown[6].rejected ?? '', /e\.g\. 1\.3-rev1/, 'a revision that is not one was accepted');

    // Empty: the newest this extension knows, stored as no revision at all.
    const empty = await askForConnection(undefined, script('vbr', 'Lab VBR', 'vbr.example.com', 'u', 'p', true, ''));
    assert.equal(empty?.apiVersion, undefined);
    assert.ok(empty && !('apiVersion' in empty));
  });

  it('pre-fills a VBR connection’s revision in Edit, and drops it when the kind changes', async () => {
    const existing: ConnectionDefinition = { id: 'x', kind: 'vbr', name: 'B&R', url: 'https://vbr.prod:9419/api/', username: 'svc', apiVersion: '1.2-rev1' };
    const same = script('vbr', 'B&R', existing.url, 'svc', '', true, '1.2-rev1');
    assert.equal((await askForConnection(existing, same))?.apiVersion, '1.2-rev1');
    assert.equal(same.shown[6].value, '1.2-rev1');
    const other = script('em', 'B&R', 'em.prod', 'svc', '', true);
    const answers = await askForConnection(existing, other);
    assert.equal(answers?.kind, 'em');
    assert.ok(answers && !('apiVersion' in answers), 'an EM connection kept a VBR revision');
    assert.equal(other.shown.length, 6);
  });
});
