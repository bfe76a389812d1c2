// The floor of P1 on this machine: the least any service with the same durability pays over a
// direct model call. A bare Node HTTP server (no framework, no session, no validation) that, like
// POST /api/test-runs?wait=true, writes a row before calling the model, makes the same streamed SDK
// call, writes the result, and answers it as JSON. Its statements are prepared and return only what
// the database decides, as the service's are, on the same database handle.
//
// What it adds over the direct call is what two durable commits and one HTTP round trip cost after
// the model's idle; what the service adds beyond it is Express, its checks and its own code.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { DatabaseHandle } from '../service/db/connect.ts';

export interface DurableFloor {
  /** POSTs a request and resolves once the answer is read, as the bench's client reads the service's. */
  call(): Promise<void>;
  /**
   * The floor's insert alone, timed, each after `idleMs` without a statement (0: back to back): what
   * one durable commit costs here, and what the host adds to it when the database was left idle, as
   * it is for the model's latency before a run's result is written.
   */
  insertTimes(idleMs: number, count: number): Promise<number[]>;
  close(): Promise<void>;
}

const INSERT = 'insert into bench_floor (model, input, status) values ($1, $2, $3) returning id, created_at';
const FINISH = "update bench_floor set status = 'succeeded', output = $2, finished_at = now() where id = $1 and status = 'running' returning finished_at";

export async function startDurableFloor(handle: DatabaseHandle, fakeUrl: string, apiKey: string): Promise<DurableFloor> {
  await handle.rawQuery(
    'bench_floor_table',
    'create table if not exists bench_floor (id bigserial primary key, model text not null, input text not null, status text not null, output text, created_at timestamptz not null default now(), finished_at timestamptz)',
    [],
  );
  const client = new OpenAI({ apiKey, baseURL: fakeUrl, maxRetries: 0 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const { model, input } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model: string; input: string };
        const [row] = await handle.rawQuery('bench_floor_insert', INSERT, [model, input, 'running']);
        const stream = await client.responses.create({ model, input, stream: true, store: false });
        let output = '';
        for await (const event of stream) if (event.type === 'response.output_text.delta') output += event.delta;
        const [finished] = await handle.rawQuery('bench_floor_finish', FINISH, [row?.id, output]);
        const body = JSON.stringify({ data: { id: String(row?.id), model, input, status: 'succeeded', output, createdAt: row?.created_at, finishedAt: finished?.finished_at } });
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      })().catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    async call() {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-5.4', input: 'Summarize keyset pagination in one line.' }),
      });
      const answer = (await response.json()) as { data?: { status?: string } };
      if (answer.data?.status !== 'succeeded') throw new Error(`durable floor ${response.status}`);
    },
    async insertTimes(idleMs, count) {
      const samples: number[] = [];
      for (let i = 0; i < count; i++) {
        if (idleMs > 0) await new Promise((resolve) => setTimeout(resolve, idleMs));
        const t = performance.now();
        await handle.rawQuery('bench_floor_insert', INSERT, ['gpt-5.4', 'idle probe', 'running']);
        samples.push(performance.now() - t);
      }
      return samples;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
