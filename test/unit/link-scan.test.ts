// Issue #16: a walk reads links, not the document. The link scans (kinds/em/links.ts, links/json-api-links.ts) must
// give the walk exactly what the full parsers' Resources give it (links.linksOfResource), on every body the simulators
// serve and on generated and mutated ones; a body the parser refuses is never read by a scan (the walk then asks the
// parser, which refuses it as before). FUZZ_SEED and FUZZ_RUNS replay or widen the generated cases, as in fuzz.test.ts.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { createSession, followableUrl, walkLinks, WALK_BATCH, type ApiSession, type ConnectionDefinition, type RawResponse, type WalkNotice } from '../../src/api';
import { scanEmLinks } from '../../src/api/kinds/em/links';
import { parseBodyText } from '../../src/api/kinds/parse-job';
import { VBR_COLLECTIONS, VBR_STYLE } from '../../src/api/kinds/vbr/navigation-map';
import { DEFAULT_VBR_REVISION } from '../../src/api/kinds/vbr/revisions';
import { VSPC_API_REVISION, VSPC_COLLECTIONS, VSPC_STYLE } from '../../src/api/kinds/vspc/navigation-map';
import { scanJsonApiLinks } from '../../src/api/links/json-api-links';
import { linksOfResource, type LinkNeed, type ScannedLinks } from '../../src/api/links/walk-links';
import { ApiNavigation } from '../../src/api/openapi/navigation';
import { MAX_VALUE_CHARS } from '../../src/api/parse/long-values';
import { listBody, startSimulators, type Simulators } from '../simulator';
import { createLoopbackCertificate, type SimulatorCertificate } from '../simulator/tls';
import { emList, startHostileEm, type HostileEm } from './hostile-em-server';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const params = () => ({ seed: SEED, numRuns: RUNS });

type Kind = 'em' | 'vspc' | 'vbr';
interface Where {
  url: string;
  baseUrl: string;
  contentType?: string;
}

const NAVIGATION = {
  vspc: new ApiNavigation(VSPC_COLLECTIONS, VSPC_API_REVISION, VSPC_STYLE),
  vbr: new ApiNavigation(VBR_COLLECTIONS, DEFAULT_VBR_REVISION, VBR_STYLE),
};

function scan(kind: Kind, text: string, where: Where, need: LinkNeed): ScannedLinks | undefined {
  if (kind === 'em') return scanEmLinks(text, where.contentType, where.url, need);
  return scanJsonApiLinks(text, where.url, where.baseUrl, NAVIGATION[kind], need);
}

/** What the walk took from the full parser; undefined when the parser refuses the body. */
function parsed(kind: Kind, text: string, where: Where, need: LinkNeed): ScannedLinks | undefined {
  try {
    return linksOfResource(parseBodyText(kind, text, where), need);
  } catch {
    return undefined;
  }
}

/**
 * The scan gives what the parser gives, or nothing (then the walk asks the parser); never anything for a body the
 * parser refuses. True when the scan read the body.
 */
function same(kind: Kind, text: string, where: Where): boolean {
  let read = true;
  for (const need of ['all', 'next'] as const) {
    const expected = parsed(kind, text, where, need);
    const got = scan(kind, text, where, need);
    if (expected === undefined) assert.equal(got, undefined, `the parser refuses it, the scan read it (${need}): ${text.slice(0, 300)}`);
    else if (got !== undefined) assert.deepEqual(got, expected, `${need}: ${text.slice(0, 300)}`);
    read &&= got !== undefined;
  }
  return read;
}

describe('link scan: every simulator body gives the walk what the parser gives it', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators({ jobs: 12, vspcItems: 12, vbrItems: 12 });
  });
  after(async () => {
    await sims.close();
  });

  /** Breadth-first through the full parser's links (as the walk did before), every body checked; at most `limit` URLs. */
  async function crawl(kind: Kind, def: Partial<ConnectionDefinition> & Pick<ConnectionDefinition, 'url' | 'username'>, password: string, baseUrl: string, starts: string[], limit: number) {
    const session = createSession({ id: kind, kind, name: kind, ...def }, { timeoutMs: 10_000, maxBodyBytes: 20 * 2 ** 20, ca: sims.certificate.pem }, async () => password);
    const shapes = { bodies: 0, read: 0, withNext: 0, withChildren: 0, withInferred: 0 };
    try {
      const info = await session.logon();
      const origin = new URL(def.url).origin;
      const seen = new Set<string>();
      let level = [...starts, ...linksOfResource(info.root, 'all').follow.map((l) => l.href)];
      for (let depth = 0; depth < 4 && level.length > 0 && seen.size < limit; depth++) {
        const next: string[] = [];
        for (const url of level) {
          if (seen.has(url) || seen.size >= limit || followableUrl(url) !== url || new URL(url).origin !== origin) continue;
          seen.add(url);
          let raw: RawResponse;
          try {
            raw = (await session.get(url)).raw;
          } catch {
            continue;
          }
          const text = raw.body.toString('utf8');
          shapes.bodies++;
          if (same(kind, text, { url: raw.url, baseUrl, contentType: raw.contentType })) shapes.read++;
          const links = parsed(kind, text, { url: raw.url, baseUrl, contentType: raw.contentType }, 'all')!;
          if (links.next) shapes.withNext++;
          if (links.follow.some((l) => l.inferred)) shapes.withInferred++;
          if (links.follow.length > 3) shapes.withChildren++;
          // The walk's own session method gives the same, through the real flow.
          assert.deepEqual((await (session as ApiSession & { walkGet(u: string, n: LinkNeed): Promise<{ links: ScannedLinks }> }).walkGet(url, 'all')).links, links);
          if (links.next) next.push(links.next);
          next.push(...links.follow.map((l) => l.href));
        }
        level = next;
      }
    } finally {
      await session.logoff();
      await session.dispose();
    }
    // Every body the simulators serve is read by the scan itself, not handed back to the parser.
    assert.equal(shapes.read, shapes.bodies, `${kind}: ${JSON.stringify(shapes)}`);
    return shapes;
  }

  it('Enterprise Manager XML: root, lists, entities, query results with their pages', async () => {
    const api = sims.em.url;
    const starts = [`${api}jobs`, `${api}jobs?format=Entity`, `${api}query?type=Job&format=Refs&pageSize=3`, `${api}query?type=Job&format=Entities&pageSize=3`, `${api}backupServers`, `${api}repositories?format=Entity`];
    const shapes = await crawl('em', { url: sims.em.url, username: sims.em.users.admin.username }, sims.em.users.admin.password, api, starts, 250);
    assert.ok(shapes.bodies > 50 && shapes.withNext > 0 && shapes.withChildren > 0, JSON.stringify(shapes));
  });

  it('Enterprise Manager JSON: the same shapes', async () => {
    const api = sims.em.url;
    const starts = [`${api}jobs`, `${api}jobs?format=Entity`, `${api}query?type=Job&format=Refs&pageSize=3`, `${api}query?type=Job&format=Entities&pageSize=3`];
    const shapes = await crawl('em', { url: sims.em.url, username: sims.em.users.admin.username, representation: 'json' }, sims.em.users.admin.password, api, starts, 200);
    assert.ok(shapes.bodies > 50 && shapes.withNext > 0 && shapes.withChildren > 0, JSON.stringify(shapes));
  });

  it('Service Provider Console: collections, pages, items and their inferred sub-collections', async () => {
    const api = sims.vspc.url;
    const starts = [`${api}organizations/companies?limit=5`, `${api}infrastructure/backupServers?limit=3`, `${api}organizations/resellers?limit=2`];
    const shapes = await crawl('vspc', { url: sims.vspc.url, username: sims.vspc.users.admin.username }, sims.vspc.users.admin.password, api, starts, 300);
    assert.ok(shapes.bodies > 50 && shapes.withNext > 0 && shapes.withInferred > 0, JSON.stringify(shapes));
  });

  it('Backup & Replication: collections, pages through skip and limit, items', async () => {
    const origin = sims.vbr.origin;
    const starts = [`${origin}/api/v1/jobs?limit=5`, `${origin}/api/v1/sessions?limit=5`];
    const shapes = await crawl('vbr', { url: sims.vbr.url, username: sims.vbr.users.admin.username }, sims.vbr.users.admin.password, origin, starts, 300);
    assert.ok(shapes.bodies > 30 && shapes.withNext > 0, JSON.stringify(shapes));
  });

  it('the benchmark lists (listBody) of every kind', () => {
    const cases: Array<[Kind, Parameters<typeof listBody>[0], Where]> = [
      ['em', 'em-xml', { url: 'https://em.example:9398/api/jobs', baseUrl: 'https://em.example:9398/api/', contentType: 'application/xml' }],
      ['em', 'em-json', { url: 'https://em.example:9398/api/jobs', baseUrl: 'https://em.example:9398/api/', contentType: 'application/json' }],
      ['vspc', 'vspc', { url: 'https://vspc.example:1280/api/v3/organizations/companies', baseUrl: 'https://vspc.example:1280/api/v3/' }],
      ['vbr', 'vbr', { url: 'https://vbr.example:9419/api/v1/jobs', baseUrl: 'https://vbr.example:9419' }],
    ];
    for (const [kind, body, where] of cases) {
      const { text } = listBody(body, 300_000, 'https://em.example:9398/api/');
      assert.ok(same(kind, text, where), body);
      assert.ok(scan(kind, text, where, 'all')!.follow.length > 100, body);
    }
  });
});

// ---- generated Enterprise Manager documents ----

const EM_URL = 'https://em.example:9398/api/jobs';
const HREFS = [
  'https://em.example:9398/api/jobs/1',
  'https://em.example:9398/api/jobs/2?format=Entity',
  '/api/jobs/3',
  'jobs/4',
  '',
  '  https://em.example:9398/api/spaced  ',
  'https://em.example:9398/api/jobs/5?action=start',
  'javascript:alert(1)',
  'https://em.example:9398/api/q?a=1&amp;b=2',
  'https://em.example:9398/api/&#x1b;[2J',
  'https://em.example:9398/api/&#233;t&#xE9;',
  'https://other.example/api/x',
  'https://em.example:9398/api/next?page=2',
  'https://em.example:9398/api/&bad;',
];
const RELS = ['Down', 'Alternate', 'Up', 'Next', 'next', 'Create', 'Delete', 'Start', '', ' Down '];
const NAMES = ['Refs', 'Ref', 'Links', 'Link', 'PagingInfo', 'Entities', 'Jobs', 'Job', 'Name', 'Description', 'a:Ref', 'x:Links', 'Item', 'Links', 'Link'];
const RARE_NAMES = ['Href', 'Rel', 'a:b:c', 'xmlns:x', 'toString', '1', '#text'];
const ATTRIBUTES = ['Href', 'Rel', 'Type', 'Name', 'UID', 'a:Href', 'xmlns', 'xmlns:a', 'PageNum', 'Refs', 'Links'];

interface XmlNode {
  name: string;
  attributes: Array<[string, string]>;
  children: Array<XmlNode | string>;
}

const attributeValue = fc.oneof(fc.constantFrom(...HREFS), fc.constantFrom(...RELS), fc.string({ maxLength: 8 }).map((s) => s.replace(/[<&"]/g, '')));
const xmlNode: fc.Arbitrary<XmlNode> = fc.letrec<{ node: XmlNode }>((tie) => ({
  node: fc.record({
    name: fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.constantFrom(...RARE_NAMES) }),
    attributes: fc.array(fc.tuple(fc.constantFrom(...ATTRIBUTES), attributeValue), { maxLength: 4 }),
    children: fc.array(
      fc.oneof({ maxDepth: 6, depthSize: 'small', withCrossShrink: true }, { weight: 1, arbitrary: fc.constantFrom('text', ' ', '<!-- c -->', '<![CDATA[<Ref Href="https://em.example:9398/api/cdata"/>]]>', '&amp;') }, { weight: 3, arbitrary: tie('node') }),
      { maxLength: 5 },
    ),
  }),
})).node;

function toXml(node: XmlNode): string {
  const attributes = node.attributes.map(([n, v]) => ` ${n}="${v}"`).join('');
  if (node.children.length === 0) return `<${node.name}${attributes}/>`;
  return `<${node.name}${attributes}>${node.children.map((c) => (typeof c === 'string' ? c : toXml(c))).join('')}</${node.name}>`;
}

/** The same tree as EM JSON: attributes as members, child elements by name (one alone, or an array). */
function toJson(node: XmlNode, single: boolean, depth = 0): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [n, v] of node.attributes) obj[n] = v;
  for (const child of node.children) {
    if (typeof child === 'string' || depth > 20) continue;
    const value = toJson(child, single, depth + 1);
    const had = obj[child.name];
    obj[child.name] = had === undefined ? (single ? value : [value]) : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return obj;
}

const MUTATIONS = ['\u00a0', '\u3000', ` Href='https://em.example:9398/api/single' Rel='Down'`, ' a:Rel = "Alternate" ', '<', '>', '"', '</Ref>', '<Ref Href="https://em.example:9398/api/m"/>', '<!DOCTYPE x>', '\u0001', '&', ' Href="https://em.example:9398/api/h"', '<?pi x?>', '<a:b:c/>', '9007199254740993', '1e400', ',', '}', ']'];
const mutation = fc.tuple(fc.nat(), fc.nat({ max: 20 }), fc.constantFrom(...MUTATIONS, ''));

function mutate(text: string, [at, cut, insert]: [number, number, string]): string {
  const i = at % (text.length + 1);
  return text.slice(0, i) + insert + text.slice(i + cut);
}

describe('link scan: generated and mutated Enterprise Manager bodies', () => {
  const xmlWhere = { url: EM_URL, baseUrl: EM_URL, contentType: 'application/xml' };
  const jsonWhere = { url: EM_URL, baseUrl: EM_URL, contentType: 'application/json' };

  it('XML documents: the same links, or none read', () => {
    let read = 0;
    fc.assert(
      fc.property(xmlNode, fc.boolean(), (root, prolog) => {
        if (same('em', `${prolog ? '<?xml version="1.0" encoding="utf-8"?>\n' : ''}${toXml(root)}`, xmlWhere)) read++;
      }),
      params(),
    );
    // Most generated documents are read by the scan itself: the property is not met by handing everything back.
    assert.ok(read > RUNS / 3, `read ${read} of ${RUNS}`);
  });

  it('XML documents cut, garbled and spliced: a body the parser refuses is never read', () => {
    fc.assert(
      fc.property(xmlNode, fc.array(mutation, { minLength: 1, maxLength: 3 }), (root, edits) => {
        same('em', edits.reduce(mutate, toXml(root)), xmlWhere);
      }),
      params(),
    );
  });

  it('JSON documents, mutated ones and ones with numbers JSON.parse may round', () => {
    let plain = 0;
    let read = 0;
    fc.assert(
      fc.property(xmlNode, fc.boolean(), fc.array(mutation, { maxLength: 2 }), fc.constantFrom(0, 1, 2 ** 60, 0.1, 1e300), (root, single, edits, number) => {
        const text = JSON.stringify({ ...toJson(root, single), n: number });
        const scanned = same('em', edits.reduce(mutate, text), jsonWhere);
        if (edits.length > 0 || number === 2 ** 60 || number === 1e300) return;
        plain++;
        if (scanned) read++;
      }),
      params(),
    );
    // A JSON body is handed back to the parser only when it is not JSON, too long, or holds a number it may round.
    assert.equal(read, plain);
  });

  it('the next page only: a body without PagingInfo has none (its tags unread), one with it gives its Next, as the parser', () => {
    const api = 'https://em.example:9398/api/';
    const item = `<Job Href="${api}jobs/1" Type="Job" Name="a"><Links><Link Href="${api}jobs/1?action=start" Rel="Start"/></Links><?pi inside?><Name>a</Name></Job>`;
    assert.deepEqual(scan('em', item, xmlWhere, 'next'), { follow: [] });
    assert.deepEqual(parsed('em', item, xmlWhere, 'next'), { follow: [] });
    const page = `<QueryResult><Refs><Ref Href="${api}jobs/1" Type="JobReference"/></Refs><PagingInfo PageNum="1" PageSize="1" PagesCount="2"><Links><Link Href="${api}query?type=Job&amp;page=2" Rel="Next"/></Links></PagingInfo></QueryResult>`;
    const expected = parsed('em', page, xmlWhere, 'next')!;
    assert.equal(expected.next, `${api}query?type=Job&page=2`);
    assert.deepEqual(scan('em', page, xmlWhere, 'next'), expected);
  });

  it('refuses what the parser refuses: malformed, too deep, too long, DOCTYPE, HTML; a control character is read and never followed', () => {
    const deep = (n: number) => `${'<E>'.repeat(n)}${'</E>'.repeat(n)}`;
    const refused = [
      '<EntityReferences><Ref Href="https://em.example:9398/api/jobs/1"></EntityReferences>',
      `<Root>${deep(100)}</Root>`,
      `<Root><Ref Href="https://em.example:9398/api/${'a'.repeat(MAX_VALUE_CHARS + 1)}"/></Root>`,
      '<!DOCTYPE x [<!ENTITY e "https://em.example:9398/api/x">]><Root><Ref Href="&e;"/></Root>',
      '<html><body>proxy</body></html>',
      '<Root><Ref Href="a"/></Root><Second/>',
      `{"Refs":[{"Href":"https://em.example:9398/api/${'a'.repeat(MAX_VALUE_CHARS + 1)}"}]}`,
    ];
    for (const text of refused) {
      const contentType = text.startsWith('{') ? 'application/json' : 'application/xml';
      for (const need of ['all', 'next'] as const) {
        assert.equal(parsed('em', text, { ...xmlWhere, contentType }, need), undefined, `${need}: ${text.slice(0, 80)}`);
        assert.equal(scan('em', text, { ...xmlWhere, contentType }, need), undefined, `${need}: ${text.slice(0, 80)}`);
      }
    }
    assert.ok(same('em', `<Root>${deep(98)}</Root>`, xmlWhere));
    // Tab, line feed and carriage return are XML characters: kept by the parser, refused by the walk as no URL.
    const control = scan('em', emList('https://em.example:9398', ['https://em.example:9398/api/\tred', 'https://em.example:9398/api/\r\nx']), xmlWhere, 'all')!;
    assert.deepEqual(control.follow.map((l) => followableUrl(l.href)), [undefined, undefined]);
  });
});

// ---- generated Service Provider Console and Backup & Replication bodies ----

const idValue = fc.oneof(fc.constantFrom('a1', 'b/2', 'c d', '', 'ü'), fc.constantFrom(1, 2 ** 60, 0.5), fc.constant(null));
const item = fc.oneof(
  { weight: 6, arbitrary: fc.dictionary(fc.constantFrom('instanceUid', 'id', 'companyUid', 'jobUid', 'siteUid', 'name', 'companyName'), idValue, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom('text', 5, null, [1, 2], [[]]) },
);
const count = fc.oneof(fc.nat({ max: 300 }), fc.constantFrom(-1, 2 ** 60, 1.5, '10' as unknown as number));

function jsonApiCase(kind: 'vspc' | 'vbr') {
  const navigation = NAVIGATION[kind];
  const baseUrl = kind === 'vspc' ? 'https://vspc.example:1280/api/v3/' : 'https://vbr.example:9419';
  const paths = navigation.collections.flatMap((c) => [c.path, ...(c.item ? [`${c.path}/x1`, ...c.item.subCollections.map((s) => s.path.replace(/\{[^}]+\}/, 'x%2F1'))] : [])]);
  const url = fc.tuple(fc.constantFrom(...paths, '/unknown/place', '/'), fc.constantFrom('', '?limit=5', '?offset=10&limit=5', '?skip=0', '?skip=7')).map(([p, q]) => `${baseUrl.replace(/\/$/, '')}${p}${q}`);
  const paging = fc.record({ total: count, count, offset: count, skip: count }, { requiredKeys: [] });
  const body = fc.record(
    {
      data: fc.oneof(fc.array(item, { maxLength: 6 }), item, fc.constant(undefined)),
      meta: fc.record({ pagingInfo: paging }),
      pagination: paging,
      errors: fc.constantFrom([], [{ message: 'x' }]),
      other: fc.string({ maxLength: 5 }),
    },
    { requiredKeys: [] },
  );
  return { baseUrl, url, body };
}

for (const kind of ['vspc', 'vbr'] as const) {
  describe(`link scan: generated and mutated ${kind === 'vspc' ? 'Service Provider Console' : 'Backup & Replication'} bodies`, () => {
    const { baseUrl, url, body } = jsonApiCase(kind);
    it('the same links and next page, or none read', () => {
      let plain = 0;
      let read = 0;
      fc.assert(
        fc.property(url, body, fc.array(mutation, { maxLength: 2 }), (where, value, edits) => {
          const text = JSON.stringify(value);
          const scanned = same(kind, edits.reduce(mutate, text), { url: where, baseUrl });
          if (edits.length > 0 || /\d{16}|e\+/.test(text)) return;
          plain++;
          if (scanned) read++;
        }),
        params(),
      );
      assert.equal(read, plain);
    });
  });
}

// ---- the walk itself, over a hostile server ----

describe('the walk through the link scan', () => {
  let cert: SimulatorCertificate;
  let em: HostileEm;
  before(async () => {
    cert = await createLoopbackCertificate();
    em = await startHostileEm(cert, (path) => {
      if (path === '/api/jobs') {
        const hrefs = ['/api/jobs/1', '/api/jobs/2?action=start', 'https://127.0.0.1:1/x\t[2J', 'javascript:alert(1)', '/api/jobs/bad'];
        return { body: emList(em.origin, hrefs.map((h) => (h.startsWith('/') ? em.origin + h : h)), `${em.origin}/api/jobs?page=2`) };
      }
      if (path === '/api/jobs?page=2') return { body: emList(em.origin, [`${em.origin}/api/jobs/3`]) };
      if (path === '/api/jobs/bad') return { body: '<Job><Unclosed></Job>' };
      return { body: `<Job xmlns="http://www.veeam.com/ent/v1.0" Href="${em.origin}${path}"><Links><Link Rel="Up" Href="${em.origin}/api/jobs"/></Links></Job>` };
    });
  });
  after(async () => {
    await em.close();
  });

  it('follows what the parser would, refuses a malformed body as a failed step, and counts hrefs that are no URLs', async () => {
    const session = createSession({ id: 'h', kind: 'em', name: 'h', url: `${em.origin}/api/`, username: 'u' }, { timeoutMs: 5000, maxBodyBytes: 2 ** 20, ca: cert.pem }, async () => 'p');
    const fetched: string[] = [];
    const failed: string[] = [];
    const notices: WalkNotice[] = [];
    try {
      await session.logon();
      await walkLinks(session, `${em.origin}/api/jobs`, {
        depth: 1,
        concurrency: 2,
        onBatch: (steps) => {
          for (const s of steps) (s.error ? failed : fetched).push(s.url.slice(em.origin.length));
        },
        onNotice: (n) => notices.push(n),
      });
    } finally {
      await session.logoff();
      await session.dispose();
    }
    assert.deepEqual(fetched, ['/api/jobs', '/api/jobs?page=2', '/api/jobs/1', '/api/jobs/3']);
    assert.deepEqual(failed, ['/api/jobs/bad']);
    assert.deepEqual(notices, [{ code: 'notUrls', count: 2 }]);
  });
});

describe('the walk in batches', () => {
  let sims: Simulators;
  before(async () => {
    sims = await startSimulators({ jobs: 600, vspcItems: 1, vbrItems: 1 });
  });
  after(async () => {
    await sims.close();
  });

  it('reports a level of 600 items in batches of at most WALK_BATCH (the steps it holds at once), in the list order, each URL once', async () => {
    const def = { id: 'b', kind: 'em' as const, name: 'b', url: sims.em.url, username: sims.em.users.admin.username };
    const session = createSession(def, { timeoutMs: 10_000, maxBodyBytes: 20 * 2 ** 20, ca: sims.certificate.pem }, async () => sims.em.users.admin.password);
    const batches: string[][] = [];
    try {
      await session.logon();
      await walkLinks(session, `${sims.em.url}jobs`, {
        depth: 1,
        concurrency: 4,
        onBatch: (steps) => {
          assert.ok(steps.every((s) => s.status === 200 && !s.error), 'every GET answered 200');
          batches.push(steps.map((s) => s.url));
        },
      });
    } finally {
      await session.logoff();
      await session.dispose();
    }
    const all = batches.flat();
    assert.equal(new Set(all).size, all.length, 'each URL once');
    assert.ok(batches.every((b) => b.length <= WALK_BATCH), batches.map((b) => b.length).join(','));
    // The list first, on its own; then its 600 jobs (and its other links) in full batches and one smaller last one.
    assert.deepEqual(batches[0], [`${sims.em.url}jobs`]);
    const jobs = all.filter((u) => /\/api\/jobs\/[^/?]+$/.test(u));
    assert.equal(jobs.length, 600);
    assert.ok(batches.length >= 4 && batches[1].length === WALK_BATCH && batches[2].length === WALK_BATCH, batches.map((b) => b.length).join(','));
    // In the order the list gives them: the walk reports what it fetched batch after batch, as the level stood.
    const listed = jobs.map((u) => u.slice(u.lastIndexOf('/') + 1));
    const session2 = createSession(def, { timeoutMs: 10_000, maxBodyBytes: 20 * 2 ** 20, ca: sims.certificate.pem }, async () => sims.em.users.admin.password);
    try {
      const { resource } = await session2.get(`${sims.em.url}jobs`);
      assert.deepEqual(listed, resource.children.map((c) => c.href!.slice(c.href!.lastIndexOf('/') + 1)));
    } finally {
      await session2.logoff();
      await session2.dispose();
    }
  });
});
