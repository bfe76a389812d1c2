// The export's writer waits for a slow reader instead of buffering, and lets go when it leaves.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { OutputClosedError, sinkOf } from '../export/sink.ts';

/** A destination that takes one chunk and then holds every further one until release() is called. */
function slowReader() {
  const waiting: (() => void)[] = [];
  let received = 0;
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      waiting.push(callback);
    },
  });
  return { out, received: () => received, release: () => waiting.splice(0).forEach((cb) => cb()) };
}

const settled = async (promise: Promise<unknown>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('export sink', () => {
  it('gathers small pieces into chunks and waits for drain before taking more', async () => {
    const reader = slowReader();
    const sink = sinkOf(reader.out);
    const piece = 'x'.repeat(40 * 1024);
    await sink.write(piece);
    assert.equal(reader.received(), 0, 'pieces under 64 KiB are gathered, not written one by one');
    const second = sink.write(piece);
    assert.equal(await settled(second), false, 'the writer waits while the reader has not taken the chunk');
    assert.equal(reader.received(), 80 * 1024);
    reader.release();
    await second;
    await sink.write('tail');
    await sink.flush();
    reader.release();
    assert.equal(reader.received(), 80 * 1024 + 4);
  });

  it('stops with OutputClosedError when the reader goes away while it waits', async () => {
    const reader = slowReader();
    const sink = sinkOf(reader.out);
    const waiting = sink.write('y'.repeat(70 * 1024));
    reader.out.destroy();
    await assert.rejects(waiting, OutputClosedError);
    await assert.rejects(sink.write('z'.repeat(70 * 1024)), OutputClosedError);
  });
});
