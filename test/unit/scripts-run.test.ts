import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { generateScript, type ScriptTarget } from '../../src/api';
import { startSimulators, type RequestRecord, type Simulators } from '../simulator';
import type { ChildProcess } from 'node:child_process';
import { requireScriptTools, runScript, type ScriptRun } from './script-runner';
import { waitFor } from './wait-for';

/**
 * The generated Python and Bash scripts, run as files against the simulators of every kind (EM in XML and in JSON,
 * VSPC, VBR): the logon, the request, every page of a collection (a page size of 3, so paging happens), the logoff
 * (also when the request fails), the pinned certificate (the right one accepted, a wrong one refused before any
 * logon), the CA file, and the password from the environment only.
 */
const PAGE_SIZE = '3';
const VBR_JOBS = 7;
const VSPC_COMPANIES = 8;
const EM_JOBS = 5;
const WRONG_FINGERPRINT = 'AB'.repeat(32);
let sims: Simulators;
let caFile: string;

before(async () => {
  await requireScriptTools();
  sims = await startSimulators({ vbrItems: VBR_JOBS, vspcItems: VSPC_COMPANIES, jobs: EM_JOBS });
  caFile = join(mkdtempSync(join(tmpdir(), 'veeam-scripts-ca-')), 'ca.pem');
  writeFileSync(caFile, sims.certificate.pem);
});
after(() => sims?.close());

interface Case {
  title: string;
  kind: ScriptTarget['kind'];
  /** The collection's path under the API root, paged by the script, and how many items it has. */
  collection: () => { url: string; path: string; total: number };
  representation?: 'xml' | 'json';
  user: () => { username: string; password: string };
  /** Every session or token the server issued, and whether it still works. */
  issued: () => Array<{ token: string; alive: boolean }>;
  server: () => { requests: RequestRecord[]; setFault(f: object): void; clearFaults(): void };
  logonPath: RegExp;
}

const CASES: Case[] = [
  {
    title: 'Enterprise Manager, XML',
    kind: 'em',
    collection: () => ({ url: `${sims.em.url}query?type=Job&pageSize=2`, path: '/api/query', total: EM_JOBS }),
    representation: 'xml',
    user: () => sims.em.users.admin,
    issued: () => sims.em.issuedSessions().map((s) => ({ token: s.token, alive: s.live })),
    server: () => sims.em,
    logonPath: /^\/api\/sessionMngr\//,
  },
  {
    title: 'Enterprise Manager, JSON',
    kind: 'em',
    collection: () => ({ url: `${sims.em.url}query?type=Job&format=Entities&pageSize=2`, path: '/api/query', total: EM_JOBS }),
    representation: 'json',
    user: () => sims.em.users.admin,
    issued: () => sims.em.issuedSessions().map((s) => ({ token: s.token, alive: s.live })),
    server: () => sims.em,
    logonPath: /^\/api\/sessionMngr\//,
  },
  {
    title: 'Service Provider Console',
    kind: 'vspc',
    collection: () => ({ url: `${sims.vspc.url}organizations/companies`, path: '/api/v3/organizations/companies', total: VSPC_COMPANIES }),
    user: () => sims.vspc.users.admin,
    issued: () => sims.vspc.issuedTokens().map((t) => ({ token: t.token, alive: t.active })),
    server: () => sims.vspc,
    logonPath: /^\/api\/v3\/(token|authentication)/,
  },
  {
    title: 'Backup & Replication',
    kind: 'vbr',
    collection: () => ({ url: `${sims.vbr.url}v1/jobs`, path: '/api/v1/jobs', total: VBR_JOBS }),
    user: () => sims.vbr.users.admin,
    issued: () => sims.vbr.issuedTokens().map((t) => ({ token: t.token, alive: t.active })),
    server: () => sims.vbr,
    logonPath: /^\/api\/oauth2\/token/,
  },
];

/** Runs the script for the case, one at a time; what the server issued and received during the run comes back too. */
async function run(
  language: 'python' | 'bash',
  c: Case,
  target: Partial<ScriptTarget> = {},
  env: Record<string, string> = {},
  started?: (child: ChildProcess) => void,
) {
  const { url } = c.collection();
  const user = c.user();
  const script = generateScript(language, {
    kind: c.kind,
    url,
    baseUrl: url,
    username: user.username,
    representation: c.representation,
    fingerprint: sims.certificate.fingerprint256,
    collection: true,
    ...target,
  });
  const before = new Set(c.issued().map((s) => s.token));
  const from = c.server().requests.length;
  const result: ScriptRun = await runScript(language, script.text, { VEEAM_PASSWORD: user.password, VEEAM_PAGE_SIZE: PAGE_SIZE, ...env }, started);
  const issued = c.issued().filter((s) => !before.has(s.token));
  return { ...result, script, issued, requests: c.server().requests.slice(from), password: user.password };
}

/** The items the script printed: a JSON array, or EM's <Items> document. */
function itemsPrinted(stdout: string, xml: boolean): unknown[] {
  if (!xml) {
    const value = JSON.parse(stdout) as unknown;
    assert.ok(Array.isArray(value), 'a JSON array');
    return value;
  }
  const doc = new XMLParser({ ignoreAttributes: false, isArray: () => true }).parse(stdout) as { Items: Array<Record<string, unknown[]>> };
  assert.equal(doc.Items.length, 1, 'one <Items> document');
  return Object.entries(doc.Items[0]).filter(([key]) => !key.startsWith('@_') && !key.startsWith('#')).flatMap(([, list]) => list);
}

function noSecret(text: string, password: string, tokens: string[]): void {
  for (const secret of [password, Buffer.from(password).toString('base64'), ...tokens]) assert.ok(!text.includes(secret), 'no password or token');
}

for (const language of ['python', 'bash'] as const) {
  describe(`the generated ${language} script`, { timeout: 300_000 }, () => {
    for (const c of CASES) {
      describe(c.title, () => {
        it('logs on with the password from the environment, reads every page of the collection, prints its items as one list, logs off', async () => {
          const r = await run(language, c);
          assert.equal(r.code, 0, r.stderr);
          const { path, total } = c.collection();
          const items = itemsPrinted(r.stdout, c.representation === 'xml');
          assert.equal(items.length, total, `${total} items, all pages`);
          const pages = r.requests.filter((q) => q.method === 'GET' && q.path.startsWith(path));
          assert.ok(pages.length >= 3, `paged: ${pages.length} GETs of ${path}`);
          assert.equal(r.requests.filter((q) => c.logonPath.test(q.path)).length, 1, 'one logon');
          assert.ok(r.issued.length > 0, 'the run logged on');
          assert.deepEqual(r.issued.filter((s) => s.alive), [], 'logged off: nothing it was issued still works');
          assert.match(r.stderr, new RegExp(`${total} items in \\d+ pages`));
          assert.ok(!r.script.text.includes(r.password), 'the password is not in the script');
          noSecret(r.stdout + r.stderr, r.password, r.issued.map((s) => s.token));
          for (const q of r.requests) if (c.kind === 'vbr') assert.ok(q.headers['x-api-version'], `x-api-version on ${q.method} ${q.path}`);
        });

        it('logs off when the request fails, and exits non-zero with the status', async () => {
          const { path } = c.collection();
          c.server().setFault({ kind: 'status', status: 500, path });
          try {
            const r = await run(language, c);
            assert.notEqual(r.code, 0);
            assert.match(r.stderr, /500/);
            assert.equal(r.stdout, '', 'nothing printed as output');
            assert.ok(r.issued.length > 0, 'the run logged on');
            assert.deepEqual(r.issued.filter((s) => s.alive), [], 'logged off all the same');
          } finally {
            c.server().clearFaults();
          }
        });

        it('refuses a server whose certificate is not the pinned one, before sending anything', async () => {
          const r = await run(language, c, { fingerprint: WRONG_FINGERPRINT });
          assert.notEqual(r.code, 0);
          assert.equal(r.stdout, '');
          assert.deepEqual(r.issued, [], 'no logon');
          assert.deepEqual(r.requests, [], 'no request reached the server');
        });
      });
    }

    it('logs off when interrupted (SIGINT) while the request runs, and exits 130', async () => {
      const c = CASES[3];
      const { path } = c.collection();
      c.server().setFault({ kind: 'slow', delayMs: 1500, path });
      try {
        const from = c.server().requests.length;
        const r = await run(language, c, {}, {}, (child) => {
          void waitFor(() => c.server().requests.slice(from).some((q) => q.path.startsWith(path)), 'the request was sent', 30_000).then(() => child.kill('SIGINT'));
        });
        assert.equal(r.code, 130, r.stderr);
        assert.equal(r.stdout, '');
        assert.ok(r.issued.length > 0, 'the run logged on');
        assert.deepEqual(r.issued.filter((s) => s.alive), [], 'logged off all the same');
      } finally {
        c.server().clearFaults();
      }
    });

    it('falls back to VSPC\u2019s older /authentication/usernamepassword when /token is not there', async () => {
      const c = CASES[2];
      c.server().setFault({ kind: 'status', status: 404, path: '/api/v3/token', times: 1 });
      try {
        const r = await run(language, c);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(itemsPrinted(r.stdout, false).length, VSPC_COMPANIES);
        assert.ok(r.requests.some((q) => q.method === 'POST' && q.path === '/api/v3/authentication/usernamepassword'));
        assert.deepEqual(r.issued.filter((s) => s.alive), [], 'logged off');
      } finally {
        c.server().clearFaults();
      }
    });

    it('reads an EM reference list (one page, no PagingInfo) as its items, in XML and in JSON', async () => {
      for (const c of CASES.slice(0, 2)) {
        const r = await run(language, c, { url: `${sims.em.url}jobs` });
        assert.equal(r.code, 0, r.stderr);
        assert.equal(itemsPrinted(r.stdout, c.representation === 'xml').length, EM_JOBS);
      }
    });

    it('trusts a CA file when the connection does (and checks the host name as usual)', async () => {
      const r = await run(language, CASES[3], { fingerprint: undefined, caFile });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(itemsPrinted(r.stdout, false).length, VBR_JOBS);
    });

    it('verifies the certificate against the system CAs when the connection has no trust of its own: the simulator is refused', async () => {
      const r = await run(language, CASES[3], { fingerprint: undefined });
      assert.notEqual(r.code, 0);
      assert.deepEqual(r.issued, [], 'no logon');
      assert.deepEqual(r.requests, []);
    });

    it('accepts any certificate only when insecure was chosen, and says so in a comment', async () => {
      const r = await run(language, CASES[3], { fingerprint: undefined, insecure: true });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.script.text, /INSECURE[^\n]*the server's certificate is NOT verified/);
      assert.doesNotMatch(r.stderr, /InsecureRequestWarning/);
    });

    it('reads one resource and prints it as received when the node is not a collection', async () => {
      const r = await run(language, CASES[0], { url: `${sims.em.url}jobs`, collection: false });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^<\?xml[^>]*>\s*<EntityReferences/);
      assert.deepEqual(r.issued.filter((s) => s.alive), []);
    });

    it('asks for nothing and logs on as nobody when the password is missing and stdin is not a terminal', async () => {
      const c = CASES[3];
      const script = generateScript(language, { kind: 'vbr', url: c.collection().url, username: c.user().username, fingerprint: sims.certificate.fingerprint256 });
      const from = sims.vbr.requests.length;
      const r = await runScript(language, script.text, {});
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /VEEAM_PASSWORD/);
      assert.deepEqual(sims.vbr.requests.slice(from), []);
    });

    it('takes the user from VEEAM_USERNAME over the connection\u2019s, and refuses a wrong password with the server\u2019s status', async () => {
      const c = CASES[2];
      const r = await run(language, c, { username: 'someone-else' }, { VEEAM_USERNAME: c.user().username });
      assert.equal(r.code, 0, r.stderr);
      const wrong = await run(language, c, {}, { VEEAM_PASSWORD: 'not-the-password' });
      assert.notEqual(wrong.code, 0);
      assert.match(wrong.stderr, /refused the logon of \S*vspcadmin/);
      assert.doesNotMatch(wrong.stderr, /not-the-password/);
    });
  });
}
