// What the views of the panel share: the host, the kept state, the loaded prompt data, and the
// few cross-view actions (rerun a run from history, pick runs to compare).
import type { TestRun, Version } from '../contract/index.ts';
import type { ErrorActions } from './controls.ts';
import type { Host } from './host.ts';
import type { PanelData } from './protocol.ts';
import type { PanelState, Tab } from './state.ts';

export interface Panel {
  readonly host: Host;
  readonly state: PanelState;
  readonly data: PanelData;
  /** Keeps the state (vscode.setState) so a hidden or reloaded panel comes back as it was. */
  save(): void;
  go(tab: Tab): void;
  errorActions(retry?: () => void): ErrorActions;
  /** With the extension's local service: asks for the OpenAI key (the command) and shows the answer. Undefined otherwise. */
  readonly setApiKey: (() => void) | undefined;
  /** Loads the prompt, its versions and the models again (after a save or restore elsewhere). */
  reload(): Promise<void>;
  /** A version by id, from what is loaded or from the host. */
  version(versionId: string): Promise<Version>;
  /** Fills the run form from `run` (its version, or the current one) and starts it. */
  rerun(run: TestRun, version: 'same' | 'current'): void;
  /** Puts `run` into the compare view's free slot (A first). */
  pickForCompare(run: TestRun): void;
}
