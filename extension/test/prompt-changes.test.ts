import assert from 'node:assert/strict';
import type { ChangeEvent } from '../../contract/index.ts';
import { changesPrompts, PromptChanges, touches, type PromptChangeBatch, type Timers } from '../changes/prompt-changes.ts';

const A = '0b9f6f64-6a8e-4a43-9a39-7d1f0f5b8c11';
const B = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
const V = '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a';

/** Timers the test moves by hand: `advance` runs what is due. */
function manualTimers() {
  let now = 0;
  let queue: { at: number; callback: () => void; handle: number }[] = [];
  let next = 1;
  const timers: Timers = {
    setTimeout(callback, ms) {
      const handle = next++;
      queue.push({ at: now + ms, callback, handle });
      return handle;
    },
    clearTimeout(handle) {
      queue = queue.filter((t) => t.handle !== handle);
    },
    now: () => now,
  };
  return {
    timers,
    advance(ms: number) {
      now += ms;
      const due = queue.filter((t) => t.at <= now);
      queue = queue.filter((t) => t.at > now);
      for (const t of due) t.callback();
    },
  };
}

function setUp() {
  const clock = manualTimers();
  const changes = new PromptChanges({ delayMs: 100, echoMs: 10_000, timers: clock.timers });
  const batches: PromptChangeBatch[] = [];
  changes.onDidChange((batch) => batches.push(batch));
  return { clock, changes, batches };
}

const created = (promptId: string, versionId = V): ChangeEvent => ({ kind: 'version.created', promptId, versionId });

describe('the one "prompts changed" event', () => {
  it('delivers a burst of changes as one batch naming every prompt', () => {
    const { clock, changes, batches } = setUp();
    changes.fromFeed(created(A));
    changes.fromFeed({ kind: 'prompt.updated', promptId: B });
    changes.everything();
    assert.equal(batches.length, 0, 'nothing before the burst is over');
    clock.advance(100);
    assert.equal(batches.length, 1);
    const [batch] = batches as [PromptChangeBatch];
    assert.equal(batch.everything, true);
    assert.deepEqual([...batch.promptIds].sort(), [A, B].sort());
    clock.advance(1000);
    assert.equal(batches.length, 1, 'one reload for the burst, not one per change');
  });

  it('says which prompts a batch touches', () => {
    const { clock, changes, batches } = setUp();
    changes.own(created(A));
    clock.advance(100);
    assert.ok(touches(batches[0] as PromptChangeBatch, A));
    assert.ok(!touches(batches[0] as PromptChangeBatch, B));
    changes.everything();
    clock.advance(100);
    assert.ok(touches(batches[1] as PromptChangeBatch, B), 'everything touches every prompt');
  });

  it('tells what shows prompts and versions to reload for them, not for test cases alone', () => {
    const { clock, changes, batches } = setUp();
    changes.fromFeed({ kind: 'case.changed', promptId: A });
    clock.advance(100);
    const caseOnly = batches[0] as PromptChangeBatch;
    assert.equal(changesPrompts(caseOnly), false, 'a case is not in the tree');
    assert.equal(changesPrompts(caseOnly, A), false, 'nor in the prompt’s documents');
    assert.ok(touches(caseOnly, A), 'the run panel, which shows cases, still reloads');
    changes.fromFeed({ kind: 'case.changed', promptId: A });
    changes.fromFeed({ kind: 'version.created', promptId: B, versionId: A });
    clock.advance(100);
    const withVersion = batches[1] as PromptChangeBatch;
    assert.equal(changesPrompts(withVersion), true, 'a new version is');
    assert.equal(changesPrompts(withVersion, B), true);
    assert.equal(changesPrompts(withVersion, A), false, 'A only had a case changed');
    changes.everything();
    clock.advance(100);
    assert.equal(changesPrompts(batches[2] as PromptChangeBatch, A), true);
  });

  it('drops the feed’s echo of a change this window made, whichever comes first', () => {
    const { clock, changes, batches } = setUp();
    changes.own(created(A));
    clock.advance(100);
    changes.fromFeed(created(A));
    clock.advance(100);
    assert.equal(batches.length, 1, 'the echo after the own change');

    changes.fromFeed(created(B));
    clock.advance(100);
    changes.own(created(B));
    clock.advance(100);
    assert.equal(batches.length, 2, 'the own change after its echo');
  });

  it('still announces the same kind of change again from the same source (two renames elsewhere)', () => {
    const { clock, changes, batches } = setUp();
    changes.fromFeed({ kind: 'prompt.updated', promptId: A });
    clock.advance(100);
    changes.fromFeed({ kind: 'prompt.updated', promptId: A });
    clock.advance(100);
    assert.equal(batches.length, 2);
  });

  it('forgets an unechoed change after a while, so a later change from elsewhere is not dropped', () => {
    const { clock, changes, batches } = setUp();
    changes.own({ kind: 'prompt.updated', promptId: A });
    clock.advance(20_000);
    changes.fromFeed({ kind: 'prompt.updated', promptId: A });
    clock.advance(100);
    assert.equal(batches.length, 2);
  });

  it('tells the other listeners when one throws, and stops after dispose', () => {
    const errors: unknown[] = [];
    const clock = manualTimers();
    const changes = new PromptChanges({ timers: clock.timers, onListenerError: (e) => errors.push(e) });
    let heard = 0;
    changes.onDidChange(() => {
      throw new Error('broken listener');
    });
    const subscription = changes.onDidChange(() => heard++);
    changes.everything();
    clock.advance(1000);
    assert.equal(heard, 1);
    assert.equal(errors.length, 1);
    subscription.dispose();
    changes.everything();
    clock.advance(1000);
    assert.equal(heard, 1, 'a disposed listener hears nothing');
    changes.dispose();
  });
});
