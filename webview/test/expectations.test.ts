// The Cases tab's expectation rows without a browser: the kinds match the contract's, a value typed
// as text becomes the value the service takes, and a kind changed keeps what still fits.
import assert from 'node:assert/strict';
import { EXPECTATION_KINDS } from '../../contract/index.ts';
import { KINDS, describeExpectation, parseRow, withKind } from '../expectations.ts';

describe('expectation rows', () => {
  it('offers exactly the contract’s kinds, in its order', () => {
    assert.deepEqual([...KINDS], [...EXPECTATION_KINDS]);
  });

  it('sends text kinds as typed, limits as numbers, and JSON validity as a boolean', () => {
    assert.deepEqual(parseRow({ kind: 'contains', text: ' LGTM ' }), { ok: true, expectation: { kind: 'contains', value: ' LGTM ' } });
    assert.deepEqual(parseRow({ kind: 'regex', text: '(a+)+$' }), { ok: true, expectation: { kind: 'regex', value: '(a+)+$' } }, 'the service judges a regex');
    assert.deepEqual(parseRow({ kind: 'maxCostUsd', text: ' 0.01 ' }), { ok: true, expectation: { kind: 'maxCostUsd', value: 0.01 } });
    assert.deepEqual(parseRow({ kind: 'maxOutputTokens', text: '-5' }), { ok: true, expectation: { kind: 'maxOutputTokens', value: -5 } }, 'the service says a limit must be 0 or more');
    assert.deepEqual(parseRow({ kind: 'maxLatencyMs', text: '' }), { ok: false, problem: 'Enter a number' });
    assert.deepEqual(parseRow({ kind: 'maxLatencyMs', text: '2s' }), { ok: false, problem: 'Enter a number' });
    assert.deepEqual(parseRow({ kind: 'jsonValid', text: 'false' }), { ok: true, expectation: { kind: 'jsonValid', value: false } });
    assert.deepEqual(parseRow({ kind: 'jsonValid', text: 'true' }), { ok: true, expectation: { kind: 'jsonValid', value: true } });
  });

  it('keeps the typed text across kinds of the same sort only', () => {
    assert.deepEqual(withKind({ kind: 'contains', text: 'LGTM' }, 'regex'), { kind: 'regex', text: 'LGTM' });
    assert.deepEqual(withKind({ kind: 'contains', text: 'LGTM' }, 'maxOutputTokens'), { kind: 'maxOutputTokens', text: '' });
    assert.deepEqual(withKind({ kind: 'maxOutputTokens', text: '200' }, 'maxLatencyMs'), { kind: 'maxLatencyMs', text: '200' });
    assert.deepEqual(withKind({ kind: 'equals', text: 'x' }, 'jsonValid'), { kind: 'jsonValid', text: 'true' });
    assert.deepEqual(withKind({ kind: 'jsonValid', text: 'true' }, 'contains'), { kind: 'contains', text: '' });
  });

  it('words an expectation for the list', () => {
    assert.equal(describeExpectation({ kind: 'notContains', value: 'TODO' }), 'Does not contain “TODO”');
    assert.equal(describeExpectation({ kind: 'maxCostUsd', value: 0.02 }), 'Cost at most (USD) 0.02');
    assert.equal(describeExpectation({ kind: 'jsonValid', value: true }), 'Is valid JSON');
    assert.match(describeExpectation({ kind: 'equals', value: 'x'.repeat(200) }), /^Equals “x{80}…”$/);
  });
});
