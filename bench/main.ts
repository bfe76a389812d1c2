// `npm run bench`: prints figures and ratios against baselines measured in the same run.
// `npm run bench -- --write` also rewrites docs/benchmarks.md with them.
// `npm run bench -- --only export [--write]` measures one section (overhead, peer, cross, lists, versions, start, export, batch or local) and
// replaces only that section of docs/benchmarks.md, leaving the others as they were measured.
// `--peer promptfoo` installs promptfoo (pinned) into a cache folder outside node_modules and measures it too.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { BATCH_CONCURRENCY, BATCH_LATENCY_MS, BATCH_RUNS, measureBatchThroughput, measurePromptfoo } from './batch-throughput.ts';
import { measureExportMemory } from './export-memory.ts';
import { measureExtensionLoad } from './extension-load.ts';
import { e2eMeasurements, measureLocalService, vsixBytes } from './local-service.ts';
import { ensurePromptfoo, measurePeerOverhead, type Peer } from './peer-promptfoo.ts';
import { peerSection } from './peer-section.ts';
import { listsSection } from './lists.ts';
import { versionsSection } from './version-create.ts';
import { startSection } from './warm-start.ts';
import { measureRunOverhead, MODEL_LATENCIES_MS } from './run-overhead.ts';
import { CROSS_BATCH_RUNS, CROSS_CONCURRENCY, CROSS_LATENCY_MS, measureCrossProcess } from './cross-process.ts';
import { ms, ratio, summarize } from './stats.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const EXPORT_RUNS = 100_000;
const EXPORT_BASELINE_RUNS = 10_000;

const SECTIONS = ['overhead', 'peer', 'cross', 'lists', 'versions', 'start', 'export', 'batch', 'local'] as const;
const BATCH_ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 5);
type Section = (typeof SECTIONS)[number];
type Say = (line?: string) => void;
/** promptfoo, when `--peer promptfoo` asks for it (installed once) or PROMPTFOO_BIN names one. */
let promptfooPeer: () => Promise<Peer | undefined> = async () => undefined;

const machine = () => `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`;
const mb = (value: number) => `${value.toFixed(1)} MB`;

/** Issue 13, P1: what the service may add over a direct SDK call. */
const OVERHEAD_AIM = { medianMs: 5, p99Ms: 10 };

async function overheadSection(say: Say): Promise<void> {
  say(`## Service overhead on a model call (fake OpenAI server at ${MODEL_LATENCIES_MS.join(' and ')} ms, ${ITERATIONS} requests each)`);
  say();
  say(`Measured on ${new Date().toISOString().slice(0, 10)} (${machine()}). Each service request is timed against the same call made directly`);
  say('with the SDK, interleaved in one loop, so machine noise hits both. The fake server runs in a process of its own, as a');
  say('provider would; the service, its SDK client and the measuring client share the bench’s process.');
  say();
  const peer = await promptfooPeer();
  const peerOverhead = peer ? await measurePeerOverhead(peer) : [];
  const halfOfPromptfoo = (latency: number) => {
    const r = peerOverhead.find((p) => p.latencyMs === latency);
    return r ? r.addedMs / 2 : undefined;
  };
  say('| database | model latency | measure | direct median | service median | added at median | direct p99 | service p99 | added at p99 | aim met | half of promptfoo’s per-run overhead |');
  say('| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  const verdicts: boolean[] = [];
  const peerVerdicts: boolean[] = [];
  const results = await measureRunOverhead(ITERATIONS);
  for (const r of results) {
    const row = (what: string, direct: typeof r.waitDirect, service: typeof r.waitService) => {
      const addedMedian = service.median - direct.median;
      const addedP99 = service.p99 - direct.p99;
      const met = addedMedian <= OVERHEAD_AIM.medianMs && addedP99 <= OVERHEAD_AIM.p99Ms;
      verdicts.push(met);
      const half = halfOfPromptfoo(r.latencyMs);
      if (half !== undefined && what.startsWith('POST')) peerVerdicts.push(addedMedian < half);
      say(
        `| ${r.database} | ${r.latencyMs} ms | ${what} | ${ms(direct.median)} | ${ms(service.median)} | ${ms(addedMedian)} | ${ms(direct.p99)} | ${ms(service.p99)} | ${ms(addedP99)} | ${met ? 'yes' : 'no'} | ${half === undefined ? 'not measured' : ms(half)} |`,
      );
    };
    row('POST ?wait=true vs SDK call', r.waitDirect, r.waitService);
    row('first streamed delta (SSE vs SDK stream)', r.firstDeltaDirect, r.firstDeltaService);
  }
  say();
  say(`The aim: the service adds at most ${OVERHEAD_AIM.medianMs} ms at the median and ${OVERHEAD_AIM.p99Ms} ms at p99. Met in ${verdicts.filter(Boolean).length} of ${verdicts.length} rows.`);
  say(
    peerVerdicts.length > 0
      ? `Against promptfoo (measured in this run; the next section shows its figures from its own run of the peer section when written separately): a run through the service adds less than half of what promptfoo adds per run in ${peerVerdicts.filter(Boolean).length} of ${peerVerdicts.length} POST rows.`
      : 'promptfoo was not measured in this run (`--peer promptfoo`), so the comparison with half of its per-run overhead is not made.',
  );
  say();
  say('Where a `?wait=true` request spends the time it adds, from the `Server-Timing` header the service sends with it');
  say('(medians of each part over the same requests, so they need not add up to the median above): `accept` is Express from');
  say('the first middleware to the route (body, session, checks), `insert` the run’s insert, `model − direct` the service’s');
  say('model call less the direct call of the same iteration, `result` the result’s write and its hand-over to the request;');
  say('the rest is the request’s way in and the answer’s way out (HTTP on loopback, Node’s parsing, the measuring client).');
  say();
  say('| database | model latency | accept | insert | model − direct | result | rest |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const p = r.waitParts;
    say(`| ${r.database} | ${r.latencyMs} ms | ${ms(p.accept)} | ${ms(p.insert)} | ${ms(p.modelOverDirect)} | ${ms(p.result)} | ${ms(p.rest)} |`);
  }
  say();
  say('The floor: what any service with the same durability pays on this machine. A bare Node HTTP server');
  say('(`bench/durable-floor.ts`: no framework, session or validation) that writes a row before the model call, makes the');
  say('same streamed SDK call, writes the result and answers it as JSON, through the same database handle with prepared');
  say('statements, each request after a direct call of its own as the service’s are. What it adds is two durable commits');
  say('and one HTTP round trip after the model’s idle; what the service adds beyond it is Express, its checks and its code.');
  say();
  say('| database | model latency | floor adds at median | service adds at median | service beyond the floor | floor adds at p99 | floor within the aim | one durable insert: back to back / after the model’s idle (medians) |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  for (const r of results) {
    const floorMedian = r.floor.median - r.floorDirect.median;
    const floorP99 = r.floor.p99 - r.floorDirect.p99;
    const serviceMedian = r.waitService.median - r.waitDirect.median;
    const within = floorMedian <= OVERHEAD_AIM.medianMs && floorP99 <= OVERHEAD_AIM.p99Ms;
    say(`| ${r.database} | ${r.latencyMs} ms | ${ms(floorMedian)} | ${ms(serviceMedian)} | ${ms(serviceMedian - floorMedian)} | ${ms(floorP99)} | ${within ? 'yes' : 'no'} | ${ms(r.insertBackToBack.median)} / ${ms(r.insertAfterIdle.median)} |`);
  }
  say();
  const floorVerdicts = results.flatMap((r) => {
    const half = halfOfPromptfoo(r.latencyMs);
    return half === undefined ? [] : [r.floor.median - r.floorDirect.median < half];
  });
  if (floorVerdicts.length > 0) {
    say(
      `The floor itself adds less than half of promptfoo’s per-run overhead in ${floorVerdicts.filter(Boolean).length} of ${floorVerdicts.length} rows; ` +
        'where it does not, two durable writes and one HTTP round trip alone cost more than that aim on this machine.',
    );
    say();
    say(
      'The last column is why the floor is what it is: a run’s result is written after the model’s latency without a ' +
        'statement, and a commit then costs what it costs after that idle on this host, not back to back.',
    );
    say();
  }
  say('Where the service’s time beyond the floor goes: the CPU time of the bench’s process (the service, its client and,');
  say('embedded, the database) per request, at the median, set against the time the service adds beyond the floor.');
  say();
  say('| database | model latency | CPU: direct call | CPU: floor | CPU: service | CPU: service − floor | time: service beyond the floor |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const shares: number[] = [];
  for (const r of results) {
    const beyond = r.waitService.median - r.waitDirect.median - (r.floor.median - r.floorDirect.median);
    const extraCpu = r.cpuMs.service - r.cpuMs.floor;
    if (beyond > 0) shares.push(extraCpu / beyond);
    say(`| ${r.database} | ${r.latencyMs} ms | ${ms(r.cpuMs.direct)} | ${ms(r.cpuMs.floor)} | ${ms(r.cpuMs.service)} | ${ms(extraCpu)} | ${ms(beyond)} |`);
  }
  say();
  if (shares.length > 0) {
    const pct = (x: number) => `${Math.round(x * 100)} %`;
    say(
      `The service’s extra CPU is ${pct(Math.min(...shares))} to ${pct(Math.max(...shares))} of the time it adds beyond the floor: ` +
        'where that is near 100 %, the time is work done in this process (the service’s, and its client’s reading a larger answer), not ' +
        'waiting. A CPU profile (`node --cpu-prof`) spreads it over Express’s layers, express-session’s hashes and signed ' +
        'cookie, zod, the database driver, the garbage collector and the run’s own bookkeeping.',
    );
    say();
  }
  say('On a run’s path the service reads the session from memory (dropped everywhere on any change, by notification).');
  say('It inserts the run, already claimed by this process when it has a free slot, in one prepared statement that also');
  say('checks that the prompt’s version it knows is still current (the prompt is read only when it is not known or has');
  say('changed), so the run is in the database before the model is called and a crash leaves it INTERRUPTED; then it');
  say('writes the result. Both statements return only what the database decides (ids, times, counters): the rest of the');
  say('run is what they wrote. Deltas reach other processes by LISTEN/NOTIFY only once one of them follows the run.');
  say();
}

async function crossSection(say: Say): Promise<void> {
  const iterations = Math.min(ITERATIONS, 100);
  const rounds = Number(process.env.BENCH_CROSS_ROUNDS ?? (process.env.BENCH_SMOKE ? 1 : 3));
  const r = await measureCrossProcess(iterations, rounds);
  say('## Service processes sharing runs on one PostgreSQL (LISTEN/NOTIFY)');
  say();
  say(`Measured on ${new Date().toISOString().slice(0, 10)} (${machine()}): three \`service/main.ts\` processes on one PostgreSQL database, each`);
  say(`with PROMPTREFINE_RUN_CONCURRENCY=${CROSS_CONCURRENCY}, and the fake OpenAI server in a process of its own answering after ${CROSS_LATENCY_MS} ms.`);
  say();
  const added = r.otherProcess.median - r.sameProcess.median;
  say('| first streamed delta of a run process A executes | requests | median | p99 |');
  say('| --- | ---: | ---: | ---: |');
  say(`| read through A’s own event stream | ${r.sameProcess.n} | ${ms(r.sameProcess.median)} | ${ms(r.sameProcess.p99)} |`);
  say(`| read through process B’s event stream | ${r.otherProcess.n} | ${ms(r.otherProcess.median)} | ${ms(r.otherProcess.p99)} |`);
  say();
  say(`From another process the first delta comes ${ms(added)} later at the median; the aim is at most 10 ms (${added <= 10 ? 'met' : 'not met'}). Each pair of`);
  say('requests is timed from POST /api/test-runs, alternating between the two readers.');
  say();
  const median = (xs: number[]) => summarize([...xs].sort((x, y) => x - y)).median;
  const one = median(r.batchOne);
  const three = median(r.batchThree);
  say(`| a batch of ${CROSS_BATCH_RUNS} runs | rounds | median | fastest | slowest |`);
  say('| --- | ---: | ---: | ---: | ---: |');
  for (const [label, xs] of [['one process', r.batchOne], ['three processes', r.batchThree]] as const) {
    const sorted = [...xs].sort((x, y) => x - y);
    say(`| ${label} | ${xs.length} | ${(median(xs)).toFixed(2)} s | ${(sorted[0] ?? NaN).toFixed(2)} s | ${(sorted.at(-1) ?? NaN).toFixed(2)} s |`);
  }
  say();
  say(`Three processes finish it ${(one / three).toFixed(2)} × faster than one; the aim is at least 2 × (${one / three >= 2 ? 'met' : 'not met'}). The three-process rounds ran`);
  say('first, then two processes were stopped for the one-process rounds; each batch is timed from POST /api/batches to its `done` event.');
  say();
}

async function exportSection(say: Say): Promise<void> {
  say(`## Export memory: ${EXPORT_RUNS.toLocaleString('en')} runs against ${EXPORT_BASELINE_RUNS.toLocaleString('en')} (baseline)`);
  say();
  say(`Measured on ${new Date().toISOString().slice(0, 10)} (${machine()}): GET /api/export?format=json of`);
  say(`${PROMPTS_NOTE}, downloaded through the service in the same process and thrown away chunk by chunk.`);
  say('Heap growth: the highest heap used during the export above the heap used just before it. RSS: the resident size');
  say('of the process just before the export and the highest during it (the embedded database here lives in memory, so');
  say('its RSS holds the whole database).');
  say();
  say('| database | runs | export size | time | peak heap growth | RSS before → peak during |');
  say('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const kind of ['postgres', 'embedded'] as const) {
    for (const runs of [EXPORT_BASELINE_RUNS, EXPORT_RUNS]) {
      const r = await measureExportMemory(kind, runs);
      say(`| ${r.database} | ${runs.toLocaleString('en')} | ${mb(r.exportMb)} | ${r.seconds.toFixed(1)} s | ${mb(r.heapGrowthMb)} | ${mb(r.rssBeforeMb)} → ${mb(r.peakRssMb)} |`);
    }
  }
  say();
  say('Ten times the runs, ten times the file, and about the same memory: the export holds one page of');
  say('200 runs at a time and waits for the reader (backpressure) before reading the next.');
  say();
}

async function batchSection(say: Say): Promise<void> {
  const ideal = (BATCH_RUNS / BATCH_CONCURRENCY) * BATCH_LATENCY_MS;
  say(`## Batch throughput: ${BATCH_RUNS} runs at concurrency ${BATCH_CONCURRENCY} against the ideal ${BATCH_RUNS}/${BATCH_CONCURRENCY} × ${BATCH_LATENCY_MS} ms`);
  say();
  say(`Measured on ${new Date().toISOString().slice(0, 10)} (${machine()}): one batch of ${BATCH_RUNS} runs (20 cases × 10 repeats, three`);
  say(`checks each) against the fake OpenAI server (a process of its own) answering after ${BATCH_LATENCY_MS} ms, with PROMPTREFINE_RUN_CONCURRENCY=${BATCH_CONCURRENCY}, timed from`);
  say('`POST /api/batches` to the `done` event of `GET /api/batches/:id/events` (which carries every result, checked).');
  say(`The ideal, ${ms(ideal)}, is the queue never idle and nothing added per run. ${BATCH_ROUNDS} batches on each database after a warm-up.`);
  say();
  say('| what | ideal | median | best | worst | ratio (median / ideal) |');
  say('| --- | ---: | ---: | ---: | ---: | ---: |');
  const row = (label: string, samples: number[]) => {
    const sorted = samples.map((x) => x * 1000).sort((a, b) => a - b);
    const median = summarize(sorted).median;
    say(`| ${label} | ${ms(ideal)} | ${ms(median)} | ${ms(sorted[0] ?? NaN)} | ${ms(sorted.at(-1) ?? NaN)} | ${ratio(median, ideal)} |`);
  };
  for (const r of await measureBatchThroughput(BATCH_ROUNDS)) row(`PromptRefine, ${r.database}`, r.seconds);
  const promptfoo = await promptfooPeer();
  if (promptfoo) row(`promptfoo ${promptfoo.version}, \`eval -j ${BATCH_CONCURRENCY} --repeat 10\``, await measurePromptfoo(promptfoo.bin, BATCH_ROUNDS));
  say();
  say(
    promptfoo
      ? 'promptfoo ran the same 200 tests (the same three checks, as `contains`, `regex` and `latency` assertions) against the same fake server, ' +
          'through Chat Completions without streaming, without its cache and without writing its results database; its time runs from the command’s start to its exit, ' +
          'so it includes loading promptfoo itself (its own report of the eval alone is about a second shorter).'
      : 'promptfoo was not measured: `npm run bench -- --only batch --peer promptfoo` installs it into a cache folder and adds it to this table.',
  );
  say();
  say('The aim: at most 1.2 × the ideal. Each run still makes its own durable writes (claim, result), as a single run does,');
  say('so a batch survives a crash and shares the queue with other service processes. A run gives back its place in the');
  say('queue as soon as its model call is over, so the next claim overlaps the result write. What remains: creating the');
  say('batch (one insert of all its runs), a few milliseconds a run for its claim, its result write and the SDK’s');
  say('streaming (on the embedded database its queries run on the service’s own thread and hold up the other runs’');
  say('streams meanwhile), and the final read with every check.');
  say();
}

const LOCAL_HEADING = '## The extension’s local service';

/** The local service's section: start times measured here, the .vsix's size, and the e2e's figures. */
async function localSection(say: Say): Promise<void> {
  const rounds = Number(process.env.BENCH_LOCAL_ROUNDS ?? (process.env.BENCH_SMOKE ? 1 : 3));
  const figures = await measureLocalService(rounds);
  say(LOCAL_HEADING);
  say();
  say(`Measured by \`npm run bench -- --only local\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`);
  say('From `LocalService.start()` to a service that answers and proves it knows its lock file’s key, with the bundle');
  say(`the .vsix carries, started with this Node; ${rounds} fresh data folders, each stopped and started again ${figures.warm.n / rounds} times.`);
  say('The aims: at most 10 s on the first run, at most 3 s on a warm data folder.');
  say();
  say('| start | runs | median | slowest |');
  say('| --- | --- | --- | --- |');
  const seconds = (v: number) => `${(v / 1000).toFixed(2)} s`;
  const sorted = (x: { median: number; p99: number; n: number }) => `${x.n} | ${seconds(x.median)} | ${seconds(x.p99)}`;
  say(`| first run (creates the database) | ${sorted(figures.firstRun)} |`);
  say(`| warm data folder | ${sorted(figures.warm)} |`);
  say();
  const load = await measureExtensionLoad(20);
  say(
    `Loading the extension's bundle (read, compile and evaluate dist/extension.cjs, the part of activation before activate() runs), ` +
      `in a fresh Node process with a stand-in vscode module, ${load.total.n} times: median ${load.total.median.toFixed(1)} ms ` +
      `(evaluation ${load.evaluation.median.toFixed(1)} ms), slowest ${load.total.p99.toFixed(1)} ms.`,
  );
  say();
  const size = vsixBytes();
  say(size === undefined ? 'The .vsix was not built (`npm run package`), so its size is not given here.' : `The .vsix (\`npm run package\`): ${(size / 1e6).toFixed(2)} MB (${size.toLocaleString('en')} bytes); the aim is at most 25 MB.`);
  say();
  const e2e = e2eMeasurements();
  const names: [string, string][] = [
    ['activationMs', 'extension activation (aim: at most 100 ms)'],
    ['localServiceFirstRunMs', 'local service ready on the first run, as the user sees it'],
    ['localServiceWarmMs', 'local service ready on a warm data folder, as the user sees it'],
  ];
  const known = names.filter(([name]) => e2e[name]);
  if (known.length === 0) {
    say('No figures from the local-service e2e (`test/e2e/local-service.e2e.test.ts` writes them to .test-artifacts/measurements.json).');
  } else {
    say('Measured by the last run of `test/e2e/local-service.e2e.test.ts` in code-server (one sample each, on a machine running the whole workbench and browser):');
    say();
    say('| figure | value | how | when |');
    say('| --- | --- | --- | --- |');
    for (const [name, label] of known) {
      const m = e2e[name];
      if (m) say(`| ${label} | ${m.value >= 1000 ? seconds(m.value) : `${m.value.toFixed(1)} ms`} | ${m.what} | ${m.measuredAt.slice(0, 16).replace('T', ' ')} UTC, ${m.machine} |`);
    }
  }
  say();
}

const PROMPTS_NOTE = '100 prompts with runs of about 1 KB of output each';

/** Replaces the `## ` section with the same heading start in `document`, or appends it. */
function replaceSection(document: string, section: string): string {
  const heading = (section.split('\n')[0] as string).replace(/:.*$/, '');
  const parts = document.split(/^(?=## )/m);
  const at = parts.findIndex((part) => part.startsWith(heading));
  if (at === -1) return `${document.trimEnd()}\n\n${section}`;
  parts[at] = section;
  return parts.join('');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { write: { type: 'boolean' }, only: { type: 'string' }, peer: { type: 'string' } } });
  const only = values.only as Section | undefined;
  if (only !== undefined && !SECTIONS.includes(only)) throw new Error(`--only must be one of ${SECTIONS.join(', ')}`);
  if (values.peer !== undefined && values.peer !== 'promptfoo') throw new Error('--peer must be promptfoo');
  if (values.peer || process.env.PROMPTFOO_BIN) {
    let peer: Promise<Peer> | undefined;
    promptfooPeer = () => (peer ??= ensurePromptfoo());
  }
  const lines: string[] = [];
  const say: Say = (line = '') => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  const run: Record<Section, (say: Say) => Promise<void>> = {
    cross: crossSection,
    overhead: overheadSection,
    peer: async (say) => peerSection(say, await promptfooPeer(), machine()),
    lists: listsSection,
    versions: versionsSection,
    start: startSection,
    export: exportSection,
    batch: batchSection,
    local: localSection,
  };
  const target = new URL('../docs/benchmarks.md', import.meta.url);
  if (only) {
    await run[only](say);
    if (values.write) writeFileSync(target, `${replaceSection(readFileSync(target, 'utf8'), `${lines.join('\n')}\n`).trimEnd()}\n`);
    return;
  }
  say('# Benchmarks');
  say();
  say(`Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}.`);
  say('Every ratio compares two figures measured in the same run, interleaved, so machine noise hits both sides.');
  say();
  for (const section of SECTIONS) await run[section](say);
  if (values.write) writeFileSync(target, `${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
