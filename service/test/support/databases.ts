// Every service suite runs twice: on the embedded PGlite and on the real PostgreSQL server.
// PostgreSQL is not optional: when it cannot be reached the suite fails and says how to fix it.
import { sql } from 'drizzle-orm';
import type { DatabaseKind } from '../../../contract/index.ts';
import { openDatabase, type DatabaseHandle } from '../../db/connect.ts';
import { createPostgresDatabase } from '../../testing/postgres-database.ts';

import type { TestDatabase } from '../../testing/test-app.ts';

export { ADMIN_URL, createPostgresDatabase } from '../../testing/postgres-database.ts';
export type { TestDatabase } from '../../testing/test-app.ts';

const TABLES = ['batches', 'test_cases', 'templates', 'test_runs', 'prompt_versions', 'prompts', 'sessions', 'sign_in_attempts', 'users', 'settings'];

async function truncateAll(handle: DatabaseHandle): Promise<void> {
  // prompt_versions refuses TRUNCATE (its immutability trigger). Tests are the one place that must
  // wipe it, so replication mode, which skips ordinary triggers, is set for this transaction only.
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql.raw(`truncate ${TABLES.join(', ')} cascade`));
  });
}

async function openTestDatabase(kind: DatabaseKind): Promise<{ db: TestDatabase; dispose(): Promise<void> }> {
  if (kind === 'embedded') {
    const handle = await openDatabase({});
    await handle.migrate();
    return { db: { kind, handle, url: undefined, reset: () => truncateAll(handle) }, dispose: () => handle.close() };
  }
  const created = await createPostgresDatabase();
  const handle = await openDatabase({ databaseUrl: created.url, poolSize: 20 });
  await handle.migrate();
  return {
    db: { kind, handle, url: created.url, reset: () => truncateAll(handle) },
    dispose: async () => {
      await handle.close();
      await created.drop();
    },
  };
}

export const DATABASE_KINDS: DatabaseKind[] = ['embedded', 'postgres'];

/**
 * Declares `suite` once per database. Each gets its own freshly migrated database for the file,
 * emptied before every test.
 */
export function describeEachDatabase(title: string, suite: (db: () => TestDatabase) => void): void {
  for (const kind of DATABASE_KINDS) {
    describe(`${title} [${kind === 'embedded' ? 'PGlite' : 'PostgreSQL'}]`, function () {
      let opened: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
      before(async function () {
        this.timeout(60_000);
        opened = await openTestDatabase(kind);
      });
      beforeEach(async () => {
        await opened?.db.reset();
      });
      after(async () => {
        await opened?.dispose();
      });
      suite(() => {
        if (!opened) throw new Error(`The ${kind} test database did not open`);
        return opened.db;
      });
    });
  }
}
