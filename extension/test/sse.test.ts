import assert from 'node:assert/strict';
import { parseEvent } from '../api/runs.ts';
import { SseParser } from '../api/sse.ts';

describe('server-sent events parser', () => {
  it('yields whole events however the chunks are split, skipping keep-alive comments', () => {
    const stream = 'event: delta\ndata: {"text":"Echo:"}\n\n: keep-alive\n\nevent: delta\r\ndata: {"text":" hi"}\r\n\r\nevent: done\ndata: {"a":1}\n\n';
    for (const size of [1, 2, 3, 7, stream.length]) {
      const parser = new SseParser();
      const events = [];
      for (let i = 0; i < stream.length; i += size) events.push(...parser.push(stream.slice(i, i + size)));
      assert.deepEqual(
        events,
        [
          { event: 'delta', data: '{"text":"Echo:"}' },
          { event: 'delta', data: '{"text":" hi"}' },
          { event: 'done', data: '{"a":1}' },
        ],
        `chunks of ${size}`,
      );
    }
  });

  it('joins several data lines and keeps an event whose end has not arrived', () => {
    const parser = new SseParser();
    assert.deepEqual(parser.push('data: one\ndata: two\n'), []);
    assert.deepEqual(parser.push('\n'), [{ event: 'message', data: 'one\ntwo' }]);
  });

  it('turns only contract-shaped events into TestRunEvents', () => {
    assert.deepEqual(parseEvent('delta', '{"text":"x"}'), { event: 'delta', data: { text: 'x' } });
    assert.deepEqual(parseEvent('reset', '{"attempt":2,"reason":"503"}'), { event: 'reset', data: { attempt: 2, reason: '503' } });
    assert.equal(parseEvent('delta', '{"txt":"x"}'), undefined);
    assert.equal(parseEvent('done', '{"id":"not a run"}'), undefined);
    assert.equal(parseEvent('delta', 'not json'), undefined);
    assert.equal(parseEvent('ping', '{}'), undefined);
  });
});
