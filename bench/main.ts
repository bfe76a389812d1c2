// `npm run bench`: prints figures and ratios against baselines measured in the same run.
// `npm run bench -- --write` also rewrites docs/benchmarks.md with them.
// `npm run bench -- --only export [--write]` measures one section (overhead, lists, versions, start, export, batch or local) and
// replaces only that section of docs/benchmarks.md, leaving the others as they were measured.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { BATCH_CONCURRENCY, BATCH_LATENCY_MS, BATCH_RUNS, measureBatchThroughput, measurePromptfoo } from './batch-throughput.ts';
import { measureExportMemory } from './export-memory.ts';
import { measureExtensionLoad } from './extension-load.ts';
import { e2eMeasurements, measureLocalService, vsixBytes } from './local-service.ts';
import { listsSection } from './lists.ts';
import { versionsSection } from './version-create.ts';
import { startSection } from './warm-start.ts';
import { measureRunOverhead, MODEL_LATENCY_MS } from './run-overhead.ts';
import { ms, ratio, summarize } from './stats.ts';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200);
const EXPORT_RUNS = 100_000;
const EXPORT_BASELINE_RUNS = 10_000;

const SECTIONS = ['overhead', 'lists', 'versions', 'start', 'export', 'batch', 'local'] as const;
const BATCH_ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 5);
type Section = (typeof SECTIONS)[number];
type Say = (line?: string) => void;

const machine = () => `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}`;
const mb = (value: number) => `${value.toFixed(1)} MB`;

async function overheadSection(say: Say): Promise<void> {
  say(`## Service overhead on a model call (fake OpenAI server, ${MODEL_LATENCY_MS} ms latency, ${ITERATIONS} requests each)`);
  say();
  say('| database | measure | direct SDK median | service median | added at median | direct p99 | service p99 | ratio (median) |');
  say('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of await measureRunOverhead(ITERATIONS)) {
    const row = (what: string, direct: typeof r.waitDirect, service: typeof r.waitService) =>
      say(
        `| ${r.database} | ${what} | ${ms(direct.median)} | ${ms(service.median)} | ${ms(service.median - direct.median)} | ${ms(direct.p99)} | ${ms(service.p99)} | ${ratio(service.median, direct.median)} |`,
      );
    row('POST ?wait=true vs SDK call', r.waitDirect, r.waitService);
    row('first streamed delta (SSE vs SDK stream)', r.firstDeltaDirect, r.firstDeltaService);
  }
  say();
  say('The aim: the service adds under 5 ms at the median.');
  say();
  say('Where the added time goes (profiled on the embedded database): about 8 ms from the request to the start of the');
  say('model call, 2–3 ms more inside the call (the service’s SDK client shares an event loop with the service) and');
  say('about 3 ms from its end to the answer. On the critical path a run crosses the database five times (read the');
  say('session, read the prompt with its version, insert the run, claim it with `FOR UPDATE SKIP LOCKED`, write the');
  say('result) at 1–1.5 ms each through drizzle on either database. Each of those writes is what makes a run survive');
  say('a crash, be shared safely between processes and show up in history. Closing the rest of the gap would mean');
  say('claiming a run in the statement that inserts it (the 202');
  say('answer would then no longer show a queued run) and caching sessions in memory (a sign-out would reach other');
  say('processes late); neither is done.');
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
  const promptfoo = process.env.PROMPTFOO_BIN;
  const version = process.env.PROMPTFOO_VERSION ? ` ${process.env.PROMPTFOO_VERSION}` : '';
  if (promptfoo) row(`promptfoo${version}, \`eval -j ${BATCH_CONCURRENCY} --repeat 10\``, await measurePromptfoo(promptfoo, BATCH_ROUNDS));
  say();
  say(
    promptfoo
      ? 'promptfoo ran the same 200 tests (the same three checks, as `contains`, `regex` and `latency` assertions) against the same fake server, ' +
          'through Chat Completions without streaming, without its cache and without writing its results database; its time runs from the command’s start to its exit, ' +
          'so it includes loading promptfoo itself (its own report of the eval alone is about a second shorter).'
      : 'promptfoo was not measured: set PROMPTFOO_BIN to a promptfoo 0.121.x executable (and PROMPTFOO_VERSION to its version) to add it to this table.',
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
  const { values } = parseArgs({ options: { write: { type: 'boolean' }, only: { type: 'string' } } });
  const only = values.only as Section | undefined;
  if (only !== undefined && !SECTIONS.includes(only)) throw new Error(`--only must be one of ${SECTIONS.join(', ')}`);
  const lines: string[] = [];
  const say: Say = (line = '') => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  const run: Record<Section, (say: Say) => Promise<void>> = {
    overhead: overheadSection,
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
