// Guessing the password is slowed per account, in the database, so rotating client addresses
// (or processes) does not help. A growing delay rather than a lockout: after `freeFailures`
// attempts, each further attempt must wait `delayMs`, doubling per attempt up to `maxDelayMs`.
// So a burst of wrong guesses keeps the right password out for at most `maxDelayMs` after the
// burst ends, while a steady guesser gets one guess per `maxDelayMs`.
//
// An attempt is counted before its password is checked, in one statement that also refuses it when
// the delay is still running: concurrent guesses cannot all slip through while the first is being
// checked. A successful sign-in forgets the count.
import { eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/connect.ts';
import { queryRows } from '../db/raw-query.ts';
import { signInAttempts } from '../db/schema.ts';

export interface SignInThrottle {
  /** Attempts per account without any delay. */
  freeFailures: number;
  /** The wait after the first attempt beyond the free ones; doubles with each further attempt. */
  delayMs: number;
  /** The longest wait. */
  maxDelayMs: number;
  /** A count is forgotten after this long without an attempt. */
  forgetAfterMs: number;
}

export const DEFAULT_SIGN_IN_THROTTLE: SignInThrottle = {
  freeFailures: 5,
  delayMs: 1000,
  maxDelayMs: 60_000,
  forgetAfterMs: 15 * 60 * 1000,
};

/** The wait imposed after the `attempts`-th attempt in a row (the same formula as the SQL below). */
export function delayAfter(attempts: number, throttle: SignInThrottle): number {
  if (attempts <= throttle.freeFailures) return 0;
  return Math.min(throttle.maxDelayMs, throttle.delayMs * 2 ** Math.min(attempts - throttle.freeFailures - 1, 40));
}

export type Claim = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Counts an attempt for this email, or refuses it with the seconds left to wait. */
export async function claimSignInAttempt(db: Executor, email: string, throttle: SignInThrottle): Promise<Claim> {
  const ms = (value: number) => sql`(${value}::double precision * interval '1 millisecond')`;
  // The count this attempt makes: 1 again when the last attempt is long past.
  const attempts = sql`(case when a.last_attempt_at < now() - ${ms(throttle.forgetAfterMs)} then 1 else a.attempts + 1 end)`;
  const delay = (n: ReturnType<typeof sql>) =>
    sql`(case when ${n} <= ${throttle.freeFailures}::int then 0::double precision
          else least(${throttle.maxDelayMs}::double precision,
                     ${throttle.delayMs}::double precision * power(2, least(${n} - ${throttle.freeFailures}::int - 1, 40)))
          end * interval '1 millisecond')`;
  const [row] = await queryRows<{ allowed: boolean; wait_ms: number | null }>(
    db,
    sql`with claimed as (
          insert into sign_in_attempts as a (email_key, attempts, blocked_until, last_attempt_at)
          values (lower(${email}), 1, now() + ${delay(sql`1`)}, now())
          on conflict (email_key) do update
            set attempts = ${attempts}, blocked_until = now() + ${delay(attempts)}, last_attempt_at = now()
            where a.blocked_until <= now()
          returning 1
        )
        select exists (select 1 from claimed) as allowed,
               (select ceil(extract(epoch from (blocked_until - now())) * 1000)::float8
                  from sign_in_attempts where email_key = lower(${email})) as wait_ms`,
  );
  if (row?.allowed) return { allowed: true };
  // Whole seconds, rounded up, so waiting exactly as told is always enough.
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((row?.wait_ms ?? 0) / 1000)) };
}

/** Seconds this key must still wait, without counting an attempt; 0 when it may try now. */
export async function secondsBlocked(db: Executor, key: string): Promise<number> {
  const [row] = await queryRows<{ wait_ms: number | null }>(
    db,
    sql`select ceil(extract(epoch from (blocked_until - now())) * 1000)::float8 as wait_ms
          from sign_in_attempts where email_key = lower(${key}) and blocked_until > now()`,
  );
  return row?.wait_ms ? Math.max(1, Math.ceil(row.wait_ms / 1000)) : 0;
}

/** A successful sign-in: the next wrong guesses are free again. */
export async function forgetSignInAttempts(db: Executor, email: string): Promise<void> {
  await db.delete(signInAttempts).where(eq(signInAttempts.emailKey, sql`lower(${email})`));
}

/** Drops counts nobody added to for a long time (unknown emails would otherwise pile up). */
export async function pruneSignInAttempts(db: Executor, throttle: SignInThrottle): Promise<void> {
  const before = new Date(Date.now() - Math.max(throttle.forgetAfterMs, throttle.maxDelayMs));
  await db.delete(signInAttempts).where(lt(signInAttempts.lastAttemptAt, before));
}
