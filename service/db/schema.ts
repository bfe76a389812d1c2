// The database schema. Migrations in ./migrations are generated from it with `npm run db:generate`;
// what drizzle cannot express (extensions, the immutability trigger) lives in custom migrations.
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { CreateBatchBody, Expectation, RunError, RunParams, Usage } from '../../contract/index.ts';

// Millisecond precision, so a timestamp read into a JS Date and written back into a cursor
// compares equal to the stored value (keyset pagination depends on it).
const time = (name: string) => timestamp(name, { withTimezone: true, precision: 3, mode: 'date' });
const createdAt = () => time('created_at').notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name'),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`)],
);

/** Small key/value facts the service keeps about itself, such as the generated session secret. */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/** Signed-in sessions. Only a SHA-256 of each session id is kept: a copy of the database signs nobody in. */
export const sessions = pgTable(
  'sessions',
  {
    sidHash: text('sid_hash').primaryKey(),
    sess: jsonb('sess').notNull(),
    expiresAt: time('expires_at').notNull(),
  },
  (t) => [index('sessions_expires_at_idx').on(t.expiresAt)],
);

/**
 * Sign-in attempts per email (lower-cased as the user lookup does), known or not, so an unknown
 * email behaves like the real one. Kept in the database so every process of the service counts the
 * same attempts. A row is deleted at a successful sign-in.
 */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    emailKey: text('email_key').primaryKey(),
    /** Attempts since the last success (or since the count was forgotten); counted before checking the password. */
    attempts: integer('attempts').notNull(),
    /** No attempt is checked before this time. */
    blockedUntil: time('blocked_until').notNull(),
    lastAttemptAt: time('last_attempt_at').notNull(),
  },
  (t) => [index('sign_in_attempts_last_attempt_idx').on(t.lastAttemptAt)],
);

export const prompts = pgTable(
  'prompts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    type: text('type', { enum: ['user', 'system'] }).notNull().default('user'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    currentVersionId: uuid('current_version_id'),
    createdAt: createdAt(),
    updatedAt: time('updated_at').notNull().defaultNow(),
    // Delete only hides a prompt: its versions and runs stay (no history is lost to a stray click).
    deletedAt: time('deleted_at'),
  },
  // DESC indexes are NULLS FIRST so that a plain `ORDER BY created_at DESC, id DESC` walks them.
  (t) => [
    check('prompts_type_check', sql`${t.type} in ('user', 'system')`),
    check('prompts_title_not_blank', sql`length(btrim(${t.title})) > 0`),
    index('prompts_live_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()).where(sql`${t.deletedAt} is null`),
    index('prompts_title_trgm_idx').using('gin', sql`${t.title} gin_trgm_ops`),
    index('prompts_tags_idx').using('gin', t.tags),
    // The current version must be one of this prompt's own versions.
    foreignKey({
      name: 'prompts_current_version_fk',
      columns: [t.id, t.currentVersionId],
      foreignColumns: [promptVersions.promptId, promptVersions.id],
    }),
  ],
);

export const promptVersions = pgTable(
  'prompt_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    promptId: uuid('prompt_id')
      .notNull()
      .references((): AnyPgColumn => prompts.id),
    versionNumber: integer('version_number').notNull(),
    content: text('content').notNull(),
    notes: text('notes'),
    restoredFromVersionId: uuid('restored_from_version_id').references((): AnyPgColumn => promptVersions.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('prompt_versions_prompt_number_idx').on(t.promptId, t.versionNumber),
    // Target of the composite foreign keys that tie a current version or a run to its own prompt.
    unique('prompt_versions_prompt_id_id_key').on(t.promptId, t.id),
    check('prompt_versions_number_positive', sql`${t.versionNumber} >= 1`),
  ],
);

export const testRuns = pgTable(
  'test_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    promptId: uuid('prompt_id').notNull(),
    promptVersionId: uuid('prompt_version_id').notNull(),
    versionNumber: integer('version_number').notNull(),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed', 'canceled'] })
      .notNull()
      .default('queued'),
    model: text('model').notNull(),
    api: text('api', { enum: ['responses', 'chat'] }).notNull(),
    params: jsonb('params').$type<RunParams>().notNull().default({}),
    inputVariables: jsonb('input_variables').$type<Record<string, string>>().notNull().default({}),
    input: text('input'),
    output: text('output'),
    usage: jsonb('usage').$type<Usage>(),
    costUsd: doublePrecision('cost_usd'),
    error: jsonb('error').$type<RunError>(),
    attempts: integer('attempts').notNull().default(0),
    latencyMs: integer('latency_ms'),
    // Which service process runs it, and when that process last showed it was alive: a run whose
    // process died (SIGKILL, power loss) is marked INTERRUPTED instead of staying `running` forever.
    workerId: text('worker_id'),
    heartbeatAt: time('heartbeat_at'),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash'),
    // Set on runs a batch made. No foreign keys: an export carries runs but not batches, and runs
    // keep naming a case deleted since (its results stay readable); both are plain references.
    batchId: uuid('batch_id'),
    caseId: uuid('case_id'),
    repeat: integer('repeat'),
    createdAt: createdAt(),
    startedAt: time('started_at'),
    finishedAt: time('finished_at'),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (t) => [
    check('test_runs_status_check', sql`${t.status} in ('queued', 'running', 'succeeded', 'failed', 'canceled')`),
    check('test_runs_api_check', sql`${t.api} in ('responses', 'chat')`),
    foreignKey({
      name: 'test_runs_prompt_fk',
      columns: [t.promptId],
      foreignColumns: [prompts.id],
    }),
    // A run's version belongs to the run's prompt.
    foreignKey({
      name: 'test_runs_version_fk',
      columns: [t.promptId, t.promptVersionId],
      foreignColumns: [promptVersions.promptId, promptVersions.id],
    }),
    index('test_runs_prompt_created_idx').on(t.promptId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('test_runs_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('test_runs_status_idx').on(t.status, t.createdAt).where(sql`${t.status} in ('queued', 'running')`),
    // History filtered by status or model, newest first, reads one page of its index whatever the
    // share of matching runs (without them a rare status or model walked the whole history); one
    // prompt's runs by status too (else the planner intersects every run of that status with the prompt's).
    index('test_runs_status_created_idx').on(t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('test_runs_prompt_status_created_idx').on(t.promptId, t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('test_runs_model_created_idx').on(t.model, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('test_runs_output_trgm_idx').using('gin', sql`${t.output} gin_trgm_ops`),
    uniqueIndex('test_runs_idempotency_key_idx').on(t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
    index('test_runs_batch_idx').on(t.batchId).where(sql`${t.batchId} is not null`),
  ],
);

/** Test cases of a prompt. Delete only hides one, so the results of batches that ran it stay whole. */
export const testCases = pgTable(
  'test_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    promptId: uuid('prompt_id')
      .notNull()
      .references((): AnyPgColumn => prompts.id),
    name: text('name').notNull(),
    inputVariables: jsonb('input_variables').$type<Record<string, string>>().notNull().default({}),
    input: text('input'),
    expectations: jsonb('expectations').$type<Expectation[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: time('updated_at').notNull().defaultNow(),
    deletedAt: time('deleted_at'),
  },
  (t) => [
    check('test_cases_name_not_blank', sql`length(btrim(${t.name})) > 0`),
    index('test_cases_prompt_created_idx').on(t.promptId, t.createdAt, t.id).where(sql`${t.deletedAt} is null`),
  ],
);

/** What a batch checks each run against: its cases as they were when it was created. */
export interface BatchCaseSnapshot {
  id: string;
  expectations: Expectation[];
}

/**
 * A batch of runs. Its status, counts and results are read from its runs (test_runs.batch_id), so
 * they stay true whichever process runs them and across restarts; only a cancel is its own fact.
 */
export const batches = pgTable(
  'batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    promptId: uuid('prompt_id')
      .notNull()
      .references((): AnyPgColumn => prompts.id),
    /** The request as resolved: versions, models, params, cases and repeats. */
    request: jsonb('request').$type<Required<Omit<CreateBatchBody, 'promptId'>>>().notNull(),
    cases: jsonb('cases').$type<BatchCaseSnapshot[]>().notNull(),
    total: integer('total').notNull(),
    idempotencyKey: text('idempotency_key'),
    requestHash: text('request_hash').notNull(),
    canceledAt: time('canceled_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('batches_prompt_created_idx').on(t.promptId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index('batches_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    uniqueIndex('batches_idempotency_key_idx').on(t.idempotencyKey).where(sql`${t.idempotencyKey} is not null`),
  ],
);

/**
 * The user's own templates. Built-in ones live in code (service/templates/builtin-templates.ts),
 * so they can be improved with a release and cannot be changed or deleted through the database.
 */
export const templates = pgTable(
  'templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    type: text('type', { enum: ['user', 'system'] }).notNull().default('user'),
    description: text('description').notNull().default(''),
    content: text('content').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    /** The version it was saved from (POST /api/templates with fromVersionId), else null. */
    sourceVersionId: uuid('source_version_id').references((): AnyPgColumn => promptVersions.id),
    createdAt: createdAt(),
  },
  (t) => [
    check('templates_type_check', sql`${t.type} in ('user', 'system')`),
    check('templates_title_not_blank', sql`length(btrim(${t.title})) > 0`),
    index('templates_created_idx').on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);
