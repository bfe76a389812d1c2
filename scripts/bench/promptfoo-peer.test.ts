import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installedPromptfooVersion, parsePromptfooOutput, perRunOverheadMs, promptfooBin, promptfooCacheDir, PROMPTFOO_VERSION } from './promptfoo-peer.ts';

describe('bench peer: promptfoo', () => {
  it('caches the pinned promptfoo under XDG_CACHE_HOME, or ~/.cache without it, never in node_modules', () => {
    assert.equal(promptfooCacheDir({ XDG_CACHE_HOME: '/var/cache/me' }, '/home/me'), `/var/cache/me/promptrefine-bench/promptfoo-${PROMPTFOO_VERSION}`);
    assert.equal(promptfooCacheDir({}, '/home/me'), `/home/me/.cache/promptrefine-bench/promptfoo-${PROMPTFOO_VERSION}`);
    // The XDG spec ignores a relative path: it would land wherever the bench was started.
    assert.equal(promptfooCacheDir({ XDG_CACHE_HOME: 'cache' }, '/home/me'), `/home/me/.cache/promptrefine-bench/promptfoo-${PROMPTFOO_VERSION}`);
    assert.equal(promptfooBin('/c/p'), '/c/p/node_modules/.bin/promptfoo');
  });

  it('knows whether the cache holds the pinned version, another, or nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptrefine-peer-test-'));
    try {
      assert.equal(installedPromptfooVersion(dir), undefined);
      mkdirSync(join(dir, 'node_modules', 'promptfoo'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', 'promptfoo', 'package.json'), '{"name":"promptfoo"');
      assert.equal(installedPromptfooVersion(dir), undefined, 'a half-written manifest is no install');
      writeFileSync(join(dir, 'node_modules', 'promptfoo', 'package.json'), JSON.stringify({ name: 'promptfoo', version: '0.120.0' }));
      assert.equal(installedPromptfooVersion(dir), '0.120.0');
      writeFileSync(join(dir, 'node_modules', 'promptfoo', 'package.json'), JSON.stringify({ name: 'promptfoo', version: PROMPTFOO_VERSION }));
      assert.equal(installedPromptfooVersion(dir), PROMPTFOO_VERSION);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads its eval's duration, pass count and per-test latencies from its -o output", () => {
    // Trimmed from a real `promptfoo eval -o out.json` of 0.121.20.
    const output = JSON.stringify({
      evalId: 'eval-1',
      results: {
        version: 3,
        results: [
          { latencyMs: 201, success: true, cost: 0.000135 },
          { latencyMs: 40, success: true, cost: 0.000135 },
        ],
        stats: { successes: 2, failures: 0, errors: 0, durationMs: 375, evaluationDurationMs: 375 },
      },
    });
    assert.deepEqual(parsePromptfooOutput(output), { passed: 2, failed: 0, errors: 0, durationMs: 375, latenciesMs: [201, 40] });
    assert.throws(() => parsePromptfooOutput(JSON.stringify({ results: { results: [] } })), /results\.stats/);
    assert.throws(() => parsePromptfooOutput(JSON.stringify({ results: { results: [{}], stats: { successes: 1, failures: 0, durationMs: 9 } } })), /latencyMs for test 0/);
  });

  it('takes start-up and the model call out of the per-run figure', () => {
    // 101 tests in 5,500 ms, 1 test in 500 ms: 50 ms a further test, 30 of them the model call.
    assert.equal(perRunOverheadMs({ ms: 5500, tests: 101 }, { ms: 500 }, 30), 20);
    assert.throws(() => perRunOverheadMs({ ms: 5500, tests: 1 }, { ms: 500 }, 30), /at least two/);
  });
});
