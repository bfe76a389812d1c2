// Matches `regex` expectations off the main thread, each with a time limit. Patterns are already
// refused at save time when they could take exponential time (contract/regex-rule.ts), but a
// backtracking engine can still be polynomial (`.*a.*b`); a match that runs out of time fails its
// check instead of stalling the service. The worker is then replaced.
//
// Matches asked for together (every check of a batch) go to the worker in one message, and it
// answers them one by one, so the time limit is per match.
import { Worker } from 'node:worker_threads';
import { MAX_REGEX_INPUT, regexSpec } from '../../contract/index.ts';

// Inline, so the bundled service needs no separate worker file.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (jobs) => {
  for (const { source, flags, text } of jobs) {
    let matched;
    try { matched = new RegExp(source, flags).test(text); } catch { matched = null; }
    parentPort.postMessage(matched);
  }
});
`;

export type RegexOutcome = { matched: boolean; truncated: boolean } | { timedOut: true } | { invalid: true };

interface Job {
  source: string;
  flags: string;
  text: string;
  truncated: boolean;
  /** A busy machine can keep the worker's thread from running for a while: one more try on a fresh worker. */
  tries: number;
  finish(outcome: RegexOutcome): void;
}

interface Spawned {
  thread: Worker;
  ready: Promise<void>;
}

export class RegexMatcher {
  private worker: Spawned | undefined;
  private pending: Job[] = [];
  private flushScheduled = false;
  private busy = false;
  private readonly memo = new Map<string, RegexOutcome>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly timeoutMs = 250) {}

  /** `key` names an immutable text (a finished run's output), so its outcome can be remembered. */
  match(pattern: string, text: string, key?: string): Promise<RegexOutcome> {
    const memoKey = key === undefined ? undefined : `${key}\u0000${pattern}`;
    const known = memoKey === undefined ? undefined : this.memo.get(memoKey);
    if (known) return Promise.resolve(known);
    clearTimeout(this.idleTimer);
    const { source, flags } = regexSpec(pattern);
    const truncated = text.length > MAX_REGEX_INPUT;
    return new Promise((resolve) => {
      this.pending.push({
        source,
        flags,
        text: truncated ? text.slice(0, MAX_REGEX_INPUT) : text,
        truncated,
        tries: 0,
        finish: (outcome) => {
          if (memoKey !== undefined) {
            if (this.memo.size > 10_000) this.memo.clear();
            this.memo.set(memoKey, outcome);
          }
          resolve(outcome);
        },
      });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.busy) return;
    this.flushScheduled = true;
    // After the current turn, so the matches asked for in it travel together.
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.busy || this.pending.length === 0) return;
    this.busy = true;
    let jobs = this.pending.splice(0);
    try {
      while (jobs.length > 0) jobs = jobs.slice(await this.runSome(jobs));
    } finally {
      this.busy = false;
      if (this.pending.length > 0) this.scheduleFlush();
      else this.retireWhenIdle();
    }
  }

  /** Sends `jobs` to the worker; resolves with how many were settled before it was stopped (or all). */
  private async runSome(jobs: Job[]): Promise<number> {
    const current = (this.worker ??= this.spawn());
    // The clock starts once the thread is up: starting one is not the pattern's time.
    await current.ready;
    const { thread } = current;
    return new Promise((resolve) => {
      let index = 0;
      let timer: NodeJS.Timeout | undefined;
      const stop = (settled: number) => {
        clearTimeout(timer);
        thread.off('message', onMessage);
        resolve(settled);
      };
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(onTimeout, this.timeoutMs);
      };
      const onMessage = (matched: boolean | null) => {
        const job = jobs[index++] as Job;
        job.finish(matched === null ? { invalid: true } : { matched, truncated: job.truncated });
        if (index === jobs.length) stop(index);
        else arm();
      };
      const onTimeout = () => {
        if (this.worker === current) this.worker = undefined;
        void thread.terminate();
        const job = jobs[index] as Job;
        job.tries++;
        if (job.tries < 2) return stop(index);
        job.finish({ timedOut: true });
        stop(index + 1);
      };
      thread.on('message', onMessage);
      thread.postMessage(jobs.map(({ source, flags, text }) => ({ source, flags, text })));
      arm();
    });
  }

  /** A thread held by a service that checks no regex for a while is let go. */
  private retireWhenIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.close(), 10_000);
    this.idleTimer.unref();
  }

  private spawn(): Spawned {
    const thread = new Worker(WORKER_SOURCE, { eval: true });
    // Idle, it must not keep the process alive.
    thread.unref();
    // A thread that failed to start answers nothing either: its matches then run out of time.
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
