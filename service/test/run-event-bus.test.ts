// A long delta crosses processes as several notifications (each at most 8000 bytes); cut where a
// part would end in the first half of a surrogate pair, a follower would get two halves, each alone.
import assert from 'node:assert/strict';
import { splitDelta, type WireEvent } from '../runs/run-event-bus.ts';

const RUN = '00000000-0000-4000-8000-000000000001';

describe('a delta split for notifications', () => {
  it('never cuts a surrogate pair, and its parts join back to the text at their offsets', () => {
    for (let before = 1290; before <= 1310; before++) {
      const text = `${'a'.repeat(before)}\ud83e\udd16${'b'.repeat(3000)}\ud83e\udd16`;
      const parts = splitDelta(RUN, 7, text) as Extract<WireEvent, { k: 'delta' }>[];
      assert.ok(parts.length > 1, 'the text is long enough to be split');
      let offset = 7;
      for (const part of parts) {
        assert.equal(part.o, offset, 'each part starts where the last one ended');
        assert.doesNotMatch(part.x, /[\uD800-\uDFFF]/u, `no half pair in the part at ${part.o} (pair after ${before})`);
        offset += part.x.length;
      }
      assert.equal(parts.map((p) => p.x).join(''), text);
    }
  });
});
