// What must never happen is refused by the database itself, whatever code talks to it.
import assert from 'node:assert/strict';
import { sql } from 'drizzle-orm';
import { queryRows } from '../db/raw-query.ts';
import { readdirSync } from 'node:fs';
import { MIGRATIONS_FOLDER } from '../db/connect.ts';
import { checkSchemaVersion, NewerDatabaseError } from '../db/schema-version.ts';
import { createPrompt, createVersion } from '../prompts/prompt-use-cases.ts';
import { describeEachDatabase } from './support/databases.ts';

async function rejects(run: () => Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(run, (error: Error) => {
    const messages: string[] = [];
    for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) messages.push(String((e as Error).message));
    assert.match(messages.join(' | '), pattern);
    return true;
  });
}

describeEachDatabase('database rules', (database) => {
  it('refuses UPDATE, DELETE and TRUNCATE of prompt versions in raw SQL', async () => {
    const { db } = database().handle;
    const prompt = await createPrompt(db, { title: 'Immutable', type: 'user', tags: [], content: 'original' });
    const id = prompt.currentVersionId as string;
    await rejects(() => db.execute(sql`update prompt_versions set content = 'changed' where id = ${id}`), /immutable: UPDATE refused/);
    await rejects(() => db.execute(sql`delete from prompt_versions where id = ${id}`), /immutable: DELETE refused/);
    await rejects(() => db.execute(sql`truncate prompt_versions cascade`), /immutable: TRUNCATE refused/);
    assert.deepEqual(await queryRows(db, sql`select content from prompt_versions where id = ${id}`), [{ content: 'original' }]);
  });

  it("refuses a current version that belongs to another prompt", async () => {
    const { db } = database().handle;
    const a = await createPrompt(db, { title: 'A', type: 'user', tags: [], content: 'a' });
    const b = await createPrompt(db, { title: 'B', type: 'user', tags: [], content: 'b' });
    await rejects(
      () => db.execute(sql`update prompts set current_version_id = ${b.currentVersionId} where id = ${a.id}`),
      /prompts_current_version_fk/,
    );
  });

  it('refuses a duplicate version number and a run on a version of another prompt', async () => {
    const { db } = database().handle;
    const a = await createPrompt(db, { title: 'A', type: 'user', tags: [], content: 'a' });
    const b = await createPrompt(db, { title: 'B', type: 'user', tags: [], content: 'b' });
    await rejects(
      () => db.execute(sql`insert into prompt_versions (prompt_id, version_number, content) values (${a.id}, 1, 'dup')`),
      /prompt_versions_prompt_number_idx/,
    );
    await rejects(
      () =>
        db.execute(sql`insert into test_runs (prompt_id, prompt_version_id, version_number, model, api)
          values (${a.id}, ${b.currentVersionId}, 1, 'm', 'chat')`),
      /test_runs_version_fk/,
    );
  });

  it('refuses deleting a prompt that has history', async () => {
    const { db } = database().handle;
    const a = await createPrompt(db, { title: 'A', type: 'user', tags: [], content: 'a' });
    await createVersion(db, a.id, { content: 'a2' });
    await rejects(() => db.execute(sql`delete from prompts where id = ${a.id}`), /foreign key|immutable/);
  });

  it('runs migrations a second time as a no-op', async () => {
    await database().handle.migrate();
    const rows = await queryRows<{ n: number }>(database().handle.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    assert.equal(rows[0]?.n, readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).length);
  });

  it('skips the migrator only when the last migration applied is the newest, and refuses a newer database', async () => {
    const { db } = database().handle;
    assert.equal(await checkSchemaVersion(db), 'current');
    // One migration short, as a database left by the previous version.
    const [newest] = await queryRows<{ id: number; hash: string; created_at: string }>(
      db,
      sql`select id, hash, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`,
    );
    assert.ok(newest);
    await db.execute(sql`delete from drizzle.__drizzle_migrations where id = ${newest.id}`);
    try {
      assert.equal(await checkSchemaVersion(db), 'behind');
    } finally {
      await db.execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${newest.id}, ${newest.hash}, ${newest.created_at})`);
    }
    // What a newer version leaves: a migration this one does not know.
    await db.execute(sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-the-future', 99999999999999)`);
    try {
      await assert.rejects(checkSchemaVersion(db), NewerDatabaseError);
      await assert.rejects(database().handle.migrate(), NewerDatabaseError);
    } finally {
      await db.execute(sql`delete from drizzle.__drizzle_migrations where hash = 'from-the-future'`);
    }
    assert.equal(await checkSchemaVersion(db), 'current');
  });
});
