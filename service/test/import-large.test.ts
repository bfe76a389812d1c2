// A 50 MB backup imports into a service whose JavaScript heap is capped well below what holding
// the document several times over would take. The document is generated piece by piece and sent
// with backpressure, so the test process does not hold it either.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportSummary } from '../../contract/index.ts';
import { ApiClient } from '../testing/api-client.ts';
import { createPostgresDatabase } from './support/databases.ts';
import { byteLength, largeDocument, shapeForMegabytes } from './support/large-document.ts';
import { kill, startServiceProcess, type ServiceProcess } from './support/service-process.ts';

const USER = { email: 'large@example.com', password: 'a long enough password' };
// Measured on this code: the import fits in a 150 MB heap and runs out of memory in 100 MB.
const HEAP_MB = 192;

function postStreamed(url: string, cookie: string, pieces: Iterable<string>, length: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(length), cookie },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c) => (body += String(c)));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    const iterator = pieces[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        const next = iterator.next();
        if (next.done) return void req.end();
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

/** The peak resident memory of a process, from Linux's /proc (undefined elsewhere). */
function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

for (const kind of ['PostgreSQL', 'PGlite'] as const) {
  describe(`import of a 50 MB document [${kind}]`, function () {
    this.timeout(600_000);
    let service: ServiceProcess | undefined;
    let drop: (() => Promise<void>) | undefined;
    let dir: string | undefined;
    afterEach(async () => {
      await kill(service, 'SIGTERM');
      await drop?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it(`imports it with the service's heap capped at ${HEAP_MB} MB`, async () => {
      const env: Record<string, string> = {
        PROMPTREFINE_EMAIL: USER.email,
        PROMPTREFINE_PASSWORD: USER.password,
        NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}`,
      };
      if (kind === 'PostgreSQL') {
        const created = await createPostgresDatabase();
        drop = created.drop;
        env.DATABASE_URL = created.url;
      } else {
        dir = mkdtempSync(join(tmpdir(), 'promptrefine-large-'));
        env.PROMPTREFINE_DATA_DIR = join(dir, 'data');
      }
      service = await startServiceProcess(env);
      const api = new ApiClient(service.url);
      await api.ok('POST', '/api/auth/signin', USER);

      const shape = shapeForMegabytes(50);
      const length = byteLength(shape);
      assert.ok(length >= 50 * 1000 * 1000, `the document is ${length} bytes`);
      const res = await postStreamed(service.url, api.cookie as string, largeDocument(shape), length);
      assert.equal(res.status, 200, res.body.slice(0, 500));
      const summary = (JSON.parse(res.body) as { data: ImportSummary }).data;
      assert.deepEqual(summary.created, {
        prompts: shape.prompts,
        versions: shape.prompts * shape.versionsPerPrompt,
        testRuns: shape.prompts * shape.runsPerPrompt,
        cases: 0,
      });
      assert.deepEqual(summary.conflicts, []);
      const peak = peakRssMb(service.process.pid);
      if (peak !== undefined) process.stdout.write(`      (${(length / 1e6).toFixed(1)} MB imported; the service's peak RSS was ${peak.toFixed(0)} MB)\n`);
    });
  });
}
