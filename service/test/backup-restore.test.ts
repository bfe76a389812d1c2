// The backups docs/deploy.md describes, done for real: pg_dump/pg_restore of a PostgreSQL database
// into a new one, and a copy of a stopped service's embedded folder. The service starts on each
// copy with its prompts, versions and sessions, and versions stay immutable after a restore.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { PromptWithVersion } from '../../contract/index.ts';
import { loadConfig } from '../config.ts';
import { startService, type RunningService } from '../server.ts';
import { ApiClient } from '../testing/api-client.ts';
import { createPostgresDatabase } from './support/databases.ts';
import { silentLogger } from '../testing/test-app.ts';

const run = promisify(execFile);
const CREDENTIALS = { PROMPTREFINE_EMAIL: 'owner@example.com', PROMPTREFINE_PASSWORD: 'a long enough password' };

async function tool(command: string, args: string[]): Promise<void> {
  try {
    await run(command, args);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(
      e.code === 'ENOENT' ? `${command} is missing: install the PostgreSQL client tools (Debian/Ubuntu: apt-get install postgresql-client).` : `${command} failed: ${e.stderr ?? e.message}`,
    );
  }
}

const start = (env: Record<string, string>) => startService(loadConfig({ PORT: '0', ...CREDENTIALS, ...env }), { logger: silentLogger() });

/** Writes a prompt with two versions; returns the signed-in client and the prompt. */
async function writeSomething(service: RunningService): Promise<{ api: ApiClient; prompt: PromptWithVersion }> {
  const api = new ApiClient(service.url);
  await api.ok('POST', '/api/auth/signin', { email: CREDENTIALS.PROMPTREFINE_EMAIL, password: CREDENTIALS.PROMPTREFINE_PASSWORD });
  const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Backed up', content: 'v1' });
  await api.ok('POST', `/api/prompts/${prompt.id}/versions`, { content: 'v2' });
  return { api, prompt };
}

async function assertRestored(service: RunningService, cookie: string | undefined, promptId: string): Promise<void> {
  const api = new ApiClient(service.url);
  api.cookie = cookie;
  assert.notEqual((await api.ok<{ user: unknown }>('GET', '/api/auth/session')).user, null, 'still signed in');
  const versions = await api.ok<{ items: { versionNumber: number; content: string }[] }>('GET', `/api/prompts/${promptId}/versions`);
  assert.deepEqual(versions.items.map((v) => [v.versionNumber, v.content]), [[2, 'v2'], [1, 'v1']]);
  await assert.rejects(service.database.db.execute(sql`update prompt_versions set content = 'changed'`), 'versions are still immutable');
}

describe('backups, as docs/deploy.md describes them', () => {
  it('pg_dump -Fc and pg_restore into a new database keep everything [PostgreSQL]', async function () {
    this.timeout(300_000);
    const source = await createPostgresDatabase();
    const target = await createPostgresDatabase();
    const dir = mkdtempSync(join(tmpdir(), 'promptrefine-backup-'));
    try {
      const original = await start({ DATABASE_URL: source.url });
      let written: Awaited<ReturnType<typeof writeSomething>>;
      try {
        written = await writeSomething(original);
        // A dump of a running service: pg_dump reads one consistent snapshot.
        await tool('pg_dump', ['--format=custom', '--no-owner', `--file=${join(dir, 'promptrefine.dump')}`, `--dbname=${source.url}`]);
      } finally {
        await original.close();
      }
      await tool('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${target.url}`, join(dir, 'promptrefine.dump')]);
      const restored = await start({ DATABASE_URL: target.url });
      try {
        await assertRestored(restored, written.api.cookie, written.prompt.id);
      } finally {
        await restored.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await source.drop();
      await target.drop();
    }
  });

  it('a copy of the embedded folder made while the service is stopped starts with everything [PGlite]', async function () {
    this.timeout(300_000);
    const dir = mkdtempSync(join(tmpdir(), 'promptrefine-backup-'));
    const live = join(dir, 'live');
    const copy = join(dir, 'copy');
    try {
      const original = await start({ PROMPTREFINE_DATA_DIR: live });
      const written = await writeSomething(original);
      await original.close();
      cpSync(live, copy, { recursive: true, preserveTimestamps: true });
      assert.equal(statSync(copy).mode & 0o777, statSync(live).mode & 0o777, 'the copy keeps the folder mode');
      const restored = await start({ PROMPTREFINE_DATA_DIR: copy });
      try {
        await assertRestored(restored, written.api.cookie, written.prompt.id);
      } finally {
        await restored.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
