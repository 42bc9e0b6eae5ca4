import { strict as assert } from 'node:assert';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSimulators, Simulators } from '../simulator';
import { createLoopbackCertificate, type SimulatorCertificate } from '../simulator/tls';
import { emList, startHostileEm, type HostileEm } from './hostile-em-server';

/** The command line (dist/cli.js, as a process) against hostile servers: what it prints, when it stops, where it sends the password. */
const CLI = resolve(__dirname, '../../../dist/cli.js');
const USER = 'hostile\\user';
const PASSWORD = 'Cli-Hostile-Secret-7';
let sims: Simulators;
let caFile: string;
/** The hostile servers' own certificate, and a CA file that trusts it. */
let hostileCert: SimulatorCertificate;
let hostileCa: string;

interface Run { code: number; stdout: string; stderr: string; ms: number }

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', VEEAM_USERNAME: USER, VEEAM_PASSWORD: PASSWORD, ...extra };
}

function cli(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  const started = Date.now();
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: env(extra), timeout: 60_000, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Every character a terminal would act on, but the newline that ends a line. */
const TERMINAL_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function assertTerminalSafe(run: Run): void {
  for (const [name, text] of [['stdout', run.stdout], ['stderr', run.stderr]] as const) {
    const bad = TERMINAL_CONTROL.exec(text);
    assert.equal(bad, null, `${name} holds U+${bad?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad?.index}: ${JSON.stringify(text.slice(Math.max(0, (bad?.index ?? 0) - 40), (bad?.index ?? 0) + 40))}`);
  }
}

const ESCAPES = ['\u001b]0;pwned\u0007', '\u001b[2J', '\u001b]52;c;cm0gLXJmIH4K\u0007', '\u009b31m', '\u202eevil', '\r\u000bspoof'];

before(async () => {
  sims = await startSimulators();
  caFile = join(mkdtempSync(join(tmpdir(), 'veeam-cli-hostile-')), 'ca.pem');
  writeFileSync(caFile, sims.certificate.pem);
  hostileCert = await createLoopbackCertificate();
  hostileCa = join(mkdtempSync(join(tmpdir(), 'veeam-cli-hostile-')), 'ca.pem');
  writeFileSync(hostileCa, hostileCert.pem);
});
after(() => sims.close());

async function withServer<T>(server: HostileEm, work: (server: HostileEm) => Promise<T>): Promise<T> {
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

describe('the command line prints nothing that acts on a terminal', () => {
  it('walk: hrefs with escape sequences that are not URLs are skipped and said once; every printed line is clean', async () => {
    const server = await startHostileEm(hostileCert, (path) => {
      if (path === '/api/jobs') {
        const refs = [...ESCAPES.map((e) => `https://[bad${e}`), ...ESCAPES.map((e) => `${e}relative`), '/api/jobs/1', `https://127.0.0.1:1/x${ESCAPES[0]}`];
        return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ Refs: refs.map((Href, i) => ({ Type: 'JobReference', Name: `n${i}${ESCAPES[i % ESCAPES.length]}`, Href, Links: [] })) }) };
      }
      if (path === '/api/jobs/1') return { status: 500, body: `<Error xmlns="http://www.veeam.com/ent/v1.0" Message="boom ${ESCAPES.join(' ')}" StatusCode="500"/>` };
      return { status: 404, body: '' };
    });
    await withServer(server, async () => {
      const run = await cli(['walk', `${server.origin}/api/jobs`, '--ca', hostileCa, '--accept', 'json', '--depth', '1']);
      assertTerminalSafe(run);
      assert.equal(run.code, 6, run.stderr);
      assert.match(run.stderr, /boom/, 'the server\u2019s message is shown, cleaned');
      const skipped = run.stderr.split('\n').filter((l) => /skipped \d+ links? whose hrefs? (is|are) not an absolute/.test(l));
      assert.equal(skipped.length, 1, run.stderr);
      // Every href with a control character, and every one that does not parse; "\u202eevilrelative" is an ordinary
      // relative path (a bidi control is no control character to a URL), resolved, percent-encoded and fetched.
      assert.match(skipped[0], new RegExp(`skipped ${ESCAPES.length * 2} links`));
      assert.ok(!server.requests.some((r) => /bad|%1B|%07|%0B|%0D|%C2%9B/i.test(r.path)), `an href with control characters was requested: ${server.requests.map((r) => r.path).join(' ')}`);
      assert.equal(server.logoffs, server.logons);
    });
  });

  it('get: a body with raw control characters is printed without them (the rest byte for byte)', async () => {
    const body = `{"Refs":[],"Note":"a\u001b]0;title\u0007b\u001b[2Jc"}`;
    const server = await startHostileEm(hostileCert, () => ({ headers: { 'Content-Type': 'application/json' }, body }));
    await withServer(server, async () => {
      const run = await cli(['get', `${server.origin}/api/jobs`, '--ca', hostileCa, '--accept', 'json']);
      assertTerminalSafe(run);
      assert.equal(run.stdout, body.replace(/[\u0000-\u001f]/g, '\ufffd'));
    });
  });
});

describe('the command line never sends credentials in clear without being told', () => {
  it('refuses an http:// URL (exit 2) naming --allow-http, and contacts nobody', async () => {
    const listener = await countingListener();
    try {
      const run = await cli(['get', `http://127.0.0.1:${listener.port}/api/jobs`]);
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /in clear/);
      assert.match(run.stderr, /--allow-http/);
      assert.equal(listener.connections(), 0);
    } finally {
      await listener.close();
    }
  });

  it('with --allow-http it warns every time, then goes ahead', async () => {
    const listener = await countingListener();
    try {
      const run = await cli(['get', `http://127.0.0.1:${listener.port}/api/jobs`, '--allow-http', '--timeout', '2']);
      assert.match(run.stderr, /^warning: --allow-http: the password and the session tokens cross the network in clear/m);
      assert.ok(listener.connections() >= 1, 'it went ahead');
    } finally {
      await listener.close();
    }
  });

  it('keeps the port written in the URL: https://HOST:443/ and https://HOST/ never reach the API\u2019s default port', async () => {
    const emDefault = await countingListener(9398);
    try {
      for (const url of ['https://127.0.0.1:443/api/jobs', 'https://127.0.0.1/api/jobs']) {
        const run = await cli(['get', url, '--ca', caFile, '--timeout', '3']);
        assert.equal(run.code, 5, `${url}: ${run.stderr}`);
        assert.doesNotMatch(run.stderr, /127\.0\.0\.1:9398/);
      }
      assert.equal(emDefault.connections(), 0, 'the password went to port 9398');
    } finally {
      await emDefault.close();
    }
  });
});

describe('the command line ends', () => {
  it('stops paging a list whose Next link never ends, at --max-pages, and says so', async () => {
    const server = await startHostileEm(hostileCert, (path, req) => {
      const page = Number(new URL(path, 'https://x').searchParams.get('page') ?? '1');
      const origin = `https://${req.headers.host}`;
      return { body: emList(origin, [], `${origin}/api/query?type=Job&page=${page + 1}`) };
    });
    await withServer(server, async () => {
      const run = await cli(['walk', `${server.origin}/api/query?type=Job&page=1`, '--ca', hostileCa, '--depth', '0', '--max-pages', '25']);
      assert.equal(run.code, 0, run.stderr);
      const pages = server.requests.filter((r) => r.path.startsWith('/api/query'));
      assert.equal(pages.length, 25);
      assert.match(run.stderr, /goes on past 25 pages; stopped there \(--max-pages raises the limit\)/);
      assert.equal(server.logoffs, 1);
    });
  });

  it('stops at the default page limit too, and at a Next link that points back to a page already read', async () => {
    const server = await startHostileEm(hostileCert, (path, req) => {
      const page = Number(new URL(path, 'https://x').searchParams.get('page') ?? '1');
      const origin = `https://${req.headers.host}`;
      return { body: emList(origin, [], `${origin}/api/query?type=Job&page=${page >= 3 ? 1 : page + 1}`) };
    });
    await withServer(server, async () => {
      const run = await cli(['walk', `${server.origin}/api/query?type=Job&page=1`, '--ca', hostileCa, '--depth', '0']);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(server.requests.filter((r) => r.path.startsWith('/api/query')).length, 3);
      assert.match(run.stderr, /page=3: its Next link points back to a page already read/);
    });
  });

  it('ends a response dripped a byte at a time at the total deadline (exit 5), and still logs off', async () => {
    const server = await startHostileEm(hostileCert, () => ({
      body: (res) => {
        const drip = setInterval(() => (res.destroyed ? clearInterval(drip) : res.write('<')), 200);
        res.on('close', () => clearInterval(drip));
      },
    }));
    await withServer(server, async () => {
      const run = await cli(['get', `${server.origin}/api/jobs`, '--ca', hostileCa, '--timeout', '1', '--deadline', '3']);
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /took longer than/);
      assert.ok(run.ms >= 2900 && run.ms < 15_000, `it took ${run.ms} ms`);
      assert.equal(server.logoffs, 1, 'logged off');
    });
  });

  it('a server that refuses every request with 401 costs at most one new logon, and every session is logged off', async () => {
    const server = await startHostileEm(hostileCert, (path, req) => {
      const origin = `https://${req.headers.host}`;
      if (path === '/api/jobs') return { body: emList(origin, Array.from({ length: 40 }, (_, i) => `${origin}/api/jobs/${i}`)) };
      return { status: 401, headers: { 'WWW-Authenticate': 'Basic Realm=RestSvc' }, body: '<Error xmlns="http://www.veeam.com/ent/v1.0" Message="Unauthorized" StatusCode="401"/>' };
    });
    await withServer(server, async () => {
      const run = await cli(['walk', `${server.origin}/api/jobs`, '--ca', hostileCa, '--depth', '1']);
      assert.equal(run.code, 3, run.stderr);
      assert.ok(server.logons <= 2, `${server.logons} logons`);
      assert.equal(server.logoffs, server.logons, `${server.logons} logons, ${server.logoffs} logoffs`);
    });
  });

  it('ends within seconds of Ctrl+C while a large body is parsed, after logging off', async () => {
    const hrefs = Array.from({ length: 220_000 }, (_, i) => `/api/jobs/${i.toString(16).padStart(8, '0')}-0000-0000-0000-000000000000`);
    let sent = 0;
    const server = await startHostileEm(hostileCert, (path, req) => {
      const origin = `https://${req.headers.host}`;
      return {
        body: (res) => {
          const text = emList(origin, hrefs.map((h) => origin + h));
          sent = Buffer.byteLength(text);
          res.end(text);
        },
      };
    });
    await withServer(server, async () => {
      const child = spawn(process.execPath, [CLI, 'get', `${server.origin}/api/jobs`, '--ca', hostileCa, '--max-size', '100'], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
      const exited = exitOf(child);
      // Interrupt once the whole body is out: the command line is then reading or parsing it.
      await until(() => sent > 0 && server.requests.some((r) => r.path === '/api/jobs'), 30_000);
      const interrupted = Date.now();
      child.kill('SIGINT');
      const code = await exited;
      const took = Date.now() - interrupted;
      assert.ok(sent > 30 * 1024 * 1024, `the body was ${sent} bytes`);
      assert.ok(took < 5000, `it took ${took} ms to end after SIGINT`);
      assert.notEqual(code, 0);
      assert.equal(server.logoffs, 1, 'logged off');
    });
  });
});

describe('the command line prints no secret, in any form', () => {
  const forms = (secret: string) => [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('base64').replace(/=+$/, '')];

  it('a server that echoes the token and the password (raw, percent-encoded, base64, the Basic value) in errors and bodies', async () => {
    let token = '';
    const echo = () => [...forms(token), ...forms(PASSWORD), Buffer.from(`${USER}:${PASSWORD}`).toString('base64')].join(' | ');
    const server = await startHostileEm(hostileCert, (path) => {
      if (path === '/api/jobs') return { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ Refs: ['/api/jobs/1', '/api/jobs/2'].map((Href) => ({ Type: 'JobReference', Name: 'j', Href, Links: [] })), Note: echo() }) };
      if (path === '/api/jobs/1') return { status: 500, body: `<Error xmlns="http://www.veeam.com/ent/v1.0" Message="${echo()}" StatusCode="500"/>` };
      return { status: 403, body: `<Error xmlns="http://www.veeam.com/ent/v1.0" Message="${echo()}" StatusCode="403"/>` };
    });
    token = server.token;
    await withServer(server, async () => {
      const walked = await cli(['walk', `${server.origin}/api/jobs`, '--ca', hostileCa, '--accept', 'json', '--depth', '1']);
      const got = await cli(['get', `${server.origin}/api/jobs`, '--ca', hostileCa, '--accept', 'json']);
      const failed = await cli(['get', `${server.origin}/api/jobs/1`, '--ca', hostileCa]);
      assert.equal(got.code, 0, got.stderr);
      assert.match(got.stdout, /<redacted>/, 'the body was printed, its secrets redacted');
      assert.match(walked.stderr, /500/);
      assert.match(failed.stderr, /500/);
      for (const run of [walked, got, failed]) {
        for (const form of [...forms(token), ...forms(PASSWORD), Buffer.from(`${USER}:${PASSWORD}`).toString('base64')]) {
          assert.ok(!run.stdout.includes(form) && !run.stderr.includes(form), `a form of a secret was printed: ${form}`);
        }
      }
    });
  });
});

describe('the command line says why it waits', () => {
  it('prints one line with the seconds when the server throttles (429)', async () => {
    sims.vspc.setFault({ kind: 'throttle', path: '/api/v3/about', times: 1, retryAfter: 1 });
    try {
      const run = await cli(['get', `${sims.vspc.origin}/api/v3/about`, '--ca', caFile], { VEEAM_USERNAME: sims.vspc.users.admin.username, VEEAM_PASSWORD: sims.vspc.users.admin.password });
      assert.equal(run.code, 0, run.stderr);
      const lines = run.stderr.split('\n').filter((l) => /slow down/.test(l));
      assert.equal(lines.length, 1, run.stderr);
      assert.match(lines[0], /^veeam-api: .*\b1 s\b/);
    } finally {
      sims.vspc.clearFaults();
    }
  });
});

/** A TCP listener on loopback that counts connections and closes them at once. */
async function countingListener(port = 0): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  let count = 0;
  const server = net.createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', done);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
