import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCK_FILE, parseLockInfo } from '../../contract/lock-file.ts';
import { acquireDataDirLock, DataDirBusyError } from '../db/data-dir-lock.ts';

const CONTENDER = fileURLToPath(new URL('./support/lock-contender.ts', import.meta.url));
// A pid that does not run: above the kernel's pid_max (at most 2^22).
const DEAD_PID = 4_194_305;

interface Outcome {
  child: ChildProcess;
  line: string;
}

/** Starts `count` processes that all try to lock `dataDir` at the same moment; resolves with what each said. */
async function contend(dataDir: string, count: number): Promise<Outcome[]> {
  // Far enough ahead that every process has loaded (tsx) before the moment comes.
  const startAt = Date.now() + 2_500;
  return Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', CONTENDER, dataDir, String(startAt)], { stdio: ['ignore', 'pipe', 'inherit'] });
      return new Promise<Outcome>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('\n')) resolve({ child, line: out.trim() });
        });
        child.once('exit', (code) => reject(new Error(`a contender exited (${code}) without a word: ${out}`)));
      });
    }),
  );
}

describe('the embedded database folder lock', function () {
  this.timeout(120_000);
  let dataDir: string;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'promptrefine-lock-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('goes to exactly one of many processes trying at the same moment, free or over a stale lock', async () => {
    for (let round = 0; round < 6; round++) {
      // Every other round starts from a lock left by a process killed with SIGKILL.
      if (round % 2 === 1) writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: DEAD_PID }));
      const outcomes = await contend(dataDir, 6);
      children.push(...outcomes.map((o) => o.child));
      const holders = outcomes.filter((o) => o.line === 'held');
      assert.equal(holders.length, 1, `round ${round}: ${outcomes.map((o) => o.line).join(', ')}`);
      const holder = holders[0]!.child.pid;
      for (const other of outcomes.filter((o) => o.line !== 'held')) assert.equal(other.line, `busy ${holder}`, `round ${round}`);
      assert.equal(parseLockInfo(readFileSync(join(dataDir, LOCK_FILE), 'utf8'))?.pid, holder, 'the lock names the holder');
      assert.deepEqual(readdirSync(dataDir), [LOCK_FILE], 'nothing but the lock is left in the folder');
      for (const child of children.splice(0)) child.kill('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (round % 2 === 0) rmSync(join(dataDir, LOCK_FILE));
    }
  });

  it('takes over a lock whose owner is gone, or which cannot be read, and refuses one whose owner runs', () => {
    const path = join(dataDir, LOCK_FILE);
    for (const stale of [JSON.stringify({ pid: DEAD_PID }), '', 'not a lock', `${process.pid}`]) {
      writeFileSync(path, stale);
      const lock = acquireDataDirLock(dataDir);
      assert.equal(parseLockInfo(readFileSync(path, 'utf8'))?.pid, process.pid, `over ${JSON.stringify(stale)}`);
      lock.release();
    }
    const parent = process.ppid;
    writeFileSync(path, JSON.stringify({ pid: parent }));
    assert.throws(() => acquireDataDirLock(dataDir), (error: unknown) => error instanceof DataDirBusyError && error.pid === parent);
    assert.equal(readFileSync(path, 'utf8'), JSON.stringify({ pid: parent }), 'the live lock is untouched');
  });

  it('clears a stale lock past a takeover its holder abandoned (killed while clearing one), not past a fresh one', () => {
    const path = join(dataDir, LOCK_FILE);
    const takeover = `${path}.takeover`;
    writeFileSync(path, JSON.stringify({ pid: DEAD_PID }));
    writeFileSync(takeover, JSON.stringify({ pid: DEAD_PID }));
    // Fresh: another process is clearing the stale lock right now, so this one waits, then gives up.
    assert.throws(() => acquireDataDirLock(dataDir), /keeps changing/);
    assert.equal(readFileSync(path, 'utf8'), JSON.stringify({ pid: DEAD_PID }), 'the stale lock was left to the takeover holder');
    const old = new Date(Date.now() - 60_000);
    utimesSync(takeover, old, old);
    const lock = acquireDataDirLock(dataDir);
    assert.equal(parseLockInfo(readFileSync(path, 'utf8'))?.pid, process.pid);
    assert.deepEqual(readdirSync(dataDir), [LOCK_FILE], 'the abandoned takeover is gone');
    lock.release();
  });

  it('records where the holder listens, refuses the same folder twice in one process, and is gone once released', () => {
    const lock = acquireDataDirLock(dataDir);
    assert.throws(() => acquireDataDirLock(dataDir), DataDirBusyError);
    lock.record({ port: 4321, key: 'k'.repeat(32) });
    assert.deepEqual(parseLockInfo(readFileSync(join(dataDir, LOCK_FILE), 'utf8')), { pid: process.pid, port: 4321, key: 'k'.repeat(32) });
    lock.release();
    assert.deepEqual(readdirSync(dataDir), []);
    acquireDataDirLock(dataDir).release();
  });
});
