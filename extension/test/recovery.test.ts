import assert from 'node:assert/strict';
import { ApiError, ServiceUnreachableError } from '../api/errors.ts';
import { runWithRecovery, type RecoveryUi } from '../api/recovery.ts';

/** A UI that answers from a script and records what it was asked. */
function scriptedUi(answers: { signIn?: boolean[]; unreachable?: ('retry' | 'give-up')[] }) {
  const asked: string[] = [];
  const ui: RecoveryUi = {
    async signInAgain() {
      asked.push('signIn');
      return answers.signIn?.shift() ?? false;
    },
    async unreachable() {
      asked.push('unreachable');
      return answers.unreachable?.shift() ?? 'give-up';
    },
    failed(error) {
      asked.push(`failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  };
  return { ui, asked };
}

/** An action that fails with the given errors, in turn, then succeeds. */
function failingThen(errors: Error[]) {
  let calls = 0;
  const action = async () => {
    calls += 1;
    const error = errors.shift();
    if (error) throw error;
    return 'done';
  };
  return { action, calls: () => calls };
}

const expired = () => new ApiError('UNAUTHENTICATED', 401, 'Sign in first');
const unreachable = () => new ServiceUnreachableError('http://127.0.0.1:8787', 'ECONNREFUSED');

describe('recovering from failed actions', () => {
  it('signs in again after an expired session and carries on with the same action', async () => {
    const { ui, asked } = scriptedUi({ signIn: [true] });
    const { action, calls } = failingThen([expired()]);
    assert.equal(await runWithRecovery(action, ui), 'done');
    assert.deepEqual(asked, ['signIn']);
    assert.equal(calls(), 2);
  });

  it('stops when the user does not sign in', async () => {
    const { ui } = scriptedUi({ signIn: [false] });
    const { action, calls } = failingThen([expired()]);
    assert.equal(await runWithRecovery(action, ui), undefined);
    assert.equal(calls(), 1);
  });

  it('does not loop when a fresh session is refused again', async () => {
    const { ui, asked } = scriptedUi({ signIn: [true, true, true] });
    const { action } = failingThen([expired(), expired(), expired()]);
    assert.equal(await runWithRecovery(action, ui), undefined);
    assert.deepEqual(asked, ['signIn', 'signIn', 'failed: Sign in first']);
  });

  it('retries an unreachable service as often as the user asks', async () => {
    const { ui, asked } = scriptedUi({ unreachable: ['retry', 'retry'] });
    const { action, calls } = failingThen([unreachable(), unreachable()]);
    assert.equal(await runWithRecovery(action, ui), 'done');
    assert.deepEqual(asked, ['unreachable', 'unreachable']);
    assert.equal(calls(), 3);
  });

  it('shows any other error as worded and ends the action', async () => {
    const { ui, asked } = scriptedUi({});
    const { action, calls } = failingThen([new ApiError('INVALID_INPUT', 400, 'title: must not be empty')]);
    assert.equal(await runWithRecovery(action, ui), undefined);
    assert.deepEqual(asked, ['failed: title: must not be empty']);
    assert.equal(calls(), 1);
  });
});
