import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/raw-query.ts';
import type { SessionInfo } from '../../contract/index.ts';
import { describeEachDatabase, type TestDatabase } from './support/databases.ts';
import { startTestApp, USER, type TestApp } from '../testing/test-app.ts';

const sessionCount = async (database: TestDatabase) =>
  (await queryRows<{ n: number }>(database.handle.db, sql`select count(*)::int as n from sessions`))[0] as { n: number };

describeEachDatabase('auth', (database) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(database(), { signInLimit: { maxFailures: 3, windowMs: 60_000 } });
  });
  afterEach(() => app.close());

  it('tells an anonymous caller that nobody is signed in, without 401', async () => {
    const res = await app.anonymous().get<SessionInfo>('/api/auth/session');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { data: { user: null, setupRequired: false }, error: null });
  });

  it('signs in with a strict, HttpOnly session cookie kept in the database', async () => {
    const api = app.anonymous();
    const res = await api.post('/api/auth/signin', { email: USER.email.toUpperCase(), password: USER.password });
    assert.equal(res.status, 200);
    assert.equal((res.body.data as { user: { email: string } }).user.email, USER.email);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('promptrefine.sid='));
    assert.ok(cookie, 'a session cookie is set');
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.doesNotMatch(cookie, /Secure/, 'plain HTTP on loopback: no Secure flag');
    assert.equal((await sessionCount(database())).n, 1);
    const session = await api.get<SessionInfo>('/api/auth/session');
    assert.equal(session.body.data?.user?.email, USER.email);
    assert.equal((await api.get('/api/prompts')).status, 200);
  });

  it('answers a wrong email and a wrong password with the same 401', async () => {
    const wrongEmail = await app.anonymous().post('/api/auth/signin', { email: 'someone@else.com', password: USER.password });
    const wrongPassword = await app.anonymous().post('/api/auth/signin', { email: USER.email, password: 'nope' });
    assert.equal(wrongEmail.status, 401);
    assert.equal(wrongPassword.status, 401);
    assert.deepEqual(wrongEmail.body, wrongPassword.body);
    assert.equal(wrongEmail.body.error?.code, 'UNAUTHENTICATED');
    assert.equal(wrongEmail.headers.getSetCookie().length, 0);
    assert.equal((await sessionCount(database())).n, 0);
  });

  it('rate-limits failed sign-ins with 429 and Retry-After, then refuses even the right password', async () => {
    const api = app.anonymous();
    for (let i = 0; i < 3; i++) assert.equal((await api.post('/api/auth/signin', { email: USER.email, password: `bad${i}` })).status, 401);
    const limited = await api.post('/api/auth/signin', { email: USER.email, password: 'bad again' });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error?.code, 'RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    assert.equal((await api.post('/api/auth/signin', { email: USER.email, password: USER.password })).status, 429);
  });

  it('does not count successful sign-ins against the limit', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await app.anonymous().post('/api/auth/signin', { email: USER.email, password: USER.password })).status, 200);
    }
  });

  it('signs out by destroying the session in the store', async () => {
    const api = await app.signedIn();
    const stolen = api.cookie;
    const res = await api.post('/api/auth/signout');
    assert.deepEqual(res.body, { data: { signedOut: true }, error: null });
    assert.equal((await sessionCount(database())).n, 0);
    const replay = app.anonymous();
    replay.cookie = stolen;
    assert.equal((await replay.get('/api/prompts')).status, 401);
    assert.deepEqual((await replay.get('/api/auth/session')).body.data, { user: null, setupRequired: false });
  });

  it('refuses a cookie-authenticated write from a foreign Origin, and accepts its own', async () => {
    const api = await app.signedIn();
    const foreign = await api.post('/api/prompts', { title: 'csrf' }, { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.error?.code, 'FORBIDDEN');
    const own = await api.post('/api/prompts', { title: 'mine' }, { headers: { origin: app.url } });
    assert.equal(own.status, 201);
    const list = await api.ok<{ items: { title: string }[] }>('GET', '/api/prompts');
    assert.deepEqual(list.items.map((p) => p.title), ['mine']);
  });

  it('refuses a sign-in from a foreign Origin', async () => {
    const res = await app
      .anonymous()
      .post('/api/auth/signin', { email: USER.email, password: USER.password }, { headers: { origin: 'http://attacker.test' } });
    assert.equal(res.status, 403);
  });
});
