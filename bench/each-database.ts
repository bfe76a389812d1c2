// Runs a measurement on both databases the service runs on, one after the other: the embedded
// PGlite in memory, then a new database on the local PostgreSQL (dropped after).
import { openDatabase, type DatabaseHandle } from '../service/db/connect.ts';
import { createPostgresDatabase } from '../service/testing/postgres-database.ts';

export const EMBEDDED_LABEL = 'embedded (PGlite, in memory)';
export const POSTGRES_LABEL = 'PostgreSQL 127.0.0.1';

/** `measure` once per database, migrated and empty; resolves with what each gave, embedded first. */
export async function onEachDatabase<T>(measure: (handle: DatabaseHandle, label: string) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  const embedded = await openDatabase({});
  try {
    await embedded.migrate();
    results.push(await measure(embedded, EMBEDDED_LABEL));
  } finally {
    await embedded.close();
  }
  const created = await createPostgresDatabase();
  const postgres = await openDatabase({ databaseUrl: created.url });
  try {
    await postgres.migrate();
    results.push(await measure(postgres, POSTGRES_LABEL));
  } finally {
    await postgres.close();
    await created.drop();
  }
  return results;
}
