// Pure helpers for `npm run bench -- --peer promptfoo`: where the pinned promptfoo is cached,
// whether the cached copy is the pinned version, what its JSON output says, and the per-run
// overhead computed from timings. Kept apart from bench/peer-promptfoo.ts (which installs and
// measures) so they can be tested without installing anything.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The promptfoo the bench compares against: pinned, so figures from different days compare. */
export const PROMPTFOO_VERSION = '0.121.20';

/**
 * `$XDG_CACHE_HOME/promptrefine-bench/promptfoo-<version>`, or `~/.cache/...` without it: outside
 * the project's node_modules, so promptfoo never becomes a dependency, and kept between runs.
 */
export function promptfooCacheDir(env: NodeJS.ProcessEnv, home: string, version = PROMPTFOO_VERSION): string {
  const cache = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(cache, 'promptrefine-bench', `promptfoo-${version}`);
}

/** The executable npm links for promptfoo in a `--prefix` install. */
export const promptfooBin = (dir: string) => join(dir, 'node_modules', '.bin', 'promptfoo');

/** The version of promptfoo installed under `dir`, or undefined when there is none (or it is unreadable). */
export function installedPromptfooVersion(dir: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'node_modules', 'promptfoo', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : undefined;
  } catch {
    return undefined;
  }
}

/** What promptfoo's `-o out.json` says about one eval. */
export interface PromptfooReport {
  passed: number;
  failed: number;
  errors: number;
  /** Its own wall time of the evaluation, from the first test's start to the last's end. */
  durationMs: number;
  /** Its per-test `latencyMs`: timed around the provider call only. */
  latenciesMs: number[];
}

export function parsePromptfooOutput(text: string): PromptfooReport {
  const parsed = JSON.parse(text) as {
    results?: { stats?: { successes?: unknown; failures?: unknown; errors?: unknown; durationMs?: unknown }; results?: { latencyMs?: unknown }[] };
  };
  const stats = parsed.results?.stats;
  const rows = parsed.results?.results;
  const number = (value: unknown, what: string) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`promptfoo's output has no ${what}`);
    return value;
  };
  if (!stats || !Array.isArray(rows)) throw new Error('promptfoo output without results.stats and results.results');
  return {
    passed: number(stats.successes, 'successes'),
    failed: number(stats.failures, 'failures'),
    errors: number(stats.errors ?? 0, 'errors'),
    durationMs: number(stats.durationMs, 'durationMs'),
    latenciesMs: rows.map((row, i) => number(row.latencyMs, `latencyMs for test ${i}`)),
  };
}

/**
 * What each run adds over the model call, from one eval of `many` tests and one of a single test
 * run one at a time: the extra tests cost (many − one) / (tests − 1) each, with the start-up,
 * config loading and first connection cancelled out, and the model call itself (`callMs`,
 * measured directly) taken off.
 */
export function perRunOverheadMs(many: { ms: number; tests: number }, one: { ms: number }, callMs: number): number {
  if (many.tests < 2) throw new Error('the long eval needs at least two tests');
  return (many.ms - one.ms) / (many.tests - 1) - callMs;
}
