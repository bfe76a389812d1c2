// The statements on every run's path (read its prompt and version, insert it, write its result),
// prepared once per database. Built per call, drizzle spent about half a millisecond assembling
// each one, as much as PostgreSQL took to run it; prepared, the SQL is built once, and PostgreSQL
// parses and plans it once per connection (named statements). Issue 13 (P1) measured it.
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../db/connect.ts';
import { prompts, promptVersions, testRuns } from '../db/schema.ts';
import type { RunOutcome, RunRow } from './run-queries.ts';

const p = sql.placeholder;

/**
 * A nullable jsonb value: passed as JSON text (or NULL) and cast by the statement. (A column's
 * encoder would write a JS null as the JSON value `null` instead of SQL NULL, and `error is null`
 * must stay true of a run without an error.)
 */
const jsonOrNull = (name: string) => sql`${p(name)}::jsonb`;
const toJson = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

function prepare(db: Database) {
  const targetColumns = {
    type: prompts.type,
    versionId: promptVersions.id,
    versionNumber: promptVersions.versionNumber,
    content: promptVersions.content,
  };
  const target = (version: SQL) =>
    db
      .select(targetColumns)
      .from(prompts)
      .leftJoin(promptVersions, and(eq(promptVersions.promptId, prompts.id), eq(promptVersions.id, version)))
      .where(and(eq(prompts.id, p('promptId')), isNull(prompts.deletedAt)));
  const runValues = {
    promptId: p('promptId'),
    promptVersionId: p('promptVersionId'),
    versionNumber: p('versionNumber'),
    model: p('model'),
    api: p('api'),
    params: p('params'),
    inputVariables: p('inputVariables'),
    input: p('input'),
    idempotencyKey: p('idempotencyKey'),
    requestHash: p('requestHash'),
  };
  const insert = (claimed: boolean) =>
    db
      .insert(testRuns)
      .values(
        claimed
          ? { ...runValues, status: 'running', attempts: 1, workerId: p('workerId'), startedAt: sql`now()`, heartbeatAt: sql`now()` }
          : runValues,
      )
      .onConflictDoNothing({ target: testRuns.idempotencyKey, where: sql`${testRuns.idempotencyKey} is not null` })
      .returning();
  return {
    currentTarget: target(sql`${prompts.currentVersionId}`).prepare('run_target_current'),
    givenTarget: target(sql`${p('versionId')}::uuid`).prepare('run_target_given'),
    insertQueued: insert(false).prepare('run_insert_queued'),
    insertClaimed: insert(true).prepare('run_insert_claimed'),
    finish: db
      .update(testRuns)
      .set({
        status: sql`${p('status')}`,
        output: sql`${p('output')}`,
        usage: jsonOrNull('usage'),
        costUsd: sql`${p('costUsd')}::double precision`,
        error: jsonOrNull('error'),
        latencyMs: sql`${p('latencyMs')}::integer`,
        finishedAt: sql`now()`,
        updatedAt: sql`now()`,
      })
      .where(and(eq(testRuns.id, p('id')), eq(testRuns.status, 'running')))
      .returning()
      .prepare('run_finish'),
  };
}

export interface RunTarget {
  type: 'user' | 'system';
  version: { id: string; versionNumber: number; content: string } | null;
}

export type NewRunValues = {
  promptId: string;
  promptVersionId: string;
  versionNumber: number;
  model: string;
  api: 'responses' | 'chat';
  params: unknown;
  inputVariables: Record<string, string>;
  input: string | null;
  idempotencyKey: string | null;
  requestHash: string;
};

/** The run path's statements on one database (the service's own handle, not a transaction). */
export class RunStatements {
  private readonly prepared: ReturnType<typeof prepare>;

  constructor(db: Database) {
    this.prepared = prepare(db);
  }

  /** A live prompt and the version a new run would use (the given one, else the current one). */
  async target(promptId: string, versionId: string | undefined): Promise<RunTarget | undefined> {
    const [row] = versionId
      ? await this.prepared.givenTarget.execute({ promptId, versionId })
      : await this.prepared.currentTarget.execute({ promptId });
    if (!row) return undefined;
    const { versionId: id, versionNumber, content } = row;
    return { type: row.type, version: id && versionNumber !== null && content !== null ? { id, versionNumber, content } : null };
  }

  /** Inserts a run, queued or already claimed by `workerId`; undefined when its idempotency key is taken. */
  async insert(values: NewRunValues, claimedBy: string | undefined): Promise<RunRow | undefined> {
    const [row] = claimedBy
      ? await this.prepared.insertClaimed.execute({ ...values, workerId: claimedBy })
      : await this.prepared.insertQueued.execute(values);
    return row;
  }

  /** Writes a running run's result; undefined when it is no longer running (canceled meanwhile). */
  async finish(id: string, outcome: RunOutcome): Promise<RunRow | undefined> {
    const [row] = await this.prepared.finish.execute({
      id,
      status: outcome.status,
      output: outcome.output,
      usage: toJson(outcome.usage),
      costUsd: outcome.costUsd,
      error: toJson(outcome.error),
      latencyMs: outcome.latencyMs,
    });
    return row;
  }
}
