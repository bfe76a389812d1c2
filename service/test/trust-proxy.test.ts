// X-Forwarded-* headers count only when PROMPTREFINE_TRUST_PROXY names the proxy: then a TLS
// proxy's X-Forwarded-Proto makes the cookie Secure; without it no client picks its own address.
import assert from 'node:assert/strict';
import { loadConfig } from '../config.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, USER, type TestApp } from '../testing/test-app.ts';

const sessionCookie = (headers: Headers) => headers.getSetCookie().find((c) => c.startsWith('promptrefine.sid=')) ?? '';
// The per-account throttle is set out of the way, so what is seen is the per-client limit, keyed on req.ip.
const NO_ACCOUNT_THROTTLE = { freeFailures: 10_000, delayMs: 1000, maxDelayMs: 1000, forgetAfterMs: 60_000 };

describe('PROMPTREFINE_TRUST_PROXY', () => {
  it('trusts no forwarding header unless set, and reads hop counts, lists and true', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ PROMPTREFINE_TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(loadConfig({ PROMPTREFINE_TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ PROMPTREFINE_TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ PROMPTREFINE_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy, 'loopback, 10.0.0.0/8');
    assert.throws(() => loadConfig({ PROMPTREFINE_TRUST_PROXY: 'my proxy' }), /Invalid environment: PROMPTREFINE_TRUST_PROXY/);
  });
});

describeEachDatabase('behind a proxy', (database) => {
  let app: TestApp;
  afterEach(() => app.close());

  const signIn = (headers: Record<string, string>, password = USER.password) =>
    app.anonymous().post('/api/auth/signin', { email: USER.email, password }, { headers });

  for (const trustProxy of [1, 'loopback'] as const) {
    it(`marks the cookie Secure when the proxy it trusts (${trustProxy}) says the client used https`, async () => {
      app = await startTestApp(database(), { trustProxy });
      const https = await signIn({ 'x-forwarded-proto': 'https' });
      assert.equal(https.status, 200);
      assert.match(sessionCookie(https.headers), /; Secure/);
      assert.match(sessionCookie(https.headers), /HttpOnly/);
      assert.match(sessionCookie(https.headers), /SameSite=Strict/);
      const http = await signIn({});
      assert.doesNotMatch(sessionCookie(http.headers), /Secure/, 'plain http through the proxy: no Secure');
    });
  }

  it('ignores X-Forwarded-Proto without PROMPTREFINE_TRUST_PROXY: no Secure cookie', async () => {
    app = await startTestApp(database());
    const res = await signIn({ 'x-forwarded-proto': 'https' });
    assert.equal(res.status, 200);
    assert.doesNotMatch(sessionCookie(res.headers), /Secure/);
  });

  it('ignores X-Forwarded-For without PROMPTREFINE_TRUST_PROXY: the client limit keys on the socket address', async () => {
    app = await startTestApp(database(), { signInLimit: { maxFailures: 3, windowMs: 60_000 }, signInThrottle: NO_ACCOUNT_THROTTLE });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn({ 'x-forwarded-for': `198.51.100.${i + 1}` }, `wrong ${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
  });

  it('keys the client limit on the forwarded address when the proxy is trusted', async () => {
    app = await startTestApp(database(), {
      trustProxy: 'loopback',
      signInLimit: { maxFailures: 3, windowMs: 60_000 },
      signInThrottle: NO_ACCOUNT_THROTTLE,
    });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn({ 'x-forwarded-for': `198.51.100.${i + 1}` }, `wrong ${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401], 'five clients behind the proxy, one failure each');
    for (let i = 0; i < 3; i++) await signIn({ 'x-forwarded-for': '198.51.100.77' }, 'wrong');
    assert.equal((await signIn({ 'x-forwarded-for': '198.51.100.77' })).status, 429, 'one client behind the proxy is limited');
  });
});
