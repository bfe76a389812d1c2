// Listening beyond loopback exposes the sign-in to other machines: the service refuses to start
// there with a guessable SESSION_SECRET or a short configured password, and says what to set.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config.ts';
import { startService, StartupError } from '../server.ts';
import { sessionSecretWeakness } from '../session-secret.ts';
import { createPostgresDatabase } from './support/databases.ts';
import { raw } from './support/raw-http.ts';
import { silentLogger } from '../testing/test-app.ts';

const STRONG_SECRET = randomBytes(32).toString('base64');
const EMAIL = 'owner@example.com';
const GOOD_PASSWORD = 'twelve chars';

describe('exposure beyond loopback', function () {
  this.timeout(60_000);
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  beforeEach(async () => {
    database = await createPostgresDatabase();
  });
  afterEach(() => database.drop());

  const start = (env: Record<string, string>) =>
    startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', DATABASE_URL: database.url, ...env }), { logger: silentLogger() });

  const refused = (env: Record<string, string>, pattern: RegExp) =>
    assert.rejects(start(env), (error: Error) => {
      assert.ok(error instanceof StartupError, String(error));
      assert.match(error.message, pattern);
      return true;
    });

  it('defines a strong SESSION_SECRET as 32 characters or more with at least 10 different ones', () => {
    assert.match(sessionSecretWeakness('a') ?? '', /has 1 characters/);
    assert.match(sessionSecretWeakness('x'.repeat(40)) ?? '', /only 1 different/);
    assert.match(sessionSecretWeakness('ab'.repeat(20)) ?? '', /only 2 different/);
    assert.match(sessionSecretWeakness('0123456789abcdefghijklmnopqrstu') ?? '', /has 31 characters/);
    for (const secret of [STRONG_SECRET, randomBytes(32).toString('hex'), randomBytes(32).toString('base64url')]) {
      assert.equal(sessionSecretWeakness(secret), undefined, secret);
    }
  });

  it('refuses to listen beyond loopback with a weak SESSION_SECRET, saying what a strong one is', async () => {
    const env = { HOST: '0.0.0.0', PROMPTREFINE_EMAIL: EMAIL, PROMPTREFINE_PASSWORD: GOOD_PASSWORD };
    await refused({ ...env, SESSION_SECRET: 'a' }, /strong SESSION_SECRET \(this one has 1 characters; at least 32 characters with at least 10 different ones/);
    await refused({ ...env, SESSION_SECRET: 'x'.repeat(40) }, /uses only 1 different characters/);
    await refused({ ...env, SESSION_SECRET: 'changeme'.repeat(4) }, /uses only 7 different characters/);
    const exposed = await start({ ...env, SESSION_SECRET: STRONG_SECRET });
    await exposed.close();
  });

  it('refuses to listen beyond loopback with a configured password shorter than 12 characters', async () => {
    // The user exists already (its password was set long enough), but the environment names a short one.
    const first = await start({ PROMPTREFINE_EMAIL: EMAIL, PROMPTREFINE_PASSWORD: GOOD_PASSWORD });
    await first.close();
    await refused(
      { HOST: '0.0.0.0', SESSION_SECRET: STRONG_SECRET, PROMPTREFINE_EMAIL: EMAIL, PROMPTREFINE_PASSWORD: 'eight ch' },
      /a PROMPTREFINE_PASSWORD of at least 12 characters/,
    );
  });

  it('refuses to create the user from a password shorter than 12 characters, naming the variables', async () => {
    await refused({ PROMPTREFINE_EMAIL: EMAIL, PROMPTREFINE_PASSWORD: 'elevenchars' }, /PROMPTREFINE_PASSWORD: The password must be at least 12 characters long/);
  });

  it('answers any Host beyond loopback, unless PROMPTREFINE_ALLOWED_HOSTS names the accepted ones', async () => {
    const env = { HOST: '0.0.0.0', SESSION_SECRET: STRONG_SECRET, PROMPTREFINE_EMAIL: EMAIL, PROMPTREFINE_PASSWORD: GOOD_PASSWORD };
    const open = await start(env);
    try {
      const url = open.url.replace('0.0.0.0', '127.0.0.1');
      assert.equal((await raw(url, 'GET', '/api/health', 'prompts.example.com')).status, 200);
    } finally {
      await open.close();
    }
    const listed = await start({ ...env, PROMPTREFINE_ALLOWED_HOSTS: 'prompts.example.com' });
    try {
      const url = listed.url.replace('0.0.0.0', '127.0.0.1');
      assert.equal((await raw(url, 'GET', '/api/health', 'prompts.example.com:443')).status, 200);
      assert.equal((await raw(url, 'GET', '/api/health', 'rebind.attacker.example')).status, 403);
    } finally {
      await listed.close();
    }
  });
});
