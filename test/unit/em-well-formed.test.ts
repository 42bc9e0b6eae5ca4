import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkWellFormed } from '../../src/api/em/well-formed';

const ok = (text: string) => assert.equal(checkWellFormed(text, 100), undefined, text);
const bad = (text: string, reason: RegExp, line = 1) => {
  const result = checkWellFormed(text, 100);
  assert.ok(result, `accepted: ${text}`);
  assert.match(result.reason, reason);
  assert.equal(result.line, line);
};

describe('the EM XML well-formedness check', () => {
  it('accepts what Enterprise Manager sends, with declarations, comments, CDATA, namespaces and > in attributes', () => {
    ok('<?xml version="1.0" encoding="utf-8"?>\n<EntityReferences xmlns="http://www.veeam.com/ent/v1.0"><Ref Href="https://h/api/jobs/1" Name="a &gt; b"/></EntityReferences>');
    ok('<LogonSession xmlns:xsd="x"><Links><Link Rel="Down" Href="https://h/api/jobs?x=1&amp;y=2" Name="1 > 0"/></Links></LogonSession>');
    ok("<!-- before --><A x='1'><![CDATA[<not a tag>]]><?pi data?><!-- inside --><b:C/>text > more</A>\n");
    ok('<A/>');
    ok('<A   x = "1"\n y="2" ></A >');
  });

  it('refuses a truncated, cut or garbled body, saying where', () => {
    bad('<A><B Href="h" Na', /cut or malformed/);
    bad('<A><B>hello</B><B>wor', /ends inside <B> \(truncated\)/);
    bad('<A>\n<B/>', /ends inside <A>/, 2);
    bad('<A><B></C></A>', /<\/C> closes <B>/);
    bad('<A/><B/>', /second root/);
    bad('<A x="1 y="2"/>', /cut or malformed/);
    bad('<A x=1/>', /cut or malformed/);
    bad('<A x="<"/>', /cut or malformed/);
    bad('<A>a < b</A>', /cut or malformed|not escaped/);
    bad('<A><!-- never closed </A>', /not closed/);
    bad('junk<A/>', /text outside the root/);
    bad('<A/>junk', /text after the root/);
    bad('', /no root/);
    bad('</A>', /closes nothing/);
    bad('<A><!ENTITY x "y"></A>', /declaration/);
  });

  it('says when elements nest too deep, without recursing', () => {
    const deep = '<a>'.repeat(10_000) + '</a>'.repeat(10_000);
    const result = checkWellFormed(deep, 100);
    assert.ok(result?.tooDeep);
    assert.equal(checkWellFormed('<a>'.repeat(100) + '</a>'.repeat(100), 100), undefined);
  });
});
