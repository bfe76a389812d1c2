// The `peer` section of `npm run bench`: promptfoo's per-run overhead at the overhead aim's
// latencies, or a line saying how to measure it when `--peer promptfoo` was not given.
import { loadavg } from 'node:os';
import { PROMPTFOO_VERSION } from '../scripts/bench/promptfoo-peer.ts';
import { measurePeerOverhead, PEER_LATENCIES_MS, type Peer } from './peer-promptfoo.ts';
import { ms, summarize } from './stats.ts';

export const PEER_HEADING = `## promptfoo’s per-run overhead on a model call (fake OpenAI server, ${PEER_LATENCIES_MS.join(' ms and ')} ms latency)`;
const CACHE = `\`$XDG_CACHE_HOME/promptrefine-bench/promptfoo-${PROMPTFOO_VERSION}\` (\`~/.cache/…\` without it)`;

export async function peerSection(say: (line?: string) => void, peer: Peer | undefined, machine: string): Promise<void> {
  say(PEER_HEADING);
  say();
  if (!peer) {
    say(
      `promptfoo was not measured in this run: \`npm run bench -- --only peer --peer promptfoo\` installs promptfoo ${PROMPTFOO_VERSION} ` +
        `into ${CACHE}, outside node_modules, once, and measures it here (PROMPTFOO_BIN names another promptfoo executable instead).`,
    );
    say();
    return;
  }
  const results = await measurePeerOverhead(peer);
  const first = results[0];
  if (!first) return;
  const installed = peer.source.startsWith('PROMPTFOO_BIN') ? `the executable named by ${peer.source}` : `installed by the bench into ${CACHE}`;
  const load = loadavg()[0] ?? NaN;
  say(`Measured on ${new Date().toISOString().slice(0, 10)} (${machine}, load average ${load.toFixed(1)} at the start): promptfoo ${peer.version}, ${installed}, run by this Node.`);
  say('The fake OpenAI server runs in a process of its own, answering after the model latency; promptfoo runs in its own process,');
  say('and the direct calls are made from the bench’s process: none of the three pays for another’s event loop.');
  say();
  say('| model latency | direct call median | promptfoo, 1 test, start to exit | promptfoo, each further test | promptfoo adds per run (median) | lowest – highest | by wall time instead (median) | half of it: the aim for ours |');
  say('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const sorted = [...r.perRunMs].sort((a, b) => a - b);
    say(
      `| ${r.latencyMs} ms | ${ms(r.directCall.median)} | ${ms(r.oneTestMs)} | ${ms(r.addedMs + r.directCall.median)} | ${ms(r.addedMs)} | ` +
        `${ms(sorted[0] ?? NaN)} – ${ms(sorted.at(-1) ?? NaN)} | ${ms(summarize(r.perRunByWallClockMs).median)} | ${ms(r.addedMs / 2)} |`,
    );
  }
  say();
  say(
    `How: promptfoo evaluates ${first.tests} tests, then 1 test, one at a time (\`eval -j 1\`, as runs through the service are measured: one after another), ` +
      `in ${first.rounds} rounds. The difference between the two evals’ durations, divided by ${first.tests - 1}, is what each further test costs: ` +
      'starting Node, loading promptfoo, reading the config, the first connection and writing the output are paid once per command and cancel out, ' +
      'which is fair to a tool whose users run many tests per command. Less the model call itself, that is what promptfoo adds per run (each round gives one figure; ' +
      'the table gives their median and range). The model call is the same Chat Completions request promptfoo sends, made directly with the openai SDK to the same ' +
      `fake server, in batches between promptfoo’s evals (${first.directCall.n} calls at each latency), so drift on a shared machine hits both alike. ` +
      'The service’s figure is taken the same way, against the direct call of the request it makes (a streamed Responses call).',
  );
  say();
  say(
    'The durations are promptfoo’s own (`stats.durationMs` in its `-o` output: a clock started when its evaluation starts and read when it is finalized, ' +
      'so they hold every test’s whole cost, rendering, call, assertions and recording, and not the process’s start and exit). The same method on ' +
      `wall times, from the command’s start to its exit, gives the next-to-last column: it agrees only as well as two starts of a ` +
      `${ms(first.oneTestMs)} command agree on a shared machine, spread over ${first.tests - 1} tests. ` +
      'promptfoo runs without its cache (else repeated tests would not call the model) and without writing its results database (which would only ' +
      'add to its figure, and so make the aim easier). Its per-test `latencyMs` is not used: it times only its provider call and leaves out the rest of a ' +
      'test’s cost; its median, less the direct call, was ' +
      results.map((r) => `${ms(r.reportedLatency.median - r.directCall.median)} at ${r.latencyMs} ms`).join(' and ') +
      '.',
  );
  say();
  say(`The aim (issue 13, P4): the service adds under half of that per run: under ${results.map((r) => `${ms(r.addedMs / 2)} at ${r.latencyMs} ms`).join(' and ')}.`);
  say();
}
