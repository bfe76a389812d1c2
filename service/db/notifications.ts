// A small notification bus over PostgreSQL's NOTIFY, for events that must reach every service
// process on the same database (the change feed today; run events and queue wake-ups later).
//
// publish() runs `pg_notify` on the executor it is given, so inside a transaction the event is part
// of that transaction: PostgreSQL delivers it only after COMMIT, and never for a rollback. The
// embedded PGlite implements NOTIFY with the same semantics, in process. subscribe() fans a channel
// out to this process's listeners: on PostgreSQL through one dedicated LISTEN connection per
// process, which reconnects with backoff when it drops; on PGlite through its own listen().
//
// Payloads are limited to 8000 bytes by PostgreSQL: send ids, and let subscribers read the rest.
import pg from 'pg';
import { sql, type SQL } from 'drizzle-orm';
import type { PGlite } from '@electric-sql/pglite';
import type { Executor } from './connect.ts';

/** PostgreSQL refuses larger NOTIFY payloads (the default block size less the header). */
export const MAX_PAYLOAD_BYTES = 7999;
/** Channel names are used as SQL identifiers in LISTEN, so only plain ones are allowed. */
const CHANNEL = /^[a-z][a-z0-9_]{0,62}$/;

export type NotificationListener = (payload: string) => void;

export interface Subscriber {
  listener: NotificationListener;
  /**
   * The bus lost its connection: notifications sent meanwhile may be missed. Subscribers that must
   * not miss any (a client's view of prompts) end their stream so the client reconnects and reloads.
   */
  onInterrupted?: () => void;
  /** The bus is listening again after an interruption: notifications reach this subscriber again. */
  onRestored?: () => void;
}

export interface NotificationBus {
  /**
   * Resolves once notifications on `channel` reach this subscriber, so anything committed after it
   * resolves is delivered. Returns the function that ends the subscription.
   */
  subscribe(channel: string, subscriber: Subscriber): Promise<() => void>;
  /** Subscriptions open right now on `channel`, or on all channels together (for tests and diagnostics). */
  count(channel?: string): number;
  close(): Promise<void>;
}

function checkChannel(channel: string): void {
  if (!CHANNEL.test(channel)) throw new Error(`Not a notification channel name: ${JSON.stringify(channel)}`);
}

/** Announces `payload` on `channel` to every process, once `executor`'s transaction commits. */
export async function publish(executor: Executor, channel: string, payload: string): Promise<void> {
  await executor.execute(sql`select ${notifyCall(channel, payload)}`);
}

/** `pg_notify(channel, payload)` as an expression, checked like publish(), to add to a statement that writes. */
export function notifyCall(channel: string, payload: string): SQL {
  checkChannel(channel);
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
    throw new Error(`A ${channel} notification of ${Buffer.byteLength(payload)} bytes is over PostgreSQL's limit: send ids only`);
  }
  return sql`pg_notify(${channel}, ${payload})`;
}

/** This process's subscribers by channel; both buses dispatch through it. */
class Fanout {
  readonly channels = new Map<string, Set<Subscriber>>();

  /** Returns the function that removes the subscriber (idempotent). */
  add(channel: string, subscriber: Subscriber): () => void {
    let set = this.channels.get(channel);
    if (!set) {
      set = new Set();
      this.channels.set(channel, set);
    }
    set.add(subscriber);
    const own = set;
    return () => {
      own.delete(subscriber);
      if (own.size === 0 && this.channels.get(channel) === own) this.channels.delete(channel);
    };
  }

  dispatch(channel: string, payload: string): void {
    // A copy: a listener may unsubscribe (or subscribe) while being called.
    for (const subscriber of [...(this.channels.get(channel) ?? [])]) subscriber.listener(payload);
  }

  interrupt(): void {
    for (const set of this.channels.values()) for (const subscriber of [...set]) subscriber.onInterrupted?.();
  }

  restore(): void {
    for (const set of this.channels.values()) for (const subscriber of [...set]) subscriber.onRestored?.();
  }

  count(channel?: string): number {
    if (channel !== undefined) return this.channels.get(channel)?.size ?? 0;
    let total = 0;
    for (const set of this.channels.values()) total += set.size;
    return total;
  }
}

/** The embedded database: PGlite delivers its own NOTIFY, after commit, to listen() callbacks. */
export function pgliteBus(client: PGlite): NotificationBus {
  const fanout = new Fanout();
  // One listen() per channel for the life of the database: channels are few and fixed.
  const listening = new Map<string, Promise<unknown>>();
  return {
    async subscribe(channel, subscriber) {
      checkChannel(channel);
      let started = listening.get(channel);
      if (!started) {
        started = client.listen(channel, (payload) => fanout.dispatch(channel, payload));
        listening.set(channel, started);
        started.catch(() => listening.delete(channel));
      }
      await started;
      return fanout.add(channel, subscriber);
    },
    count: (channel) => fanout.count(channel),
    async close() {
      fanout.channels.clear();
    },
  };
}

/** What the PostgreSQL bus tells its owner's log. Never carries the URL or a password. */
export type ListenerEvent =
  | { state: 'lost'; error: Error; retryInMs: number }
  | { state: 'failed'; error: Error; retryInMs: number }
  | { state: 'restored'; attempts: number };

export interface PostgresBusOptions {
  /** How to connect: the same settings as the pool's (TLS included). */
  connection: pg.ClientConfig;
  onEvent?: (event: ListenerEvent) => void;
  /** First retry delay after a lost connection; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

/**
 * PostgreSQL: one LISTEN connection for the whole process, opened at the first subscription.
 * When it drops, every subscriber is told (it may have missed notifications), and it reconnects
 * with exponential backoff and LISTENs again on every channel.
 */
export function postgresBus(options: PostgresBusOptions): NotificationBus {
  const fanout = new Fanout();
  const retryMs = options.retryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  /** Every channel ever subscribed: few and fixed, so never UNLISTENed. */
  const channels = new Set<string>();
  let client: pg.Client | undefined;
  /** Resolves when `client` is connected and listening on every channel of `channels`. */
  let ready: Promise<pg.Client> | undefined;
  /** Channels LISTENed on the current connection. */
  const listening = new Set<string>();
  let retryTimer: NodeJS.Timeout | undefined;
  let failures = 0;
  let closed = false;

  const listen = async (target: pg.Client, channel: string) => {
    if (listening.has(channel)) return;
    listening.add(channel);
    try {
      await target.query(`LISTEN "${channel}"`);
    } catch (error) {
      listening.delete(channel);
      throw error;
    }
  };

  const discard = (target: pg.Client) => {
    if (client === target) {
      client = undefined;
      ready = undefined;
      listening.clear();
    }
    target.removeAllListeners();
    target.on('error', () => undefined); // a dead client may still emit
    void target.end().catch(() => undefined);
  };

  const scheduleRetry = (error: Error, state: 'lost' | 'failed') => {
    if (closed || retryTimer) return;
    const delay = Math.min(maxRetryMs, retryMs * 2 ** Math.min(failures, 16));
    failures++;
    options.onEvent?.({ state, error, retryInMs: delay });
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      // Nobody listens any more: the next subscription connects again.
      if (closed || ready || fanout.count() === 0) return;
      connect().catch(() => undefined); // a failure schedules the next retry itself
    }, delay);
    retryTimer.unref();
  };

  function connect(): Promise<pg.Client> {
    const target = new pg.Client(options.connection);
    client = target;
    const lost = (error: Error) => {
      if (client !== target) return;
      discard(target);
      fanout.interrupt();
      scheduleRetry(error, 'lost');
    };
    target.on('notification', (message) => fanout.dispatch(message.channel, message.payload ?? ''));
    target.on('error', lost);
    target.on('end', () => lost(new Error('the LISTEN connection ended')));
    ready = (async () => {
      try {
        await target.connect();
        for (const channel of channels) await listen(target, channel);
      } catch (error) {
        if (client === target) {
          discard(target);
          if (fanout.count() > 0) scheduleRetry(error as Error, 'failed');
        }
        throw error;
      }
      if (failures > 0) {
        options.onEvent?.({ state: 'restored', attempts: failures });
        fanout.restore();
      }
      failures = 0;
      return target;
    })();
    return ready;
  }

  return {
    async subscribe(channel, subscriber) {
      checkChannel(channel);
      if (closed) throw new Error('The notification bus is closed');
      channels.add(channel);
      const target = await (ready ?? connect());
      await listen(target, channel);
      return fanout.add(channel, subscriber);
    },
    count: (channel) => fanout.count(channel),
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      fanout.channels.clear();
      if (client) {
        const target = client;
        client = undefined;
        ready = undefined;
        target.removeAllListeners();
        target.on('error', () => undefined);
        await target.end().catch(() => undefined);
      }
    },
  };
}
