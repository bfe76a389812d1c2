import assert from 'node:assert/strict';
import type { ChangeEvent } from '../../contract/index.ts';
import { ApiError, ServiceUnreachableError } from '../api/errors.ts';
import { ChangeFeed } from '../changes/feed.ts';

const A = '0b9f6f64-6a8e-4a43-9a39-7d1f0f5b8c11';
const change = (n: number): ChangeEvent => ({ kind: 'prompt.updated', promptId: A.replace(/1$/, String(n)) });

/** A connection attempt: refused with an error, or accepted with these changes and then ended. */
type Attempt = Error | ChangeEvent[];

function harness(attempts: Attempt[]) {
  const log: string[] = [];
  const pauses: number[] = [];
  let connects = 0;
  let settle: () => void = () => undefined;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const feed = new ChangeFeed({
    async connect(signal) {
      const attempt = attempts[connects++];
      if (attempt === undefined) {
        // No more scripted attempts: the service keeps this stream open until the feed closes it.
        return (async function* () {
          settle();
          await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
        })();
      }
      if (attempt instanceof Error) throw attempt;
      return (async function* () {
        yield* attempt;
      })();
    },
    change: (c) => log.push(`change ${c.promptId.slice(-1)}`),
    reconnected: () => log.push('reconnected'),
    stopped: (error) => {
      log.push(`stopped ${(error as ApiError).code}`);
      settle();
    },
    minDelayMs: 1000,
    maxDelayMs: 4000,
    sleep: async (ms) => {
      pauses.push(ms);
    },
  });
  return { feed, log, pauses, settled, connects: () => connects };
}

const down = () => new ServiceUnreachableError('http://127.0.0.1:9', 'ECONNREFUSED');

describe('following the change feed', () => {
  it('hands on each change and, after a gap, says that changes may have been missed', async () => {
    const h = harness([[change(1), change(2)], down(), [change(3)]]);
    h.feed.start();
    await h.settled;
    assert.deepEqual(h.log, ['change 1', 'change 2', 'reconnected', 'change 3', 'reconnected']);
    await h.feed.stop();
  });

  it('waits longer after each failed attempt, up to a ceiling, and starts over once connected', async () => {
    const h = harness([down(), down(), down(), down(), [change(1)], down()]);
    h.feed.start();
    await h.settled;
    // Connected: the stream that then ended is rejoined after the shortest pause, and so on from there.
    assert.deepEqual(h.pauses, [1000, 2000, 4000, 4000, 1000, 2000]);
    await h.feed.stop();
  });

  it('stops for good when the service refuses the session (signed out) and does not connect again', async () => {
    const h = harness([[change(1)], new ApiError('UNAUTHENTICATED', 401, 'Sign in first.'), [change(2)]]);
    h.feed.start();
    await h.settled;
    assert.deepEqual(h.log, ['change 1', 'stopped UNAUTHENTICATED']);
    await h.feed.stop();
    assert.equal(h.connects(), 2);
  });

  it('stops when told, and connects once however often it is started', async () => {
    const h = harness([]);
    h.feed.start();
    h.feed.start();
    await h.settled;
    assert.equal(h.connects(), 1);
    await h.feed.stop();
    assert.equal(h.feed.running, false);
  });
});
