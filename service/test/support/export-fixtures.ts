// A small workspace with everything an export must carry: versions with notes and a restore, runs
// with usage, cost, params, variables, input, errors, and a deleted prompt that must not appear.
import type { Database } from '../../db/connect.ts';
import { createPrompt, createVersion, deletePrompt, restoreVersion } from '../../prompts/prompt-use-cases.ts';
import { randomUUID } from 'node:crypto';
import { createCase, deleteCase } from '../../cases/case-use-cases.ts';
import { insertRun, type NewRun } from '../../runs/run-queries.ts';

export interface Workspace {
  reviewId: string;
  systemId: string;
  deletedId: string;
  reviewVersionIds: string[];
  /** The live cases: one of the review prompt, one of the system prompt (a deleted one is not listed). */
  caseIds: string[];
}

export async function seedRun(db: Database, values: Partial<NewRun> & Pick<NewRun, 'promptId' | 'promptVersionId' | 'versionNumber'>): Promise<string> {
  const row = await insertRun(db, {
    status: 'succeeded',
    model: 'gpt-5.4-mini',
    api: 'responses',
    params: {},
    inputVariables: {},
    attempts: 1,
    ...values,
  });
  return (row as { id: string }).id;
}

const at = (iso: string) => new Date(iso);

export async function seedWorkspace(db: Database): Promise<Workspace> {
  const review = await createPrompt(db, {
    title: 'Review a diff | carefully',
    type: 'user',
    tags: ['review', 'git'],
    content: 'Review this {{language}} diff:\n\n```diff\n{{diff}}\n```',
    notes: 'first draft',
  });
  const v2 = await createVersion(db, review.id, { content: 'Review {{ language }} code for {{a.b}} and {{x-y}}:\n{{diff}}', notes: 'odd variable names' });
  const v3 = await restoreVersion(db, review.id, review.currentVersionId as string);
  await seedRun(db, {
    promptId: review.id,
    promptVersionId: review.currentVersionId as string,
    versionNumber: 1,
    inputVariables: { language: 'TypeScript', diff: '- a\n+ b' },
    output: 'Looks fine.\n\n```ts\nconst x = 1;\n```',
    usage: { inputTokens: 120, cachedInputTokens: 0, outputTokens: 30, reasoningTokens: 10, totalTokens: 150 },
    costUsd: 0.000123,
    latencyMs: 840,
    params: { maxOutputTokens: 500, reasoningEffort: 'low' },
    createdAt: at('2026-11-20T10:00:00.000Z'),
    startedAt: at('2026-11-20T10:00:00.100Z'),
    finishedAt: at('2026-11-20T10:00:00.940Z'),
    updatedAt: at('2026-11-20T10:00:00.940Z'),
  });
  await seedRun(db, {
    promptId: review.id,
    promptVersionId: v2.id,
    versionNumber: 2,
    status: 'failed',
    model: 'gpt-4.1',
    api: 'chat',
    params: { temperature: 0.2 },
    inputVariables: { language: 'Go', diff: 'x', 'a.b': 'errors', 'x-y': 'races' },
    error: { code: 'rate_limit_exceeded', message: 'Slow down <please> & retry', status: 429 },
    attempts: 4,
    createdAt: at('2026-11-21T10:00:00.000Z'),
    startedAt: at('2026-11-21T10:00:01.000Z'),
    finishedAt: at('2026-11-21T10:00:05.000Z'),
    updatedAt: at('2026-11-21T10:00:05.000Z'),
  });
  const reviewCase = await createCase(db, review.id, {
    name: 'Small Go diff',
    inputVariables: { language: 'Go', diff: '+ x', 'x-y': 'races', 'a.b': 'errors' },
    expectations: [
      { kind: 'regex', value: '/looks? (fine|good)/i' },
      { kind: 'maxCostUsd', value: 0.01 },
      { kind: 'notContains', value: 'TODO' },
    ],
  });
  const dropped = await createCase(db, review.id, { name: 'Dropped case' });
  await deleteCase(db, dropped.id);
  const system = await createPrompt(db, { title: 'Senior reviewer', type: 'system', tags: [], content: 'You review {{language}} code.' });
  const systemCase = await createCase(db, system.id, {
    name: 'Rust main',
    inputVariables: { language: 'Rust' },
    input: 'fn main() {}',
    expectations: [
      { kind: 'jsonValid', value: false },
      { kind: 'equals', value: 'Fine.' },
      { kind: 'maxLatencyMs', value: 5000 },
      { kind: 'maxOutputTokens', value: 100 },
      { kind: 'contains', value: 'Fine' },
    ],
  });
  // A run a batch made: it names its batch, case and repeat.
  await seedRun(db, {
    batchId: randomUUID(),
    caseId: systemCase.id,
    repeat: 2,
    promptId: system.id,
    promptVersionId: system.currentVersionId as string,
    versionNumber: 1,
    inputVariables: { language: 'Rust' },
    input: 'fn main() {}',
    output: 'Fine.',
    createdAt: at('2026-11-22T10:00:00.000Z'),
    updatedAt: at('2026-11-22T10:00:01.000Z'),
    finishedAt: at('2026-11-22T10:00:01.000Z'),
  });
  const deleted = await createPrompt(db, { title: 'Gone', type: 'user', tags: [], content: 'bye' });
  await deletePrompt(db, deleted.id);
  return { reviewId: review.id, systemId: system.id, deletedId: deleted.id, reviewVersionIds: [review.currentVersionId as string, v2.id, v3.id], caseIds: [reviewCase.id, systemCase.id] };
}
