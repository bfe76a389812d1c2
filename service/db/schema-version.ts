// A database that a newer version of PromptRefine migrated is never opened by an older one: its
// tables may mean things this version does not know, and writing to them could lose data. The
// user is told to update instead (there is no downgrade).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { MIGRATIONS_FOLDER, type Database } from './connect.ts';
import { queryRows } from './raw-query.ts';

export class NewerDatabaseError extends Error {
  override name = 'NewerDatabaseError';
}

/** The time stamp of the last migration this version ships (drizzle records it per migration). */
function lastKnownMigration(): number {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  return Math.max(...journal.entries.map((e) => e.when));
}

/**
 * Refuses a database a newer version migrated; otherwise says whether migrations remain to apply.
 * 'current': the last migration applied is this version's last one. drizzle's migrator applies only
 * those newer than the last applied, so it would do nothing: the caller skips it, and with it the
 * reading and hashing of every migration file at each start.
 */
export async function checkSchemaVersion(db: Database): Promise<'current' | 'behind'> {
  // Two statements: a name in a query is resolved before it runs, even in a branch never taken.
  const [table] = await queryRows<{ exists: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`);
  if (!table?.exists) return 'behind';
  const [row] = await queryRows<{ newest: string | number | null }>(db, sql`select max(created_at) as newest from drizzle.__drizzle_migrations`);
  const newest = row?.newest === null || row?.newest === undefined ? undefined : Number(row.newest);
  const last = lastKnownMigration();
  if (newest !== undefined && newest > last) {
    throw new NewerDatabaseError(
      'This database was upgraded by a newer version of PromptRefine, and this older version will not open it ' +
        '(it could misread or damage data it does not know). Update PromptRefine (or the extension) to the newest version.',
    );
  }
  return newest === last ? 'current' : 'behind';
}
