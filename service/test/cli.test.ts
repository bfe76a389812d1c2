// `npm run export` and `npm run import` as a user runs them: separate processes on the configured
// database (DATABASE_URL, or the embedded one in PROMPTREFINE_DATA_DIR).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportDocument, type ExportDocument as Doc } from '../../contract/index.ts';
import { acquireDataDirLock } from '../db/data-dir-lock.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { workspaceExport } from '../export/export-use-cases.ts';
import { stringSink } from '../export/sink.ts';
import { createPostgresDatabase } from './support/databases.ts';
import { seedWorkspace } from './support/export-fixtures.ts';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run <script> -- args` in a new process, with only these database settings. */
function npmRun(script: string, args: string[], env: Record<string, string>): Promise<Result> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && k !== 'PROMPTREFINE_DATA_DIR'));
  const child = spawn('npm', ['run', '--silent', script, '--', ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += String(c)));
  child.stderr.on('data', (c) => (stderr += String(c)));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const withoutExportedAt = (text: string) => ({ ...(JSON.parse(text) as Doc), exportedAt: '' });

/** A promptrefine/v1 document of the seeded workspace, made in memory. */
async function seededDocument(): Promise<string> {
  const handle = await openDatabase({});
  try {
    await handle.migrate();
    await seedWorkspace(handle.db);
    const sink = stringSink();
    await workspaceExport(handle.db, 'json').write(sink);
    return sink.text();
  } finally {
    await handle.close();
  }
}

describe('command line: export and import', function () {
  this.timeout(300_000);
  let dir: string;
  let source: string;
  before(async () => {
    source = await seededDocument();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptrefine-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('[PostgreSQL]', () => {
    let created: Awaited<ReturnType<typeof createPostgresDatabase>>;
    let handle: DatabaseHandle;
    beforeEach(async () => {
      created = await createPostgresDatabase();
      handle = await openDatabase({ databaseUrl: created.url });
      await handle.migrate();
    });
    afterEach(async () => {
      await handle.close();
      await created.drop();
    });

    it('imports a backup, exports it again unchanged, and imports it a second time creating nothing', async () => {
      const env = { DATABASE_URL: created.url };
      writeFileSync(join(dir, 'in.json'), source);
      const first = await npmRun('import', [join(dir, 'in.json')], env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /Created: 2 prompts, 4 versions, 3 runs, 2 test cases\./);

      const out = join(dir, 'backup.json');
      const exported = await npmRun('export', ['--format', 'json', '--out', out], env);
      assert.equal(exported.code, 0, exported.stderr);
      assert.match(exported.stderr, /Exported every prompt from PostgreSQL \(DATABASE_URL\) to .*backup\.json/);
      const text = readFileSync(out, 'utf8');
      ExportDocument.parse(JSON.parse(text));
      assert.deepEqual(withoutExportedAt(text), withoutExportedAt(source));
      assert.equal(existsSync(`${out}.partial`), false);

      const again = await npmRun('import', [out], env);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /Created: 0 prompts, 0 versions, 0 runs, 0 test cases\.\nAlready there \(skipped\): 2 prompts, 4 versions, 3 runs, 2 test cases\./);

      const md = await npmRun('export', ['--format', 'markdown'], env);
      assert.equal(md.code, 0, md.stderr);
      assert.ok(md.stdout.startsWith('# PromptRefine prompts\n\n## Review a diff'), md.stdout.slice(0, 100));
    });

    it('refuses an invalid file naming the first bad path, writing nothing, and reports conflicts with exit code 3', async () => {
      const env = { DATABASE_URL: created.url };
      const doc = JSON.parse(source) as Doc;
      (doc.prompts[0]?.versions[1] as { versionNumber: unknown }).versionNumber = 'two';
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(doc));
      const bad = await npmRun('import', [join(dir, 'bad.json')], env);
      assert.equal(bad.code, 1);
      assert.match(bad.stderr, /not a valid promptrefine\/v1 document: prompts\.0\.versions\.1\.versionNumber: .*Nothing was imported/);
      const empty = await npmRun('export', [], env);
      assert.deepEqual((JSON.parse(empty.stdout) as Doc).prompts, []);

      writeFileSync(join(dir, 'in.json'), source);
      assert.equal((await npmRun('import', [join(dir, 'in.json')], env)).code, 0);
      const changed = JSON.parse(source) as Doc;
      (changed.prompts[0] as { title: string }).title = 'Another title';
      writeFileSync(join(dir, 'changed.json'), JSON.stringify(changed));
      const conflicted = await npmRun('import', [join(dir, 'changed.json')], env);
      assert.equal(conflicted.code, 3, conflicted.stderr);
      assert.match(conflicted.stdout, new RegExp(`Conflicts \\(left as they are in the database\\): 1\\n  prompt ${changed.prompts[0]?.id}: .*title`));
    });
  });

  describe('[PGlite]', () => {
    it('imports into and exports from the embedded database in PROMPTREFINE_DATA_DIR', async () => {
      const env = { PROMPTREFINE_DATA_DIR: join(dir, 'data') };
      writeFileSync(join(dir, 'in.json'), source);
      const imported = await npmRun('import', [join(dir, 'in.json')], env);
      assert.equal(imported.code, 0, imported.stderr);
      assert.match(imported.stdout, new RegExp(`into the embedded database in ${join(dir, 'data')}`));
      const exported = await npmRun('export', ['--out', join(dir, 'out.json')], env);
      assert.equal(exported.code, 0, exported.stderr);
      assert.deepEqual(withoutExportedAt(readFileSync(join(dir, 'out.json'), 'utf8')), withoutExportedAt(source));
    });

    it('says so when a running service holds the embedded database, and points to the REST route', async () => {
      const data = join(dir, 'data');
      // What a running service holds: the folder's lock, taken by a live process (this one).
      mkdirSync(data, { mode: 0o700 });
      const lock = acquireDataDirLock(data);
      try {
        const exported = await npmRun('export', ['--out', join(dir, 'out.json')], { PROMPTREFINE_DATA_DIR: data });
        assert.equal(exported.code, 2);
        assert.match(exported.stderr, new RegExp(`The PromptRefine service \\(process ${process.pid}\\) is running on the embedded database`));
        assert.match(exported.stderr, /curl -b jar -o .*out\.json 'http:\/\/127\.0\.0\.1:8787\/api\/export\?format=json'/);
        assert.equal(existsSync(join(dir, 'out.json')), false);
        writeFileSync(join(dir, 'in.json'), source);
        const imported = await npmRun('import', [join(dir, 'in.json')], { PROMPTREFINE_DATA_DIR: data });
        assert.equal(imported.code, 2);
        assert.match(imported.stderr, /--data-binary @.*in\.json http:\/\/127\.0\.0\.1:8787\/api\/import/);
      } finally {
        lock.release();
      }
    });
  });
});
