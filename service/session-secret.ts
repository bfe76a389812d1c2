// SESSION_SECRET, or one generated at first start and kept in the database, so cookies signed
// before a restart stay valid after it.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database } from './db/connect.ts';
import { settings } from './db/schema.ts';

const KEY = 'session_secret';

export async function sessionSecret(db: Database, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  // Two processes starting together both insert; the first one wins and both read it back.
  await db.insert(settings).values({ key: KEY, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, KEY));
  if (!row) throw new Error('The session secret could not be stored');
  return row.value;
}
