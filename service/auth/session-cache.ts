// Sessions read from memory instead of the database on every request: one round trip less per
// call (issue: a run's overhead). Safe because every change to a session row says so:
//  - in this process, set() and destroy() update the cache themselves;
//  - every process (and the set-password command) announces a destroyed or changed session on the
//    SESSIONS_CHANNEL notification, inside the write's own transaction, and every process drops it;
//  - while the notification connection is down (and until it listens again), nothing is served
//    from memory, so a missed sign-out can never keep a session alive here;
//  - an entry is kept at most MAX_AGE_MS even so, and never past the session's own expiry.
// What remains is the notification's delivery time: a sign-out in process A reaches process B a
// few milliseconds after A answered.
import type { SessionData } from 'express-session';
import type { NotificationBus } from '../db/notifications.ts';

export const SESSIONS_CHANNEL = 'promptrefine_sessions';
/** The payload that drops every session (all signed out, e.g. after a password change). */
export const ALL_SESSIONS = '*';
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 1000;

interface Entry {
  sess: SessionData;
  expiresAt: number;
  cachedAt: number;
}

export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Bumped by every drop: a database read that began before a drop must not put back what the drop
   * removed (the row it read may be the one just deleted).
   */
  private generation = 0;
  /** Only while notifications are known to arrive. */
  private listening = false;
  private unsubscribe: (() => void) | undefined;
  private stopped = false;

  /** Starts listening for changes; until it resolves, nothing is served from memory. */
  async listen(bus: NotificationBus): Promise<void> {
    this.unsubscribe = await bus.subscribe(SESSIONS_CHANNEL, {
      listener: (payload) => (payload === ALL_SESSIONS ? this.dropAll() : this.drop(payload)),
      onInterrupted: () => {
        this.listening = false;
        this.dropAll();
      },
      onRestored: () => {
        this.dropAll();
        this.listening = true;
      },
    });
    // Stopped while subscribing: let go at once.
    if (this.stopped) return this.unsubscribe();
    this.listening = true;
  }

  stop(): void {
    this.stopped = true;
    this.listening = false;
    this.dropAll();
    this.unsubscribe?.();
  }

  /** Taken before a database read; put() with it keeps the read only if nothing was dropped since. */
  mark(): number {
    return this.generation;
  }

  /** A copy of the kept session (express-session changes what it is given), or undefined. */
  get(sidHash: string): SessionData | undefined {
    if (!this.listening) return undefined;
    const entry = this.entries.get(sidHash);
    if (!entry) return undefined;
    const now = Date.now();
    if (now - entry.cachedAt > MAX_AGE_MS || now >= entry.expiresAt) {
      this.entries.delete(sidHash);
      return undefined;
    }
    return structuredClone(entry.sess);
  }

  put(sidHash: string, sess: SessionData, expiresAt: Date, mark: number): void {
    if (!this.listening || mark !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(sidHash, { sess: structuredClone(sess), expiresAt: expiresAt.getTime(), cachedAt: Date.now() });
  }

  drop(sidHash: string): void {
    this.generation++;
    this.entries.delete(sidHash);
  }

  dropAll(): void {
    this.generation++;
    this.entries.clear();
  }
}
