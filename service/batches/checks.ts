// Checks a finished run against its case's expectations. A run that did not succeed fails every
// check: its output is not an answer to judge.
import { MAX_REGEX_INPUT, type CheckResult, type Expectation, type RunError, type RunStatus, type Usage } from '../../contract/index.ts';
import type { RegexMatcher } from './regex-matcher.ts';

export interface CheckedRun {
  id: string;
  status: RunStatus;
  output: string | null;
  usage: Usage | null;
  costUsd: number | null;
  latencyMs: number | null;
  error: RunError | null;
}

const result = (e: Expectation, passed: boolean, detail: string): CheckResult => ({ kind: e.kind, value: e.value, passed, detail });

function jsonProblem(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return (error as Error).message.slice(0, 200);
  }
}

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

async function check(e: Expectation, run: CheckedRun, matcher: RegexMatcher): Promise<CheckResult> {
  const output = run.output ?? '';
  switch (e.kind) {
    case 'contains':
      return output.includes(e.value) ? result(e, true, 'found in the output') : result(e, false, 'not found in the output');
    case 'notContains':
      return output.includes(e.value) ? result(e, false, 'found in the output') : result(e, true, 'not found in the output');
    case 'regex': {
      const outcome = await matcher.match(e.value, output, run.id);
      if ('timedOut' in outcome) return result(e, false, 'the pattern ran out of time on this output');
      if ('invalid' in outcome) return result(e, false, 'the pattern does not compile');
      const scope = outcome.truncated ? ` (in the first ${MAX_REGEX_INPUT} characters)` : '';
      return result(e, outcome.matched, `${outcome.matched ? 'matched' : 'no match'}${scope}`);
    }
    case 'equals': {
      const [got, want] = [output.trim(), e.value.trim()];
      return got === want ? result(e, true, 'equal') : result(e, false, `differs from character ${firstDifference(got, want) + 1}`);
    }
    case 'jsonValid': {
      const problem = jsonProblem(output.trim());
      const detail = problem === undefined ? 'valid JSON' : `not JSON: ${problem}`;
      return result(e, (problem === undefined) === e.value, detail);
    }
    case 'maxOutputTokens':
      if (!run.usage) return result(e, false, 'no usage reported');
      return result(e, run.usage.outputTokens <= e.value, `${run.usage.outputTokens} output tokens`);
    case 'maxCostUsd':
      if (run.costUsd === null) return result(e, false, 'no cost: the model has no price');
      return result(e, run.costUsd <= e.value, `$${run.costUsd}`);
    case 'maxLatencyMs':
      if (run.latencyMs === null) return result(e, false, 'no latency measured');
      return result(e, run.latencyMs <= e.value, `${run.latencyMs} ms`);
  }
}

/** Empty while the run has not finished. */
export async function checkRun(run: CheckedRun, expectations: Expectation[], matcher: RegexMatcher): Promise<CheckResult[]> {
  if (run.status === 'queued' || run.status === 'running') return [];
  if (run.status !== 'succeeded') {
    const why = `the run ${run.status === 'canceled' ? 'was canceled' : 'failed'}${run.error ? ` (${run.error.code})` : ''}`;
    return expectations.map((e) => result(e, false, why));
  }
  const results: CheckResult[] = [];
  for (const e of expectations) results.push(await check(e, run, matcher));
  return results;
}
