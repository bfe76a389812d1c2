// DatabaseHandle.rawQuery runs the statements on every run's path as named prepared statements,
// on PostgreSQL through node-postgres and on the embedded database through PGlite's wire protocol
// (pglite-prepared.ts). What it answers and how it fails must not depend on which.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { errorCode } from '../http/database-errors.ts';
import { describeEachDatabase } from './support/databases.ts';

describeEachDatabase('raw prepared statements', (database) => {
  const raw = (name: string, text: string, values: unknown[]) => database().handle.rawQuery(name, text, values);

  it('takes and answers values as the driver does, again and again by name', async () => {
    const text = 'select $1::int as n, $2::jsonb as j, $3::text as s, $4::timestamptz as at, $5::boolean as b, $6::uuid as u, $7::double precision as d, $8::text as none';
    const at = new Date('2026-11-29T01:02:03.456Z');
    for (const [n, s] of [[42, 'it\'s "quoted" 🦀 \\ $1'], [-1, '']] as const) {
      const rows = await raw('raw_values', text, [n, JSON.stringify({ a: [1, 'x'], b: null }), s, at.toISOString(), true, '0b5e5f43-3d4a-4f39-9d4e-7b7c0c1f2a11', 0.1, null]);
      assert.deepEqual(rows, [{ n, j: { a: [1, 'x'], b: null }, s, at, b: true, u: '0b5e5f43-3d4a-4f39-9d4e-7b7c0c1f2a11', d: 0.1, none: null }]);
    }
    assert.deepEqual(await raw('raw_none', 'select 1 as one where false', []), []);
  });

  it('fails as drizzle fails, with the SQLSTATE, and the next statement runs', async () => {
    const refused = await raw('raw_cast', 'select $1::uuid as u', ['not a uuid']).then(
      () => assert.fail('an invalid uuid was taken'),
      (error: unknown) => error,
    );
    assert.ok(refused instanceof DrizzleQueryError, 'wrapped as drizzle wraps its own failures');
    assert.equal(errorCode(refused), '22P02');
    assert.equal(refused.query, 'select $1::uuid as u', 'the SQL text, never the values, is what logs may show');
    assert.deepEqual(await raw('raw_cast', 'select $1::uuid as u', ['0b5e5f43-3d4a-4f39-9d4e-7b7c0c1f2a11']), [{ u: '0b5e5f43-3d4a-4f39-9d4e-7b7c0c1f2a11' }]);
  });

  it('tries a statement that did not prepare again next time', async () => {
    for (let i = 0; i < 2; i++) {
      await assert.rejects(raw('raw_unknown_column', 'select nope from prompts', []), (error: unknown) => errorCode(error) === '42703');
    }
  });

  it('never runs inside a transaction open elsewhere, nor waits on one beyond its end', async () => {
    const { db } = database().handle;
    let inside = '';
    const open = db.transaction(async (tx) => {
      await tx.execute(sql`set local statement_timeout = 4321`);
      inside = 'set';
      await sleep(150);
      await tx.execute(sql`select 1`);
    });
    while (!inside) await sleep(1);
    const [row] = await raw('raw_setting', "select current_setting('statement_timeout') as timeout", []);
    await open;
    assert.notEqual(row?.timeout, '4321ms', 'the statement ran between the statements of another transaction');
  });
});
