// SESSION_SECRET, or one generated at first start and kept in the database, so cookies signed
// before a restart stay valid after it.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Executor } from './db/connect.ts';
import { settings } from './db/schema.ts';

const KEY = 'session_secret';

export const SESSION_SECRET_RULE =
  'at least 32 characters with at least 10 different ones, e.g. the output of `openssl rand -base64 32`';

/** Why a configured SESSION_SECRET is too weak to sign cookies, or undefined when it is fine. */
export function sessionSecretWeakness(secret: string): string | undefined {
  // Length and variety are what can be checked: `a`, `changeme` or 40 times `x` are refused, while
  // 32 random bytes in hex, base64 or base64url pass (hex of only 16 bytes fails 1 time in 25,000).
  if (secret.length < 32) return `has ${secret.length} characters`;
  const distinct = new Set(secret).size;
  if (distinct < 10) return `uses only ${distinct} different characters`;
  return undefined;
}

export async function sessionSecret(db: Executor, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  // Two processes starting together both insert; the first one wins and both read it back.
  await db.insert(settings).values({ key: KEY, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, KEY));
  if (!row) throw new Error('The session secret could not be stored');
  return row.value;
}
