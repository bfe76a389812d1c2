// express-session's store, in the service's own database through drizzle, so it works the same on
// PostgreSQL and on PGlite (connect-pg-simple needs a pg Pool). A restart signs nobody out.
// Rows are keyed by a SHA-256 of the session id, never the id itself: whoever reads the database
// files, a dump or a log of its queries cannot turn what they read into a working cookie.
import './session-data.ts';
import { createHash } from 'node:crypto';
import { and, eq, gt, lt, sql } from 'drizzle-orm';
import session, { type SessionData } from 'express-session';
import type { Database } from '../db/connect.ts';
import { publish, type NotificationBus } from '../db/notifications.ts';
import { sessions } from '../db/schema.ts';
import { ALL_SESSIONS, SESSIONS_CHANNEL, SessionCache } from './session-cache.ts';

const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;
// express-session touches the session at the end of every request and holds the response until the
// store answers. Sessions live for weeks, so pushing the expiry out more often than this is waste.
const TOUCH_INTERVAL_MS = 5 * 60 * 1000;
const MAX_TRACKED_TOUCHES = 10_000;

/** The key a session is stored under. Session ids are 192 random bits, so no salt or slow hash is needed. */
export const hashSessionId = (sid: string): string => createHash('sha256').update(sid).digest('hex');

type Callback<T = void> = (error?: unknown, value?: T) => void;

function expiryOf(sess: SessionData): Date {
  const expires = sess.cookie?.expires;
  if (expires) return new Date(expires);
  return new Date(Date.now() + (sess.cookie?.originalMaxAge ?? DEFAULT_TTL_MS));
}

export class DatabaseSessionStore extends session.Store {
  private readonly lastTouch = new Map<string, number>();
  /** Sessions read recently, dropped on every change anywhere (see session-cache.ts). */
  private readonly cache = new SessionCache();

  constructor(
    private readonly db: Database,
    /** Told of every session destroyed here (sign-out, a new sign-in), to close its open streams. */
    private readonly onDestroy: (sid: string) => void = () => undefined,
    /** Where changes to sessions are announced to every process; without it nothing is cached. */
    bus?: NotificationBus,
  ) {
    super();
    // Until it listens (or if it cannot), every read goes to the database.
    if (bus) this.cache.listen(bus).catch(() => undefined);
  }

  /** Stops serving sessions from memory (the database is closing). */
  close(): void {
    this.cache.stop();
  }

  override get(sid: string, callback: Callback<SessionData | null>): void {
    const sidHash = hashSessionId(sid);
    const cached = this.cache.get(sidHash);
    if (cached) {
      callback(undefined, cached);
      return;
    }
    const mark = this.cache.mark();
    this.db
      .select({ sess: sessions.sess, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(and(eq(sessions.sidHash, sidHash), gt(sessions.expiresAt, sql`now()`)))
      .then(([row]) => {
        if (row) this.cache.put(sidHash, row.sess as SessionData, row.expiresAt, mark);
        callback(undefined, (row?.sess as SessionData | undefined) ?? null);
      }, callback);
  }

  override set(sid: string, sess: SessionData, callback?: Callback): void {
    const expiresAt = expiryOf(sess);
    const sidHash = hashSessionId(sid);
    this.lastTouch.set(sidHash, Date.now());
    this.cache.drop(sidHash);
    this.db
      .transaction(async (tx) => {
        await tx.insert(sessions).values({ sidHash, sess, expiresAt }).onConflictDoUpdate({ target: sessions.sidHash, set: { sess, expiresAt } });
        // Other processes may hold the session as it was.
        await publish(tx, SESSIONS_CHANNEL, sidHash);
      })
      .then(() => callback?.(), (error) => callback?.(error));
  }

  override touch(sid: string, sess: SessionData, callback?: Callback): void {
    const now = Date.now();
    const sidHash = hashSessionId(sid);
    if (now - (this.lastTouch.get(sidHash) ?? 0) < TOUCH_INTERVAL_MS) {
      callback?.();
      return;
    }
    if (this.lastTouch.size >= MAX_TRACKED_TOUCHES) this.lastTouch.clear();
    this.lastTouch.set(sidHash, now);
    this.db
      .update(sessions)
      .set({ expiresAt: expiryOf(sess) })
      .where(eq(sessions.sidHash, sidHash))
      .then(() => callback?.(), (error) => callback?.(error));
  }

  override destroy(sid: string, callback?: Callback): void {
    this.onDestroy(sid);
    const sidHash = hashSessionId(sid);
    this.lastTouch.delete(sidHash);
    this.cache.drop(sidHash);
    this.db
      .transaction(async (tx) => {
        await tx.delete(sessions).where(eq(sessions.sidHash, sidHash));
        await publish(tx, SESSIONS_CHANNEL, sidHash);
      })
      .then(() => callback?.(), (error) => callback?.(error));
  }

  /** Removes expired sessions; the service calls it now and then. */
  async prune(): Promise<void> {
    await this.db.delete(sessions).where(lt(sessions.expiresAt, sql`now()`));
  }
}

/** Signs out everywhere, e.g. after a password change; every process drops its cached sessions. */
export async function destroyAllSessions(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(sessions);
    await publish(tx, SESSIONS_CHANNEL, ALL_SESSIONS);
  });
}
