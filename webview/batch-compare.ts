// Two columns of a batch compared case by case (say v3 and v4 on the same model): for each case
// which checks changed (pass → fail, fail → pass), the token, cost and latency differences, and the
// outputs' difference word by word; beside it the two versions' content difference.
import type { Batch, TestCase, Version } from '../contract/index.ts';
import { buildGrid, compareColumns, type CaseComparison, type CheckChange, type Column } from './batch-grid.ts';
import { caseName } from './batch-results.ts';
import { diffView } from './diff.ts';
import { h } from './dom.ts';
import { duration, tokens, usd } from './format.ts';
import { measuresTable } from './measures-table.ts';

const CHANGE_WORDS: Record<CheckChange['change'], string> = {
  'pass→fail': 'pass → fail',
  'fail→pass': 'fail → pass',
  mixed: 'changed',
  same: 'unchanged',
};

const checkName = (c: CheckChange) => `${c.kind} ${typeof c.value === 'string' ? JSON.stringify(c.value) : String(c.value)}`;
const share = (s: { passed: number; of: number }) => `${s.passed}/${s.of}`;

function checksView(checks: CheckChange[]): HTMLElement {
  const changed = checks.filter((c) => c.change !== 'same');
  if (checks.length === 0) return h('p', { class: 'hint' }, 'No checks.');
  if (changed.length === 0) return h('p', { class: 'hint', 'data-checks': 'unchanged' }, `No check changed (${checks.length} compared).`);
  return h(
    'ul',
    { class: 'check-changes' },
    changed.map((c) =>
      h(
        'li',
        { 'data-check-change': c.change, class: c.change === 'pass→fail' ? 'worse' : c.change === 'fail→pass' ? 'better' : null },
        h('strong', null, CHANGE_WORDS[c.change]),
        `: ${checkName(c)} (A ${share(c.a)} passed, B ${share(c.b)})`,
      ),
    ),
  );
}

const MEASURES: { label: string; key: keyof CaseComparison['deltas']; format: (n: number) => string }[] = [
  { label: 'Output tokens', key: 'outputTokens', format: (n) => tokens(Math.round(n)) },
  { label: 'Total tokens', key: 'totalTokens', format: (n) => tokens(Math.round(n)) },
  { label: 'Cost', key: 'costUsd', format: usd },
  { label: 'Latency', key: 'latencyMs', format: duration },
];

function deltasView(c: CaseComparison): HTMLElement {
  return measuresTable(MEASURES.map((m) => ({ label: m.label, a: c.deltas[m.key][0], b: c.deltas[m.key][1], format: m.format })));
}

function caseView(c: CaseComparison, cases: readonly TestCase[] | null, repeats: boolean): HTMLElement {
  const text = (r: CaseComparison['a']) => (r ? (r.status === 'succeeded' ? (r.output ?? '') : `(${r.status})`) : '(no run)');
  return h(
    'article',
    { class: 'compare-case', 'data-compare-case': c.caseId },
    h('h4', null, caseName(cases, c.caseId), ' ', h('span', { class: 'hint' }, c.outputChanged ? '· output changed' : '· same output')),
    checksView(c.checks),
    deltasView(c),
    repeats ? h('p', { class: 'hint' }, 'Outputs of the first repeat; tokens, cost and latency are means over the repeats.') : null,
    diffView(text(c.a), text(c.b), 'words', `Output difference from A to B for ${caseName(cases, c.caseId)}`),
  );
}

/** Columns `a` and `b` of `batch` side by side, case by case, with the versions' difference. */
export function columnComparison(batch: Batch, a: Column, b: Column, cases: readonly TestCase[] | null, versions: [Version, Version]): HTMLElement {
  const grid = buildGrid(batch);
  const comparisons = compareColumns(grid, a.key, b.key);
  const repeats = (batch.results ?? []).some((r) => r.repeat > 1);
  const [va, vb] = versions;
  const regressions = comparisons.reduce((n, c) => n + c.checks.filter((x) => x.change === 'pass→fail').length, 0);
  const fixes = comparisons.reduce((n, c) => n + c.checks.filter((x) => x.change === 'fail→pass').length, 0);
  const changedOutputs = comparisons.filter((c) => c.outputChanged).length;
  return h(
    'div',
    { class: 'compare-layout' },
    h(
      'div',
      { class: 'compare-cases' },
      h('p', { class: 'compare-overview', 'data-overview': '' }, `A: ${a.label} · B: ${b.label} — ${changedOutputs} of ${comparisons.length} outputs changed; checks: ${fixes} fail → pass, ${regressions} pass → fail.`),
      comparisons.map((c) => caseView(c, cases, repeats)),
    ),
    h(
      'aside',
      { class: 'compare-version' },
      h('h4', null, va.id === vb.id ? `Version: both ran v${va.versionNumber}` : `Version difference: v${va.versionNumber} → v${vb.versionNumber}`),
      diffView(va.content, vb.content, 'lines', 'Version content difference from A to B'),
    ),
  );
}
