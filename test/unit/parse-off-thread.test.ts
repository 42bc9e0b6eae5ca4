import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CancelledError, ConnectionDefinition, createSession, isLazy, ProtocolError, TransportOptions } from '../../src/api';
import { OFF_THREAD_BYTES } from '../../src/api/parse/parse';
import { newBodyParser } from '../../src/api/kinds/body-parser';
import { parseBodyHere, PLAN_HERE_MAX_BYTES } from '../../src/api/kinds/parse-job';
import { listBody, startSimulators, Simulators } from '../simulator';
import { turnsDuring } from './wait-for';

/** Large bodies are parsed on a worker thread (src/api/parse/parse.ts), with the same results and errors as on this one. */

let sims: Simulators;
const transport = (): TransportOptions => ({ timeoutMs: 20_000, maxBodyBytes: 64 * 1024 * 1024, ca: sims.certificate.pem });

function bigEmList(items: number, truncate = false): Buffer {
  const refs: string[] = [];
  for (let i = 0; i < items; i++) {
    refs.push(`<Ref Type="JobReference" Href="https://em.example:9398/api/jobs/${i}" Name="Job ${i}"><Links><Link Rel="Alternate" Type="Job" Href="https://em.example:9398/api/jobs/${i}?format=Entity"/></Links></Ref>`);
  }
  const text = `<?xml version="1.0" encoding="utf-8"?><EntityReferences xmlns="http://www.veeam.com/ent/v1.0">${refs.join('')}</EntityReferences>`;
  return Buffer.from(truncate ? text.slice(0, Math.floor(text.length * 0.7)) : text);
}

before(async () => {
  sims = await startSimulators();
});
after(async () => {
  await sims.close();
});

describe('parsing off the thread', () => {
  it('gives the same Resource as parsing here, and leaves this thread free meanwhile', async () => {
    const parser = newBodyParser();
    // A JSON list: the worker's at any size (an XML list of this size is planned here, see below).
    const list = listBody('em-json', 5 * OFF_THREAD_BYTES, 'https://em.example:9398/api/');
    const body = Buffer.from(list.text);
    const job = { kind: 'em' as const, raw: { body, url: 'https://em.example:9398/api/jobs', status: 200, contentType: 'application/json' } };
    // Turns of this thread's event loop (a timer that sets itself again, about every millisecond) while the parse is
    // pending. Parsed here, the body would hold the thread for the whole parse: not one turn. Parsed on the worker,
    // the thread turns hundreds of times during a parse of this size, which takes longer still on a busy machine.
    let turns = 0;
    let pending = true;
    const turn = () => {
      if (!pending) return;
      turns++;
      setTimeout(turn, 0);
    };
    setTimeout(turn, 0);
    const offThread = await parser.parse(job);
    pending = false;
    const here = parseBodyHere(job);
    assert.equal(offThread.children.length, list.items);
    assert.deepEqual(offThread, here);
    assert.ok(turns >= 10, `this thread turned its event loop only ${turns} times while the worker parsed`);
    await parser.dispose();
  });

  it('brings back the parser\u2019s error as a ProtocolError naming the URL', async () => {
    const parser = newBodyParser();
    const job = { kind: 'em' as const, raw: { body: bigEmList(20_000, true), url: 'https://em.example:9398/api/jobs', status: 200, contentType: 'application/xml' } };
    await assert.rejects(parser.parse(job), (err: unknown) => {
      assert.ok(err instanceof ProtocolError, String(err));
      assert.match(err.message, /https:\/\/em\.example:9398\/api\/jobs/);
      assert.match(err.message, /malformed or truncated/);
      return true;
    });
    await parser.dispose();
  });

  it('a cancelled parse ends at once, without waiting for the worker to finish the body', async () => {
    const parser = newBodyParser();
    const controller = new AbortController();
    const url = 'https://em.example:9398/api/jobs';
    // Larger than what is planned on this thread: the worker's.
    const job = { kind: 'em' as const, raw: { body: bigEmList(100_000), url, status: 200, contentType: 'application/xml' } };
    assert.ok(job.raw.body.length >= PLAN_HERE_MAX_BYTES);
    // Queued behind the big body on the one worker: it comes back only once the worker is done with that body, which
    // tells how long waiting for the worker would have taken, on this machine, now. A JSON list: the worker's too.
    const { text, items } = listBody('em-json', 1.5 * OFF_THREAD_BYTES, 'https://em.example:9398/api/');
    const behind = { kind: 'em' as const, raw: { body: Buffer.from(text), url, status: 200, contentType: 'application/json' } };
    assert.ok(behind.raw.body.length >= OFF_THREAD_BYTES, 'the second body goes to the worker too');
    let abortedAt = 0;
    let cancelledAt = 0;
    let behindAt = 0;
    const cancelled = parser.parse(job, controller.signal).finally(() => (cancelledAt = Date.now()));
    const behindIt = parser.parse(behind).finally(() => (behindAt = Date.now()));
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort();
    }, 30);
    await assert.rejects(cancelled, CancelledError);
    assert.equal((await behindIt).children.length, items);
    const cancelTook = cancelledAt - abortedAt;
    const workerTook = behindAt - abortedAt;
    assert.ok(cancelTook * 2 < workerTook, `the cancelled parse ended ${cancelTook} ms after the cancel; the worker was busy with its body for ${workerTook} ms more`);
    await parser.dispose();
  });

  it('the sessions use it for large responses of both APIs', async () => {
    const emDef: ConnectionDefinition = { id: 'e', kind: 'em', name: 'em', url: sims.em.url, username: sims.em.users.admin.username };
    const em = createSession(emDef, transport(), async () => sims.em.users.admin.password);
    await em.logon();
    sims.em.setFault({ kind: 'huge', path: '/api/jobs', sizeBytes: 3 * 1024 * 1024, times: 1 });
    const jobs = await em.get(`${sims.em.origin}/api/jobs`);
    assert.ok(jobs.raw.body.length >= 3 * 1024 * 1024);
    assert.ok(jobs.resource.children.length > 5000);
    assert.match(jobs.resource.children[0].name ?? '', /^Bulk job 1$/);
    await em.logoff();
    await em.dispose();

    const vspcDef: ConnectionDefinition = { id: 'v', kind: 'vspc', name: 'vspc', url: sims.vspc.url, username: sims.vspc.users.admin.username };
    const vspc = createSession(vspcDef, transport(), async () => sims.vspc.users.admin.password);
    await vspc.logon();
    sims.vspc.setFault({ kind: 'huge', path: '/api/v3/organizations/companies', sizeBytes: 2 * 1024 * 1024, times: 1 });
    const companies = await vspc.get(`${sims.vspc.origin}/api/v3/organizations/companies`);
    assert.ok(companies.resource.children.length > 5000);
    assert.match(companies.resource.children[0].name ?? '', /^Bulk item 0+1$/);
    await vspc.logoff();
    await vspc.dispose();
  });
});

describe('mid-size XML lists: planned on this thread, a few milliseconds at a time', () => {
  const url = 'https://em.example:9398/api/jobs';
  const xmlJob = (body: Buffer) => ({ kind: 'em' as const, raw: { body, url, status: 200, contentType: 'application/xml' } });
  /** A parser whose worker fails as soon as it starts: whatever it is given is refused with parse.failed. */
  let failing: string;
  before(() => {
    failing = join(mkdtempSync(join(tmpdir(), 'veeam-parse-')), 'parse-worker.js');
    writeFileSync(failing, "throw new Error('the parser thread was started');\n");
  });

  it('never starts the parser thread, lets this thread turn meanwhile, and reads as the whole parser', async () => {
    const parser = newBodyParser(failing);
    const body = bigEmList(30_000);
    assert.ok(body.length > 4 * OFF_THREAD_BYTES && body.length < PLAN_HERE_MAX_BYTES);
    const { value: planned, turns } = await turnsDuring(() => parser.parse(xmlJob(body)));
    assert.ok(isLazy(planned.children), 'a plan: children made when read');
    assert.equal(planned.children.length, 30_000);
    assert.deepEqual(planned, parseBodyHere(xmlJob(body)));
    // Read whole here the body would hold the thread for the whole reading: not one turn.
    assert.ok(turns >= 5, `this thread turned its event loop only ${turns} times while the body was planned`);
    await parser.dispose();
  });

  it('a body the plan doubts goes to the parser thread, whose whole reading refuses it', async () => {
    // Refused by the failing thread: the body did go there.
    await assert.rejects(newBodyParser(failing).parse(xmlJob(bigEmList(20_000, true))), (err: unknown) => {
      assert.ok(err instanceof ProtocolError);
      assert.match(err.message, /the parser thread was started/);
      return true;
    });
    // With the real parser thread: what is wrong, said as for any body.
    const parser = newBodyParser();
    await assert.rejects(parser.parse(xmlJob(bigEmList(20_000, true))), /malformed or truncated/);
    const refs = bigEmList(20_000).toString().replace('<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE EntityReferences [<!ENTITY x "y">]>');
    await assert.rejects(parser.parse(xmlJob(Buffer.from(refs))), /DOCTYPE/i);
    const deep = `<EntityReferences>${'<Ref Href="https://h/1"/>'.repeat(60_000)}${'<a>'.repeat(200)}${'</a>'.repeat(200)}</EntityReferences>`;
    await assert.rejects(parser.parse(xmlJob(Buffer.from(deep))), ProtocolError);
    await parser.dispose();
  });

  it('a cancelled reading stops at its next slice, and the parser thread is not asked', async () => {
    const parser = newBodyParser(failing);
    const controller = new AbortController();
    const reading = parser.parse(xmlJob(bigEmList(60_000)), controller.signal);
    setImmediate(() => controller.abort());
    await assert.rejects(reading, CancelledError);
    await parser.dispose();
  });

  it('above its bound a list goes to the parser thread', async () => {
    const body = bigEmList(90_000);
    assert.ok(body.length >= PLAN_HERE_MAX_BYTES);
    await assert.rejects(newBodyParser(failing).parse(xmlJob(body)), /the parser thread was started/);
  });
});
