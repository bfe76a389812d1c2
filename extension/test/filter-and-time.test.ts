import assert from 'node:assert/strict';
import { describeFilter, formatFilter, isFiltered, parseFilter } from '../tree/filter.ts';
import { relativeTime } from '../tree/time.ts';

describe('tree filter', () => {
  it('reads text and a #tag from one box', () => {
    assert.deepEqual(parseFilter('  review  code #python '), { text: 'review code', tag: 'python' });
    assert.deepEqual(parseFilter('#go'), { tag: 'go' });
    assert.deepEqual(parseFilter('   '), {});
    assert.ok(!isFiltered(parseFilter('')));
  });

  it('shows the filter back as typed and describes it above the tree', () => {
    const filter = parseFilter('review #python');
    assert.equal(formatFilter(filter), 'review #python');
    assert.equal(describeFilter(filter), 'Filtered: title matches “review”, tag #python');
    assert.equal(describeFilter({}), undefined);
  });
});

describe('relative time', () => {
  const now = new Date('2026-11-27T12:00:00.000Z');
  const ago = (seconds: number) => relativeTime(new Date(now.getTime() - seconds * 1000).toISOString(), now);

  it('reads as a person would say it', () => {
    assert.equal(ago(10), 'just now');
    assert.equal(ago(-5), 'just now');
    assert.equal(ago(60), '1 minute ago');
    assert.equal(ago(5 * 60), '5 minutes ago');
    assert.equal(ago(3 * 3600), '3 hours ago');
    assert.equal(ago(2 * 86400), '2 days ago');
    assert.equal(ago(400 * 86400), '1 year ago');
  });
});
