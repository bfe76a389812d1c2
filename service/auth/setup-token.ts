// The one-time setup token that lets the first account be made over HTTP (POST /api/auth/setup).
// Only someone who can read the data folder or the service's console learns it, so a web page or
// another local user cannot claim a fresh service before its owner does. It is kept in the
// database (every process of one service prints the same token) and written to `setup-token` in
// the data folder; both go as soon as a user exists.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/connect.ts';
import { queryRows } from '../db/raw-query.ts';
import { settings, users } from '../db/schema.ts';

const KEY = 'setup_token';
export const SETUP_TOKEN_FILE = 'setup-token';

export const setupTokenPath = (dataDir: string) => join(dataDir, SETUP_TOKEN_FILE);

/**
 * While no user exists: the setup token (made once, shared by every process). Once one exists:
 * undefined, and any token left from before is forgotten.
 */
export async function ensureSetupToken(db: Executor): Promise<string | undefined> {
  const [user] = await db.select({ id: users.id }).from(users).limit(1);
  if (user) {
    await db.delete(settings).where(eq(settings.key, KEY));
    return undefined;
  }
  await db.insert(settings).values({ key: KEY, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, KEY));
  return row?.value;
}

/** Writes the token where only the folder's owner can read it (folder 0700, file 0600). */
export function writeSetupTokenFile(dataDir: string, token: string): string {
  const path = setupTokenPath(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Removed first: writeFileSync's mode applies only to a file it creates.
  rmSync(path, { force: true });
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return path;
}

export function removeSetupTokenFile(dataDir: string): void {
  rmSync(setupTokenPath(dataDir), { force: true });
}

export const tokensMatch = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Uses the token up and creates the user, in one statement: of two setups racing with the right
 * token, exactly one creates a user. Undefined when the token was already used or a user exists.
 */
export async function consumeTokenAndCreateUser(
  db: Executor,
  token: string,
  values: { email: string; passwordHash: string },
): Promise<{ id: string; email: string; name: string | null } | undefined> {
  const [row] = await queryRows<{ id: string; email: string; name: string | null }>(
    db,
    sql`with consumed as (
          delete from settings
           where key = ${KEY} and value = ${token} and not exists (select 1 from users)
          returning 1
        )
        insert into users (email, name, password_hash)
        select ${values.email}, null, ${values.passwordHash} from consumed
        returning id, email, name`,
  );
  return row;
}

/** The stored token, for comparing in constant time before any write. */
export async function storedSetupToken(db: Executor): Promise<string | undefined> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, KEY));
  return row?.value;
}
