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

export async function refuseNewerDatabase(db: Database): Promise<void> {
  // Two statements: a name in a query is resolved before it runs, even in a branch never taken.
  const [table] = await queryRows<{ exists: boolean }>(db, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as exists`);
  if (!table?.exists) return;
  const [row] = await queryRows<{ newest: string | number | null }>(db, sql`select max(created_at) as newest from drizzle.__drizzle_migrations`);
  const newest = row?.newest === null || row?.newest === undefined ? undefined : Number(row.newest);
  if (newest !== undefined && newest > lastKnownMigration()) {
    throw new NewerDatabaseError(
      'This database was upgraded by a newer version of PromptRefine, and this older version will not open it ' +
        '(it could misread or damage data it does not know). Update PromptRefine (or the extension) to the newest version.',
    );
  }
}
