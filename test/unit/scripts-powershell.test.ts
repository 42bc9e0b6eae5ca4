import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { generateScript, type ScriptTarget } from '../../src/api';

/**
 * PowerShell cannot run on this machine (no pwsh), so the generated PowerShell is checked as text: the conventions
 * (#Requires, param(), StrictMode, Stop, approved verbs), every variable assigned before it is used, the logoff in a
 * finally, the exact paths and headers of each kind's logon, request, paging and logoff, and each certificate trust.
 */
const FINGERPRINT = 'AB:CD:'.repeat(15) + 'AB:CD';
const TARGETS: Array<{ title: string; target: ScriptTarget }> = [
  { title: 'EM XML query', target: { kind: 'em', url: 'https://em.example:9398/api/query?type=Job&page=2', collection: true, fingerprint: FINGERPRINT } },
  { title: 'EM JSON query', target: { kind: 'em', url: 'https://em.example:9398/api/query?type=Job', representation: 'json', collection: true, caFile: '/etc/ca.pem' } },
  { title: 'EM XML resource', target: { kind: 'em', url: 'https://em.example:9398/api/jobs/1', username: 'DOMAIN\\admin' } },
  { title: 'EM JSON resource', target: { kind: 'em', url: 'https://em.example:9398/api/jobs/1', representation: 'json', insecure: true } },
  { title: 'VSPC collection', target: { kind: 'vspc', url: 'https://vspc.example:1280/api/v3/organizations/companies?limit=5&offset=10', collection: true, username: 'me' } },
  { title: 'VSPC resource', target: { kind: 'vspc', url: 'https://vspc.example:1280/api/v3/about', fingerprint: FINGERPRINT } },
  { title: 'VBR collection', target: { kind: 'vbr', url: 'https://vbr.example:9419/api/v1/jobs?skip=200', collection: true, apiVersion: '1.2-rev1' } },
  { title: 'VBR resource', target: { kind: 'vbr', url: 'https://vbr.example:9419/api/v1/serverInfo', insecure: true } },
];

/** The standard verbs used by this generator, each on `Get-Verb`'s list of approved verbs. */
const APPROVED = new Set(['Assert', 'Connect', 'Disconnect', 'Find', 'Get', 'Invoke', 'New', 'Test']);
const AUTOMATIC = new Set(['_', 'true', 'false', 'null', 'PSItem', 'args', 'ErrorActionPreference']);

/** The code with comments, single-quoted strings and here-strings blanked out (same length, so positions hold). */
function codeOnly(text: string): string {
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  return text
    .replace(/@'\n[\s\S]*?\n'@/g, blank)
    .replace(/<#[\s\S]*?#>/g, blank)
    .replace(/'(?:[^']|'')*'|#[^\n]*/g, (m) => (m.startsWith("'") ? `'${blank(m.slice(1, -1))}'` : blank(m)));
}

/** Each function's body (start, end) and parameters; what is outside them is the script's top level. */
function functionsOf(code: string): Array<{ name: string; start: number; end: number; params: Set<string> }> {
  const found = [];
  for (const m of code.matchAll(/function ([\w-]+) \{/g)) {
    let depth = 0;
    let end = m.index! + m[0].length - 1;
    for (; end < code.length; end++) {
      if (code[end] === '{') depth++;
      else if (code[end] === '}' && --depth === 0) break;
    }
    const body = code.slice(m.index!, end);
    const param = /param\(([\s\S]*?)\)\s*\n/.exec(body)?.[1] ?? '';
    found.push({ name: m[1], start: m.index!, end, params: new Set([...param.matchAll(/\$(\w+)/g)].map((p) => p[1])) });
  }
  return found;
}

/** Variables used before anything assigned them, as `name@line`. */
function unassignedVariables(text: string): string[] {
  const code = codeOnly(text);
  const functions = functionsOf(code);
  const inFunction = (at: number) => functions.find((f) => at > f.start && at < f.end);
  const scriptParams = new Set([...(/^param\(([\s\S]*?)\n\)/m.exec(code)?.[1] ?? '').matchAll(/\$(\w+)/g)].map((p) => p[1]));
  const assignments = [...code.matchAll(/\$(?:script:)?(\w+)\s*=(?!=)|foreach \(\$(\w+) in/g)].map((m) => ({ name: m[1] ?? m[2], at: m.index! }));
  const scriptLevel = new Set([...scriptParams, ...assignments.filter((a) => !inFunction(a.at) || /\$script:/.test(code.slice(a.at, a.at + 8))).map((a) => a.name)]);
  const problems: string[] = [];
  const scriptParamEnd = /^param\([\s\S]*?\n\)/m.exec(code);
  for (const m of code.matchAll(/\$(script:|env:)?(\w+)/g)) {
    const [, scope, name] = m;
    const at = m.index!;
    if (scope === 'env:' || AUTOMATIC.has(name)) continue;
    if (scriptParamEnd && at < scriptParamEnd.index! + scriptParamEnd[0].length) continue;
    const fn = inFunction(at);
    const assignedBefore = (within: (a: { at: number }) => boolean) => assignments.some((a) => a.name === name && a.at <= at && within(a));
    const ok = fn
      ? fn.params.has(name) || assignedBefore((a) => a.at > fn.start) || scriptLevel.has(name)
      : scope === 'script:'
        ? scriptLevel.has(name) && assignedBefore(() => true)
        : assignedBefore((a) => !inFunction(a.at)) || scriptParams.has(name);
    if (!ok) problems.push(`${name}@${code.slice(0, at).split('\n').length}`);
  }
  return problems;
}

for (const { title, target } of TARGETS) {
  describe(`the generated PowerShell script: ${title}`, () => {
    const text = generateScript('powershell', target).text;
    const code = codeOnly(text);

    it('follows the conventions: #Requires 7.2, comment help, param() first, StrictMode, Stop, approved verbs, ASCII', () => {
      assert.match(text, /^#Requires -Version 7\.2\n/, 'PowerShell 7.2 (.NET 6): CustomRootTrust, ImportFromPemFile');
      assert.match(text, /<#\n\.SYNOPSIS\n[\s\S]*?#>\n\[CmdletBinding\(\)\]\nparam\(/);
      assert.match(text, /\n\)\n\nSet-StrictMode -Version Latest\n\$ErrorActionPreference = 'Stop'\n/);
      for (const [, verb] of code.matchAll(/function (\w+)-Veeam\w*|function (\w+)-SameOrigin/g)) if (verb) assert.ok(APPROVED.has(verb), verb);
      assert.deepEqual([...code.matchAll(/function (\w+)-/g)].map((m) => m[1]).filter((v) => !APPROVED.has(v)), []);
      assert.match(text, /^[\x09\x0a\x20-\x7e]*$/, 'printable ASCII only');
      assert.doesNotMatch(text, /SkipCertificateCheck|Invoke-Expression|iex /);
      // PowerShell unrolls an array a function returns: Get-VeeamProperty returns an array whole (unary comma) and a
      // scalar as it is (a comma would make it an array of one), and its result is assigned before @(…) reads it.
      assert.match(text, /if \(\$property\.Value -is \[array\]\) \{ return , \$property\.Value \}\n {4}return \$property\.Value\n/);
      assert.doesNotMatch(code, /@\(Get-VeeamProperty/);
    });

    it('assigns every variable before it is used (functions: their parameters, their own assignments, script variables)', () => {
      assert.deepEqual(unassignedVariables(text), []);
    });

    it('uses every variable it assigns', () => {
      const assigned = new Set([...code.matchAll(/\$(?:script:)?(\w+)\s*=(?!=)/g)].map((m) => m[1].toLowerCase()));
      const uses = (name: string) => [...code.matchAll(/\$(?:script:)?(\w+)/g)].filter((m) => m[1].toLowerCase() === name).length;
      assert.deepEqual([...assigned].filter((name) => uses(name) < 2 && name !== 'erroractionpreference'), []);
    });

    it('has balanced braces and parentheses outside strings and comments', () => {
      for (const [open, close] of [['{', '}'], ['(', ')'], ['[', ']']]) {
        assert.equal(code.split(open).length, code.split(close).length, `${open}${close}`);
      }
    });

    it('logs off in a finally, after the logon and around the request', () => {
      assert.match(
        text,
        /\$session = Connect-VeeamServer -Logon \$logonCredential\n {4}try \{\n {8}Get-VeeamResource -Session \$session\n {4}\}\n {4}finally \{\n {8}Disconnect-VeeamServer -Session \$session\n {4}\}/,
      );
      assert.match(text, /function Disconnect-VeeamServer \{[\s\S]*?catch \{ Write-Warning/, 'a failed logoff is a warning, not a new error');
    });

    it('sends no request elsewhere and follows no redirect', () => {
      assert.match(text, /\$handler\.AllowAutoRedirect = \$false/);
      assert.match(text, /if \(-not \(Test-SameOrigin -Uri \$Uri\)\) \{ throw/);
    });

    it('trusts the certificate as the connection does', () => {
      if (target.fingerprint) {
        assert.match(text, new RegExp(`\\$Fingerprint = '${'ABCD'.repeat(16)}'`));
        assert.match(text, /ServerCertificateCustomValidationCallback = \[VeeamScriptTrust\]::PinnedSha256\(\$Fingerprint\)/);
        assert.match(text, /GetCertHashString\(HashAlgorithmName\.SHA256\)/);
      } else if (target.caFile) {
        assert.match(text, /\$CaFile = '\/etc\/ca\.pem'/);
        assert.match(text, /ServerCertificateCustomValidationCallback = \[VeeamScriptTrust\]::CustomRoot\(\$CaFile\)/);
      } else if (target.insecure) {
        assert.match(text, /# INSECURE[^\n]*NOT verified/);
        assert.match(text, /DangerousAcceptAnyServerCertificateValidator/);
      } else {
        assert.doesNotMatch(text, /ServerCertificateCustomValidationCallback|VeeamScriptTrust/);
      }
    });

    it('has the kind\u2019s exact logon, headers, paths and logoff', () => {
      if (target.kind === 'em') {
        assert.match(text, /\$DefaultHeaders = @\{ 'Accept' = 'application\/(xml|json)' \}/);
        assert.equal(text.includes(`'application/${target.representation ?? 'xml'}'`), true);
        assert.match(text, /Invoke-VeeamRequest -Method 'GET' -Uri \$BaseUrl\n/);
        assert.match(text, /\$Origin \+ '\/api\/sessionMngr\/\?v=latest'/);
        assert.match(text, /-Method 'POST' -Uri \$create -Headers @\{ 'Authorization' = 'Basic ' \+ \$basic \}/);
        assert.match(text, /\$answer\.Headers\['X-RestSvcSessionId'\]/);
        assert.match(text, /Headers = @\{ 'X-RestSvcSessionId' = \$token \}/);
        assert.match(text, /-Method 'DELETE' -Uri \$Session\.DeleteUrl -Headers \$Session\.Headers/);
      } else if (target.kind === 'vspc') {
        assert.match(text, /\$DefaultHeaders = @\{ 'Accept' = 'application\/json' \}/);
        assert.match(text, /-Method 'POST' -Uri \(\$BaseUrl \+ 'token'\)/);
        assert.match(text, /\$form\['grant_type'\] = 'password'/);
        assert.match(text, /\(\$BaseUrl \+ 'authentication\/usernamepassword'\)/);
        assert.match(text, /'Authorization' = 'Bearer ' \+ \$access/);
        assert.match(text, /-Method 'GET' -Uri \(\$BaseUrl \+ 'users\/me'\)/);
        assert.match(text, /-Uri \(\$userUrl \+ '\/logins'\)/);
        assert.match(text, /-Method 'DELETE' -Uri \('\{0\}\/tokens\?userLoginId=\{1\}' -f \$userUrl, \$loginId\)/);
      } else {
        assert.match(text, new RegExp(`\\$DefaultHeaders = @\\{ 'Accept' = 'application/json'; 'x-api-version' = '${target.apiVersion ?? '1\\.3-rev1'}' \\}`));
        assert.match(text, /-Method 'POST' -Uri \(\$BaseUrl \+ 'oauth2\/token'\)/);
        assert.match(text, /-Method 'POST' -Uri \(\$BaseUrl \+ 'oauth2\/logout'\) -Headers \$Session\.Headers/);
      }
      const url = new URL(target.url);
      if (!target.collection) {
        assert.ok(text.includes(`$Url = '${url.href}'`));
        assert.match(text, /-Method 'GET' -Uri \$Url -Headers \$Session\.Headers/);
      } else if (target.kind === 'em') {
        assert.ok(text.includes(`$FirstPage = '${url.origin}${url.pathname}?type=Job'`), 'the first page: no page parameter');
        assert.match(text, target.representation === 'json' ? /Get-VeeamLinks -Answer \$answer -Where 'PagingInfo'/ : /\$EmNextLink = '\(\/\*\/\*\[local-name\(\)="PagingInfo"\]/);
      } else {
        const offset = target.kind === 'vspc' ? 'offset' : 'skip';
        assert.ok(text.includes(`$PageUrl = '${url.origin}${url.pathname}?'`), 'the page URL: no offset, skip or limit of its own');
        assert.ok(text.includes(`'{0}${offset}={1}&limit={2}' -f $PageUrl, $count, $PageSize`));
        assert.match(text, /\[int\] \$PageSize = 500/);
        assert.match(text, target.kind === 'vspc' ? /-Name 'meta'\) -Name 'pagingInfo'\) -Name 'total'/ : /-Name 'pagination'\) -Name 'total'/);
      }
    });

    it('writes no password and reads it at run time', () => {
      assert.match(text, /\$env:VEEAM_PASSWORD/);
      assert.match(text, /Get-Credential @ask/);
      assert.match(text, /\[System\.Management\.Automation\.Credential\(\)\]/);
    });
  });
}

describe('the PowerShell checks themselves', () => {
  it('find a variable used before it is assigned, in a function and at the top level', () => {
    const good = generateScript('powershell', TARGETS[0].target).text;
    const names = (text: string) => [...new Set(unassignedVariables(text).map((p) => p.split('@')[0]))];
    assert.deepEqual(names(good.replace('$count = 0\n', '')), ['count']);
    assert.deepEqual(names(good.replace('$script:Http = New-VeeamHttpClient\n', '')), ['Http']);
    assert.deepEqual(unassignedVariables(good.replace("$Origin = 'https://em.example:9398'\n", '')).length > 0, true);
  });
});
