// Password guessing is slowed per account in the database: rotating X-Forwarded-For, parallel
// guesses or a second process do not help, and a burst of wrong guesses keeps the right password
// out only for the (capped, documented) delay it was told.
import assert from 'node:assert/strict';
import { DEFAULT_SIGN_IN_THROTTLE, delayAfter, type SignInThrottle } from '../auth/sign-in-throttle.ts';
import type { ApiClient, ApiResponse } from '../testing/api-client.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, USER, type TestApp } from '../testing/test-app.ts';

// The per-client limit is set out of the way, so what is seen here is the per-account throttle.
const NO_CLIENT_LIMIT = { maxFailures: 10_000, windowMs: 60_000 };
// Small enough to wait for, large enough that answering a few requests never takes as long.
const SMALL: SignInThrottle = { freeFailures: 2, delayMs: 2000, maxDelayMs: 4000, forgetAfterMs: 15 * 60 * 1000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const retryAfter = (res: ApiResponse) => Number(res.headers.get('retry-after'));

function signIn(api: ApiClient, password: string, options: { email?: string; forwardedFor?: string } = {}) {
  const headers: Record<string, string> = options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {};
  return api.post('/api/auth/signin', { email: options.email ?? USER.email, password }, { headers });
}

/** Waits as long as a 429 said, and not a moment less. */
async function waitAsTold(res: ApiResponse): Promise<void> {
  assert.equal(res.status, 429);
  await sleep(retryAfter(res) * 1000);
}

describe('sign-in delay formula', () => {
  it('doubles the delay after the free failures and caps it at the documented maximum', () => {
    const delays = Array.from({ length: 14 }, (_, i) => delayAfter(i + 1, DEFAULT_SIGN_IN_THROTTLE));
    assert.deepEqual(delays, [0, 0, 0, 0, 0, 1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    assert.equal(delayAfter(10_000, DEFAULT_SIGN_IN_THROTTLE), 60_000);
  });
});

describeEachDatabase('sign-in throttle', (database) => {
  let app: TestApp;
  afterEach(() => app.close());

  it('refuses 30 wrong passwords from rotating addresses', async () => {
    // The default free failures, and the default longest delay from the first one on, so that how
    // fast this machine answers cannot let a guess through between two delays.
    const throttle = { ...DEFAULT_SIGN_IN_THROTTLE, delayMs: DEFAULT_SIGN_IN_THROTTLE.maxDelayMs };
    app = await startTestApp(database(), { signInLimit: NO_CLIENT_LIMIT, signInThrottle: throttle });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await signIn(app.anonymous(), `wrong guess ${i}`, { forwardedFor: `203.0.113.${i + 1}` });
      statuses.push(res.status);
      if (res.status === 429) {
        assert.equal(res.body.error?.code, 'RATE_LIMITED');
        assert.ok(retryAfter(res) >= 1 && retryAfter(res) <= 60, `Retry-After ${retryAfter(res)}`);
      }
    }
    // Five free failures, the sixth starts the delay: every later guess is refused unchecked,
    // whatever address it claims to come from.
    assert.deepEqual(statuses, [...Array(6).fill(401), ...Array(24).fill(429)]);
  });

  it('lets the right password in once the told delay has passed after a burst of wrong guesses', async function () {
    this.timeout(60_000);
    app = await startTestApp(database(), { signInLimit: NO_CLIENT_LIMIT, signInThrottle: SMALL });
    const attacker = app.anonymous();
    const burst: ApiResponse[] = [];
    for (let i = 0; i < 10; i++) burst.push(await signIn(attacker, `guess ${i}`));
    assert.deepEqual(burst.map((r) => r.status), [401, 401, 401, ...Array(7).fill(429)]);
    for (const res of burst.slice(3)) assert.ok(retryAfter(res) >= 1 && retryAfter(res) <= 2, `the first delay is 2 s: ${retryAfter(res)}`);

    const user = app.anonymous();
    const early = await signIn(user, USER.password);
    assert.equal(early.status, 429, 'during the delay even the right password is not checked');

    // The attacker goes on, one guess each time the delay ends: the delay doubles, up to its cap.
    await waitAsTold(early);
    assert.equal((await signIn(attacker, 'guess again')).status, 401);
    const doubled = await signIn(attacker, 'too soon');
    assert.ok(retryAfter(doubled) > 2 && retryAfter(doubled) <= 4, `doubled to 4 s: ${retryAfter(doubled)}`);
    await waitAsTold(doubled);
    assert.equal((await signIn(attacker, 'and again')).status, 401);
    const capped = await signIn(user, USER.password);
    assert.ok(retryAfter(capped) > 2 && retryAfter(capped) <= 4, `capped at 4 s, not 8: ${retryAfter(capped)}`);

    await waitAsTold(capped);
    assert.equal((await signIn(user, USER.password)).status, 200, 'the right password works once the told time has passed');
    assert.equal((await user.get('/api/prompts')).status, 200);
    // A success forgets the count: the next typos are free again.
    assert.equal((await signIn(app.anonymous(), 'a typo')).status, 401);
    assert.equal((await signIn(app.anonymous(), 'another typo')).status, 401);
  });

  it('treats an unknown email exactly like the real one, and counts emails case-insensitively', async () => {
    app = await startTestApp(database(), { signInLimit: NO_CLIENT_LIMIT, signInThrottle: SMALL });
    const sequence = async (email: string) => {
      const out: string[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await signIn(app.anonymous(), `wrong ${i}`, { email: i % 2 ? email.toUpperCase() : email });
        out.push(`${res.status} ${res.body.error?.code} ${res.headers.has('retry-after') ? 'Retry-After' : '-'}`);
      }
      return out;
    };
    const known = await sequence(USER.email);
    const unknown = await sequence('nobody@example.com');
    assert.deepEqual(unknown, known);
    assert.deepEqual(known, [
      '401 UNAUTHENTICATED -',
      '401 UNAUTHENTICATED -',
      '401 UNAUTHENTICATED -',
      '429 RATE_LIMITED Retry-After',
      '429 RATE_LIMITED Retry-After',
    ]);
    // Each email has its own count: guessing at a made-up one does not slow the real user.
    assert.equal((await signIn(app.anonymous(), 'x', { email: 'third@example.com' })).status, 401);
  });

  it('lets no more than the free guesses through when they arrive all at once', async () => {
    app = await startTestApp(database(), { signInLimit: NO_CLIENT_LIMIT, signInThrottle: { ...SMALL, maxDelayMs: 60_000, delayMs: 60_000 } });
    const answers = await Promise.all(Array.from({ length: 25 }, (_, i) => signIn(app.anonymous(), `parallel ${i}`)));
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [401, 401, 401, ...Array(22).fill(429)]);
  });

  it('counts attempts across two service processes on one database', async () => {
    app = await startTestApp(database(), { signInLimit: NO_CLIENT_LIMIT, signInThrottle: SMALL });
    const other = await startTestApp(database(), { signInLimit: NO_CLIENT_LIMIT, signInThrottle: SMALL });
    try {
      assert.equal((await signIn(app.anonymous(), 'one')).status, 401);
      assert.equal((await signIn(other.anonymous(), 'two')).status, 401);
      assert.equal((await signIn(app.anonymous(), 'three')).status, 401);
      const refused = await signIn(other.anonymous(), USER.password);
      assert.equal(refused.status, 429, 'the second process knows of the first one\'s failures');
      assert.ok(retryAfter(refused) >= 1 && retryAfter(refused) <= 2);
    } finally {
      await other.close();
    }
  });
});
