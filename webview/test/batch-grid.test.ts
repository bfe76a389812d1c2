// Run all's pure logic (no browser): the planned count and its limits, the grid from a batch,
// identical outputs grouped, column progress and totals, and two columns compared case by case.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_BATCH_REPEATS, MAX_BATCH_RUNS } from '../../contract/index.ts';
import { MAX_RUN_ALL_MODELS } from '../protocol.ts';
import { MAX_MODELS, MAX_REPEATS, MAX_RUNS, buildGrid, columnKey, compareColumns, delta, groupOutputs, groupsSentence, plan } from '../batch-grid.ts';
import { CASE_A, CASE_B, V1, V2, aBatch, aResult } from './support/batch-fixtures.ts';
import { REPO } from './support/harness.ts';
import { PROMPT_ID } from './support/fixtures.ts';
import { initialState, restoreState } from '../state.ts';

describe('Run all: plan, grid and column compare', () => {
  it('takes only types from the contract and the protocol (zod stays out of the webview bundle)', async () => {
    const dir = join(REPO, 'webview');
    const files = (await readdir(dir)).filter((f) => /^batch-.*\.ts$/.test(f));
    assert.ok(files.length >= 4, files.join());
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8');
      for (const line of text.split('\n').filter((l) => /from '(\.\.\/contract\/|\.\/protocol\.ts)/.test(l))) {
        assert.match(line, /^import type /, `${file}: ${line}`);
      }
    }
  });

  it('restores a kept state from before Run all with everything else as it was, and a kept batch as it was', () => {
    const { batch: _none, ...older } = { ...initialState(PROMPT_ID, 'T'), tab: 'history' as const, selectedRunId: 'r1' };
    const restored = restoreState(older, PROMPT_ID, 'T');
    assert.equal(restored.tab, 'history');
    assert.equal(restored.selectedRunId, 'r1');
    assert.deepEqual(restored.batch, initialState(PROMPT_ID, 'T').batch);
    const kept = { ...initialState(PROMPT_ID, 'T'), batch: { ...initialState(PROMPT_ID, 'T').batch, id: 'b1', models: ['gpt-5.4'], start: { key: 'k', request: '{}' } } };
    assert.deepEqual(restoreState(JSON.parse(JSON.stringify(kept)), PROMPT_ID, 'T').batch, kept.batch);
    assert.equal(restoreState({ ...kept, batch: { ...kept.batch, models: 'gpt-5.4' } }, PROMPT_ID, 'T').batch.id, null, 'a batch part of another shape starts fresh');
  });

  it('keeps the service’s limits', () => {
    assert.equal(MAX_RUNS, MAX_BATCH_RUNS);
    assert.equal(MAX_REPEATS, MAX_BATCH_REPEATS);
    assert.equal(MAX_MODELS, MAX_RUN_ALL_MODELS);
  });

  it('counts versions × models × cases × repeats, and refuses more than 500 runs saying how many', () => {
    const p = plan(2, 3, 4, 5);
    assert.equal(p.runs, 120);
    assert.equal(p.sentence, '2 versions × 3 models × 4 cases × 5 repeats = 120 runs');
    assert.equal(p.problem, null);
    assert.equal(plan(1, 1, 1, 1).sentence, '1 version × 1 model × 1 case × 1 repeat = 1 run');
    assert.equal(plan(2, 5, 50, 1).runs, 500);
    assert.equal(plan(2, 5, 50, 1).problem, null, '500 is allowed');
    assert.match(plan(3, 5, 50, 1).problem ?? '', /That is 750 runs; Run all runs at most 500/);
    assert.match(plan(1, 6, 1, 1).problem ?? '', /at most 5 models/);
    assert.match(plan(1, 1, 1, 11).problem ?? '', /from 1 to 10/);
    assert.match(plan(1, 1, 0, 1).problem ?? '', /no test cases/);
    assert.match(plan(0, 1, 1, 1).problem ?? '', /at least one version/);
  });

  it('builds cases × version-model cells with checks, cost, latency, progress and the summary’s totals', () => {
    const batch = aBatch([
      aResult({ caseId: CASE_A.id, version: V1, model: 'gpt-5.4', checks: [false, true], costUsd: 0.001, latencyMs: 500 }),
      aResult({ caseId: CASE_A.id, version: V2, model: 'gpt-5.4', output: 'Echo: senior', costUsd: 0.003, latencyMs: 900 }),
      aResult({ caseId: CASE_B.id, version: V1, model: 'gpt-5.4', status: 'failed' }),
      aResult({ caseId: CASE_B.id, version: V2, model: 'gpt-5.4', status: 'running' }),
    ]);
    const grid = buildGrid(batch);
    assert.deepEqual(grid.columns.map((c) => c.label), ['v1 · gpt-5.4', 'v2 · gpt-5.4']);
    assert.deepEqual(grid.caseIds, [CASE_A.id, CASE_B.id]);
    const [k1, k2] = [columnKey(V1.id, 'gpt-5.4'), columnKey(V2.id, 'gpt-5.4')];
    const a1 = grid.cell(CASE_A.id, k1);
    assert.deepEqual([a1.checksPassed, a1.checksTotal, a1.passed, a1.costUsd, a1.latencyMs], [1, 2, false, 0.001, 500]);
    const a2 = grid.cell(CASE_A.id, k2);
    assert.deepEqual([a2.checksPassed, a2.checksTotal, a2.passed], [2, 2, true]);
    const b1 = grid.cell(CASE_B.id, k1);
    assert.deepEqual([b1.checksPassed, b1.checksTotal, b1.passed, b1.costUsd], [0, 2, false, null], 'a failed run fails its checks');
    const b2 = grid.cell(CASE_B.id, k2);
    assert.deepEqual([b2.passed, b2.progress.running, b2.groups.length], [null, 1, 0], 'a running cell has no verdict yet');
    assert.deepEqual(grid.progress(k2), { queued: 0, running: 1, done: 1, failed: 0, total: 2 });
    assert.deepEqual(grid.progress(k1), { queued: 0, running: 0, done: 2, failed: 1, total: 2 });
    assert.deepEqual([grid.totals(k1)?.checksPassed, grid.totals(k1)?.checksTotal, grid.totals(k1)?.costUsd], [1, 4, 0.001]);
  });

  it('groups identical outputs of repeats with their counts, most frequent first', () => {
    const r = (repeat: number, output: string, status: 'succeeded' | 'failed' = 'succeeded') => aResult({ caseId: CASE_A.id, version: V2, model: 'gpt-5.4', repeat, output, status });
    const groups = groupOutputs([r(1, 'B'), r(2, 'A'), r(3, 'A'), r(4, 'x', 'failed'), r(5, 'A')]);
    assert.deepEqual(groups.map((g) => [g.text, g.count]), [['A', 3], ['B', 1], ['(Failed)', 1]]);
    assert.equal(groupsSentence(groups), '3 distinct outputs in 5 runs');
    assert.equal(groupsSentence(groupOutputs([r(1, 'A'), r(2, 'A')])), 'the same output in 2 runs');
    assert.equal(groupsSentence(groupOutputs([r(1, 'A')])), null);
    const cell = buildGrid(aBatch([r(2, 'A'), r(1, 'B')])).cell(CASE_A.id, columnKey(V2.id, 'gpt-5.4'));
    assert.deepEqual(cell.results.map((x) => x.repeat), [1, 2], 'repeats in order');
  });

  it('compares two columns case by case: checks that changed, output change, and token, cost and latency deltas', () => {
    const batch = aBatch([
      aResult({ caseId: CASE_A.id, version: V1, model: 'gpt-5.4', output: 'old', checks: [false, true], outputTokens: 100, costUsd: 0.001, latencyMs: 500 }),
      aResult({ caseId: CASE_A.id, version: V2, model: 'gpt-5.4', output: 'new senior', checks: [true, true], outputTokens: 160, costUsd: 0.004, latencyMs: 700 }),
      aResult({ caseId: CASE_B.id, version: V1, model: 'gpt-5.4', output: 'same', checks: [true, true] }),
      aResult({ caseId: CASE_B.id, version: V2, model: 'gpt-5.4', output: 'same', checks: [true, false] }),
    ]);
    const grid = buildGrid(batch);
    const [a, b] = compareColumns(grid, columnKey(V1.id, 'gpt-5.4'), columnKey(V2.id, 'gpt-5.4'));
    assert.deepEqual(a?.checks.map((c) => [c.kind, c.change]), [['contains', 'fail→pass'], ['maxOutputTokens', 'same']]);
    assert.deepEqual(b?.checks.map((c) => [c.kind, c.change]), [['contains', 'same'], ['maxOutputTokens', 'pass→fail']]);
    assert.equal(a?.outputChanged, true);
    assert.equal(b?.outputChanged, false);
    assert.equal(delta(a!.deltas.outputTokens), 60);
    assert.ok(Math.abs(delta(a!.deltas.costUsd)! - 0.003) < 1e-12);
    assert.equal(delta(a!.deltas.latencyMs), 200);
    assert.equal(delta([null, 3]), null);
  });

  it('weighs checks over repeats: all passing to some failing is a regression, partial changes are mixed', () => {
    const rs = (version: typeof V1, passes: boolean[]) => passes.map((p, i) => aResult({ caseId: CASE_A.id, version, model: 'm', repeat: i + 1, checks: [p] }));
    const grid = buildGrid(aBatch([...rs(V1, [true, true, true]), ...rs(V2, [true, false, true])]));
    const [c] = compareColumns(grid, columnKey(V1.id, 'm'), columnKey(V2.id, 'm'));
    assert.deepEqual(c?.checks[0], { kind: 'contains', value: 'senior', a: { passed: 3, of: 3 }, b: { passed: 2, of: 3 }, change: 'pass→fail' });
    const mixed = buildGrid(aBatch([...rs(V1, [true, false, false]), ...rs(V2, [true, true, false])]));
    assert.equal(compareColumns(mixed, columnKey(V1.id, 'm'), columnKey(V2.id, 'm'))[0]?.checks[0]?.change, 'mixed');
  });
});
