import type { Assume, SQL } from 'drizzle-orm';
import type { Executor } from './connect.ts';

/** Runs raw SQL and returns its rows; node-postgres and PGlite both answer with `{ rows }`. */
export async function queryRows<T extends Record<string, unknown> = Record<string, unknown>>(db: Executor, query: SQL): Promise<Assume<T, Record<string, unknown>>[]> {
  const result = await db.execute<T>(query);
  return result.rows;
}
