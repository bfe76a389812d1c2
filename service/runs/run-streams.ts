// In-process fan-out of a run's output while this process executes it. A subscriber that joins
// late gets the text so far, then every later delta, in order.
import type { TestRun } from '../../contract/index.ts';

export type RunStreamEvent =
  | { type: 'start' }
  | { type: 'delta'; text: string }
  | { type: 'reset'; attempt: number; reason: string }
  | { type: 'done'; run: TestRun };

type Listener = (event: RunStreamEvent) => void;

interface Channel {
  live: boolean;
  text: string;
  listeners: Set<Listener>;
}

export interface Subscription {
  /** Whether this process is executing the run right now. */
  readonly live: boolean;
  /** The output so far of the current attempt (when live). */
  readonly text: string;
  unsubscribe(): void;
}

/** What is held open for watchers right now; tests check that it returns to where it was. */
export interface RunStreamStats {
  /** Runs with a channel (executing here, or watched). */
  channels: number;
  /** Subscriptions: event streams and `?wait=true` requests following a run. */
  listeners: number;
  /** Database polls of those watchers (each a timer). */
  pollers: number;
}

export class RunStreams {
  private readonly channels = new Map<string, Channel>();
  private readonly finishWatchers = new Set<(run: TestRun) => void>();
  private pollers = 0;

  stats(): RunStreamStats {
    let listeners = this.finishWatchers.size;
    for (const channel of this.channels.values()) listeners += channel.listeners.size;
    return { channels: this.channels.size, listeners, pollers: this.pollers };
  }

  /**
   * Calls `check` every `ms` for a watcher that must also see runs executed by another process.
   * Returns the function that stops it; every watcher stops it when its client goes away.
   */
  poll(check: () => void, ms: number): () => void {
    const timer = setInterval(check, ms);
    this.pollers++;
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      this.pollers--;
    };
  }

  private channel(id: string): Channel {
    let channel = this.channels.get(id);
    if (!channel) {
      channel = { live: false, text: '', listeners: new Set() };
      this.channels.set(id, channel);
    }
    return channel;
  }

  private emit(id: string, event: RunStreamEvent): void {
    for (const listener of [...(this.channels.get(id)?.listeners ?? [])]) listener(event);
  }

  isLive(id: string): boolean {
    return this.channels.get(id)?.live ?? false;
  }

  /** The current attempt's output so far, while this process executes the run. */
  textOf(id: string): string | undefined {
    const channel = this.channels.get(id);
    return channel?.live ? channel.text : undefined;
  }

  subscribe(id: string, listener: Listener): Subscription {
    const channel = this.channel(id);
    channel.listeners.add(listener);
    return {
      live: channel.live,
      text: channel.text,
      unsubscribe: () => {
        channel.listeners.delete(listener);
        if (!channel.live && channel.listeners.size === 0) this.channels.delete(id);
      },
    };
  }

  start(id: string): void {
    const channel = this.channel(id);
    channel.live = true;
    channel.text = '';
    this.emit(id, { type: 'start' });
  }

  delta(id: string, text: string): void {
    this.channel(id).text += text;
    this.emit(id, { type: 'delta', text });
  }

  /** A new attempt starts over: what was streamed before is void. */
  reset(id: string, attempt: number, reason: string): void {
    this.channel(id).text = '';
    this.emit(id, { type: 'reset', attempt, reason });
  }

  /**
   * Tells `listener` of every run this process finishes (a batch's event stream follows its runs
   * this way). Returns the function that stops it.
   */
  watchFinished(listener: (run: TestRun) => void): () => void {
    this.finishWatchers.add(listener);
    return () => this.finishWatchers.delete(listener);
  }

  done(id: string, run: TestRun): void {
    for (const watcher of [...this.finishWatchers]) watcher(run);
    this.emit(id, { type: 'done', run });
    this.channels.delete(id);
  }
}
