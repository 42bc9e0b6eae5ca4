// Issue #5: the EM (XML, JSON) and VSPC parsers under generated and mutated documents. Whatever the body, a parser
// returns a well-formed Resource or throws a ProtocolError; nothing pollutes Object.prototype; the pretty-printer
// never throws and keeps JSON values; tree labels made from the result stay safe.
//
// Seeded: FUZZ_SEED=<integer> replays a run (fast-check prints the seed and the shrunk counterexample on failure);
// FUZZ_RUNS=<n> changes the number of cases per property.
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { Field, Resource } from '../../src/api';
import { parseEmBody } from '../../src/api/kinds/em/parser';
import { ApiError, ProtocolError } from '../../src/api/errors';
import { indentJson, indentXml } from '../../src/api/parse/pretty';
import { parseJsonKeepingNumbers } from '../../src/api/parse/json-numbers';
import { messageText } from '../../src/api/parse/message-text';
import { VspcNavigation } from './vspc-kind';
import { parseVspcBody } from './vspc-kind';
import { labelText, linkLabel, markdownCode, MAX_LABEL_LENGTH, MAX_TOOLTIP_LENGTH, resourceLabel, tooltipText } from '../../src/ui/tree/labels';

const DEFAULT_SEED = 20_251_123;
const SEED = readIntegerEnv('FUZZ_SEED', DEFAULT_SEED);
const RUNS = readIntegerEnv('FUZZ_RUNS', 1000);

function readIntegerEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, not ${JSON.stringify(text)}`);
  return n;
}

/** Every property runs from the same seed: the seed fast-check prints on a failure is the FUZZ_SEED that replays it. */
function params(): fc.Parameters<unknown> {
  return { seed: SEED, numRuns: RUNS };
}

const EM_URL = 'https://em.example:9398/api/jobs';
const VSPC_BASE = 'https://vspc.example:1280/api/v3/';
const nav = new VspcNavigation([
  { path: '/about', label: 'About', group: 'General', singleton: true },
  {
    path: '/organizations/companies',
    label: 'Companies',
    group: 'Organizations',
    item: { param: 'companyUid', nameProperties: ['name'], subCollections: [{ path: '/organizations/companies/{companyUid}/sites', label: 'Sites' }] },
  },
  { path: '/alarms/active', label: 'Active Alarms', group: 'Alarms' },
], '3.6');
const VSPC_PATHS = ['about', 'organizations/companies', 'organizations/companies/5f1c0b3e-0000-4000-8000-000000000001', 'alarms/active', 'unknown/place'];

// ---- the property ---------------------------------------------------------------------------------------------

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).join();
const UNSAFE_IN_LABEL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

function assertPlain(v: object, what: string): void {
  const proto = Object.getPrototypeOf(v);
  assert.ok(proto === Object.prototype || proto === Array.prototype, `${what} has a replaced prototype`);
}

function assertField(f: Field, depth: number): void {
  assertPlain(f, 'field');
  assert.ok(isString(f.name), 'field name is a string');
  assert.ok(f.value === undefined || isString(f.value), 'field value is a string');
  assert.ok(f.children === undefined || Array.isArray(f.children), 'field children is an array');
  assert.ok(depth < 200, 'fields nest boundedly');
  assert.doesNotMatch(labelText(`${f.name}: ${f.value ?? ''}`), UNSAFE_IN_LABEL);
  for (const c of f.children ?? []) assertField(c, depth + 1);
}

function assertResource(r: Resource, depth = 0): void {
  assertPlain(r, 'resource');
  for (const key of ['href', 'type', 'element', 'name', 'uid'] as const) {
    assert.ok(r[key] === undefined || isString(r[key]), `${key} is a string or absent`);
  }
  assert.ok(Array.isArray(r.links) && Array.isArray(r.fields) && Array.isArray(r.children), 'links, fields and children are arrays');
  assert.ok(depth < 200, 'resources nest boundedly');
  for (const l of r.links) {
    assertPlain(l, 'link');
    assert.ok(isString(l.rel) && isString(l.href), 'a link has a string rel and href');
    assert.ok(l.type === undefined || isString(l.type));
    assert.ok(l.name === undefined || isString(l.name));
    const label = linkLabel(l);
    assert.ok(label.length <= MAX_LABEL_LENGTH + 2);
    assert.doesNotMatch(label, UNSAFE_IN_LABEL);
  }
  for (const f of r.fields) assertField(f, 0);
  if (r.paging) {
    assertPlain(r.paging, 'paging');
    for (const [k, v] of Object.entries(r.paging)) {
      assert.ok(v === undefined || (typeof v === 'number' && !Number.isNaN(v)) || isString(v), `paging.${k}`);
    }
  }
  const label = resourceLabel(r);
  assert.ok(label.length <= MAX_LABEL_LENGTH + 2);
  assert.doesNotMatch(label, UNSAFE_IN_LABEL);
  assert.doesNotMatch(tooltipText(r.name ?? '').replace(/\n/g, ''), UNSAFE_IN_LABEL);
  for (const c of r.children) assertResource(c, depth + 1);
}

/** The property: a well-formed Resource or a ProtocolError, and Object.prototype untouched. */
function resourceOrProtocolError(parse: () => Resource): void {
  let resource: Resource | undefined;
  try {
    resource = parse();
  } catch (err) {
    if (!(err instanceof ApiError) || !(err instanceof ProtocolError)) {
      throw new Error(`expected a ProtocolError, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`, { cause: err });
    }
    assert.ok(isString(err.message) && err.message.length > 0);
  }
  if (resource) assertResource(resource);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getOwnPropertyNames(Object.prototype).join(), PROTO_NAMES);
}

function checkEm(body: string, contentType: string | undefined): void {
  resourceOrProtocolError(() => parseEmBody(body, contentType, EM_URL));
  assert.doesNotThrow(() => indentXml(body));
}

function checkJson(body: string): void {
  resourceOrProtocolError(() => parseEmBody(body, 'application/json', EM_URL));
  // The pretty-printer never throws, and what it prints reads back as the same values.
  const pretty = indentJson(body);
  if (pretty !== undefined) assert.deepEqual(parseJsonKeepingNumbers(pretty), parseJsonKeepingNumbers(body));
}

function checkVspc(body: string, path: string): void {
  resourceOrProtocolError(() => parseVspcBody(body, VSPC_BASE + path, VSPC_BASE, nav));
}

// ---- hostile pieces -------------------------------------------------------------------------------------------

const HOSTILE_TEXT = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '&', '&amp;', '&lol;', '&#0;', '&#x202E;', ']]>', '<![CDATA[x]]>',
  '"', "'", '<', '>', '\u0000', '\u001b[31m', '\r\n', '\u2028', '\u202etxt.exe', '\u2066x\u2069', '\ud800', '\udc00', '\uFEFF',
  '12345678901234567890', '1e400', '-0', 'NaN', '%E0%A4%A', '?action=start', 'javascript:alert(1)', '//evil.example/x', '',
  ' ', '[click](command:x)', '`', '0x1F', 'urn:veeam:Job:1',
];

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat(5000), '\u202e'.repeat(300), 'A'.repeat(3000)) },
);
const href = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('https://em.example:9398/api/jobs/1', '/api/jobs/2?format=Entity', 'https://em.example:9398/api/jobs/1?action=start', 'backupSessions') },
  { weight: 1, arbitrary: fc.webUrl() },
  { weight: 2, arbitrary: text },
);
const REL = ['Up', 'Down', 'Alternate', 'Create', 'Delete', 'Start', 'Next', 'Previous', 'First', 'Last'];

// ---- EM XML ---------------------------------------------------------------------------------------------------

const xmlEscape = (s: string, quote = true) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, quote ? '&quot;' : '"');
/** Mostly escaped text; sometimes raw, so the document may be malformed. */
const attrValue = fc.oneof({ weight: 6, arbitrary: text.map((s) => xmlEscape(s)) }, { weight: 1, arbitrary: text });
const attr = (name: string, value: string | undefined) => (value === undefined ? '' : ` ${name}="${value}"`);

const xmlLink = fc
  .record({ rel: fc.oneof(fc.constantFrom(...REL), attrValue), href: href.map((s) => xmlEscape(s)), type: fc.option(attrValue, { nil: undefined }), name: fc.option(attrValue, { nil: undefined }) })
  .map((l) => `<Link${attr('Href', l.href)}${attr('Rel', l.rel)}${attr('Type', l.type)}${attr('Name', l.name)}/>`);
const xmlLinks = fc.array(xmlLink, { maxLength: 4 }).map((ls) => `<Links>${ls.join('')}</Links>`);

const ELEMENT_NAMES = ['Job', 'JobType', 'Platform', 'Description', 'ScheduleEnabled', 'Info', 'Item', 'Name', 'State', 'Result', 'xsi:nil', 'ns:Thing'];
const HOSTILE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', 'Links', 'Link', 'Href', 'PagingInfo', '#text'];
const elementName = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...ELEMENT_NAMES) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_NAMES) });
const attrName = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('Href', 'Type', 'Name', 'UID', 'Rel', 'Success', 'xmlns', 'xsi:type') }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_NAMES) });

const { xmlField } = fc.letrec<{ xmlField: string }>((tie) => ({
  xmlField: fc
    .record({
      name: elementName,
      attrs: fc.array(fc.tuple(attrName, attrValue), { maxLength: 3 }),
      body: fc.oneof({ depthSize: 'small' }, text.map((s) => xmlEscape(s, false)), xmlLinks, fc.array(tie('xmlField'), { maxLength: 3 }).map((xs) => xs.join(''))),
    })
    .map(({ name, attrs, body }) => `<${name}${attrs.map(([k, v]) => attr(k, v)).join('')}>${body}</${name}>`),
}));

const NS = ' xmlns="http://www.veeam.com/ent/v1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const xmlRef = fc
  .record({ name: attrValue, uid: attrValue, href: href.map((s) => xmlEscape(s)), links: xmlLinks, tag: fc.constantFrom('Ref', 'Job', 'Entity') })
  .map((r) => `<${r.tag} UID="${r.uid}" Name="${r.name}" Href="${r.href}" Type="JobReference">${r.links}</${r.tag}>`);
const xmlPaging = fc
  .record({ num: fc.oneof(fc.nat().map(String), attrValue), size: fc.oneof(fc.constantFrom('100', '12345678901234567890', '1e400', '-1'), attrValue), links: xmlLinks })
  .map((p) => `<PagingInfo PageNum="${p.num}" PageSize="${p.size}" PagesCount="3">${p.links}</PagingInfo>`);

const emXml = fc.oneof(
  // A reference list.
  fc.record({ links: xmlLinks, refs: fc.array(xmlRef, { maxLength: 5 }) }).map((d) => `<?xml version="1.0" encoding="utf-8"?><EntityReferences${NS} Href="${EM_URL}" Type="EntityReferences">${d.links}${d.refs.join('')}</EntityReferences>`),
  // An entity with fields.
  fc.record({ name: attrValue, links: xmlLinks, fields: fc.array(xmlField, { maxLength: 5 }) }).map((d) => `<Job${NS} Href="${EM_URL}/1" Type="Job" Name="${d.name}" UID="urn:veeam:Job:1">${d.links}${d.fields.join('')}</Job>`),
  // A query result with entities and paging.
  fc.record({ refs: fc.array(xmlRef, { maxLength: 4 }), paging: xmlPaging, wrap: fc.constantFrom('Refs', 'Entities', 'Resources') }).map((d) => `<QueryResult${NS}><${d.wrap}><Jobs>${d.refs.join('')}</Jobs></${d.wrap}>${d.paging}</QueryResult>`),
  // Anything element-shaped.
  xmlField,
);

// ---- JSON (EM and VSPC), written as text so `__proto__` keys and number tokens survive as written -------------

const NUMBERS = ['0', '-0', '1', '42', '1.5', '100', '9007199254740991', '9007199254740993', '12345678901234567890', '-12345678901234567890', '1e400', '-1e400', '1e-400', '0.12345678901234567891', '1E3', '2.0'];
const jsonString = text.map((s) => JSON.stringify(s));
const jsonScalar = fc.oneof(jsonString, fc.constantFrom(...NUMBERS), fc.integer().map(String), fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)), fc.constantFrom('true', 'false', 'null'));
const jsonObject = (entries: [string, string][]) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

const EM_KEYS = ['Href', 'Type', 'Name', 'UID', 'Links', 'Refs', 'Entities', 'Jobs', 'PagingInfo', 'Description', 'JobType', 'Rel', '#text'];
const VSPC_KEYS = ['instanceUid', 'name', 'companyName', 'hostName', 'status', 'data', 'meta', 'errors', 'pagingInfo', 'total', 'count', 'offset', 'message'];
const jsonKey = (real: string[]) => fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...real) }, { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NAMES) }, { weight: 1, arbitrary: text });

function jsonValue(real: string[]) {
  return fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      jsonScalar,
      fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
      fc.array(fc.tuple(jsonKey(real), tie('value')), { maxLength: 4 }).map(jsonObject),
    ),
  })).value;
}
const emAny = jsonValue(EM_KEYS);
const vspcAny = jsonValue(VSPC_KEYS);

const emJsonLink = fc
  .record({ rel: fc.oneof(fc.constantFrom(...REL).map((s) => JSON.stringify(s)), jsonScalar), href: href.map((s) => JSON.stringify(s)), name: fc.oneof(jsonString, fc.constant('null')), type: fc.oneof(jsonString, fc.constant('null')) })
  .map((l) => jsonObject([['Rel', l.rel], ['Href', l.href], ['Name', l.name], ['Type', l.type]]));
const emJsonLinks = fc.oneof(fc.constant('null'), fc.array(emJsonLink, { maxLength: 4 }).map((ls) => `[${ls.join(',')}]`));
const emJsonRef = fc
  .record({ name: jsonString, href: href.map((s) => JSON.stringify(s)), links: emJsonLinks, extra: fc.array(fc.tuple(jsonKey(EM_KEYS), emAny), { maxLength: 3 }) })
  .map((r) => jsonObject([['UID', '"urn:veeam:Job:1"'], ['Name', r.name], ['Href', r.href], ['Type', '"JobReference"'], ['Links', r.links], ...r.extra]));
const emJsonList = fc
  .record({ links: emJsonLinks, refs: fc.oneof(fc.constant('null'), fc.array(emJsonRef, { maxLength: 4 }).map((rs) => `[${rs.join(',')}]`)) })
  .map((d) => jsonObject([['Href', JSON.stringify(EM_URL)], ['Type', '"EntityReferences"'], ['Links', d.links], ['Refs', d.refs]]));
const emJsonEntity = fc
  .record({ ref: emJsonRef, fields: fc.array(fc.tuple(jsonKey(EM_KEYS), emAny), { maxLength: 5 }) })
  .map((d) => d.ref.replace(/}$/, d.fields.length ? `,${d.fields.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}` : '}'));
const emJsonQuery = fc
  .record({ refs: fc.array(emJsonRef, { maxLength: 3 }), size: fc.constantFrom(...NUMBERS) })
  .map((d) => `{"Entities":{"Jobs":{"Jobs":[${d.refs.join(',')}]}},"PagingInfo":{"PageNum":1,"PageSize":${d.size},"PagesCount":2,"Links":null},"Refs":null}`);
const emJson = fc.oneof(
  { weight: 3, arbitrary: emJsonList },
  { weight: 3, arbitrary: emJsonEntity },
  { weight: 2, arbitrary: emJsonQuery },
  { weight: 1, arbitrary: emAny },
);

const vspcItem = fc
  .record({ uid: fc.oneof(fc.uuid().map((u) => JSON.stringify(u)), jsonScalar), name: fc.oneof(jsonString, jsonScalar), extra: fc.array(fc.tuple(jsonKey(VSPC_KEYS), vspcAny), { maxLength: 4 }) })
  .map((i) => jsonObject([['instanceUid', i.uid], ['name', i.name], ...i.extra]));
const pagingNumber = fc.oneof(fc.nat({ max: 1000 }).map(String), fc.constantFrom(...NUMBERS), jsonScalar);
const vspcJson = fc
  .record({
    data: fc.oneof(fc.array(vspcItem, { maxLength: 5 }).map((xs) => `[${xs.join(',')}]`), vspcItem, vspcAny),
    paging: fc.option(fc.record({ total: pagingNumber, count: pagingNumber, offset: pagingNumber }), { nil: undefined }),
    errors: fc.oneof(fc.constant('null'), fc.array(fc.record({ message: jsonString, type: jsonString, code: jsonScalar }).map((e) => jsonObject([['message', e.message], ['type', e.type], ['code', e.code]])), { maxLength: 2 }).map((es) => `[${es.join(',')}]`)),
    path: fc.constantFrom(...VSPC_PATHS),
  })
  .map((d) => ({
    path: d.path,
    body: jsonObject([
      ['data', d.data],
      ['meta', d.paging ? jsonObject([['pagingInfo', jsonObject([['total', d.paging.total], ['count', d.paging.count], ['offset', d.paging.offset]])]]) : 'null'],
      ['errors', d.errors],
    ]),
  }));

// ---- mutations of real documents ------------------------------------------------------------------------------

const REAL_XML = [
  `<?xml version="1.0" encoding="utf-8"?>
<EntityReferences${NS} Href="https://em.example:9398/api/jobs" Type="EntityReferences">
  <Links><Link Href="https://em.example:9398/api/jobs?format=Entity" Rel="Alternate" Type="JobList"/></Links>
  <Ref UID="urn:veeam:Job:1" Name="Nightly &amp; Weekly" Href="https://em.example:9398/api/jobs/1" Type="JobReference">
    <Links>
      <Link Href="https://em.example:9398/api/backupServers/s1" Name="vbr01" Type="BackupServerReference" Rel="Up"/>
      <Link Href="https://em.example:9398/api/jobs/1?format=Entity" Name="Nightly" Type="Job" Rel="Alternate"/>
      <Link Href="https://em.example:9398/api/jobs/1/backupSessions" Type="BackupJobSessionReferenceList" Rel="Down"/>
    </Links>
  </Ref>
</EntityReferences>`,
  `<Job${NS} Href="https://em.example:9398/api/jobs/1?format=Entity" Type="Job" Name="Nightly" UID="urn:veeam:Job:1">
  <Links><Link Href="https://em.example:9398/api/jobs/1?action=start" Rel="Start" Type="Task"/></Links>
  <JobType>Backup</JobType><Platform>VMware</Platform><Description><![CDATA[a <b> c]]></Description>
  <ScheduleConfigured>true</ScheduleConfigured><NextRun>2026-01-01T00:00:00Z</NextRun>
  <JobInfo><BackupJobInfo><Includes><ObjectInSpec Href="https://em.example:9398/api/x/1" Type="ObjectInJob"><Name>vm1</Name></ObjectInSpec></Includes></BackupJobInfo></JobInfo>
</Job>`,
  `<QueryResult${NS}><Refs><Ref Href="https://em.example:9398/api/jobs/2" Name="SQL" Type="JobReference"/></Refs>
<PagingInfo PageNum="1" PageSize="100" PagesCount="2"><Links><Link Rel="Next" Href="https://em.example:9398/api/query?type=Job&amp;page=2"/></Links></PagingInfo></QueryResult>`,
  `<Error${NS} Message="Not found" StatusCode="404"><FirstChanceExceptionMessage>x</FirstChanceExceptionMessage></Error>`,
];
const REAL_EM_JSON = [
  '{"Refs":[{"UID":"urn:veeam:Job:1","Name":"Nightly","Href":"https://em.example:9398/api/jobs/1","Type":"JobReference","Links":[{"Rel":"Alternate","Href":"https://em.example:9398/api/jobs/1?format=Entity","Name":null,"Type":"Job"}]}],"Href":"https://em.example:9398/api/jobs","Type":"EntityReferences","Links":null}',
  '{"JobType":"Backup","Platform":"VMware","Description":"x","NextRun":"2026-01-01T00:00:00Z","Size":12345678901234567890,"Href":"https://em.example:9398/api/jobs/1?format=Entity","Type":"Job","Name":"Nightly","UID":"urn:veeam:Job:1","Links":[{"Rel":"Start","Href":"https://em.example:9398/api/jobs/1?action=start","Name":null,"Type":"Task"}]}',
  '{"Entities":{"Jobs":{"Jobs":[{"Href":"https://em.example:9398/api/jobs/2","Name":"SQL","Type":"Job"}]},"BackupServers":null},"Refs":null,"Resources":null,"PagingInfo":{"PageNum":1,"PageSize":100,"PagesCount":1,"Links":null}}',
];
const REAL_VSPC = [
  '{"meta":{"pagingInfo":{"total":3,"count":2,"offset":0}},"data":[{"instanceUid":"5f1c0b3e-0000-4000-8000-000000000001","name":"Acme","status":"Active","subscriptionPlanUid":null,"permissions":["a","b"],"companyServices":{"isBackupResourcesEnabled":true,"nested":[{"x":1}]}},{"instanceUid":"5f1c0b3e-0000-4000-8000-000000000002","name":"Globex"}],"errors":null}',
  '{"data":{"instanceUid":"5f1c0b3e-0000-4000-8000-000000000001","name":"Acme","quota":18446744073709551615},"meta":null,"errors":null}',
  '{"errors":[{"message":"Too many requests","type":"retryableLogical","code":1000,"retryAfter":3}],"data":null}',
];

const INSERTS = [
  '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>', '<!DOCTYPE html>', '<html>', '&', '&a;', '&#0;', ']]>', '<![CDATA[', '"', "'", '<', '>', '/>', '</', '<__proto__/>',
  '<constructor a="1"/>', ' __proto__="x"', '{', '}', '[', ']', ',', ':', '"__proto__":{"polluted":1},', '"constructor":{"prototype":{"polluted":1}},', '12345678901234567890', '1e400', '-',
  '\u0000', '\ud800', '\uFEFF', '\u202e', '\\', '\\u0000', '"\\ud800"', '<a>'.repeat(150), '</a>'.repeat(50), '['.repeat(3000), '{"a":'.repeat(2000), 'null', 'true',
];

type Mutation = { kind: 'flip' | 'truncate' | 'insert' | 'delete' | 'byte'; at: number; insert: string; byte: number; length: number };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('flip', 'truncate', 'insert', 'insert', 'insert', 'delete', 'byte'),
  // Uniform over the document (a double would favour its two ends).
  at: fc.integer({ min: 0, max: 9999 }).map((n) => n / 10_000),
  insert: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...INSERTS) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) }),
  byte: fc.integer({ min: 0, max: 255 }),
  length: fc.integer({ min: 1, max: 40 }),
});

/** Applies mutations; byte flips go through a Buffer, so the result can hold invalid UTF-8 decoded the lossy way. */
function mutate(doc: string, mutations: Mutation[], latin1: boolean): string {
  let s = doc;
  for (const m of mutations) {
    const i = Math.floor(m.at * s.length);
    if (m.kind === 'flip') s = s.slice(0, i) + String.fromCharCode(m.byte) + s.slice(i + 1);
    else if (m.kind === 'truncate') s = s.slice(0, i);
    else if (m.kind === 'insert') s = s.slice(0, i) + m.insert + s.slice(i);
    else if (m.kind === 'delete') s = s.slice(0, i) + s.slice(i + m.length);
    else {
      const bytes = Buffer.from(s, 'utf8');
      if (bytes.length) bytes[Math.floor(m.at * bytes.length) % bytes.length] = m.byte;
      s = bytes.toString(latin1 ? 'latin1' : 'utf8');
    }
  }
  return s;
}
const mutations = fc.array(mutation, { minLength: 1, maxLength: 4 });

// ---- the properties -------------------------------------------------------------------------------------------

describe(`parser fuzzing (seed ${SEED}, ${RUNS} runs per property; FUZZ_SEED and FUZZ_RUNS override)`, () => {
  it('EM XML, generated documents of real shape', () => {
    fc.assert(fc.property(emXml, fc.constantFrom('application/xml', undefined), (body, type) => checkEm(body, type)), params());
  });

  it('EM XML, mutated real and generated documents', () => {
    const doc = fc.oneof(fc.constantFrom(...REAL_XML), emXml);
    fc.assert(fc.property(doc, mutations, fc.boolean(), (d, ms, latin1) => checkEm(mutate(d, ms, latin1), 'application/xml; charset=utf-8')), params());
  });

  it('EM JSON, generated documents of real shape', () => {
    fc.assert(fc.property(emJson, (body) => checkJson(body)), params());
  });

  it('EM JSON, mutated real and generated documents (and sniffed without a content type)', () => {
    const doc = fc.oneof(fc.constantFrom(...REAL_EM_JSON), emJson);
    fc.assert(fc.property(doc, mutations, fc.boolean(), (d, ms, latin1) => {
      const body = mutate(d, ms, latin1);
      checkJson(body);
      resourceOrProtocolError(() => parseEmBody(body, undefined, EM_URL));
    }), params());
  });

  it('VSPC envelopes, generated', () => {
    fc.assert(fc.property(vspcJson, ({ body, path }) => checkVspc(body, path)), params());
  });

  it('VSPC envelopes, mutated real and generated documents', () => {
    const doc = fc.oneof(fc.constantFrom(...REAL_VSPC), vspcJson.map((d) => d.body));
    fc.assert(fc.property(doc, mutations, fc.boolean(), fc.constantFrom(...VSPC_PATHS), (d, ms, latin1, path) => {
      const body = mutate(d, ms, latin1);
      checkVspc(body, path);
      const pretty = indentJson(body);
      if (pretty !== undefined) assert.deepEqual(parseJsonKeepingNumbers(pretty), parseJsonKeepingNumbers(body));
    }), params());
  });

  it('tree text helpers, any string: nothing invisible or reordering survives, lengths capped, ordinary text unchanged', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.array(fc.constantFrom(...HOSTILE_TEXT, 'a', ' ', '👍', 'é'), { maxLength: 200 }).map((xs) => xs.join('')),
    );
    fc.assert(fc.property(anyText, (t) => {
      const label = labelText(t);
      assert.doesNotMatch(label, UNSAFE_IN_LABEL);
      assert.doesNotMatch(label, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      assert.ok(label.length <= MAX_LABEL_LENGTH);
      const tip = tooltipText(t);
      assert.doesNotMatch(tip.replace(/\n/g, ''), UNSAFE_IN_LABEL);
      assert.ok(tip.length <= MAX_TOOLTIP_LENGTH);
      assert.doesNotMatch(messageText(t), UNSAFE_IN_LABEL);
      const code = markdownCode(t);
      const fence = /^`+/.exec(code)![0];
      assert.ok(code.endsWith(fence) && !code.slice(fence.length, -fence.length).includes(fence), 'the fence is longer than any backtick run inside');
      // Printable text that fits is shown as it is.
      if (!/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/.test(t) && t.length <= MAX_LABEL_LENGTH) assert.equal(label, t);
    }), params());
  });

  it('FUZZ_SEED and FUZZ_RUNS are read as integers (a typo must not silently fall back to the default)', () => {
    const saved = process.env.FUZZ_SEED;
    try {
      process.env.FUZZ_SEED = '42';
      assert.equal(readIntegerEnv('FUZZ_SEED', 1), 42);
      process.env.FUZZ_SEED = '';
      assert.equal(readIntegerEnv('FUZZ_SEED', 1), 1);
      process.env.FUZZ_SEED = 'forty-two';
      assert.throws(() => readIntegerEnv('FUZZ_SEED', 1), /FUZZ_SEED must be an integer/);
    } finally {
      if (saved === undefined) delete process.env.FUZZ_SEED;
      else process.env.FUZZ_SEED = saved;
    }
  });

  it('replays: the same seed generates the same documents', () => {
    const sample = (seed: number) => fc.sample(fc.oneof(emXml, emJson, vspcJson.map((d) => d.body)), { seed, numRuns: 20 });
    assert.deepEqual(sample(SEED), sample(SEED));
    assert.notDeepEqual(sample(SEED), sample(SEED + 1));
  });
});
