// A run's events crossing service processes on one PostgreSQL: the process that executes a run
// announces a new attempt and its end on RUN_EVENTS_CHANNEL, and its deltas once another process
// asked for them; a process whose clients follow that run (an event stream, a `?wait=true`
// request, a batch's progress) passes them on as if it ran it. Asking ('follow') brings the text so
// far as one delta from offset 0, then every later delta: a run nobody follows elsewhere (nearly
// every run) costs one notification, its end, instead of one per send of deltas. New queued runs
// are announced on RUN_QUEUE_CHANNEL, so an idle process claims them at once instead of at its
// next look. Both ride the notification bus of the change feed (one LISTEN connection per
// process); nothing polls while it is up.
//
// Deltas are sent as they come while nothing is being sent, and gathered while a send is under
// way, so a busy process sends fewer, larger notifications and a quiet one sends each delta at
// once. Every send is one statement, in order, so notifications arrive in the order of events.
import { sql } from 'drizzle-orm';
import type { Executor } from '../db/connect.ts';
import { MAX_PAYLOAD_BYTES, type NotificationBus } from '../db/notifications.ts';
import { isFirstHalf } from '../http/storable-text.ts';

export const RUN_EVENTS_CHANNEL = 'promptrefine_run_events';
export const RUN_QUEUE_CHANNEL = 'promptrefine_run_queue';

/** What crosses between processes: short keys, as a notification carries at most 8000 bytes. */
export type WireEvent =
  | { r: string; k: 'start' }
  /** A process has a client following the run's text: the process executing it sends its deltas. */
  | { r: string; k: 'follow' }
  | { r: string; k: 'delta'; o: number; x: string }
  | { r: string; k: 'reset'; a: number; m: string }
  | { r: string; k: 'done' };

/** Room for a delta's text once the rest of its JSON is counted (ids, keys, escaping). */
const DELTA_TEXT_BYTES = Math.floor((MAX_PAYLOAD_BYTES - 200) / 6);

export function parseWireEvent(payload: string): WireEvent | undefined {
  try {
    const value = JSON.parse(payload) as Partial<WireEvent> & Record<string, unknown>;
    if (typeof value.r !== 'string') return undefined;
    if (value.k === 'start' || value.k === 'done' || value.k === 'follow') return { r: value.r, k: value.k };
    if (value.k === 'delta' && typeof value.o === 'number' && typeof value.x === 'string') return { r: value.r, k: 'delta', o: value.o, x: value.x };
    if (value.k === 'reset' && typeof value.a === 'number' && typeof value.m === 'string') return { r: value.r, k: 'reset', a: value.a, m: value.m.slice(0, 500) };
  } catch {
    // Not ours, or cut: ignored.
  }
  return undefined;
}

/** Splits a delta so each part's notification fits (JSON may escape a character into six bytes). */
export function splitDelta(runId: string, offset: number, text: string): WireEvent[] {
  const parts: WireEvent[] = [];
  for (let at = 0; at < text.length; at += DELTA_TEXT_BYTES) {
    let end = Math.min(text.length, at + DELTA_TEXT_BYTES);
    // Never split a surrogate pair.
    if (end < text.length && isFirstHalf(text.charCodeAt(end - 1))) end--;
    parts.push({ r: runId, k: 'delta', o: offset + at, x: text.slice(at, end) });
    at = end - DELTA_TEXT_BYTES;
  }
  return parts;
}

/** Sends run events in order, one statement per send, gathering what comes while one is under way. */
export class RunEventOutbox {
  private readonly waiting: WireEvent[] = [];
  private sending = false;

  constructor(
    private readonly db: Executor,
    private readonly onError: (error: unknown) => void,
  ) {}

  send(event: WireEvent): void {
    const last = this.waiting.at(-1);
    // A delta right after a waiting delta of the same run joins it.
    if (event.k === 'delta' && last?.k === 'delta' && last.r === event.r && last.o + last.x.length === event.o && last.x.length + event.x.length <= DELTA_TEXT_BYTES) {
      last.x += event.x;
    } else if (event.k === 'delta') {
      this.waiting.push(...splitDelta(event.r, event.o, event.x));
    } else {
      this.waiting.push(event);
    }
    if (!this.sending) void this.flush();
  }

  /** Announces that runs were queued, so idle processes claim them now. */
  async queued(executor: Executor = this.db): Promise<void> {
    await executor.execute(sql`select pg_notify(${RUN_QUEUE_CHANNEL}, '')`);
  }

  private async flush(): Promise<void> {
    this.sending = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, 20).map((e) => sql`pg_notify(${RUN_EVENTS_CHANNEL}, ${JSON.stringify(e)})`);
        try {
          // One statement (one round trip); its calls run left to right, so the notifications go out in order.
          await this.db.execute(sql`select ${sql.join(batch, sql`, `)}`);
        } catch (error) {
          // Followers elsewhere then miss these events; the run's end still reaches them from the database.
          this.onError(error);
        }
      }
    } finally {
      this.sending = false;
    }
  }
}

export interface RunEventFeed {
  onEvent(event: WireEvent): void;
  onQueued(): void;
  /** Events may have been missed: followers look at the database themselves until onRestored. */
  onInterrupted(): void;
  onRestored(): void;
}

/** Listens on both channels; resolves once events published from now on are delivered. */
export async function listenForRunEvents(bus: NotificationBus, feed: RunEventFeed): Promise<() => void> {
  const stopEvents = await bus.subscribe(RUN_EVENTS_CHANNEL, {
    listener: (payload) => {
      const event = parseWireEvent(payload);
      if (event) feed.onEvent(event);
    },
    onInterrupted: () => feed.onInterrupted(),
    onRestored: () => feed.onRestored(),
  });
  const stopQueue = await bus.subscribe(RUN_QUEUE_CHANNEL, { listener: () => feed.onQueued() });
  return () => {
    stopEvents();
    stopQueue();
  };
}
