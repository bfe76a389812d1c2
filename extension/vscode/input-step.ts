// One step of a multi-step input (Sign In, Create your account): an input box that stays open while
// its answer is checked with the service, showing its own progress bar, and shows a refusal under
// the field. The progress lives in the box, not in a notification: VS Code toasts at most three new
// notifications within 800 ms and only lists the others in the Notification Center, so a sign-in
// that raised a toast per step ("Connecting…", "Signing in…", "Signed in") left no toast for an
// error that came right after it (a command failing because the service had just gone away).
// Only the type of VS Code's box is imported, so the behaviour is tested in plain mocha.
import type { InputBox } from 'vscode';

/** The part of VS Code's InputBox a step uses. */
export type StepBox = Pick<
  InputBox,
  'title' | 'prompt' | 'value' | 'password' | 'ignoreFocusOut' | 'validationMessage' | 'busy' | 'enabled' | 'onDidChangeValue' | 'onDidAccept' | 'onDidHide' | 'show' | 'hide' | 'dispose'
>;

export interface StepOptions {
  title: string;
  prompt: string;
  value?: string;
  password?: boolean;
  /** Shown under the field when the box opens (a refusal of the previous try); cleared by typing. */
  problem?: string;
  /** Checked as the user types and again on Enter; a message keeps the box open. */
  validate?: (value: string) => string | undefined;
}

/** What an answer led to: done with `value`, or the box stays open saying `problem`. */
export type StepOutcome<T> = { value: T } | { problem: string };

/**
 * Asks until `submit` takes the answer; undefined when the user closed the box. While `submit` runs
 * the box shows its progress bar and takes no input; what `submit` throws closes the box and is
 * thrown here. Without `submit` the answer itself is the value.
 *
 * Closing the box (Escape) while `submit` runs answers undefined at once and aborts `signal`: a
 * submit that changes something (signing in keeps a session) must look at it before it does, or
 * the user who gave up would find it done a moment later.
 */
export function inputStep<T = string>(
  createBox: () => StepBox,
  options: StepOptions,
  submit: (value: string, signal: AbortSignal) => Promise<StepOutcome<T>> = async (value) => ({ value: value as T }),
): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const closed = new AbortController();
    const box = createBox();
    box.title = options.title;
    box.prompt = options.prompt;
    box.value = options.value ?? '';
    box.password = options.password ?? false;
    box.ignoreFocusOut = true;
    // A string is shown as an error (InputBoxValidationSeverity.Error).
    box.validationMessage = options.problem ?? (options.value !== undefined ? options.validate?.(options.value) : undefined);
    let result: { value: T } | { error: unknown } | undefined;
    let hidden = false;
    let checking = false;
    box.onDidChangeValue((value) => {
      box.validationMessage = options.validate?.(value);
    });
    box.onDidAccept(async () => {
      if (box.busy) return;
      const value = box.value;
      const invalid = options.validate?.(value);
      if (invalid) {
        box.validationMessage = invalid;
        return;
      }
      box.busy = true;
      box.enabled = false;
      checking = true;
      try {
        const outcome = await submit(value, closed.signal);
        if ('problem' in outcome) {
          box.validationMessage = outcome.problem;
          return;
        }
        result = { value: outcome.value };
      } catch (error) {
        result = { error };
      } finally {
        checking = false;
        box.busy = false;
        box.enabled = true;
      }
      // Closed meanwhile (Escape): the user gave up, whatever the answer was.
      if (!hidden) box.hide();
    });
    box.onDidHide(() => {
      hidden = true;
      // The user gave up while the answer was being checked.
      if (checking) closed.abort();
      box.dispose();
      if (result && 'error' in result) reject(result.error);
      else resolve(result?.value);
    });
    box.show();
  });
}
