// The statements on every run's path (read its prompt and version, insert it, write its result),
// prepared once per database. Built per call, drizzle spent about half a millisecond assembling
// each one, as much as PostgreSQL took to run it; prepared, the SQL is built once, and PostgreSQL
// parses and plans it once per connection (named statements; on the embedded database the insert
// and the result's write too, see pglite-prepared.ts). Issue 13 (P1) measured it.
//
// The insert and the result's write go further: their SQL is still drizzle's, made once from the
// schema, but they run through the driver (DatabaseHandle.rawQuery) and return only what the
// database decides (ids, times, counters). Every column coming back was parsed by the driver and
// mapped again by drizzle, and on the embedded database serialized by PostgreSQL itself: with
// RETURNING * the two statements cost about 1.5 ms more there, and 0.5 ms on PostgreSQL. The rest
// of the row is what the statement wrote, known already (see runFrom and finishedFrom).
//
// The read is skipped when it can be: a version's content never changes (the database refuses it),
// so what a run needs of a prompt is remembered, and the insert itself checks, in the same
// statement, that the prompt is still live, of the same type, and (for its current version) still
// at that version. When it is not, nothing is written and the caller reads the prompt afresh.
import { and, eq, fillPlaceholders, isNull, sql, type SQL } from 'drizzle-orm';
import type { RunParams } from '../../contract/index.ts';
import { errorCode } from '../http/database-errors.ts';
import { storableText } from '../http/storable-text.ts';
import type { Database, RawQuery } from '../db/connect.ts';
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
    currentVersionId: prompts.currentVersionId,
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
  // The version, only while the prompt is as remembered: NULL otherwise, which the column refuses.
  const checkedVersion = sql`(select ${p('promptVersionId')}::uuid from ${prompts} where ${prompts.id} = ${p('promptId')}::uuid and ${prompts.deletedAt} is null and ${prompts.type} = ${p('type')} and (not ${p('current')}::boolean or ${prompts.currentVersionId} = ${p('promptVersionId')}::uuid))`;
  const insert = (name: string, claimed: boolean, checked: boolean) =>
    rawStatement(
      name,
      db
        .insert(testRuns)
        .values({
          ...runValues,
          ...(checked ? { promptVersionId: checkedVersion } : {}),
          ...(claimed ? { status: 'running', attempts: 1, workerId: p('workerId'), startedAt: sql`now()`, heartbeatAt: sql`now()` } : {}),
        })
        .onConflictDoNothing({ target: testRuns.idempotencyKey, where: sql`${testRuns.idempotencyKey} is not null` })
        .returning({
          id: testRuns.id,
          status: testRuns.status,
          attempts: testRuns.attempts,
          workerId: testRuns.workerId,
          createdAt: testRuns.createdAt,
          startedAt: testRuns.startedAt,
          heartbeatAt: testRuns.heartbeatAt,
          updatedAt: testRuns.updatedAt,
        }),
    );
  return {
    currentTarget: target(sql`${prompts.currentVersionId}`).prepare('run_target_current'),
    givenTarget: target(sql`${p('versionId')}::uuid`).prepare('run_target_given'),
    insertQueued: insert('run_insert_queued', false, false),
    insertClaimed: insert('run_insert_claimed', true, false),
    insertQueuedChecked: insert('run_insert_queued_checked', false, true),
    insertClaimedChecked: insert('run_insert_claimed_checked', true, true),
    // What a running run's other writers may have changed is returned (a retry counts attempts
    // and restarts the clock; progress saves beat the heart); the rest is what this statement wrote.
    finish: rawStatement(
      'run_finish',
      db
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
        .returning({
          attempts: testRuns.attempts,
          workerId: testRuns.workerId,
          startedAt: testRuns.startedAt,
          heartbeatAt: testRuns.heartbeatAt,
          finishedAt: testRuns.finishedAt,
          updatedAt: testRuns.updatedAt,
        }),
    ),
  };
}

/** A statement's SQL and parameters as drizzle builds them, run by name through the driver. */
interface RawStatement {
  name: string;
  text: string;
  params: unknown[];
}

function rawStatement(name: string, query: { toSQL(): { sql: string; params: unknown[] } }): RawStatement {
  const { sql: text, params } = query.toSQL();
  return { name, text, params };
}

/** Its rows, by column name as the database returns them (the driver's values: Date, number, string). */
function runRaw(rawQuery: RawQuery, statement: RawStatement, values: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  return rawQuery(statement.name, statement.text, fillPlaceholders(statement.params, values));
}

/** An outcome as the database can keep it: what the provider wrote, with its NULs and half pairs made U+FFFD. */
function storable(outcome: RunOutcome): RunOutcome {
  const { output, error } = outcome;
  return {
    ...outcome,
    output: output === null ? null : storableText(output),
    error: error === null ? null : { ...error, code: storableText(error.code), message: storableText(error.message) },
  };
}

/** The inserted run: what the statement wrote, with what the database decided. */
function runFrom(values: NewRunValues, returned: Record<string, unknown>): RunRow {
  return {
    id: returned.id as string,
    promptId: values.promptId,
    promptVersionId: values.promptVersionId,
    versionNumber: values.versionNumber,
    status: returned.status as RunRow['status'],
    model: values.model,
    api: values.api,
    params: values.params as RunParams,
    inputVariables: values.inputVariables,
    input: values.input,
    output: null,
    usage: null,
    costUsd: null,
    error: null,
    attempts: returned.attempts as number,
    latencyMs: null,
    workerId: returned.worker_id as string | null,
    heartbeatAt: returned.heartbeat_at as Date | null,
    idempotencyKey: values.idempotencyKey,
    requestHash: values.requestHash,
    batchId: null,
    caseId: null,
    repeat: null,
    createdAt: returned.created_at as Date,
    startedAt: returned.started_at as Date | null,
    finishedAt: null,
    updatedAt: returned.updated_at as Date,
  };
}

/** A run as its result's write left it. */
function finishedFrom(running: RunRow, outcome: RunOutcome, returned: Record<string, unknown>): RunRow {
  return {
    ...running,
    status: outcome.status,
    output: outcome.output,
    usage: outcome.usage,
    costUsd: outcome.costUsd,
    error: outcome.error,
    latencyMs: outcome.latencyMs,
    attempts: returned.attempts as number,
    workerId: returned.worker_id as string | null,
    startedAt: returned.started_at as Date | null,
    heartbeatAt: returned.heartbeat_at as Date | null,
    finishedAt: returned.finished_at as Date | null,
    updatedAt: returned.updated_at as Date,
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

/** What a prompt was when last read: its type and current version (a hint, checked on insert). */
interface PromptHint {
  type: RunTarget['type'];
  currentVersionId: string | null;
}

/** Versions never change, so their content may be kept; the prompt they belong to is kept with them. */
interface KnownVersion {
  promptId: string;
  versionNumber: number;
  content: string;
}

/** How many prompts and versions are remembered (the least recently used go first)... */
export const REMEMBERED = 500;
/** ...and how many characters of content at most: a prompt may hold 200,000 (about 8 MB in all). */
export const REMEMBERED_CHARS = 4_000_000;

/** A map that forgets its least recently used entries beyond a count and a total weight. */
export class Remembered<V> {
  private readonly entries = new Map<string, V>();
  private weight = 0;

  constructor(private readonly weigh: (value: V) => number = () => 0) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.delete(key);
    this.entries.set(key, value);
    this.weight += this.weigh(value);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= REMEMBERED && this.weight <= REMEMBERED_CHARS) break;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const value = this.entries.get(key);
    if (value === undefined) return;
    this.entries.delete(key);
    this.weight -= this.weigh(value);
  }
}

/** The run path's statements on one database (the service's own handle, not a transaction). */
export class RunStatements {
  private readonly prepared: ReturnType<typeof prepare>;
  private readonly prompts = new Remembered<PromptHint>();
  private readonly versions = new Remembered<KnownVersion>((v) => v.content.length);

  constructor(
    db: Database,
    private readonly rawQuery: RawQuery,
  ) {
    this.prepared = prepare(db);
  }

  /** A live prompt and the version a new run would use (the given one, else the current one), read now. */
  async target(promptId: string, versionId: string | undefined): Promise<RunTarget | undefined> {
    const [row] = versionId
      ? await this.prepared.givenTarget.execute({ promptId, versionId })
      : await this.prepared.currentTarget.execute({ promptId });
    if (!row) {
      this.prompts.delete(promptId);
      return undefined;
    }
    const { versionId: id, versionNumber, content } = row;
    this.prompts.set(promptId, { type: row.type, currentVersionId: row.currentVersionId });
    if (id && versionNumber !== null && content !== null) this.versions.set(id, { promptId, versionNumber, content });
    return { type: row.type, version: id && versionNumber !== null && content !== null ? { id, versionNumber, content } : null };
  }

  /**
   * What target() answered last time, without reading: to be inserted with insertChecked(), which
   * refuses it if the prompt changed since. undefined when this prompt or version is not known.
   */
  remembered(promptId: string, versionId: string | undefined): { type: RunTarget['type']; version: NonNullable<RunTarget['version']>; current: boolean } | undefined {
    const hint = this.prompts.get(promptId);
    const id = versionId ?? hint?.currentVersionId;
    const version = id ? this.versions.get(id) : undefined;
    if (!hint || !id || !version || version.promptId !== promptId) return undefined;
    return { type: hint.type, version: { id, versionNumber: version.versionNumber, content: version.content }, current: !versionId };
  }

  /** Inserts a run, queued or already claimed by `workerId`; undefined when its idempotency key is taken. */
  async insert(values: NewRunValues, claimedBy: string | undefined): Promise<RunRow | undefined> {
    const [row] = claimedBy
      ? await runRaw(this.rawQuery, this.prepared.insertClaimed, { ...values, workerId: claimedBy })
      : await runRaw(this.rawQuery, this.prepared.insertQueued, values);
    return row && runFrom(values, row);
  }

  /**
   * insert() of a run made from remembered(): written only if its prompt is still live, still of
   * `target.type` and, for a run of the current version, still at that version. 'changed' (nothing
   * written, the hint forgotten) when it is not: the caller reads the prompt with target().
   */
  async insertChecked(values: NewRunValues, target: { type: RunTarget['type']; current: boolean }, claimedBy: string | undefined): Promise<RunRow | undefined | 'changed'> {
    const checks = { ...values, type: target.type, current: target.current };
    try {
      const [row] = claimedBy
        ? await runRaw(this.rawQuery, this.prepared.insertClaimedChecked, { ...checks, workerId: claimedBy })
        : await runRaw(this.rawQuery, this.prepared.insertQueuedChecked, checks);
      return row && runFrom(values, row);
    } catch (error) {
      // not_null_violation: the only NULL this statement can write is the checked version's.
      if (errorCode(error) !== '23502') throw error;
      this.prompts.delete(values.promptId);
      return 'changed';
    }
  }

  /** Writes `running`'s result; undefined when it is no longer running (canceled meanwhile). */
  async finish(running: RunRow, given: RunOutcome): Promise<RunRow | undefined> {
    const outcome = storable(given);
    const [row] = await runRaw(this.rawQuery, this.prepared.finish, {
      id: running.id,
      status: outcome.status,
      output: outcome.output,
      usage: toJson(outcome.usage),
      costUsd: outcome.costUsd,
      error: toJson(outcome.error),
      latencyMs: outcome.latencyMs,
    });
    return row && finishedFrom(running, outcome, row);
  }
}
