// Follows the service's change feed while the user is signed in: connects, hands on each change,
// and when the stream ends or drops connects again after a pause that doubles up to a ceiling
// (so a stopped service is not hammered), back to the shortest pause once a connection holds.
// Changes made while it was disconnected are lost, so a reconnection says "anything may have
// changed". A refused session or a service without the feed stops it for good (until `start`).
// It does not import `vscode`: the connection is passed in, and it is tested in plain mocha.
import type { ChangeEvent } from '../../contract/index.ts';
import { isApiError } from '../api/errors.ts';

export interface FeedOptions {
  /** Connects; resolves once the service accepted the stream, with its changes. */
  connect(signal: AbortSignal): Promise<AsyncIterable<ChangeEvent>>;
  change(change: ChangeEvent): void;
  /** Connected again after a gap in which changes may have been missed. */
  reconnected(): void;
  /** The service refused the session (signed out here or elsewhere) or has no feed: it stopped. */
  stopped?(error: unknown): void;
  /** First pause before connecting again; it doubles on each failure up to `maxDelayMs`. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export class ChangeFeed {
  private controller: AbortController | undefined;
  private following: Promise<void> | undefined;

  constructor(private readonly options: FeedOptions) {}

  get running(): boolean {
    return this.controller !== undefined;
  }

  /** Starts following; does nothing when already following. */
  start(): void {
    if (this.controller) return;
    const controller = new AbortController();
    this.controller = controller;
    this.following = this.follow(controller.signal).finally(() => {
      if (this.controller === controller) this.controller = undefined;
    });
  }

  /** Stops following and closes the stream; resolves once the loop has ended. */
  async stop(): Promise<void> {
    this.controller?.abort();
    this.controller = undefined;
    await this.following;
  }

  private async follow(signal: AbortSignal): Promise<void> {
    const { minDelayMs = 1000, maxDelayMs = 30_000 } = this.options;
    const pause = this.options.sleep ?? sleep;
    let delay = minDelayMs;
    let missed = false;
    while (!signal.aborted) {
      try {
        const changes = await this.options.connect(signal);
        if (signal.aborted) return;
        delay = minDelayMs;
        if (missed) this.options.reconnected();
        missed = false;
        for await (const change of changes) {
          if (signal.aborted) return;
          this.options.change(change);
        }
      } catch (error) {
        if (signal.aborted) return;
        if (isApiError(error, 'UNAUTHENTICATED') || isApiError(error, 'NOT_FOUND')) {
          this.options.stopped?.(error);
          return;
        }
      }
      if (signal.aborted) return;
      missed = true;
      await pause(delay, signal);
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}
