// A provider's text streamed piece by piece must show a follower what the run will keep: each
// piece made storable on its own, with a pair cut across two pieces joined rather than made two U+FFFD.
import assert from 'node:assert/strict';
import { StorableTextStream, storableText, withoutTrailingHalf } from '../http/storable-text.ts';

const streamed = (pieces: string[]): string[] => {
  const stream = new StorableTextStream();
  return pieces.map((piece) => stream.next(piece));
};

describe('storable text, streamed', () => {
  it('joins a pair cut across two pieces and makes a NUL or a lone half U+FFFD', () => {
    assert.deepEqual(streamed(['a\u0000b \ud83e', '\udd16 c', ' \udfff d \ud83e', 'e']), ['a\ufffdb ', '\ud83e\udd16 c', ' \ufffd d ', '\ufffde']);
  });

  it('keeps a first half back over pieces that bring nothing, and gives it out whole when its pair follows', () => {
    assert.deepEqual(streamed(['x\ud83e', '', '\udd16']), ['x', '', '\ud83e\udd16']);
  });

  it('gives out, joined, the storable text of what came, less a last first half not yet followed', () => {
    // Pieces cut at every place, from text holding every case, against the whole made storable at once.
    const whole = 'n\u0000l \ud83e\udd16 p \ud83e x \udd16 y \ud83e\ud83e\udd16 z\ud83e';
    for (let i = 0; i <= whole.length; i++) {
      for (let j = i; j <= whole.length; j++) {
        const pieces = [whole.slice(0, i), whole.slice(i, j), whole.slice(j)];
        const joined = streamed(pieces).join('');
        assert.equal(joined, storableText(withoutTrailingHalf(whole)), `cut at ${i} and ${j}`);
        assert.doesNotMatch(joined, /[\u0000\uD800-\uDFFF]/u);
      }
    }
    assert.equal(storableText(withoutTrailingHalf(whole)) + '\ufffd', storableText(whole), 'the run keeps the last half as U+FFFD');
  });
});
