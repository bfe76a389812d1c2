// The first account: while none exists the session says setupRequired, and POST /api/auth/setup
// creates it with the one-time token from the data folder or the console, exactly once.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionInfo, User } from '../../contract/index.ts';
import { ensureSetupToken, SETUP_TOKEN_FILE } from '../auth/setup-token.ts';
import { loadConfig } from '../config.ts';
import { users } from '../db/schema.ts';
import { startService } from '../server.ts';
import { ApiClient } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { kill, startServiceProcess, type ServiceProcess } from './support/service-process.ts';
import { silentLogger, startTestApp, type TestApp } from '../testing/test-app.ts';

const ACCOUNT = { email: 'first@example.com', password: 'a long enough password' };
const setup = (api: ApiClient, token: string | undefined, body: unknown = ACCOUNT) =>
  api.post<{ user: User }>('/api/auth/setup', body, { headers: token === undefined ? {} : { 'x-setup-token': token } });

describeEachDatabase('first account (setup)', (db) => {
  let app: TestApp;
  let token: string;
  beforeEach(async () => {
    app = await startTestApp(db(), { signInThrottle: { freeFailures: 3, delayMs: 60_000, maxDelayMs: 60_000, forgetAfterMs: 3_600_000 } });
    // The harness makes its user; these tests start from a service that has none.
    await db().handle.db.delete(users);
    token = (await ensureSetupToken(db().handle.db)) ?? assert.fail('no setup token while no user exists');
  });
  afterEach(async () => app.close());

  it('says setupRequired while no account exists, and not once it does', async () => {
    const api = app.anonymous();
    assert.deepEqual((await api.ok<SessionInfo>('GET', '/api/auth/session')), { user: null, setupRequired: true });
    assert.equal((await setup(api, token)).status, 201);
    const other = app.anonymous();
    assert.deepEqual(await other.ok<SessionInfo>('GET', '/api/auth/session'), { user: null, setupRequired: false });
  });

  it('refuses a missing or wrong token with 401 and creates nothing', async () => {
    const api = app.anonymous();
    const missing = await setup(api, undefined);
    assert.equal(missing.status, 401);
    assert.equal(missing.body.error?.code, 'UNAUTHENTICATED');
    assert.match(missing.body.error?.message ?? '', /setup-token/);
    assert.equal((await setup(api, `${token.slice(0, -1)}x`)).status, 401);
    assert.equal((await setup(api, 'short')).status, 401);
    assert.equal((await api.ok<SessionInfo>('GET', '/api/auth/session')).setupRequired, true);
  });

  it('refuses a weak password or a bad email with 400 naming the field, keeping the token usable', async () => {
    const api = app.anonymous();
    const weak = await setup(api, token, { email: ACCOUNT.email, password: 'elevenchars' });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error?.details[0]?.path, 'password');
    const bad = await setup(api, token, { email: 'not an email', password: ACCOUNT.password });
    assert.equal(bad.body.error?.details[0]?.path, 'email');
    assert.equal((await setup(api, token)).status, 201);
  });

  it('creates the account, signs it in, and answers 409 for ever after', async () => {
    const api = app.anonymous();
    const created = await setup(api, token);
    assert.equal(created.status, 201);
    assert.equal(created.body.data?.user.email, ACCOUNT.email);
    const session = await api.ok<SessionInfo>('GET', '/api/auth/session');
    assert.equal(session.user?.email, ACCOUNT.email);
    assert.equal((await api.get('/api/prompts')).status, 200, 'the new session works');
    // The same token again, and no token: the account exists.
    for (const again of [await setup(app.anonymous(), token), await setup(app.anonymous(), undefined)]) {
      assert.equal(again.status, 409);
      assert.equal(again.body.error?.code, 'CONFLICT');
    }
    const signIn = app.anonymous();
    await signIn.ok('POST', '/api/auth/signin', ACCOUNT);
  });

  it('of setups racing with the right token, exactly one creates an account', async () => {
    const racers = Array.from({ length: 6 }, (_, i) => setup(app.anonymous(), token, { email: `racer${i}@example.com`, password: ACCOUNT.password }));
    const statuses = (await Promise.all(racers)).map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409]);
    assert.equal((await db().handle.db.select().from(users)).length, 1);
  });

  it('slows down guessing: after the free failures, 429 with Retry-After, even for the right token', async () => {
    const api = app.anonymous();
    // Three free failures, then a fourth that sets the wait.
    for (let i = 0; i < 4; i += 1) assert.equal((await setup(api, `guess-${i}`)).status, 401);
    for (const attempt of ['guess-5', token]) {
      const limited = await setup(api, attempt);
      assert.equal(limited.status, 429, `${attempt === token ? 'the right token' : 'a guess'} waits too`);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
    }
    assert.equal((await api.ok<SessionInfo>('GET', '/api/auth/session')).setupRequired, true);
  });
});

describe('first account from `npm start`', function () {
  // Each test creates an embedded database in a new folder: 60-100 s on a busy machine.
  this.timeout(300_000);
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'promptrefine-setup-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('writes the token to setup-token (0600) while no account exists, and removes it once one does', async () => {
    const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PROMPTREFINE_DATA_DIR: dataDir });
    const service = await startService(config, { logger: silentLogger() });
    const file = join(dataDir, SETUP_TOKEN_FILE);
    try {
      assert.ok(service.setupToken);
      assert.equal(readFileSync(file, 'utf8').trim(), service.setupToken);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const api = new ApiClient(service.url);
      assert.equal((await setup(api, readFileSync(file, 'utf8').trim())).status, 201);
      assert.ok(!existsSync(file), 'the used token is gone from the data folder');
    } finally {
      await service.close();
    }
    const restarted = await startService(config, { logger: silentLogger() });
    try {
      assert.equal(restarted.setupToken, undefined);
      assert.ok(!existsSync(file));
    } finally {
      await restarted.close();
    }
  });

  it('without a terminal, prints the token and a curl command that creates the account', async () => {
    let child: ServiceProcess | undefined;
    try {
      child = await startServiceProcess({ PROMPTREFINE_DATA_DIR: dataDir });
      const printed = await waitFor(() => /curl -X POST (\S+) .*-H 'x-setup-token: ([\w-]+)'/.exec(child?.output() ?? ''));
      assert.equal(printed[1], `${child.url}/api/auth/setup`);
      const token = printed[2] as string;
      assert.equal(readFileSync(join(dataDir, SETUP_TOKEN_FILE), 'utf8').trim(), token);
      // The printed command itself, as a user would paste it.
      const curl = /curl -X POST .*/.exec(child.output())?.[0] ?? '';
      const answered = await sh(curl.replace('you@example.com', ACCOUNT.email).replace('a long password', ACCOUNT.password));
      assert.match(answered, /"email":"first@example.com"/);
      await new ApiClient(child.url).ok('POST', '/api/auth/signin', ACCOUNT);
    } finally {
      await kill(child, 'SIGTERM');
    }
  });

  it('in a terminal, asks for the email and the password twice, hidden, and creates the account', async () => {
    // `script` gives the service a real pseudo-terminal; answers are typed as each prompt shows.
    // scripts/start.mjs is what `npm start` runs: the service's bundle, in the same process.
    const { spawn } = await import('node:child_process');
    const child = spawn('script', ['-qfec', `${process.execPath} scripts/start.mjs`, '/dev/null'], {
      env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', PROMPTREFINE_DATA_DIR: dataDir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (out += String(c)));
    try {
      const answer = async (prompt: RegExp, text: string) => {
        await waitFor(() => prompt.exec(out));
        out = out.replace(prompt, '');
        child.stdin.write(`${text}\r`);
      };
      await answer(/Email: /, ACCOUNT.email);
      await answer(/Password \(12\+ characters\): /, 'too short');
      await answer(/Repeat it: /, 'not the same');
      await waitFor(() => /differ/.exec(out));
      await answer(/Email: /, ACCOUNT.email);
      await answer(/Password \(12\+ characters\): /, ACCOUNT.password);
      await answer(/Repeat it: /, ACCOUNT.password);
      await waitFor(() => /Created the account first@example.com/.exec(out));
      assert.ok(!out.includes(ACCOUNT.password), 'the password is not echoed');
      const url = /PromptRefine listening on (http:\/\/\S+)/.exec(out)?.[1] ?? assert.fail('no URL printed');
      await new ApiClient(url).ok('POST', '/api/auth/signin', ACCOUNT);
      assert.ok(!existsSync(join(dataDir, SETUP_TOKEN_FILE)));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

async function waitFor<T>(read: () => T | null | undefined, what = 'output'): Promise<T> {
  const deadline = Date.now() + 240_000;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function sh(command: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile('sh', ['-c', command], (error, stdout, stderr) => (error ? reject(new Error(`${error.message}: ${stderr}`)) : resolve(stdout))),
  );
}
