import assert from 'node:assert/strict';
import { currentDiffTitle, versionsDiffTitle } from '../documents/diff-title.ts';
import { followSession, type SessionState } from '../changes/session.ts';

const URL_A = 'http://127.0.0.1:8787';
const URL_B = 'http://127.0.0.1:9797';
const alice: SessionState = { kind: 'signedIn', user: { id: 'alice' } };
const bob: SessionState = { kind: 'signedIn', user: { id: 'bob' } };

function setUp(initial: SessionState = { kind: 'checking' }) {
  const log: string[] = [];
  const follow = followSession(
    {
      feed: {
        start: () => log.push('start'),
        stop: async () => {
          log.push('stop');
        },
      },
      changes: { everything: () => log.push('everything') },
    },
    initial,
    URL_A,
  );
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return { log, follow, settle };
}

describe('following the signed-in session', () => {
  it('reloads once and follows the feed on sign-in; the same session checked again changes nothing', async () => {
    const { log, follow, settle } = setUp();
    follow(alice, URL_A);
    await settle();
    assert.deepEqual(log, ['everything', 'stop', 'start']);
    follow(alice, URL_A);
    follow({ kind: 'signedIn', user: { id: 'alice' } }, URL_A);
    await settle();
    assert.deepEqual(log, ['everything', 'stop', 'start'], 'Refresh or a status check reloads nothing more');
  });

  it('reloads once and stops the feed at sign-out', async () => {
    const { log, follow, settle } = setUp(alice);
    follow({ kind: 'signedOut' }, URL_A);
    follow({ kind: 'signedOut' }, URL_A);
    await settle();
    assert.deepEqual(log, ['everything', 'stop']);
  });

  it('starts over for another user or another service', async () => {
    const { log, follow, settle } = setUp(alice);
    follow(bob, URL_A);
    await settle();
    follow(bob, URL_B);
    await settle();
    assert.deepEqual(log, ['everything', 'stop', 'start', 'everything', 'stop', 'start']);
  });

  it('does not start a feed for a session that ended while the old stream was closing', async () => {
    const { log, follow, settle } = setUp();
    follow(alice, URL_A);
    follow({ kind: 'unreachable' }, URL_A);
    await settle();
    assert.deepEqual(log.filter((l) => l === 'start'), []);
  });
});

describe('diff titles', () => {
  it('names the current version by its number, and two versions older first', () => {
    assert.equal(currentDiffTitle('Review', 1, 6), 'Review: v1 ↔ current (v6)');
    assert.equal(currentDiffTitle('Review', 1, null), 'Review: v1 ↔ current (v?)');
    assert.equal(versionsDiffTitle('Review', 2, 5), 'Review: v2 ↔ v5');
  });
});
