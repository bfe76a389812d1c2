// Opens the service's database: real PostgreSQL when a URL is given, else the embedded PGlite.
// Both are driven through the same drizzle schema and the same migration files.
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Assume } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { DatabaseKind } from '../../contract/index.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { PGDATA, secureDataDir, withPrivateUmask } from './data-dir-permissions.ts';
import { PglitePreparedStatements } from './pglite-prepared.ts';
import { pgliteBus, postgresBus, type ListenerEvent, type NotificationBus } from './notifications.ts';
import { postgresConnection } from './postgres-tls.ts';
import { checkSchemaVersion } from './schema-version.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;
/**
 * What raw queries answer on both drivers: node-postgres's QueryResult and PGlite's Results both
 * carry the rows as `rows`.
 */
export interface RowsQueryResultHKT extends PgQueryResultHKT {
  type: RowsResult<Assume<this['row'], Record<string, unknown>>>;
}
interface RowsResult<T> {
  rows: T[];
}
/** What queries see: the drizzle API common to node-postgres and PGlite. */
export type Database = PgDatabase<RowsQueryResultHKT, Schema>;
/** A transaction of Database, as `db.transaction()` hands it to its callback. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Where a query runs: the database itself, or a transaction of it. Query functions take this. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /** Events across every process on this database (notifications.ts); publish() goes through an executor. */
  notifications: NotificationBus;
  /** Applies every migration not yet applied. Safe to call from several processes at once on PostgreSQL. */
  migrate(): Promise<void>;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  /** Runs one statement of a run's path as a named prepared statement, past drizzle's mapping (see RawQuery). */
  rawQuery: RawQuery;
  /** The embedded database folder's lock, held while open (absent on PostgreSQL and in memory). */
  dataDirLock?: DataDirLock;
  close(): Promise<void>;
}

/**
 * One statement by its SQL text and positional values, answering its rows as the driver parses
 * them (timestamps as Date, jsonb as values). It is a named prepared statement, parsed and planned
 * once per connection (on the embedded database, see pglite-prepared.ts).
 * For the few statements on every run's path (run-statements.ts): drizzle's mapping of each
 * column, worth it elsewhere, cost as much there as PGlite took to run them.
 */
export type RawQuery = (name: string, text: string, values: unknown[]) => Promise<Record<string, unknown>[]>;

/** A raw query's failure as drizzle reports its own (a DrizzleQueryError around the driver's), so errors read alike everywhere. */
async function asDrizzleQuery<T>(text: string, values: unknown[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new DrizzleQueryError(text, values, error as Error);
  }
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
// Any constant works; it only has to be the same in every process of this service.
const MIGRATION_LOCK_KEY = 7_120_481_633;

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL. Absent: the embedded database. */
  databaseUrl?: string;
  /** Where the embedded database lives; absent (with no URL): in memory, as tests use it. */
  dataDir?: string;
  /** Told how many entries of an existing embedded database folder other users could read (now fixed). */
  onDataDirRepaired?: (entries: number) => void;
  /** A CA file for TLS to PostgreSQL, when DATABASE_URL has no sslrootcert (postgres-tls.ts). */
  caFile?: string;
  /** Called with errors of idle connections, which must not crash the process. */
  onIdleError?: (error: Error) => void;
  poolSize?: number;
  /** Told when the PostgreSQL LISTEN connection drops, fails to reconnect, or is back. */
  onListenerEvent?: (event: ListenerEvent) => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openEmbedded(options.dataDir, options.onDataDirRepaired);
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const { connectionString, ssl } = postgresConnection(url, options.caFile);
  const pool = new pg.Pool({
    connectionString,
    ...(ssl === undefined ? {} : { ssl }),
    max: options.poolSize ?? 10,
    // Fail fast when the server is gone, so requests answer 503 instead of hanging.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // A server restart kills idle connections; without a listener that error would end the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  const db: Database = drizzlePg({ client: pool, schema });
  const notifications = postgresBus({
    connection: { connectionString, ...(ssl === undefined ? {} : { ssl }), connectionTimeoutMillis: 5_000 },
    ...(options.onListenerEvent ? { onEvent: options.onListenerEvent } : {}),
  });
  return {
    db,
    kind: 'postgres',
    notifications,
    async migrate() {
      // An advisory lock on one dedicated connection keeps two starting services from migrating at once.
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          if ((await checkSchemaVersion(drizzlePg({ client, schema }))) === 'behind') {
            await migratePg(drizzlePg({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
          }
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    rawQuery: (name, text, values) => asDrizzleQuery(text, values, async () => (await pool.query<Record<string, unknown>>({ name, text, values })).rows),
    async close() {
      await notifications.close();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  if (!dataDir) return PGlite.create('memory://', { extensions: { pg_trgm } });
  const client = await withPrivateUmask(() => PGlite.create(`file://${dataDir}/${PGDATA}`, { extensions: { pg_trgm } }));
  try {
    // PGlite sets some modes itself (0666 for the files of a new database, 0644 for the catalog
    // cache it writes at every start), which no umask prevents: those are made private again here.
    // They were never readable by others, as the folder around them is already 0700.
    secureDataDir(dataDir);
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

async function openEmbedded(dataDir: string | undefined, onRepaired?: (entries: number) => void): Promise<DatabaseHandle> {
  let lock: DataDirLock | undefined;
  if (dataDir) {
    // Before PGlite writes anything: the folder is the user's only, and what an older version left
    // readable by others is made private (and said so).
    const repaired = secureDataDir(dataDir);
    if (repaired > 0) onRepaired?.(repaired);
    // PGlite has no multi-process access: a second process on the same folder would corrupt it.
    lock = acquireDataDirLock(dataDir);
  }
  let client: PGlite;
  try {
    client = await openPglite(dataDir);
  } catch (error) {
    lock?.release();
    throw error;
  }
  const db: Database = drizzlePglite({ client, schema });
  const notifications = pgliteBus(client);
  const prepared = new PglitePreparedStatements(client);
  return {
    db,
    kind: 'embedded',
    ...(lock ? { dataDirLock: lock } : {}),
    notifications,
    async migrate() {
      if ((await checkSchemaVersion(db)) === 'behind') {
        await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
      }
    },
    async ping() {
      await client.query('select 1');
    },
    rawQuery: (name, text, values) => asDrizzleQuery(text, values, () => prepared.query(name, text, values)),
    async close() {
      try {
        await notifications.close();
        if (!client.closed) await client.close();
      } finally {
        lock?.release();
      }
    },
  };
}
