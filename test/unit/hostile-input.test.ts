// Issue #5, hostile input: what a malicious or broken server can send must end in a Resource or a ProtocolError,
// never a crash, a hang, prototype pollution or a label that hides or reorders text.
import { strict as assert } from 'node:assert';
import { afterEach, describe, it } from 'node:test';
import type { Resource } from '../../src/api';
import { EM_XML_PARSER_OPTIONS, parseEmBody, readEmErrorMessage, withLongTextsAsCdata } from '../../src/api/kinds/em/parser';
import { scanXml } from '../../src/api/kinds/em/well-formed';
import { fastXmlParser } from '../../src/api/parse/fxp';
import { ApiError, ProtocolError } from '../../src/api/errors';
import { indentJson, indentXml, prettyBody } from '../../src/api/parse/pretty';
import { isInexact, mayBeInexact, parseJsonKeepingNumbers } from '../../src/api/parse/json-numbers';
import { MAX_MESSAGE_LENGTH, messageText } from '../../src/api/parse/message-text';
import { readableType } from '../../src/api/resource';
import type { RawResponse } from '../../src/api/types';
import { VspcNavigation } from './vspc-kind';
import { parseVspcBody, readRetryAfter, readVspcErrorMessage } from './vspc-kind';
import {
  fileNameOf,
  labelText,
  lastPathWord,
  linkLabel,
  markdownCode,
  markdownText,
  MAX_LABEL_LENGTH,
  MAX_TOOLTIP_LENGTH,
  readable,
  resourceLabel,
  tooltipText,
} from '../../src/ui/tree/labels';

const EM = 'https://em.example:9398/api/jobs';
const VSPC = 'https://vspc.example:1280/api/v3/';
const nav = new VspcNavigation([
  { path: '/about', label: 'About', group: 'General', singleton: true },
  { path: '/organizations/companies', label: 'Companies', group: 'Organizations', item: { param: 'companyUid', nameProperties: ['name'], subCollections: [] } },
], '3.6');

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

/** Object.prototype as it was: no new property, `({}).polluted` undefined. */
function assertNoPollution(): void {
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_NAMES);
  assert.equal(Object.getPrototypeOf({}), Object.prototype);
}

/** Runs `fn`; it must return or throw a ProtocolError (any other exception fails the test). */
function resourceOrProtocolError(fn: () => Resource): Resource | ProtocolError {
  try {
    return fn();
  } catch (err) {
    assert.ok(err instanceof ProtocolError, `expected a ProtocolError, got ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}`);
    assert.match(err.message, /\S/);
    return err;
  }
}

/** Every object in a resource is a plain object or array whose prototype was not swapped by a `__proto__` key. */
function assertPlainTree(value: unknown, seen = new Set<unknown>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  assert.ok(proto === Object.prototype || proto === Array.prototype, 'an object with a replaced prototype');
  for (const v of Object.values(value)) assertPlainTree(v, seen);
}

const em = (body: string, contentType = 'application/xml') => resourceOrProtocolError(() => parseEmBody(body, contentType, EM));
const vspc = (body: string, path = 'about') => resourceOrProtocolError(() => parseVspcBody(body, VSPC + path, VSPC, nav));

afterEach(assertNoPollution);

describe('hostile XML (EM)', () => {
  const laughs = (levels: number) => {
    let decl = '<!ENTITY lol0 "lol">';
    for (let i = 1; i <= levels; i++) decl += `<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`;
    return `<!DOCTYPE lolz [${decl}]>`;
  };

  it('refuses a DOCTYPE at the top', () => {
    const r = em(`<?xml version="1.0"?>${laughs(9)}<Job Name="&lol9;">&lol9;</Job>`);
    assert.ok(r instanceof ProtocolError);
    assert.match(r.message, /DOCTYPE/);
  });

  it('refuses a DOCTYPE after a long prolog, where it used to be read and its entities expanded', () => {
    const r = em(`<?xml version="1.0"?><!--${'x'.repeat(5000)}--><!DOCTYPE x [<!ENTITY a "EXPANDED">]><Job Name="&a;">&a;</Job>`);
    assert.ok(r instanceof ProtocolError);
    assert.match(r.message, /DOCTYPE/);
  });

  it('refuses a DOCTYPE inside an element, and a lower-case one', () => {
    for (const body of [
      `<Jobs>${'<Job/>'.repeat(2000)}<!DOCTYPE x [<!ENTITY a "EXPANDED">]><Job Name="&a;"/></Jobs>`,
      `<!doctype x [<!ENTITY a "EXPANDED">]><Job Name="&a;"/>`,
    ]) {
      const r = em(body);
      assert.ok(r instanceof ProtocolError);
      assert.doesNotMatch(JSON.stringify(r), /EXPANDED/);
    }
  });

  it('leaves undeclared entity references as text, without expanding anything', () => {
    const r = em(`<Job Name="&lol9;&amp;">${'&lol9;'.repeat(10_000)}</Job>`);
    assert.ok(!(r instanceof ProtocolError));
    assert.equal(r.name, '&lol9;&');
  });

  it('decodes character references (which it used to leave as written), not HTML names; NUL and lone surrogates as U+FFFD', () => {
    const r = em('<Job Href="/j" Name="Caf&#233; &#x41;&#x1F44D; &amp;&nbsp;&#0;&#xD800;"><Note>a&#10;b</Note></Job>');
    assert.ok(!(r instanceof ProtocolError));
    assert.equal(r.name, 'Café A👍 &&nbsp;\ufffd\ufffd');
    assert.equal(r.fields[0].value, 'a\nb');
  });

  it('reads many standard entity references in linear time (a 100k-reference attribute and text)', () => {
    const r = em(`<Job Name="${'&amp;'.repeat(100_000)}">${'&lt;'.repeat(100_000)}</Job>`);
    assert.ok(!(r instanceof ProtocolError));
    assert.equal(r.name, '&'.repeat(100_000));
    assert.equal(r.fields[0].value, '<'.repeat(100_000));
  });

  it('refuses 10,000 levels of nesting with a ProtocolError, with and without Hrefs', () => {
    for (const open of ['<a>', '<a Href="/x">', '<Links><Link Rel="Down" Href="/y"/>']) {
      const close = `</${open.slice(1, open.search(/[ >]/))}>`;
      const r = em(open.repeat(10_000) + close.repeat(10_000));
      assert.ok(r instanceof ProtocolError);
      assert.match(r.message, /levels deep|malformed/);
    }
  });

  it('reads 90 levels of nesting (under the parser limit) without recursing past its own depth limit', () => {
    const r = em(`<Job Href="/j">${'<a>'.repeat(90)}deep${'</a>'.repeat(90)}</Job>`);
    assert.ok(!(r instanceof ProtocolError));
    assert.equal(r.fields[0].name, 'a');
  });

  it('keeps a 5 MB attribute whole, once', () => {
    const huge = 'A'.repeat(5 * 1024 * 1024);
    const r = em(`<Job Href="/j" Name="${huge}" UID="u"><Description>${huge}</Description></Job>`);
    assert.ok(!(r instanceof ProtocolError));
    assert.equal(r.name?.length, huge.length);
    assert.equal(r.fields[0].value?.length, huge.length);
  });

  it('refuses an element with 10^6 attributes as over the limit, not with "Maximum call stack size exceeded"', () => {
    const many = Array.from({ length: 1_000_000 }, (_, k) => ` a${k}="${k}"`).join('');
    for (const body of [`<Job Href="/j"${many}/>`, `<Jobs><Job Href="/j"${many}`]) {
      const started = performance.now();
      const r = em(body);
      assert.ok(r instanceof ProtocolError);
      assert.match(r.message, /over a limit of what this extension reads \(line 1: <Job> has more than 1,000 attributes\)/);
      assert.ok(r.message.includes(EM));
      assert.ok(performance.now() - started < 2000);
    }
  });

  it('reads long text runs to the same document as the parser reads them a character at a time (comments, CDATA, entities, CR LF, ]]>)', () => {
    const run = (n: number, unit: string) => unit.repeat(Math.ceil(n / unit.length));
    const long = run(70_000, ' a &amp; b ]]&gt; c\r\n&#13;&lt;d&gt;\r');
    const bodies = [
      `<?xml version="1.0"?>\r\n<!--${run(70_000, 'c')}-->${run(70_000, ' ')}<Job Href="/j" Name="n">\n  <Description>  ${long}<!-- x -->${long}  </Description>\n  <Note>x&#13;y<![CDATA[<z>]]>${run(70_000, 'w')}<br/>${run(70_000, 'v')}<?pi x?>${long}</Note><Empty>${run(70_000, ' \t\r\n')}</Empty></Job>${run(70_000, ' \n')}`,
      `<A>${long}</A>`,
      `<A><B>${run(70_000, 'x]]>')}</B><C>${run(70_000, '&#93;]&gt;')}</C><D><![CDATA[${run(70_000, 'y')}]]>${run(70_000, 'z')}<![CDATA[q]]></D></A>`,
      `<A>${run(70_000, 'é😀\u2028')}<!---->${run(10, 'x')}<!---->${run(70_000, '&amp;')}</A>`,
    ];
    const parser = new (fastXmlParser().XMLParser)(EM_XML_PARSER_OPTIONS);
    for (const body of bodies) {
      const { bad, longTexts } = scanXml(body, 100);
      assert.equal(bad, undefined);
      assert.ok(longTexts.length > 0);
      assert.deepEqual(parser.parse(withLongTextsAsCdata(body, longTexts)), parser.parse(body), body.slice(0, 80));
    }
    const r = em(bodies[0]);
    assert.ok(!(r instanceof ProtocolError), String(r));
    assert.equal(r.fields[0].value, parser.parse(bodies[0]).Job[0].Description[0]);
  });

  it('refuses attributes and elements named __proto__, constructor, prototype with a ProtocolError, and pollutes nothing', () => {
    for (const body of [
      '<Job __proto__="x" Href="/j"/>',
      '<Job Href="/j"><__proto__><polluted>yes</polluted></__proto__></Job>',
      '<Job Href="/j"><constructor><prototype><polluted>yes</polluted></prototype></constructor></Job>',
      '<Job Href="/j" constructor="1" prototype="2"/>',
      '<Job Href="/j"><Links><Link Rel="Down" Href="/x" __proto__="y"/></Links></Job>',
      '<__proto__ polluted="yes"/>',
    ]) {
      const r = em(body);
      assert.ok(r instanceof ProtocolError, body);
      assertNoPollution();
    }
  });

  it('reads no DOCTYPE, deep or reserved-name XML for an error message', () => {
    assert.equal(readEmErrorMessage('<Error Message="ok"><!DOCTYPE x [<!ENTITY a "EXPANDED">]><FirstChanceExceptionMessage>&a;</FirstChanceExceptionMessage></Error>'), undefined);
    assert.equal(readEmErrorMessage(`<Error>${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</Error>`), undefined);
    assert.equal(readEmErrorMessage('<Error Message="m"><__proto__ polluted="1"/></Error>'), undefined);
    assert.equal(readEmErrorMessage('{"Message":{"__proto__":{"polluted":1}},"FirstChanceExceptionMessage":"first"}'), 'first');
    // Without an XML declaration too (the pattern used to want a `<` before `<Error`).
    assert.equal(readEmErrorMessage('<Error Message="Not found" StatusCode="404"/>'), 'Not found');
  });

  it('server error messages become one safe, capped line (no ESC sequences for a terminal, no bidi controls)', () => {
    const nasty = `Job\u001b[2J\u001b]0;pwned\u0007 failed\r\n\tbadly \u202eemag\u2066 ${'x'.repeat(100_000)}`;
    for (const message of [
      readEmErrorMessage(`<?xml version="1.0"?><Error Message="${nasty.replace(/[\u0000-\u001f]/g, (c) => `&#${c.charCodeAt(0)};`)}" StatusCode="500"/>`),
      readEmErrorMessage(JSON.stringify({ Message: nasty, StatusCode: 500 })),
      readVspcErrorMessage(JSON.stringify({ errors: [{ message: nasty, type: 'logical', code: 1 }] })),
      readVspcErrorMessage(JSON.stringify({ error: 'invalid_grant', error_description: nasty })),
    ]) {
      assert.ok(message, 'a message');
      assert.doesNotMatch(message, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      assert.ok(message.startsWith('Job'), message.slice(0, 40));
      assert.ok(message.length <= MAX_MESSAGE_LENGTH);
      assert.ok(message.endsWith('…'));
    }
    assert.equal(messageText('  Bad\r\n filter  '), 'Bad filter');
    assert.equal(readVspcErrorMessage('{"errors":[{"message":"a"},{"message":"b"}]}'), 'a b');
  });

  it('reads other Object.prototype names (hasOwnProperty, toString, valueOf) as ordinary data', () => {
    const r = em('<Job Href="/j" Name="n" toString="1"><hasOwnProperty>2</hasOwnProperty><valueOf Href="/v"/></Job>');
    assert.ok(!(r instanceof ProtocolError));
    assert.equal(r.name, 'n');
    assertPlainTree(r);
    assert.equal(typeof r.links, 'object');
  });
});

describe('hostile JSON (EM and VSPC)', () => {
  it('keeps __proto__ and constructor keys as data: no pollution, no swapped prototypes (EM)', () => {
    const body = '{"__proto__":{"polluted":"yes","Href":"/p"},"constructor":{"prototype":{"polluted":"yes"}},"Href":"/j","Name":"n",'
      + '"Links":[{"Rel":"Down","Href":"/x","__proto__":{"polluted":1}}],"Refs":[{"__proto__":{"Href":"/y"},"Href":"/z"}]}';
    const r = em(body, 'application/json');
    assert.ok(!(r instanceof ProtocolError));
    assert.equal(r.name, 'n');
    assertPlainTree(r);
    assert.ok(JSON.stringify(r).includes('__proto__'));
  });

  it('keeps __proto__ and constructor keys as data (VSPC envelope, items and meta)', () => {
    const body = '{"__proto__":{"polluted":1},"data":[{"__proto__":{"polluted":1},"name":"a","instanceUid":"u1"},'
      + '{"constructor":{"prototype":{"polluted":1}},"name":"b"}],"meta":{"__proto__":{"pagingInfo":{"total":9}},"pagingInfo":{"total":2,"count":2,"offset":0}},"errors":null}';
    const r = vspc(body, 'organizations/companies');
    assert.ok(!(r instanceof ProtocolError));
    assert.deepEqual(r.children.map((c) => c.name), ['a', 'b']);
    assert.equal(r.paging?.total, 2);
    assertPlainTree(r);
  });

  for (const [what, nest] of [
    ['objects', (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)],
    ['arrays', (n: number) => '['.repeat(n) + '1' + ']'.repeat(n)],
    ['arrays of one object', (n: number) => '[{"a":'.repeat(n) + '1' + '}]'.repeat(n)],
  ] as const) {
    it(`reads 10,000 levels of nested ${what} without a stack overflow (EM fields, Href, Links; VSPC data)`, () => {
      const deep = nest(10_000);
      for (const body of [`{"Href":"/j","Deep":${deep}}`, `{"Href":${deep},"Name":${deep},"Links":${deep}}`, `{"Refs":${deep}}`]) {
        const r = em(body, 'application/json');
        assert.ok(!(r instanceof ProtocolError), body.slice(0, 40));
        assert.ok(JSON.stringify(r).length < 100_000, 'depth-limited');
      }
      for (const body of [`{"data":{"deep":${deep}}}`, `{"data":[${deep}],"meta":{"pagingInfo":${deep}}}`, `{"data":null,"errors":[${deep}]}`]) {
        const r = vspc(body);
        assert.ok(!(r instanceof ProtocolError), body.slice(0, 40));
      }
      assert.equal(readVspcErrorMessage(`{"errors":${deep}}`), undefined);
      assert.equal(readRetryAfter(`{"errors":${deep}}`, '7'), 7);
    });
  }

  it('shows numbers beyond 2^53, long fractions and overflowing exponents as written (EM JSON fields)', () => {
    const r = em('{"Href":"/j","Size":12345678901234567890,"Neg":-9007199254740993,"Frac":0.12345678901234567891,"Huge":1e400,"Tiny":1e-400,"Plain":42,"Safe":9007199254740991}', 'application/json');
    assert.ok(!(r instanceof ProtocolError));
    const value = (name: string) => r.fields.find((f) => f.name === name)?.value;
    assert.equal(value('Size'), '12345678901234567890');
    assert.equal(value('Neg'), '-9007199254740993');
    assert.equal(value('Frac'), '0.12345678901234567891');
    assert.equal(value('Huge'), '1e400');
    assert.equal(value('Tiny'), '1e-400');
    assert.equal(value('Plain'), '42');
    assert.equal(value('Safe'), '9007199254740991');
  });

  it('shows big numbers as written in VSPC fields and names; an unreadable total is no total', () => {
    const item = vspc('{"data":{"size":12345678901234567890,"e":1e400,"nested":{"n":[1,99999999999999999999]}}}');
    assert.ok(!(item instanceof ProtocolError));
    assert.equal(item.fields.find((f) => f.name === 'size')?.value, '12345678901234567890');
    assert.equal(item.fields.find((f) => f.name === 'e')?.value, '1e400');
    assert.equal(item.fields.find((f) => f.name === 'nested')?.children?.[0].value, '1, 99999999999999999999');
    const list = vspc('{"data":[{"name":12345678901234567890}],"meta":{"pagingInfo":{"total":1e400,"count":1,"offset":0}}}', 'organizations/companies');
    assert.ok(!(list instanceof ProtocolError));
    assert.equal(list.children[0].name, '12345678901234567890');
    assert.equal(list.paging?.total, undefined);
    assert.equal(list.paging?.next, undefined);
  });

  it('parseJsonKeepingNumbers: digits inside strings and escaped quotes are left alone; ordinary numbers stay numbers', () => {
    const text = '{"s":"a \\"12345678901234567890\\" b, 1e999","n":12345678901234567890,"k":[1.5,2,-0,1e3]}';
    assert.deepEqual(parseJsonKeepingNumbers(text), { s: 'a "12345678901234567890" b, 1e999', n: '12345678901234567890', k: [1.5, 2, -0, 1000] });
    assert.deepEqual(parseJsonKeepingNumbers('{"__proto__":{"x":12345678901234567890}}'), JSON.parse('{"__proto__":{"x":"12345678901234567890"}}'));
    assert.throws(() => parseJsonKeepingNumbers('{"n":12345678901234567890'), SyntaxError);
    assert.equal(isInexact('9007199254740992'), false);
    assert.equal(isInexact('9007199254740993'), true);
    assert.equal(isInexact('0.1'), false);
    assert.equal(isInexact('1e400'), true);
    assert.equal(isInexact('0e400'), false);
  });

  it('mayBeInexact flags exactly the parsed numbers that send a body down the slower, exact path', () => {
    for (const n of [0, -0, 1, 42, -7, 1.5, 0.1, 9007199254740991, 123.456, 1e15]) assert.equal(mayBeInexact(n), false, String(n));
    for (const n of [9007199254740992, 12345678901234567890, Infinity, -Infinity, 0.12345678901234568, 1e21, 1e-7]) assert.equal(mayBeInexact(n), true, String(n));
  });

  it('keeps ordinary numbers as numbers in the model: paging totals, names', () => {
    const list = vspc('{"data":[{"name":7,"instanceUid":"u"}],"meta":{"pagingInfo":{"total":250,"count":1,"offset":0}}}', 'organizations/companies');
    assert.ok(!(list instanceof ProtocolError));
    assert.equal(list.paging?.total, 250);
    assert.equal(list.children[0].name, '7');
    const entity = em('{"Href":"/j","PagingInfo":{"PageNum":2,"PageSize":100,"PagesCount":12345678901234567890}}', 'application/json');
    assert.ok(!(entity instanceof ProtocolError));
    assert.equal(entity.paging?.page, 2);
    assert.equal(entity.paging?.pageSize, 100);
  });

  it('pretty-prints big numbers and odd exponents verbatim (JSON and raw response)', () => {
    const text = '{"a":12345678901234567890,"b":1e400,"c":-0.1E-999,"d":[9007199254740993]}';
    const pretty = indentJson(text)!;
    for (const token of ['12345678901234567890', '1e400', '-0.1E-999', '9007199254740993']) assert.ok(pretty.includes(token), token);
    const raw: RawResponse = { method: 'GET', url: EM, status: 200, statusText: 'OK', headers: [], body: Buffer.from(text), contentType: 'application/json', durationMs: 1, receivedAt: new Date() };
    assert.ok(prettyBody(raw).text.includes('12345678901234567890'));
  });

  it('does not blow up when pretty-printing deep nesting: indentation is capped, or the body is shown as received', () => {
    for (const text of ['['.repeat(10_000) + ']'.repeat(10_000), '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000), '['.repeat(200_000) + ']'.repeat(200_000)]) {
      const pretty = indentJson(text);
      assert.ok(pretty === undefined || pretty.length <= Math.max(16 * text.length, 1 << 20) + 200, String(pretty?.length));
    }
    const shallow = indentJson('[[[[1]]]]')!;
    assert.equal(shallow, '[\n  [\n    [\n      [\n        1\n      ]\n    ]\n  ]\n]\n');
    const tooDeepForTheIndent = indentJson('['.repeat(40) + '1' + ']'.repeat(40))!;
    assert.ok(tooDeepForTheIndent.split('\n').every((line) => line.length <= 2 * 32 + 1));
  });

  it('pretty-prints hostile XML as received (deep, DOCTYPE, reserved names) instead of throwing', () => {
    assert.equal(indentXml('<a>'.repeat(10_000) + '</a>'.repeat(10_000)), undefined);
    assert.equal(indentXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'), undefined);
    assert.doesNotThrow(() => indentXml('<x __proto__="1"><constructor/></x>'));
    assert.equal(indentXml('<x a="&amp;">&amp;</x>'), '<x a="&amp;">&amp;</x>\n');
  });
});

describe('hostile names in the tree (labels, descriptions, tooltips)', () => {
  const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
  const nasty = 'a\u0000b\u001b[31mc\rd\ne\u2028f\u202etxt.exe\u2066g\u2067h\u2068i\u2069j\u200fk\u0085l\u007fm';

  it('labelText shows control characters as pictures and neutralises bidirectional controls', () => {
    const safe = labelText(nasty);
    assert.doesNotMatch(safe, BIDI);
    assert.doesNotMatch(safe, CONTROL);
    assert.equal(safe, 'a\u2400b\u241b[31mc\u240dd\u240ae\ufffdf\ufffdtxt.exe\ufffdg\ufffdh\ufffdi\ufffdj\ufffdk\ufffdl\u2421m');
    assert.equal(labelText('Nightly Backup (SQL) ✓ 日本 👍'), 'Nightly Backup (SQL) ✓ 日本 👍');
    assert.equal(labelText('\ud800x\udc00'), '\ufffdx\ufffd');
  });

  it('caps long labels and tooltips with an ellipsis, without splitting a surrogate pair, in time linear in the cap', () => {
    const long = 'x'.repeat(100_000);
    assert.equal(labelText(long).length, MAX_LABEL_LENGTH);
    assert.ok(labelText(long).endsWith('…'));
    assert.equal(tooltipText(long).length, MAX_TOOLTIP_LENGTH);
    assert.ok(tooltipText(long).endsWith('…'));
    const emoji = '👍'.repeat(150);
    const capped = labelText(emoji);
    assert.ok(capped.length <= MAX_LABEL_LENGTH);
    assert.doesNotMatch(capped, /[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('tooltipText keeps line breaks, and nothing else invisible', () => {
    const safe = tooltipText(nasty);
    assert.doesNotMatch(safe, BIDI);
    assert.doesNotMatch(safe.replace(/\n/g, ''), CONTROL);
    assert.ok(safe.includes('d\ne'));
    assert.equal(tooltipText('a\r\nb'), 'a\nb');
  });

  it('markdownText escapes Markdown and HTML; markdownCode fences any backticks', () => {
    const md = markdownText('[click](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> **b** `c` &amp;');
    assert.doesNotMatch(md, /(?<!\\)[[\]()<>*`&]/);
    assert.equal(markdownCode('JobReference'), '`JobReference`');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('``x'), '``` ``x ```');
    assert.doesNotMatch(markdownCode(`\u202e${'y'.repeat(1000)}`), BIDI);
    assert.ok(markdownCode('y'.repeat(1000)).length <= MAX_LABEL_LENGTH + 2);
  });

  it('linkLabel and resourceLabel make every server string safe: Name, Type, URL word, uid, href', () => {
    const base = 'https://em.example:9398/api/';
    const labels = [
      linkLabel({ rel: 'Down', href: `${base}x`, name: nasty }),
      linkLabel({ rel: 'Down', href: `${base}x`, type: `${nasty}List` }),
      linkLabel({ rel: 'Down', href: `${base}${encodeURIComponent(nasty)}` }),
      linkLabel({ rel: 'Down', href: 'not a url', type: nasty }),
      linkLabel({ rel: nasty, href: 'not a url' }),
      resourceLabel({ name: nasty, links: [], fields: [], children: [] }),
      resourceLabel({ type: nasty, links: [], fields: [], children: [] }),
      resourceLabel({ element: nasty, links: [], fields: [], children: [] }),
      resourceLabel({ uid: nasty, links: [], fields: [], children: [] }),
      readable(nasty),
    ];
    for (const label of labels) {
      assert.doesNotMatch(label, BIDI, JSON.stringify(label));
      assert.doesNotMatch(label, CONTROL, JSON.stringify(label));
    }
    const long = 'Ab'.repeat(50_000);
    for (const label of [
      linkLabel({ rel: 'Down', href: `${base}x`, name: long }),
      linkLabel({ rel: 'Down', href: `${base}x`, type: `${long}ReferenceList` }),
      linkLabel({ rel: 'Down', href: `${base}${long}` }),
      resourceLabel({ name: long, links: [], fields: [], children: [] }),
      resourceLabel({ type: long, links: [], fields: [], children: [] }),
      resourceLabel({ href: `${base}${long}`, links: [], fields: [], children: [] }),
    ]) assert.ok(label.length <= MAX_LABEL_LENGTH, String(label.length));
  });

  it('names with Object.prototype words are read as words (not `function Object()`)', () => {
    assert.equal(readable('a constructor'), 'A constructor');
    assert.equal(readable('x toString'), 'X to String');
    assert.equal(linkLabel({ rel: 'Down', href: 'https://em.example:9398/api/x', type: 'constructorList' }), 'Constructors');
  });

  it('readableType is linear on a long run of capitals (it used to backtrack quadratically)', () => {
    // 100k capitals took about 15 s with the old expression; now a few milliseconds.
    assert.equal(readableType(`${'A'.repeat(100_000)}b`).length, 100_002);
    assert.equal(readableType('VMRestorePoint'), 'VM Restore Point');
    assert.equal(readableType('ABCDeFGHi'), 'ABC De FG Hi');
  });

  it('lastPathWord does not throw on a malformed percent-escape', () => {
    assert.equal(lastPathWord('https://em.example:9398/api/%E0%A4%A'), '%E0%A4%A');
    assert.doesNotThrow(() => linkLabel({ rel: 'Down', href: 'https://em.example:9398/api/bad%ZZ%' }));
  });

  it('fileNameOf drops bidirectional controls and C1 controls from document names', () => {
    assert.equal(fileNameOf('invoice\u202etxt.exe'), 'invoicetxt.exe');
    assert.equal(fileNameOf('a\u0085b\u2066c'), 'a bc');
    assert.equal(fileNameOf('x'.repeat(100_000)).length, 80);
  });
});

describe('hostile input: every failure is an ApiError', () => {
  it('EM and VSPC bodies that are not documents', () => {
    for (const body of ['\u0000', '<', '{', ']]>', '<!--', '<?xml', '&', '\uFEFF', '"x"', '[]', 'null', '1e400']) {
      for (const fn of [() => parseEmBody(body, undefined, EM), () => parseEmBody(body, 'application/json', EM), () => parseVspcBody(body, VSPC + 'about', VSPC, nav)]) {
        try {
          fn();
        } catch (err) {
          assert.ok(err instanceof ApiError, `${JSON.stringify(body)}: ${(err as Error).constructor.name}`);
        }
      }
    }
  });
});
