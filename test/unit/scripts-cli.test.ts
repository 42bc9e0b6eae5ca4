import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateScript, looksLikeCollection, ScriptTargetError, type ScriptTarget } from '../../src/api';
import { startSimulators, type Simulators } from '../simulator';

/** `veeam-api script` (dist/cli.js, made by `npm run build`) and the generator's own rules. */
const CLI = resolve(__dirname, '../../../dist/cli.js');
let sims: Simulators;
let caFile: string;

before(async () => {
  sims = await startSimulators({ vbrItems: 3, vspcItems: 3, jobs: 3 });
  caFile = join(mkdtempSync(join(tmpdir(), 'veeam-script-cli-')), 'ca.pem');
  writeFileSync(caFile, sims.certificate.pem);
});
after(() => sims?.close());

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

/** What the servers saw: requests and TLS connections. */
const traffic = () => [sims.em, sims.vspc, sims.vbr].map((s) => `${s.requests.length}/${s.connectionsOpened()}`).join(' ');

describe('veeam-api script', () => {
  it('prints the script the extension generates for the URL, and sends nothing', async () => {
    const seen = traffic();
    const cases: Array<{ args: string[]; language: 'python' | 'bash' | 'powershell'; target: ScriptTarget }> = [
      {
        args: ['python', `${sims.vbr.url}v1/jobs`, '--fingerprint', sims.certificate.fingerprint256, '--user', 'vbradmin', '--api-version', '1.2-rev1'],
        language: 'python',
        target: { kind: 'vbr', url: `${sims.vbr.url}v1/jobs`, fingerprint: sims.certificate.fingerprint256, username: 'vbradmin', apiVersion: '1.2-rev1', collection: true },
      },
      {
        args: ['bash', `${sims.em.url}jobs/x/y`, '--accept', 'json', '--ca', caFile, '--single'],
        language: 'bash',
        target: { kind: 'em', url: `${sims.em.url}jobs/x/y`, representation: 'json', caFile, collection: false },
      },
      {
        args: ['powershell', `${sims.vspc.url}about`, '--insecure'],
        language: 'powershell',
        target: { kind: 'vspc', url: `${sims.vspc.url}about`, insecure: true, collection: false },
      },
    ];
    for (const { args, language, target } of cases) {
      const run = await cli(['script', ...args], { VEEAM_PASSWORD: 'never-used' });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, generateScript(language, { representation: 'xml', ...target }).text);
      assert.ok(!run.stdout.includes('never-used'));
    }
    assert.equal(traffic(), seen, 'no request, no connection');
  });

  it('says that --insecure makes a script that does not verify the certificate', async () => {
    const run = await cli(['script', 'bash', `${sims.vbr.url}v1/jobs`, '--insecure']);
    assert.equal(run.code, 0);
    assert.match(run.stderr, /warning: --insecure/);
    assert.match(run.stdout, /TLS=\(--insecure\)/);
  });

  it('refuses what cannot become a script, with exit code 2', async () => {
    const url = `${sims.vbr.url}v1/jobs`;
    for (const [args, says] of [
      [['perl', url], /powershell, python or bash/],
      [['python'], /needs a URL/],
      [['python', 'not a url'], /is not a URL/],
      [['python', url.replace('https:', 'http:')], /https only/],
      [['python', url, '--fingerprint', 'abc'], /64 hex digits/],
      [['python', url, '--fingerprint', 'AB'.repeat(32), '--insecure'], /Choose one of/],
      [['python', url, '--ca', '/no/such/file.pem'], /Cannot read the CA file/],
      [['python', url, '--api-version', 'latest'], /revision such as/],
      [['python', `${sims.em.url}jobs`, '--api-version', '1.2-rev1'], /vbr\) only/],
      [['python', url, '--collection', '--single'], /not both/],
      [['python', url, '--kind', 'xyz'], /--kind must be/],
      [['python', url, 'extra'], /Unexpected argument/],
    ] as const) {
      const run = await cli(['script', ...args]);
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, says);
      assert.equal(run.stdout, '');
    }
  });

  it('is in --help', async () => {
    const run = await cli(['--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /veeam-api script powershell\|python\|bash URL/);
  });
});

describe('generateScript', () => {
  const base: ScriptTarget = { kind: 'vspc', url: 'https://vspc.example:1280/api/v3/organizations/companies' };

  it('names the file after the node and gives the editor language', () => {
    assert.deepEqual(
      (['powershell', 'python', 'bash'] as const).map((l) => {
        const s = generateScript(l, { ...base, name: 'Acme "Corp" / EU' });
        return [s.fileName, s.languageId];
      }),
      [['Acme-Corp-EU.ps1', 'powershell'], ['Acme-Corp-EU.py', 'python'], ['Acme-Corp-EU.sh', 'shellscript']],
    );
    assert.equal(generateScript('bash', base).fileName, 'veeam-vspc-companies.sh');
  });

  it('pages from the first item: the node\u2019s own paging parameters go, its others stay as written', () => {
    const vspc = generateScript('bash', { ...base, url: `${base.url}?filter=%5B%7B%22property%22%3A%22name%22%7D%5D&offset=100&limit=5&sort=x`, collection: true }).text;
    assert.match(vspc, /PAGE_URL='https:\/\/vspc\.example:1280\/api\/v3\/organizations\/companies\?filter=%5B%7B%22property%22%3A%22name%22%7D%5D&sort=x&'/);
    const vbr = generateScript('python', { kind: 'vbr', url: 'https://vbr.example:9419/api/v1/jobs?skip=5&nameFilter=*a*', collection: true }).text;
    assert.match(vbr, /PAGE_URL = "https:\/\/vbr\.example:9419\/api\/v1\/jobs\?nameFilter=\*a\*&"/);
    const em = generateScript('python', { kind: 'em', url: 'https://em.example:9398/api/query?type=Job&page=3&pageSize=10', collection: true }).text;
    assert.match(em, /FIRST_PAGE = "https:\/\/em\.example:9398\/api\/query\?type=Job&pageSize=10"/);
  });

  it('sends the connection\u2019s headers: EM\u2019s representation, VBR\u2019s revision', () => {
    assert.match(generateScript('bash', { kind: 'em', url: 'https://em:9398/api/jobs', representation: 'json' }).text, /HEADERS=\(-H 'Accept: application\/json'\)/);
    assert.match(generateScript('bash', { kind: 'em', url: 'https://em:9398/api/jobs' }).text, /HEADERS=\(-H 'Accept: application\/xml'\)/);
    assert.match(generateScript('bash', { kind: 'vbr', url: 'https://vbr:9419/api/v1/jobs', apiVersion: '1.1-rev0' }).text, /HEADERS=\(-H 'Accept: application\/json' -H 'x-api-version: 1\.1-rev0'\)/);
  });

  it('refuses a target that is not https, not on the connection\u2019s server, or malformed', () => {
    const problem = (t: Partial<ScriptTarget>) => {
      try {
        generateScript('python', { ...base, ...t });
        return 'none';
      } catch (err) {
        assert.ok(err instanceof ScriptTargetError);
        return err.problem;
      }
    };
    assert.equal(problem({ url: 'http://vspc.example:1280/api/v3/about' }), 'not-https');
    assert.equal(problem({ baseUrl: 'https://other.example:1280/api/v3/' }), 'other-origin');
    assert.equal(problem({ url: 'https://user:pw@vspc.example:1280/api/v3/about' }), 'other-origin');
    assert.equal(problem({ fingerprint: 'xyz' }), 'fingerprint');
    assert.equal(problem({ kind: 'vbr', url: 'https://v:9419/api/v1/jobs', apiVersion: "1.0-rev1'\nx" }), 'api-version');
    assert.equal(problem({ url: 'nonsense' }), 'url');
    assert.equal(problem({}), 'none');
  });

  it('tells a collection by its URL when the caller cannot', () => {
    const yes = [
      ['vbr', 'https://v:9419/api/v1/jobs'],
      ['vbr', 'https://v:9419/api/v1/jobs/states'],
      ['vbr', 'https://v:9419/api/v1/backupInfrastructure/repositories'],
      ['vspc', 'https://s:1280/api/v3/organizations/companies?limit=5'],
      ['em', 'https://e:9398/api/jobs'],
      ['em', 'https://e:9398/api/query?type=Job'],
      ['em', 'https://e:9398/api/jobs/5fe44fd0-f120-57a1-a29f-88ec5dd9d357/backupSessions'],
    ] as const;
    const no = [
      ['vbr', 'https://v:9419/api/v1/jobs/5fe44fd0-f120-57a1-a29f-88ec5dd9d357'],
      ['vbr', 'https://v:9419/api/v1/serverInfo'],
      ['vspc', 'https://s:1280/api/v3/about'],
      ['vspc', 'https://s:1280/api/v3/users/me'],
      ['em', 'https://e:9398/api/jobs/5fe44fd0-f120-57a1-a29f-88ec5dd9d357?format=Entity'],
      ['em', 'https://e:9398/api/reports/summary'],
      ['em', 'https://e:9398/api/'],
    ] as const;
    for (const [kind, url] of yes) assert.equal(looksLikeCollection(kind, url), true, url);
    for (const [kind, url] of no) assert.equal(looksLikeCollection(kind, url), false, url);
  });
});
