// Fan-out of a run's output to those who follow it. While this process executes a run, a subscriber
// that joins late gets the text so far, then every later delta, in order. Runs executed by another
// process on the same PostgreSQL reach the same subscribers through run-event-bus.ts (connect()):
// their events arrive as notifications, and a run's end is read from the database once. A run's
// deltas are announced only once another process asked for them (a 'follow').
//
// Followers that must also notice what no event announces call follow(): it polls the database
// only while events cannot be trusted to arrive (not yet connected, or the notification connection
// is down), checks once when they can be again, and does nothing on the embedded database, where
// this process is the only one and announces every end itself.
import type { TestRun } from '../../contract/index.ts';
import type { RunEventOutbox, WireEvent } from './run-event-bus.ts';

export type RunStreamEvent =
  | { type: 'start' }
  /** `offset`: how much of the attempt's output came before this text. */
  | { type: 'delta'; text: string; offset: number }
  | { type: 'reset'; attempt: number; reason: string }
  | { type: 'done'; run: TestRun }
  /**
   * Executed here, but neither its result nor its failure could be written: still `running` in the
   * database, no longer executing. Its `done` follows once its failure is written (RunQueue).
   */
  | { type: 'unsaved' };

/** How runs executed elsewhere are noticed. */
type Mode =
  /** No events from elsewhere (yet): followers poll. */
  | 'poll'
  /** Events from every process arrive: nobody polls. */
  | 'events'
  /** The embedded database: no other process exists. */
  | 'alone';

interface Follower {
  check: () => void;
  ms: number;
  timer: NodeJS.Timeout | undefined;
}

type Listener = (event: RunStreamEvent) => void;

interface Channel {
  live: boolean;
  text: string;
  listeners: Set<Listener>;
  /** Another process follows its text: deltas executed here are announced. */
  shared: boolean;
  /** Listeners here that want its text (not only its end). */
  readers: number;
}

/** How many runs followed elsewhere before they started are remembered (the oldest go first). */
const MAX_WANTED = 10_000;

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
  private readonly followers = new Set<Follower>();
  private mode: Mode = 'poll';
  private outbox: RunEventOutbox | undefined;
  private load: ((id: string) => Promise<TestRun | undefined>) | undefined;
  /** Runs whose end this process announced: their announcement comes back to it, and is ignored. */
  private readonly announced = new Set<string>();
  /** Runs another process asked to follow while they were not executing here: shared if they start here. */
  private readonly wanted = new Set<string>();

  stats(): RunStreamStats {
    let listeners = this.finishWatchers.size;
    for (const channel of this.channels.values()) listeners += channel.listeners.size;
    let pollers = 0;
    for (const follower of this.followers) if (follower.timer) pollers++;
    return { channels: this.channels.size, listeners, pollers };
  }

  /** The embedded database: every run is executed and ended here, so nobody needs to poll. */
  alone(): void {
    this.setMode('alone');
  }

  /**
   * Runs executed here are announced through `outbox`, and those of other processes arrive through
   * remoteEvent(); `load` reads a run that ended elsewhere. Followers stop polling from now on.
   */
  connect(outbox: RunEventOutbox, load: (id: string) => Promise<TestRun | undefined>): void {
    this.outbox = outbox;
    this.load = load;
    this.setMode('events');
    this.askAgain();
  }

  /** The notification connection dropped (events may be missed) or came back. */
  eventsInterrupted(): void {
    if (this.mode === 'events') this.setMode('poll');
  }

  eventsRestored(): void {
    if (!this.outbox) return;
    this.setMode('events');
    this.askAgain();
  }

  /**
   * After a time without notifications: the asks of others may have been missed, so every run
   * executing here is shared from now on, its text so far sent again; and this process's own
   * followers ask again.
   */
  private askAgain(): void {
    for (const [id, channel] of this.channels) {
      if (channel.live) this.share(id, channel);
      else if (channel.readers > 0) this.outbox?.send({ r: id, k: 'follow' });
    }
  }

  private setMode(mode: Mode): void {
    const was = this.mode;
    this.mode = mode;
    for (const follower of this.followers) {
      if (mode === 'poll' && !follower.timer) follower.timer = setInterval(follower.check, follower.ms);
      if (mode !== 'poll' && follower.timer) {
        clearInterval(follower.timer);
        follower.timer = undefined;
        // What happened while events could not be trusted.
        if (was === 'poll') follower.check();
      }
    }
  }

  /**
   * Calls `check` to notice what no event announced: every `ms` while events from other processes
   * cannot be trusted, once when they can be again, never on the embedded database. Returns the
   * function that stops it; every follower stops it when its client goes away.
   */
  follow(check: () => void, ms: number): () => void {
    const follower: Follower = { check, ms, timer: this.mode === 'poll' ? setInterval(check, ms) : undefined };
    this.followers.add(follower);
    return () => {
      clearInterval(follower.timer);
      follower.timer = undefined;
      this.followers.delete(follower);
    };
  }

  private channel(id: string): Channel {
    let channel = this.channels.get(id);
    if (!channel) {
      channel = { live: false, text: '', listeners: new Set(), shared: false, readers: 0 };
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

  /**
   * `listener` hears the run's events. `text`: it wants the output as it comes (an event stream),
   * not only the end (a wait), so a run executed by another process is asked for its deltas.
   */
  subscribe(id: string, listener: Listener, text = true): Subscription {
    const channel = this.channel(id);
    channel.listeners.add(listener);
    if (text) channel.readers++;
    if (text && !channel.live) this.outbox?.send({ r: id, k: 'follow' });
    return {
      live: channel.live,
      text: channel.text,
      unsubscribe: () => {
        if (channel.listeners.delete(listener) && text) channel.readers--;
        if (!channel.live && channel.listeners.size === 0) this.channels.delete(id);
      },
    };
  }

  start(id: string): void {
    const channel = this.channel(id);
    channel.live = true;
    channel.text = '';
    channel.shared = this.wanted.delete(id);
    this.emit(id, { type: 'start' });
    // Not announced: a follower elsewhere has sent nothing of a run that had not started, and a
    // later attempt is announced as a reset. One notification less per run.
  }

  delta(id: string, text: string): void {
    const channel = this.channel(id);
    const offset = channel.text.length;
    channel.text += text;
    this.emit(id, { type: 'delta', text, offset });
    if (channel.shared) this.outbox?.send({ r: id, k: 'delta', o: offset, x: text });
  }

  /** A new attempt starts over: what was streamed before is void. */
  reset(id: string, attempt: number, reason: string): void {
    this.channel(id).text = '';
    this.emit(id, { type: 'reset', attempt, reason });
    this.outbox?.send({ r: id, k: 'reset', a: attempt, m: reason });
  }

  /**
   * Tells `listener` of every run that ends, here or in another process (a batch's event stream
   * follows its runs this way). Returns the function that stops it.
   */
  watchFinished(listener: (run: TestRun) => void): () => void {
    this.finishWatchers.add(listener);
    return () => this.finishWatchers.delete(listener);
  }

  /** A run executed here could not be saved (see the `unsaved` event); its end is announced later. */
  unsaved(id: string): void {
    const channel = this.channels.get(id);
    if (!channel) return;
    channel.live = false;
    channel.text = '';
    this.emit(id, { type: 'unsaved' });
    if (channel.listeners.size === 0) this.channels.delete(id);
  }

  /** A run this process executed has ended. */
  done(id: string, run: TestRun): void {
    this.finishLocally(id, run);
    this.announceEnd(id);
  }

  /**
   * A run ended without being executed to its end here: canceled while queued or by another
   * process, or marked INTERRUPTED. Its followers everywhere are told. A run executing here is left
   * to its execution, which ends it with everything it received.
   */
  ended(run: TestRun): void {
    if (!this.isLive(run.id)) this.finishLocally(run.id, run);
    this.announceEnd(run.id);
  }

  private announceEnd(id: string): void {
    if (!this.outbox) return;
    if (this.announced.size >= 1000) this.announced.clear();
    this.announced.add(id);
    this.outbox.send({ r: id, k: 'done' });
  }

  private finishLocally(id: string, run: TestRun): void {
    for (const watcher of [...this.finishWatchers]) watcher(run);
    this.emit(id, { type: 'done', run });
    this.channels.delete(id);
  }

  /** An event of a run another process executes (this process's own come back too: ignored). */
  remoteEvent(event: WireEvent): void {
    if (event.k === 'follow') return this.followedElsewhere(event.r);
    if (this.isLive(event.r)) return;
    const followed = this.channels.has(event.r);
    switch (event.k) {
      case 'start':
        if (followed) this.emit(event.r, { type: 'start' });
        return;
      case 'delta':
        if (followed) this.emit(event.r, { type: 'delta', text: event.x, offset: event.o });
        return;
      case 'reset':
        if (followed) this.emit(event.r, { type: 'reset', attempt: event.a, reason: event.m });
        return;
      case 'done':
        this.wanted.delete(event.r);
        if (this.announced.delete(event.r)) return;
        // Read once, and only when someone here follows runs.
        if (!followed && this.finishWatchers.size === 0) return;
        this.load?.(event.r).then(
          (run) => {
            if (run && !this.isLive(run.id)) this.finishLocally(run.id, run);
          },
          () => undefined, // the followers' own look at the database covers a failed read
        );
    }
  }

  /**
   * A client of another process follows the run's text (this process's own asks come back too).
   * Executing it here: the text so far goes out as one delta from offset 0 (the follower skips what
   * it has), then every delta. Not yet: it is shared if it starts here.
   */
  private followedElsewhere(id: string): void {
    const channel = this.channels.get(id);
    if (!channel?.live) {
      if (this.wanted.size >= MAX_WANTED) this.wanted.delete(this.wanted.values().next().value as string);
      this.wanted.add(id);
      return;
    }
    this.share(id, channel);
  }

  /** From now on its deltas are announced, after the text so far (a follower skips what it has). */
  private share(id: string, channel: Channel): void {
    channel.shared = true;
    if (channel.text) this.outbox?.send({ r: id, k: 'delta', o: 0, x: channel.text });
  }
}
