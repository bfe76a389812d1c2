// Sessions are stored under a SHA-256 of their id: what the database holds (a copy, a dump, the
// WAL) plus the session secret makes no working cookie.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { MIGRATIONS_FOLDER, openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { queryRows } from '../db/raw-query.ts';
import { createPostgresDatabase, DATABASE_KINDS, describeEachDatabase } from './support/databases.ts';
import { forgeCookie, sessionIdOf, sha256Hex } from './support/session-cookie.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

const SECRET = 'test-session-secret';

describeEachDatabase('session ids', (database) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(database(), { sessionSecret: SECRET });
  });
  afterEach(() => app.close());

  const storedRows = () => queryRows<{ row: string; sid_hash: string }>(database().handle.db, sql`select sid_hash, row_to_json(s)::text as row from sessions s`);

  it('stores only a SHA-256 of each session id', async () => {
    const clients = [await app.signedIn(), await app.signedIn()];
    const rows = await storedRows();
    const sids = clients.map((c) => sessionIdOf(c.cookie));
    assert.deepEqual(rows.map((r) => r.sid_hash).sort(), sids.map(sha256Hex).sort());
    for (const sid of sids) assert.ok(!rows.some((r) => r.row.includes(sid)), 'the raw id is in no column');
    // And the hashed key is what the store looks up: each client is still signed in, and signs out.
    for (const client of clients) assert.equal((await client.get('/api/prompts')).status, 200);
    await clients[0]?.post('/api/auth/signout');
    assert.equal((await storedRows()).length, 1);
  });

  it('signs nobody in with a cookie forged from what the database holds and the secret', async () => {
    const victim = await app.signedIn();
    const [row] = await storedRows();
    const forger = app.anonymous();
    forger.cookie = forgeCookie(row?.sid_hash ?? '', SECRET);
    assert.equal((await forger.get('/api/prompts')).status, 401);
    assert.deepEqual((await forger.get('/api/auth/session')).body.data, { user: null, setupRequired: false });
    // The same forgery with the real id does work: the secret alone was never the protection.
    forger.cookie = forgeCookie(sessionIdOf(victim.cookie), SECRET);
    assert.equal((await forger.get('/api/prompts')).status, 200);
  });

  it('gives a new session id at each sign-in and ends the one before (no session fixation)', async () => {
    const api = await app.signedIn();
    const before = api.cookie;
    await api.ok('POST', '/api/auth/signin', { email: 'dev@example.com', password: 'correct horse battery' });
    assert.notEqual(api.cookie, before);
    const old = app.anonymous();
    old.cookie = before;
    assert.equal((await old.get('/api/prompts')).status, 401);
    assert.equal((await storedRows()).length, 1);
  });
});

/** A copy of the migrations folder holding only the migrations before `firstLeftOut`. */
function migrationsUpTo(firstLeftOut: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'promptrefine-migrations-'));
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalPath = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
  const cut = journal.entries.findIndex((e) => e.tag === firstLeftOut);
  assert.ok(cut > 0, `migration ${firstLeftOut} exists`);
  writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, cut) }));
  return folder;
}

describe('upgrading to hashed session ids', () => {
  for (const kind of DATABASE_KINDS) {
    it(`deletes the sessions stored with their raw id, so none of them signs in again [${kind}]`, async function () {
      // Creating an embedded database takes a minute or more on a busy machine.
      this.timeout(300_000);
      const created = kind === 'postgres' ? await createPostgresDatabase() : undefined;
      const handle: DatabaseHandle = await openDatabase({ databaseUrl: created?.url });
      const before = migrationsUpTo('0004_hashed_session_ids');
      try {
        const migrateWith = (migrationsFolder: string) =>
          kind === 'postgres'
            ? migratePg(handle.db as unknown as NodePgDatabase, { migrationsFolder })
            : migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
        await migrateWith(before);
        await handle.db.execute(sql`insert into sessions (sid, sess, expires_at) values ('raw-session-id', '{"userId":"x"}', now() + interval '1 day')`);
        await migrateWith(MIGRATIONS_FOLDER);
        assert.deepEqual(await queryRows(handle.db, sql`select * from sessions`), []);
        const columns = await queryRows<{ column_name: string }>(
          handle.db,
          sql`select column_name from information_schema.columns where table_name = 'sessions' order by column_name`,
        );
        assert.deepEqual(columns.map((c) => c.column_name), ['expires_at', 'sess', 'sid_hash']);
      } finally {
        rmSync(before, { recursive: true, force: true });
        await handle.close();
        await created?.drop();
      }
    });
  }
});
