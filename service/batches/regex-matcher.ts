// Matches `regex` expectations off the main thread, each with a time limit. Patterns are already
// refused at save time when they could take exponential time (contract/regex-rule.ts), but a
// backtracking engine can still be polynomial (`.*a.*b`); a match that runs out of time fails its
// check instead of stalling the service. The worker is then replaced.
import { Worker } from 'node:worker_threads';
import { MAX_REGEX_INPUT, regexSpec } from '../../contract/index.ts';

// Inline, so the bundled service needs no separate worker file.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ source, flags, text }) => {
  let matched;
  try { matched = new RegExp(source, flags).test(text); } catch { matched = null; }
  parentPort.postMessage(matched);
});
`;

export type RegexOutcome = { matched: boolean; truncated: boolean } | { timedOut: true } | { invalid: true };

export class RegexMatcher {
  private worker: { thread: Worker; ready: Promise<void> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly memo = new Map<string, RegexOutcome>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs = 250) {}

  /** `key` names an immutable text (a finished run's output), so its outcome can be remembered. */
  match(pattern: string, text: string, key?: string): Promise<RegexOutcome> {
    const memoKey = key === undefined ? undefined : `${key}\u0000${pattern}`;
    const known = memoKey === undefined ? undefined : this.memo.get(memoKey);
    if (known) return Promise.resolve(known);
    // One match at a time: the worker answers in order, and a timeout replaces only its own job's worker.
    clearTimeout(this.idleTimer);
    const next = this.queue.then(() => this.runTwice(pattern, text));
    this.queue = next.catch(() => undefined);
    return next.then((outcome) => {
      this.retireWhenIdle();
      if (memoKey !== undefined) {
        if (this.memo.size > 10_000) this.memo.clear();
        this.memo.set(memoKey, outcome);
      }
      return outcome;
    });
  }

  /**
   * A busy machine can keep the worker's thread from running for a while: a match that runs out of
   * time is tried once more on a fresh worker before its check fails.
   */
  private async runTwice(pattern: string, text: string): Promise<RegexOutcome> {
    const first = await this.run(pattern, text);
    return 'timedOut' in first ? this.run(pattern, text) : first;
  }

  private async run(pattern: string, text: string): Promise<RegexOutcome> {
    const { source, flags } = regexSpec(pattern);
    const truncated = text.length > MAX_REGEX_INPUT;
    const current = (this.worker ??= this.spawn());
    // The clock starts once the thread is up: starting one is not the pattern's time.
    await current.ready;
    const worker = current.thread;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        worker.off('message', onMessage);
        if (this.worker === current) this.worker = undefined;
        void worker.terminate();
        resolve({ timedOut: true });
      }, this.timeoutMs);
      const onMessage = (matched: boolean | null) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        resolve(matched === null ? { invalid: true } : { matched, truncated });
      };
      worker.on('message', onMessage);
      worker.postMessage({ source, flags, text: truncated ? text.slice(0, MAX_REGEX_INPUT) : text });
    });
  }

  /** A thread held by a service that checks no regex for a while is let go. */
  private retireWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), 10_000);
    this.idleTimer.unref();
  }

  private spawn(): { thread: Worker; ready: Promise<void> } {
    const thread = new Worker(WORKER_SOURCE, { eval: true });
    // Idle, it must not keep the process alive.
    thread.unref();
    // A thread that failed to start answers nothing either: its match then runs out of time.
    const ready = new Promise<void>((resolve) => {
      thread.once('online', resolve);
      thread.once('error', () => resolve());
      thread.once('exit', () => resolve());
    });
    const spawned = { thread, ready };
    thread.on('error', () => {
      if (this.worker === spawned) this.worker = undefined;
    });
    return spawned;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.thread.terminate();
  }
}
