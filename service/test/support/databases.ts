// Every service suite runs twice: on the embedded PGlite and on the real PostgreSQL server.
// PostgreSQL is not optional: when it cannot be reached the suite fails and says how to fix it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { DatabaseKind } from '../../../contract/index.ts';
import { openDatabase, type DatabaseHandle } from '../../db/connect.ts';

export const ADMIN_URL = process.env.PROMPTREFINE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  kind: DatabaseKind;
  handle: DatabaseHandle;
  /** The PostgreSQL URL of this test database (absent for the embedded one). */
  url: string | undefined;
  /** Empties every table, so each test starts on a clean database. */
  reset(): Promise<void>;
}

const TABLES = ['templates', 'test_runs', 'prompt_versions', 'prompts', 'sessions', 'sign_in_attempts', 'users', 'settings'];

async function truncateAll(handle: DatabaseHandle): Promise<void> {
  // prompt_versions refuses TRUNCATE (its immutability trigger). Tests are the one place that must
  // wipe it, so replication mode, which skips ordinary triggers, is set for this transaction only.
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(sql.raw(`truncate ${TABLES.join(', ')} cascade`));
  });
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The real PostgreSQL test server at ${ADMIN_URL} cannot be reached (${(error as Error).message}). ` +
        'These suites run on both PGlite and PostgreSQL, every run: start PostgreSQL ' +
        "(here: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start) or set PROMPTREFINE_TEST_POSTGRES_URL.",
    );
  }
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A new, empty, migrated PostgreSQL database; dropped by the returned function. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `promptrefine_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
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
