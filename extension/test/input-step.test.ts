// The step of Sign In that checks its answer with the service while its box stays open. Its
// progress is in the box, so a sign-in no longer puts a notification up per step: VS Code shows at
// most three new notification toasts within 800 ms and only lists the others in the Notification
// Center, and an error right after signing in ("Cannot reach the PromptRefine service") was the
// fourth. Driven here through a box that records what the user would see.
import assert from 'node:assert/strict';
import { inputStep, type StepBox } from '../vscode/input-step.ts';

type Listener<T> = (value: T) => unknown;

/** A stand-in for VS Code's InputBox: the user types, presses Enter or Escape; what it shows is kept. */
class FakeBox {
  title: string | undefined;
  prompt: string | undefined;
  value = '';
  password = false;
  ignoreFocusOut = false;
  validationMessage: StepBox['validationMessage'];
  busy = false;
  enabled = true;
  shown = false;
  disposed = false;
  /** What the box looked like each time the user could see it change: busy, or a message. */
  readonly seen: string[] = [];
  private readonly changeListeners: Listener<string>[] = [];
  private readonly acceptListeners: Listener<void>[] = [];
  private readonly hideListeners: Listener<void>[] = [];

  readonly onDidChangeValue = (listener: Listener<string>) => this.listen(this.changeListeners, listener);
  readonly onDidAccept = (listener: Listener<void>) => this.listen(this.acceptListeners, listener);
  readonly onDidHide = (listener: Listener<void>) => this.listen(this.hideListeners, listener);

  private listen<T>(listeners: Listener<T>[], listener: Listener<T>) {
    listeners.push(listener);
    return { dispose: () => undefined };
  }

  show(): void {
    this.shown = true;
  }

  hide(): void {
    if (!this.shown) return;
    this.shown = false;
    for (const listener of this.hideListeners) listener();
  }

  dispose(): void {
    this.disposed = true;
  }

  type(value: string): void {
    this.value = value;
    for (const listener of this.changeListeners) listener(value);
  }

  /** Enter; resolves once the box has dealt with the answer (the submit ran). */
  async enter(): Promise<void> {
    await Promise.all(this.acceptListeners.map((listener) => listener()));
  }
}

function boxes() {
  const made: FakeBox[] = [];
  return { made, create: () => (made.push(new FakeBox()), made.at(-1) as unknown as StepBox) };
}

const options = { title: 'PromptRefine: Sign In (3/3)', prompt: 'Password', password: true };

describe('an input step that checks its answer with the service (Sign In)', () => {
  it('keeps the box open and busy while the answer is checked, and answers what the check answered', async () => {
    const { made, create } = boxes();
    let release: () => void = () => undefined;
    const checked = new Promise<void>((resolve) => (release = resolve));
    const answered = inputStep(create, options, async (password) => {
      await checked;
      return { value: `signed in with ${password}` };
    });
    const box = made[0] as FakeBox;
    assert.equal(box.shown, true);
    assert.equal(box.password, true);
    box.type('a long password');
    const entered = box.enter();
    assert.equal(box.busy, true, 'the box shows its progress bar while the service is asked');
    assert.equal(box.enabled, false, 'and takes no other answer meanwhile');
    assert.equal(box.shown, true);
    release();
    await entered;
    assert.equal(await answered, 'signed in with a long password');
    assert.equal(box.shown, false);
    assert.equal(box.disposed, true);
  });

  it('shows a refusal under the field of the same box, cleared by typing, and asks again', async () => {
    const { made, create } = boxes();
    const tries: string[] = [];
    const answered = inputStep(create, options, async (password) => {
      tries.push(password);
      return password === 'the password' ? { value: 'user' } : { problem: 'Wrong email or password.' };
    });
    const box = made[0] as FakeBox;
    box.type('not the password');
    await box.enter();
    assert.equal(box.validationMessage, 'Wrong email or password.');
    assert.equal(box.shown, true);
    assert.equal(box.busy, false);
    assert.equal(box.enabled, true);
    box.type('the password');
    assert.equal(box.validationMessage, undefined);
    await box.enter();
    assert.equal(await answered, 'user');
    assert.deepEqual(tries, ['not the password', 'the password']);
    assert.equal(made.length, 1, 'one box for every try');
  });

  it('closes the box and throws what the check threw (the service cannot be reached)', async () => {
    const { made, create } = boxes();
    const unreachable = new Error('Cannot reach the PromptRefine service at http://127.0.0.1:8787 (ECONNREFUSED).');
    const answered = inputStep(create, options, async () => {
      throw unreachable;
    });
    const box = made[0] as FakeBox;
    box.type('a long password');
    await box.enter();
    await assert.rejects(answered, unreachable);
    assert.equal(box.shown, false);
    assert.equal(box.disposed, true);
  });

  it('validates as the user types and does not check an invalid answer', async () => {
    const { made, create } = boxes();
    let checks = 0;
    const validate = (value: string) => (value.startsWith('http') ? undefined : 'Use an http:// or https:// URL');
    const answered = inputStep(create, { title: 'PromptRefine: Sign In (1/3)', prompt: 'Service URL', value: 'http://127.0.0.1:8787', validate }, async (url) => {
      checks += 1;
      return { value: url };
    });
    const box = made[0] as FakeBox;
    assert.equal(box.value, 'http://127.0.0.1:8787');
    assert.equal(box.validationMessage, undefined);
    box.type('127.0.0.1:8787');
    assert.equal(box.validationMessage, 'Use an http:// or https:// URL');
    await box.enter();
    assert.equal(checks, 0);
    assert.equal(box.shown, true);
    box.type('http://127.0.0.1:9000');
    await box.enter();
    assert.equal(await answered, 'http://127.0.0.1:9000');
    assert.equal(checks, 1);
  });

  it('answers undefined when the user closes the box, even while the answer is being checked, and tells the check', async () => {
    const { made, create } = boxes();
    let release: () => void = () => undefined;
    // As Sign In does: the session is kept only if the user has not given up meanwhile.
    const kept: string[] = [];
    let signal: AbortSignal | undefined;
    const answered = inputStep(create, options, async (password, canceled) => {
      signal = canceled;
      await new Promise<void>((resolve) => (release = resolve));
      canceled.throwIfAborted();
      kept.push(password);
      return { value: 'user' };
    });
    const box = made[0] as FakeBox;
    box.type('a long password');
    const entered = box.enter();
    box.hide();
    assert.equal(await answered, undefined, 'answered at once, before the check is over');
    assert.equal(signal?.aborted, true, 'the check is told the user gave up');
    release();
    await entered;
    assert.deepEqual(kept, [], 'nothing kept for a user who gave up');
  });

  it('does not abort a check that ends before the box closes', async () => {
    const { made, create } = boxes();
    let signal: AbortSignal | undefined;
    const answered = inputStep(create, options, async (_password, canceled) => {
      signal = canceled;
      return { value: 'user' };
    });
    const box = made[0] as FakeBox;
    box.type('a long password');
    await box.enter();
    assert.equal(await answered, 'user');
    assert.equal(signal?.aborted, false, 'the box closed itself after the answer, which no one gave up');
  });

  it('opens with the refusal of the previous try under the field', async () => {
    const { made, create } = boxes();
    void inputStep(create, { ...options, problem: 'The two passwords differ. Choose it again.' });
    assert.equal((made[0] as FakeBox).validationMessage, 'The two passwords differ. Choose it again.');
  });
});
