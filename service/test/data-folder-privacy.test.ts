// The embedded database folder, as `npm start` leaves it: readable by its user only, and holding no
// session id that could be turned into a working cookie.
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { loadConfig } from '../config.ts';
import { DataDirUnsafeError } from '../db/data-dir-permissions.ts';
import { startService } from '../server.ts';
import { ApiClient } from '../testing/api-client.ts';
import { sessionIdOf, sha256Hex } from './support/session-cookie.ts';
import { silentLogger } from '../testing/test-app.ts';

const CREDENTIALS = { PROMPTREFINE_EMAIL: 'owner@example.com', PROMPTREFINE_PASSWORD: 'a long enough password' };
const configFor = (dataDir: string) => loadConfig({ PORT: '0', LOG_LEVEL: 'silent', PROMPTREFINE_DATA_DIR: dataDir, ...CREDENTIALS });

/** Every file and folder under `root` (itself included), with its permission bits. */
function walk(root: string): { path: string; mode: number; isFile: boolean }[] {
  const stats = lstatSync(root);
  const entry = { path: root, mode: stats.mode & 0o7777, isFile: stats.isFile() };
  if (!stats.isDirectory()) return [entry];
  return [entry, ...readdirSync(root).flatMap((name) => walk(join(root, name)))];
}

const openToOthers = (root: string) => walk(root).filter((e) => (e.mode & 0o077) !== 0).map((e) => `${e.mode.toString(8)} ${e.path}`);

function capturingLogger() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

describe('embedded data folder privacy', function () {
  // Creating an embedded database takes a minute or more on a busy machine.
  this.timeout(300_000);
  let parent: string;
  let dataDir: string;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'promptrefine-privacy-'));
    // A folder the service creates itself, as on a first `npm start`.
    dataDir = join(parent, 'data');
  });
  afterEach(() => rmSync(parent, { recursive: true, force: true }));

  it('keeps every folder 0700 and file 0600, and no live session id in any byte of the folder', async () => {
    const service = await startService(configFor(dataDir), { logger: silentLogger() });
    const cookies: string[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const api = new ApiClient(service.url);
        await api.ok('POST', '/api/auth/signin', { email: CREDENTIALS.PROMPTREFINE_EMAIL, password: CREDENTIALS.PROMPTREFINE_PASSWORD });
        await api.ok('POST', '/api/prompts', { title: `Prompt ${i}`, content: 'private content' });
        cookies.push(api.cookie ?? '');
      }
      assert.deepEqual(openToOthers(dataDir), [], 'while the service runs');
    } finally {
      await service.close();
    }
    assert.deepEqual(openToOthers(dataDir), [], 'after it stopped');

    // Every byte of every file, the WAL included, after the service flushed everything.
    const files = walk(dataDir).filter((e) => e.isFile);
    const bytes = files.map((f) => readFileSync(f.path));
    assert.ok(bytes.some((b) => b.includes('private content')), 'the walk does see what the database wrote');
    for (const cookie of cookies) {
      const sid = sessionIdOf(cookie);
      assert.ok(!bytes.some((b) => b.includes(sid)), `the session id ${sid} is in the data folder`);
      assert.ok(bytes.some((b) => b.includes(sha256Hex(sid))), 'its hash is what the database keeps');
    }

    // Those cookies still work after a restart: they are live sessions, not stale ones.
    const again = await startService(configFor(dataDir), { logger: silentLogger() });
    try {
      const api = new ApiClient(again.url);
      api.cookie = cookies[0];
      assert.equal((await api.get('/api/prompts')).status, 200);
    } finally {
      await again.close();
    }
  });

  it('makes a folder an older version left readable by others private at start, and logs how many entries it fixed', async () => {
    const first = await startService(configFor(dataDir), { logger: silentLogger() });
    await first.close();
    // As version 0.1 left it: the folders 0755, the files 0666.
    let loosened = 0;
    for (const entry of walk(dataDir)) {
      chmodSync(entry.path, entry.isFile ? 0o666 : 0o755);
      loosened++;
    }
    // A file of the user's own, which the service does not touch (the folder around it is private).
    writeFileSync(join(dataDir, 'notes.txt'), 'mine');
    chmodSync(join(dataDir, 'notes.txt'), 0o644);

    const { logger, lines } = capturingLogger();
    const second = await startService(configFor(dataDir), { logger });
    try {
      const repaired = lines.map((l) => JSON.parse(l) as { msg: string; entries?: number; level: number }).find((l) => l.entries !== undefined);
      assert.ok(repaired, `a log line says what was repaired: ${lines.join('')}`);
      assert.equal(repaired.entries, loosened);
      assert.match(repaired.msg, /made \d+ files and folders in the embedded database folder private/);
      assert.equal(repaired.level, 40, 'a warning');
      assert.deepEqual(openToOthers(dataDir), [`644 ${join(dataDir, 'notes.txt')}`]);
      assert.equal(lstatSync(dataDir).mode & 0o777, 0o700);
    } finally {
      await second.close();
    }

    // Nothing to repair the next time: no such line.
    const quiet = capturingLogger();
    const third = await startService(configFor(dataDir), { logger: quiet.logger });
    await third.close();
    assert.ok(!quiet.lines.some((l) => l.includes('"entries"')), quiet.lines.join(''));
  });

  it('refuses a shared folder with the sticky bit, such as /tmp, and leaves it as it was', async () => {
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o1777);
    await assert.rejects(startService(configFor(dataDir), { logger: silentLogger() }), (error: Error) => {
      assert.ok(error instanceof DataDirUnsafeError);
      assert.match(error.message, /shared folder/);
      return true;
    });
    assert.equal(lstatSync(dataDir).mode & 0o7777, 0o1777);
    assert.deepEqual(readdirSync(dataDir), []);
  });
});
