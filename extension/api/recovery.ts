// What the editor does when an action fails: an expired session is signed in again and the same
// action carries on; an unreachable service offers a retry; anything else is shown as worded.
// The dialogs are passed in, so this policy is tested without VS Code.
import { ApiError, ServiceUnreachableError } from './errors.ts';

export interface RecoveryUi {
  /** Tells the user the session expired and signs in again; true when signed in now. */
  signInAgain(): Promise<boolean>;
  /** Tells the user the service cannot be reached; 'retry' runs the action again. */
  unreachable(error: ServiceUnreachableError): Promise<'retry' | 'give-up'>;
  /** Shows any other failure; it ends the action. */
  failed(error: unknown): void;
}

/** A fresh sign-in that is refused again straight away is not retried forever. */
const MAX_SIGN_INS = 2;

/** Runs `action`, recovering as above; answers undefined when the user gave up or it failed. */
export async function runWithRecovery<T>(action: () => Promise<T>, ui: RecoveryUi): Promise<T | undefined> {
  let signIns = 0;
  for (;;) {
    try {
      return await action();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAUTHENTICATED' && signIns < MAX_SIGN_INS) {
        signIns += 1;
        if (await ui.signInAgain()) continue;
        return undefined;
      }
      if (error instanceof ServiceUnreachableError) {
        if ((await ui.unreachable(error)) === 'retry') continue;
        return undefined;
      }
      ui.failed(error);
      return undefined;
    }
  }
}
