// No data loss at a kill -9: every version the service acknowledged (201) is there after a SIGKILL
// in the middle of concurrent writes and a restart, numbered without gaps, and the database keeps
// working. On the embedded database this is PGlite's own crash recovery over its files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ListPage, PromptWithVersion, Version } from '../../contract/index.ts';
import { ApiClient } from '../testing/api-client.ts';
import { createPostgresDatabase } from './support/databases.ts';
import { kill, startServiceProcess, type ServiceProcess } from './support/service-process.ts';

const CREDENTIALS = { PROMPTREFINE_EMAIL: 'durable@example.com', PROMPTREFINE_PASSWORD: 'durability test password' };
const WRITERS = 4;
const ACKNOWLEDGED_BEFORE_KILL = 60;

async function allVersions(api: ApiClient, promptId: string): Promise<Version[]> {
  const versions: Version[] = [];
  let cursor: string | null = null;
  do {
    const page: ListPage<Version> = await api.ok<ListPage<Version>>('GET', `/api/prompts/${promptId}/versions?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    versions.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return versions;
}

for (const kind of ['embedded', 'postgres'] as const) {
  describe(`durability at kill -9 [${kind === 'embedded' ? 'PGlite' : 'PostgreSQL'}]`, function () {
    this.timeout(180_000);
    let child: ServiceProcess | undefined;
    let cleanup: () => Promise<void> = async () => {};
    let env: Record<string, string>;

    before(async () => {
      if (kind === 'embedded') {
        const dir = mkdtempSync(join(tmpdir(), 'promptrefine-durable-'));
        env = { ...CREDENTIALS, PROMPTREFINE_DATA_DIR: dir };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      } else {
        const created = await createPostgresDatabase();
        env = { ...CREDENTIALS, DATABASE_URL: created.url };
        cleanup = created.drop;
      }
    });
    after(async () => {
      await kill(child, 'SIGKILL');
      await cleanup();
    });

    it('keeps every acknowledged version after a SIGKILL during concurrent saves, and goes on numbering', async () => {
      child = await startServiceProcess(env);
      const api = new ApiClient(child.url);
      await api.ok('POST', '/api/auth/signin', { email: CREDENTIALS.PROMPTREFINE_EMAIL, password: CREDENTIALS.PROMPTREFINE_PASSWORD });
      const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Durable', content: 'version one' });

      const acknowledged = new Map<string, string>(); // version id → content
      let killed = false;
      let writes = 0;
      const writer = async (w: number) => {
        while (!killed) {
          const content = `writer ${w} save ${writes++}`;
          const res = await api.request<Version>('POST', `/api/prompts/${prompt.id}/versions`, { body: { content } }).catch(() => undefined);
          if (res?.status === 201 && res.body.data) acknowledged.set(res.body.data.id, content);
        }
      };
      const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      while (acknowledged.size < ACKNOWLEDGED_BEFORE_KILL) await new Promise((r) => setTimeout(r, 5));
      // Killed while writes are in flight: some requests were sent and never answered.
      await kill(child, 'SIGKILL');
      killed = true;
      await writing;

      child = await startServiceProcess(env);
      const again = new ApiClient(child.url);
      again.cookie = api.cookie;
      const versions = await allVersions(again, prompt.id);
      const stored = new Map(versions.map((v) => [v.id, v.content]));
      const lost = [...acknowledged].filter(([id, content]) => stored.get(id) !== content);
      assert.deepEqual(lost, [], `${lost.length} acknowledged versions were lost or changed`);
      const numbers = versions.map((v) => v.versionNumber).sort((a, b) => a - b);
      assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => i + 1), 'numbered 1..n without gaps');
      const current = await again.ok<PromptWithVersion>('GET', `/api/prompts/${prompt.id}`);
      assert.equal(current.currentVersionNumber, numbers.length, 'the current version is the newest stored one');

      const next = await again.ok<Version>('POST', `/api/prompts/${prompt.id}/versions`, { content: 'after the crash' });
      assert.equal(next.versionNumber, numbers.length + 1);
      await kill(child, 'SIGTERM');
    });
  });
}
