import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { checkWellFormed } from '../../src/api/kinds/em/well-formed';

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

describe('the EM XML well-formedness check on pathological input (security review)', () => {
  /** Each ends in a result, quickly: never a RangeError from a regular expression's backtracking stack. */
  const quick = (text: string, reason: RegExp, flag?: 'tooLarge') => {
    const started = performance.now();
    const result = checkWellFormed(text, 100);
    const ms = performance.now() - started;
    assert.ok(result, `accepted: ${text.slice(0, 60)}…`);
    assert.match(result.reason, reason);
    if (flag) assert.equal(result[flag], true);
    assert.ok(ms < 2000, `${Math.round(ms)} ms for ${text.slice(0, 60)}…`);
    return result;
  };
  const attributes = (n: number, value = '1') => {
    const parts: string[] = [];
    for (let k = 0; k < n; k++) parts.push(` a${k}="${value}"`);
    return parts.join('');
  };

  it('names an element with 10^6 attributes as over the limit of 1,000 (it was "Maximum call stack size exceeded")', () => {
    quick(`<Job${attributes(1_000_000)}/>`, /<Job> has more than 1,000 attributes/, 'tooLarge');
    quick(`<A><B${attributes(1_000_000)}></B></A>`, /<B> has more than 1,000 attributes/, 'tooLarge');
    // Cut short: still the count that is named, before the end is reached.
    quick(`<Job${attributes(1_000_000)}`, /more than 1,000 attributes/, 'tooLarge');
  });

  it('accepts up to 1,000 attributes, and any number of ordinary tags, as before', () => {
    assert.equal(checkWellFormed(`<Job${attributes(1000)}/>`, 100), undefined);
    assert.equal(checkWellFormed(`<A${attributes(17)} ><B${attributes(16)}/></A>`, 100), undefined);
    assert.equal(checkWellFormed(`<A>${'<B x="1" y=\'2\'/>'.repeat(100_000)}</A>`, 100), undefined);
  });

  it('ends quickly on 10^6 repeats of cut or nested-looking markup', () => {
    const n = 1_000_000;
    quick('<a b="'.repeat(n), /cut or malformed/);
    quick(`<A>${'<a b="1" '.repeat(n)}</A>`, /cut or malformed/);
    quick(`<A><B ${'b="1" '.repeat(n)}`, /more than 1,000 attributes/, 'tooLarge');
    quick(`<A>${'<a '.repeat(n)}`, /cut or malformed/);
    quick(`<A><B${' '.repeat(n)}x`, /the tag <B> is more than 65,536 characters long without its values/, 'tooLarge');
    quick(`<A><B${' '.repeat(60_000)}x`, /cut or malformed/);
    quick(`<A><B${' x'.repeat(n)}/></A>`, /cut or malformed/);
    quick(`<A><B x${'='.repeat(n)}"1"/></A>`, /cut or malformed/);
    quick('<a>'.repeat(n), /nest more than 100 levels/, undefined);
    quick(`<A>${'<!--'.repeat(n)}`, /not closed/);
    quick(`<A>${'<![CDATA['.repeat(n)}`, /not closed/);
    quick(`<A>${'<?'.repeat(n)}`, /not closed/);
    quick(`<A>${'</'.repeat(n)}`, /closing tag is cut or malformed/);
    quick(`<A>${'<B></C>'.repeat(n)}</A>`, /<\/C> closes <B>/);
  });

  it('names values and tags over the limits: text, CDATA, comment, attribute, markup', () => {
    const limits = { value: 1000, markup: 200, attributes: 20 };
    const over = (text: string, reason: RegExp) => {
      const result = checkWellFormed(text, 100, limits);
      assert.equal(result?.tooLarge, true, `${text.slice(0, 60)}: ${JSON.stringify(result)}`);
      assert.match(result.reason, reason);
    };
    over(`<A><B>${'x'.repeat(1001)}</B></A>`, /the text of <B> is more than 1,000 characters/);
    over(`<A><B>${'x'.repeat(600)}<![CDATA[${'y'.repeat(600)}]]></B></A>`, /the text of <B>/);
    over(`<A><B>${'x'.repeat(600)}<!-- -->${'y'.repeat(600)}</B></A>`, /the text of <B>/);
    over(`<A>${'x'.repeat(600)}<B/>${'y'.repeat(600)}</A>`, /the text of <A>/);
    over(`<A><!--${'x'.repeat(1001)}--></A>`, /a comment of 1,001 characters/);
    over(`<A><B C="${'x'.repeat(1001)}"/></A>`, /the attribute C of <B> is 1,001 characters long/);
    over(`<A><B${'\t'.repeat(300)}/></A>`, /the tag <B> is more than 200 characters long without its values/);
    over(`<A><B${' x="1"'.repeat(19)}${' '.repeat(150)}/></A>`, /the tag <B> is more than 200 characters long/);
    over(`<?xml ${'x'.repeat(300)}?><A/>`, /a processing instruction of 304 characters/);
    over(`<A ${'x="1" '.repeat(21)}/>`, /<A> has more than 20 attributes/);
    // White space between elements is not a value: a thousand indented children are fine.
    assert.equal(checkWellFormed(`<A>${'\n    <B/>'.repeat(1000)}\n</A>`, 100, limits), undefined);
    assert.equal(checkWellFormed(`<A><B>${'x'.repeat(1000)}</B><B C="${'x'.repeat(1000)}"/></A>`, 100, limits), undefined);
  });

  it('refuses CDATA outside the root element', () => {
    bad('<![CDATA[x]]><A/>', /text outside the root/);
  });
});
