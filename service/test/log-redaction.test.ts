// Logs never carry what a failed query was given: a session id, prompt text, a search term or a
// model's output. Each error path that logs (the error handler, the run queue, lost connections)
// is forced for real by making a table unusable, with known values planted in the requests, and
// every line written is searched for them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { PromptWithVersion, TestRun } from '../../contract/index.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../tools/fake-openai/server.ts';
import { loadConfig } from '../config.ts';
import { startService, type RunningService } from '../server.ts';
import { ApiClient } from '../testing/api-client.ts';
import { ADMIN_URL, createPostgresDatabase } from './support/databases.ts';
import { captureLogs, type LogCapture } from './support/log-capture.ts';

const KEY = 'sk-test-log-redaction-0123456789';
const CREDENTIALS = { PROMPTREFINE_EMAIL: 'owner@example.com', PROMPTREFINE_PASSWORD: 'a long enough password' };

const planted = (what: string) => `planted-${what}-${randomBytes(6).toString('hex')}`;

for (const kind of ['embedded', 'postgres'] as const) {
  describe(`logs without query values [${kind === 'embedded' ? 'PGlite' : 'PostgreSQL'}]`, () => {
    let fake: FakeOpenAI;
    let dataDir: string | undefined;
    let created: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
    let service: RunningService;
    let logs: LogCapture;
    let api: ApiClient;

    const exec = (statement: string) => service.database.db.execute(sql.raw(statement));

    beforeEach(async function () {
      this.timeout(60_000);
      fake = await startFakeOpenAI({ apiKey: KEY });
      const env: Record<string, string> = {
        PORT: '0',
        ...CREDENTIALS,
        OPENAI_API_KEY: KEY,
        OPENAI_BASE_URL: fake.url,
        PROMPTREFINE_RUN_MAX_ATTEMPTS: '1',
      };
      if (kind === 'embedded') env.PROMPTREFINE_DATA_DIR = dataDir = mkdtempSync(join(tmpdir(), 'promptrefine-logs-'));
      else env.DATABASE_URL = (created = await createPostgresDatabase()).url;
      logs = captureLogs();
      service = await startService(loadConfig(env), { logger: logs.logger });
      api = new ApiClient(service.url);
      await api.ok('POST', '/api/auth/signin', { email: CREDENTIALS.PROMPTREFINE_EMAIL, password: CREDENTIALS.PROMPTREFINE_PASSWORD });
    });
    afterEach(async () => {
      await service?.close();
      await fake?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      await created?.drop();
      dataDir = undefined;
      created = undefined;
    });

    function assertNoneLogged(values: string[]) {
      assert.ok(logs.lines.length > 0);
      for (const line of logs.lines) {
        for (const value of values) assert.ok(!line.includes(value), `a log line carries the planted value ${value}: ${line}`);
      }
    }

    const failures = () => logs.entries().filter((entry) => entry.msg === 'request failed');

    it('logs a failed request with its SQLSTATE and SQL text, never the prompt text, title or search term', async () => {
      const title = planted('title');
      const content = planted('content');
      const search = planted('search');
      const tag = planted('tag');
      await exec('alter table prompts rename to prompts_unusable');
      const write = await api.post('/api/prompts', { title, content, tags: [tag] });
      assert.equal(write.status, 500);
      const list = await api.get(`/api/prompts?q=${search}&tag=${tag}`);
      assert.equal(list.status, 500);
      await exec('alter table prompts_unusable rename to prompts');

      assertNoneLogged([title, content, search, tag]);
      const logged = failures();
      assert.equal(logged.length, 2, JSON.stringify(logged));
      for (const entry of logged) {
        const err = entry.err as { cause?: { code?: string }; query?: string };
        assert.equal(entry.sqlstate, '42P01', 'the SQLSTATE (undefined_table) is logged');
        assert.equal(err.cause?.code, '42P01');
        assert.match(err.query ?? '', /"prompts"/, 'which query failed is logged, as SQL text');
      }
    });

    it('never logs the session id of a request whose session lookup failed', async () => {
      const cookie = api.cookie ?? '';
      const signed = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
      const sessionId = signed.slice(2, signed.lastIndexOf('.'));
      assert.ok(sessionId.length >= 20, `a session id was read from the cookie ${cookie}`);
      await exec('alter table sessions rename to sessions_unusable');
      const res = await api.get('/api/prompts');
      assert.equal(res.status, 500);
      await exec('alter table sessions_unusable rename to sessions');
      assertNoneLogged([sessionId, signed, encodeURIComponent(signed)]);
      assert.equal(failures().length, 1);
    });

    it('never logs the input or output of a run whose result could not be saved', async () => {
      const content = planted('prompt');
      const secretInput = planted('variable');
      const prompt = await api.ok<PromptWithVersion>('POST', '/api/prompts', { title: 'Logged run', content: `${content} {{x}}` });
      // The run's final update is refused, so the queue fails while saving the model's output.
      await exec(`create function refuse_finished_run() returns trigger language plpgsql as $$
        begin raise exception 'finished runs are refused by this test'; end $$`);
      await exec(`create trigger refuse_finished_run before update on test_runs
        for each row when (new.status = 'succeeded') execute function refuse_finished_run()`);
      const run = await api.ok<TestRun>('POST', '/api/test-runs', { promptId: prompt.id, model: 'gpt-4.1-mini', inputVariables: { x: secretInput } });
      const entry = await logs.waitFor((e) => e.msg === 'the result of a run could not be saved', 'saying the result could not be saved');
      assert.ok(fake.requests.length >= 1, 'the model was called and answered with the planted text');
      assertNoneLogged([content, secretInput]);
      assert.equal(entry.runId, run.id);
      assert.equal((entry.err as { cause?: { code?: string } }).cause?.code, 'P0001', 'the SQLSTATE (raise_exception) is logged');
    });

    if (kind === 'postgres') {
      it('logs a lost idle connection with its SQLSTATE', async () => {
        const database = new URL(created?.url ?? '').pathname.slice(1);
        const admin = new pg.Client({ connectionString: ADMIN_URL });
        await admin.connect();
        try {
          await admin.query('select pg_terminate_backend(pid, 5000) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
        } finally {
          await admin.end();
        }
        const entry = await logs.waitFor((e) => String(e.msg).startsWith('database connection lost'), 'about the lost connection');
        assert.equal((entry.err as { code?: string }).code, '57P01');
        assert.equal((await api.get('/api/health')).status, 200, 'the service reconnects by itself');
      });
    }
  });
}
