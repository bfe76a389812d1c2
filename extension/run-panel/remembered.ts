// The last values a prompt was run with (variables, input, model, parameters), kept in VS Code's
// global state so they come back in any window; read through the protocol's schema, since an
// older extension version may have written another shape.
import type * as vscode from 'vscode';
import { RememberedInputs } from '../../webview/protocol.ts';
import type { RememberedStore } from './router.ts';

const KEY_PREFIX = 'promptrefine.runPanel.remembered.';

export function rememberedStore(memento: vscode.Memento): RememberedStore {
  return {
    get(promptId) {
      const parsed = RememberedInputs.safeParse(memento.get(KEY_PREFIX + promptId));
      return parsed.success ? parsed.data : null;
    },
    set: (promptId, value) => memento.update(KEY_PREFIX + promptId, value),
  };
}
