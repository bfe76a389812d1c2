// Throwaway PostgreSQL databases on the local test server, for the service's tests and the
// benchmark: each gets a new, empty database of its own and drops it when done.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const ADMIN_URL = process.env.PROMPTREFINE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

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

