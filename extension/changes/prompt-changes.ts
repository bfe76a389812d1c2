// The one "prompts changed" event of the extension. Two sources feed it: the service's change feed
// (what any window or process did) and the extension's own operations (so what this window did
// shows at once, even while the feed is down). Everything that shows prompts listens to it: the
// tree, open documents, diff titles, run panels. No command refreshes any of them itself.
//
// Bursts are coalesced: changes that arrive within `delayMs` of the first reach listeners as one
// batch, so sign-in, sign-out or Refresh (which may also change the connection state) reload once.
// A change this window made comes back a moment later on the feed; that echo is dropped, whichever
// of the two arrives first. It does not import `vscode`, so it is tested in plain mocha.
import type { ChangeEvent } from '../../contract/index.ts';

export interface PromptChangeBatch {
  /** Anything may have changed (signed in or out, Refresh, the feed was down): reload everything. */
  everything: boolean;
  /** The prompts the batch's changes name. */
  promptIds: ReadonlySet<string>;
  changes: readonly ChangeEvent[];
}

/** Whether a listener showing `promptId` has to reload for `batch`. */
export function touches(batch: PromptChangeBatch, promptId: string): boolean {
  return batch.everything || batch.promptIds.has(promptId);
}

/**
 * Whether `batch` changed a prompt or its versions, not only its test cases: `promptId`'s, or any
 * prompt's. What shows prompts and versions (the tree, current documents, diff titles) reloads for
 * it; the run panel, which shows cases too, reloads on touches(). Reloading the tree for a case
 * saved in the run panel redrew every row under the user's pointer, and a click on a row's action
 * as it was redrawn reached the command without its row.
 */
export function changesPrompts(batch: PromptChangeBatch, promptId?: string): boolean {
  return batch.everything || promptChangesIn(batch, promptId).length > 0;
}

/** The changes in `batch` to a prompt or its versions (a test case's are left out): `promptId`'s, or any prompt's. */
export function promptChangesIn(batch: PromptChangeBatch, promptId?: string): ChangeEvent[] {
  return batch.changes.filter((change) => change.kind !== 'case.changed' && (promptId === undefined || change.promptId === promptId));
}

export type ChangeListener = (batch: PromptChangeBatch) => void;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface PromptChangesOptions {
  /** How long a batch waits for more changes before it is delivered. */
  delayMs?: number;
  /** How long a change of one source waits for its echo from the other. */
  echoMs?: number;
  timers?: Timers;
  /** A listener threw: the others still hear of the batch. */
  onListenerError?: (error: unknown) => void;
}

type Source = 'own' | 'feed';

const keyOf = (change: ChangeEvent) => `${change.kind} ${change.promptId} ${change.versionId ?? ''}`;

export class PromptChanges {
  private readonly listeners = new Set<ChangeListener>();
  private readonly delayMs: number;
  private readonly echoMs: number;
  private readonly timers: Timers;
  /** Changes announced by one source and not yet echoed by the other: key → source and when. */
  private readonly unechoed = new Map<string, { source: Source; at: number }>();
  private pending: { everything: boolean; changes: ChangeEvent[] } | undefined;
  private timer: unknown;

  constructor(private readonly options: PromptChangesOptions = {}) {
    this.delayMs = options.delayMs ?? 100;
    this.echoMs = options.echoMs ?? 10_000;
    this.timers = options.timers ?? realTimers;
  }

  /** A change this extension made itself (a save, a restore, a rename...). */
  own(change: ChangeEvent): void {
    this.announce(change, 'own');
  }

  /** A change from the service's feed. */
  fromFeed(change: ChangeEvent): void {
    this.announce(change, 'feed');
  }

  /** Anything may have changed: everything reloads. */
  everything(): void {
    this.schedule().everything = true;
  }

  onDidChange(listener: ChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.listeners.clear();
  }

  private announce(change: ChangeEvent, source: Source): void {
    const now = this.timers.now();
    for (const [key, seen] of this.unechoed) if (now - seen.at > this.echoMs) this.unechoed.delete(key);
    const key = keyOf(change);
    const seen = this.unechoed.get(key);
    if (seen && seen.source !== source) {
      this.unechoed.delete(key);
      return;
    }
    this.unechoed.set(key, { source, at: now });
    this.schedule().changes.push(change);
  }

  private schedule(): { everything: boolean; changes: ChangeEvent[] } {
    if (!this.pending) {
      this.pending = { everything: false, changes: [] };
      this.timer = this.timers.setTimeout(() => this.flush(), this.delayMs);
    }
    return this.pending;
  }

  private flush(): void {
    const pending = this.pending;
    this.pending = undefined;
    this.timer = undefined;
    if (!pending) return;
    const batch: PromptChangeBatch = {
      everything: pending.everything,
      promptIds: new Set(pending.changes.map((c) => c.promptId)),
      changes: pending.changes,
    };
    for (const listener of [...this.listeners]) {
      try {
        listener(batch);
      } catch (error) {
        this.options.onListenerError?.(error);
      }
    }
  }
}
