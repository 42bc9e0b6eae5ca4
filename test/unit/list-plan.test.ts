import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isLazy, parseBodyText, readAhead, type Resource } from '../../src/api';
import { lazyChildren } from '../../src/api/parse/lazy-children';
import { outline } from '../../src/ui/tree/outline';
import { jsonListSpans } from '../../src/api/parse/json-list-scan';
import { MAX_VALUE_CHARS } from '../../src/api/parse/long-values';
import { XML_LIMITS } from '../../src/api/kinds/em/well-formed';
import { xmlListSpans, xmlListSteps } from '../../src/api/kinds/em/xml-list-scan';
import { newBodyParser } from '../../src/api/kinds/body-parser';
import { parseBodyHere, type ParseJob } from '../../src/api/kinds/parse-job';
import { OFF_THREAD_BYTES } from '../../src/api/parse/parse';
import { listBody, type ListBodyKind } from '../simulator';
import { VSPC_API_REVISION, VSPC_COLLECTIONS } from '../../src/api/kinds/vspc/navigation-map';
import { VBR_COLLECTIONS } from '../../src/api/kinds/vbr/navigation-map';
import { DEFAULT_VBR_REVISION } from '../../src/api/kinds/vbr/revisions';
import { turnsDuring } from './wait-for';

/**
 * Large list bodies are read as a plan (kinds/list-plan.ts): one pass finds each item and checks the body, the items
 * are read from their own text when shown. Whatever is read must be what the whole parser reads.
 */

const EM = 'https://127.0.0.1:9398/api/';
const VSPC = 'https://127.0.0.1:1280/api/v3/';
const VBR = 'https://127.0.0.1:9419';
const WHERE: Record<ListBodyKind, { url: string; baseUrl: string; contentType?: string }> = {
  'em-xml': { url: `${EM}jobs`, baseUrl: EM, contentType: 'application/xml' },
  'em-json': { url: `${EM}jobs`, baseUrl: EM, contentType: 'application/json' },
  vspc: { url: `${VSPC}organizations/companies`, baseUrl: VSPC },
  vbr: { url: `${VBR}/api/v1/jobs`, baseUrl: VBR },
};
const kindOf = (k: ListBodyKind) => (k === 'em-xml' || k === 'em-json' ? 'em' : k);

/** The job a session would hand the parser for this body: the shipped maps, as parseBodyText reads with. */
function jobOf(k: ListBodyKind, body: Buffer): ParseJob {
  const where = WHERE[k];
  const raw = { body, url: where.url, status: 200, contentType: where.contentType };
  if (k === 'vspc') return { kind: k, raw, baseUrl: where.baseUrl, collections: VSPC_COLLECTIONS, revision: VSPC_API_REVISION };
  if (k === 'vbr') return { kind: k, raw, baseUrl: where.baseUrl, collections: VBR_COLLECTIONS, revision: DEFAULT_VBR_REVISION };
  return { kind: 'em', raw };
}

/** The whole parser's reading: parseBodyHere reads the whole body whatever its size (plans are the parser thread's and parseBodyText's). */
const wholeReading = (k: ListBodyKind, text: string): Resource => parseBodyHere(jobOf(k, Buffer.from(text)));

function sameResource(actual: Resource, expected: Resource, where: string): void {
  const { children: a, ...headA } = actual;
  const { children: b, ...headB } = expected;
  assert.deepEqual(headA, headB, `${where}: head`);
  assert.equal(a.length, b.length, `${where}: items`);
  for (let i = 0; i < a.length; i++) assert.deepEqual(a[i], b[i], `${where}: item ${i}`);
}

describe('list plans: large list bodies read item by item', () => {
  for (const k of ['em-xml', 'em-json', 'vspc', 'vbr'] as const) {
    it(`${k}: a 2 MB list reads as the whole parser reads it, each item made when first read`, () => {
      const { text, items } = listBody(k, 2 * 2 ** 20, WHERE[k].baseUrl);
      const planned = parseBodyText(kindOf(k), text, WHERE[k]);
      assert.ok(isLazy(planned.children), 'the children are made when read');
      assert.equal(planned.children.length, items);
      sameResource(planned, wholeReading(k, text), k);
      // The same child every time it is read.
      assert.equal(planned.children[5], planned.children[5]);
    });
  }

  it('on the parser thread: the plan crosses, its items are read from the body\u2019s bytes (non-ASCII names, a byte order mark)', async () => {
    const parser = newBodyParser();
    try {
      const refs: string[] = [];
      for (let i = 0; i < 12_000; i++) refs.push(`<Ref Type="JobReference" Href="https://em.example:9398/api/jobs/${i}" Name="Sauvegarde ${i} — été ✓ 𝄞"><Links><Link Rel="Alternate" Href="https://em.example:9398/api/jobs/${i}?format=Entity"/></Links></Ref>`);
      const text = `\uFEFF<?xml version="1.0" encoding="utf-8"?><EntityReferences xmlns="http://www.veeam.com/ent/v1.0">${refs.join('\n')}</EntityReferences>`;
      const body = Buffer.from(text);
      assert.ok(body.length > OFF_THREAD_BYTES);
      const job: ParseJob = { kind: 'em', raw: { body, url: 'https://em.example:9398/api/jobs', status: 200, contentType: 'application/xml' } };
      const planned = await parser.parse(job);
      assert.ok(isLazy(planned.children));
      assert.equal(planned.children[11_999].name, 'Sauvegarde 11999 — été ✓ 𝄞');
      sameResource(planned, parseBodyHere(job), 'em xml, bytes');

      const items = Array.from({ length: 9_000 }, (_, i) => ({ instanceUid: `c-${i}`, name: `Société ${i} ✓`, note: 'x'.repeat(100) }));
      const json = Buffer.from(`\uFEFF${JSON.stringify({ data: items, meta: { pagingInfo: { total: 20_000, count: 9_000, offset: 0 } } })}`);
      const vspcJob = jobOf('vspc', json);
      const vspc = await parser.parse(vspcJob);
      assert.ok(isLazy(vspc.children));
      assert.equal(vspc.children[8_999].name, 'Société 8999 ✓');
      assert.deepEqual(vspc.paging, { total: 20_000, count: 9_000, offset: 0, next: `${VSPC}organizations/companies?offset=9000&limit=9000` });
      sameResource(vspc, parseBodyHere(vspcJob), 'vspc json, bytes');
    } finally {
      await parser.dispose();
    }
  });

  it('a body that is no such list, or is not well-formed, is read (and refused) by the whole parser', () => {
    const { text } = listBody('vspc', 1.5 * 2 ** 20, VSPC);
    // Cut: not JSON.
    assert.throws(() => parseBodyText('vspc', text.slice(0, -3), WHERE.vspc), /not valid JSON|malformed|JSON/i);
    const xml = listBody('em-xml', 1.5 * 2 ** 20, EM).text;
    assert.throws(() => parseBodyText('em', xml.replace('</Ref>', '</Rex>'), WHERE['em-xml']));
    // Items without an Href are no children: the whole parser reads them (as fields), as it always has.
    const plain = `{"Values":[${Array.from({ length: 40_000 }, (_, i) => `{"Name":"n${i}","Size":${i}}`).join(',')}]}`;
    const read = parseBodyText('em', plain, WHERE['em-json']);
    assert.equal(read.children.length, 0);
    assert.ok(!isLazy(read.children));
  });
});

describe('jsonListSpans: checks the bytes as JSON.parse does and finds the items', () => {
  const spans = (text: string) => jsonListSpans(Buffer.from(text), 'href');
  const item = fc.jsonValue({ maxDepth: 3 });

  it('finds every item of a `data` list, each the text JSON.parse reads it from', () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('', ' ', '\n\t '), (data, meta, space) => {
        const text = `${space}{${space}"meta"${space}:${space}${JSON.stringify(meta)},${space}"data"${space}:${space}[${space}${data.map((d) => JSON.stringify(d, null, space ? 1 : undefined)).join(`${space},${space}`)}${space}]${space}}${space}`;
        const bytes = Buffer.from(text);
        const found = jsonListSpans(bytes, 'data');
        assert.ok(found, text);
        assert.equal(found.count, data.length);
        for (let i = 0; i < data.length; i++) assert.deepEqual(JSON.parse(bytes.toString('utf8', found.spans[2 * i], found.spans[2 * i + 1])), JSON.parse(JSON.stringify(data[i])));
      }),
      { numRuns: 300 },
    );
  });

  it('never takes for JSON a text JSON.parse refuses (one character changed, inserted or removed)', () => {
    const valid = fc.array(item, { minLength: 1, maxLength: 8 }).map((data) => JSON.stringify({ data, meta: { n: 1.5e3, s: 'a\\"\u00e9' } }));
    const chars = fc.constantFrom('"', '\\', ',', ':', '[', ']', '{', '}', '0', '-', '.', 'e', 't', 'n', ' ', '\u0001', '\u00e9', 'x');
    fc.assert(
      fc.property(valid, fc.nat(), chars, fc.constantFrom('replace', 'insert', 'remove'), (text, at, c, how) => {
        const k = at % text.length;
        const changed = how === 'replace' ? text.slice(0, k) + c + text.slice(k + 1) : how === 'insert' ? text.slice(0, k) + c + text.slice(k) : text.slice(0, k) + text.slice(k + 1);
        let parses = true;
        try {
          JSON.parse(changed);
        } catch {
          parses = false;
        }
        const found = jsonListSpans(Buffer.from(changed), 'data');
        if (!parses) assert.equal(found, undefined, changed);
      }),
      { numRuns: 3000 },
    );
  });

  it('href lists: the largest list of objects with an Href, up to three levels deep', () => {
    const refs = (n: number) => `[${Array.from({ length: n }, (_, i) => `{"Href":"https://h/${i}","Name":"n","Links":[{"Href":"x"}]}`).join(',')}]`;
    assert.equal(spans(`{"Refs":${refs(5)}}`)?.count, 5);
    assert.equal(spans(`\uFEFF {"A":${refs(2)},"B":{"C":${refs(7)}}}`)?.count, 7);
    // One item without an Href: no such list.
    assert.equal(spans(`{"Refs":[{"Href":"a"},{"Name":"b"}]}`), undefined);
    assert.equal(spans(`{"Refs":[{"Href":"a"},"b"]}`), undefined);
    assert.equal(spans(`{"Refs":[{"Href":1}]}`), undefined);
    // A string longer than the longest value read: the whole parser says so.
    assert.equal(jsonListSpans(Buffer.from(`{"data":["${'a'.repeat(MAX_VALUE_CHARS + 1)}"]}`), 'data'), undefined);
    assert.equal(jsonListSpans(Buffer.from(`{"data":["${'a'.repeat(1000)}"]}`), 'data')?.count, 1);
  });
});

describe('xmlListSpans: the list of an XML body, read as it streams through saxes', () => {
  const spans = (text: string) => xmlListSpans(Buffer.from(text), 100);
  it('the element with the most same-named children with an Href, and no text between them', () => {
    const { text, items } = listBody('em-xml', 3 * 2 ** 20, EM);
    const body = Buffer.from(text);
    const list = xmlListSpans(body, 100);
    assert.ok(list);
    assert.equal(list.count, items);
    for (let i = 0; i < items; i++) {
      const item = body.toString('utf8', list.spans[2 * i], list.spans[2 * i + 1]);
      assert.match(item, /^\s*<Ref [^>]*Href=/);
      assert.match(item, /<\/Ref>$|\/>$/);
    }
    assert.equal(spans('<A><B Href="1"/>text<B Href="2"/></A>'), undefined);
    assert.equal(spans('<A><B Href="1"/><C Href="2"/></A>'), undefined);
    assert.equal(spans('<A><B Href="1"/><B Name="2"/></A>'), undefined);
    assert.equal(spans('<A><B Href="1"/><![CDATA[x]]><B Href="2"/></A>'), undefined);
    assert.equal(spans('<A><B Href="1"/><!-- c --><B Href="2"></B></A>')?.count, 2);
    // Byte offsets, across the chunks it is read in, with characters of two, three and four bytes.
    const names = Array.from({ length: 40_000 }, (_, i) => `<B Href="h${i}" Name="é${i}✓𝄞"/>`);
    const wide = Buffer.from(`\uFEFF<A>${names.join('\n')}</A>`);
    const found = xmlListSpans(wide, 100);
    assert.equal(found?.count, 40_000);
    assert.equal(wide.toString('utf8', found.spans[2 * 39_999], found.spans[2 * 39_999 + 1]).trim(), names[39_999]);
    assert.equal(wide.toString('utf8', found.spans[2 * 20_000], found.spans[2 * 20_000 + 1]).trim(), names[20_000]);
  });

  it('read in steps (one per chunk of 16 KB), it finds what it finds in one go, characters split across chunks included', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `<B Href="h${i}" Name="é${i}✓𝄞"/>`);
    const wide = Buffer.from(`\uFEFF<A>${names.join('\n')}</A>`);
    const steps = xmlListSteps(wide, 100);
    let taken = 0;
    let step = steps.next();
    while (!step.done) {
      taken++;
      step = steps.next();
    }
    // A step between every two chunks; a chunk ends a few bytes early rather than inside a character.
    assert.ok(taken >= Math.ceil(wide.length / (16 * 1024)) - 1 && taken <= Math.ceil(wide.length / (16 * 1024 - 3)) - 1, `${taken} steps`);
    assert.deepEqual(step.value, xmlListSpans(wide, 100));
    assert.equal(step.value?.count, 20_000);
    // What fails in one go fails in steps.
    const cut = xmlListSteps(wide.subarray(0, wide.length - 3), 100);
    let last = cut.next();
    while (!last.done) last = cut.next();
    assert.equal(last.value, undefined);
  });

  it('no plan for what the whole parser must refuse or read its own way', () => {
    assert.equal(spans('<A><B Href="1"/><B Href="2"/>'), undefined, 'truncated');
    // A DOCTYPE stands before the root: in the head, which the whole parser reads, and refuses.
    const refs = Array.from({ length: 20_000 }, (_, i) => `<Ref Href="https://h/${i}" Name="n${i}" Type="JobReference"/>`).join('');
    assert.throws(() => parseBodyText('em', `<!DOCTYPE A [<!ENTITY x "y">]><EntityReferences>${refs}</EntityReferences>`, WHERE['em-xml']), /DOCTYPE/i);
    assert.equal(spans('<A><B Href="1">&nbsp;</B></A>'), undefined, 'an entity XML does not define');
    assert.equal(xmlListSpans(Buffer.from('<A><B Href="1"><C><D></D></C></B></A>'), 3), undefined, 'too deep');
    assert.equal(spans(`<A><B Href="1" Name="${'x'.repeat(XML_LIMITS.value + 1)}"/></A>`), undefined, 'a long attribute');
    assert.equal(spans(`<A><B Href="1">${'x'.repeat(XML_LIMITS.value + 1)}</B></A>`), undefined, 'a long text');
    assert.equal(xmlListSpans(Buffer.from([0x3c, 0x41, 0x3e, 0xff, 0x3c, 0x2f, 0x41, 0x3e]), 100), undefined, 'not UTF-8');
    assert.equal(spans('<A><B Href="1"/></A><A/>'), undefined, 'two roots');
  });
});

describe('children made when read', () => {
  const made = () => {
    let built = 0;
    const children = lazyChildren(10_000, (i) => {
      built++;
      return { name: `item ${i}`, href: `https://h/${i}`, links: [], fields: [], children: [] };
    });
    return { children, built: () => built };
  };

  it('the tree\u2019s outline of a long list makes no child; a page of its entries makes that page', () => {
    const { children, built } = made();
    const entries = outline({ links: [{ rel: 'Down', href: 'https://h/other', name: 'Other' }], fields: [{ name: 'Count', value: '10000' }], children });
    assert.equal(built(), 0);
    assert.equal(entries.length, 10_002);
    const page = entries.slice(0, 500);
    assert.equal(built(), 500);
    assert.deepEqual(page[499], { kind: 'resource', resource: children[499] });
    assert.deepEqual(entries.slice(10_000).map((e) => e.kind), ['link', 'field']);
  });

  it('reads ahead a few milliseconds at a time, letting other work run between', async () => {
    const slow = lazyChildren(400, (i) => {
      const until = performance.now() + 0.2;
      while (performance.now() < until);
      return { name: String(i), links: [], fields: [], children: [] };
    });
    const { turns } = await turnsDuring(() => readAhead(slow, 0, 400));
    assert.equal(slow[399].name, '399');
    // 80 ms of work in slices of about 8 ms: other work ran between them.
    assert.ok(turns >= 3, `only ${turns} turns of the event loop while 400 children were read`);
    // Any other array: nothing to do.
    await readAhead([1, 2, 3] as unknown as Resource[], 0, 3);
  });

  it('is an array to every reader, and read-only', () => {
    const { children, built } = made();
    assert.ok(Array.isArray(children));
    assert.equal(children.length, 10_000);
    assert.equal(children.at(-1)?.name, 'item 9999');
    assert.equal(built(), 1);
    assert.equal(children.find((c) => c.name === 'item 3')?.href, 'https://h/3');
    assert.throws(() => {
      'use strict';
      (children as Resource[])[0] = { links: [], fields: [], children: [] };
    }, TypeError);
    assert.equal(JSON.parse(JSON.stringify(children.slice(0, 2)))[1].name, 'item 1');
  });
});

describe('the JSON list pass on hostile bodies', () => {
  it('holds no more than a bounded number of open containers: a deeper body is the whole parser\u2019s', () => {
    const deep = `{"data":[${'['.repeat(100_000)}${']'.repeat(100_000)}]}`;
    assert.equal(jsonListSpans(Buffer.from(deep), 'data'), undefined);
    const fine = `{"data":[${'['.repeat(100)}${']'.repeat(100)}]}`;
    assert.equal(jsonListSpans(Buffer.from(fine), 'data')?.count, 1);
  });
});
