// Wires the run machinery: the SDK client, the model table, the queue and the output streams.
import OpenAI from 'openai';
import type { Logger } from 'pino';
import type { ModelApi } from '../../contract/index.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { redactSecrets } from './call-failure.ts';
import { withSafeErrors } from '../log/error-serializer.ts';
import { createModelCatalog } from './model-catalog.ts';
import { listenForRunEvents, RunEventOutbox } from './run-event-bus.ts';
import { loadRun, toTestRun } from './run-queries.ts';
import { RunQueue } from './run-queue.ts';
import { RunStatements } from './run-statements.ts';
import { RunStreams } from './run-streams.ts';
import type { RunService } from './run-use-cases.ts';

export interface RunSettings {
  apiKey: string | undefined;
  /** Absent: OpenAI itself. */
  baseUrl: string | undefined;
  modelsFile?: string | undefined;
  defaultApi?: ModelApi | undefined;
  concurrency?: number;
  timeoutMs?: number;
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  pollMs?: number;
  staleMs?: number;
  progressFlushMs?: number;
  /** At shutdown, how long runs in flight may take to finish before they are aborted (INTERRUPTED). */
  shutdownGraceMs?: number;
}

/** The SDK's logger interface on top of pino, every argument scrubbed of the API key. */
function providerLogger(logger: Logger, apiKey: string | undefined) {
  const child = logger.child({ component: 'openai-sdk' });
  const line = (args: unknown[]) => args.map((a) => redactSecrets(typeof a === 'string' ? a : safeJson(a), apiKey)).join(' ');
  return {
    error: (...args: unknown[]) => child.error(line(args)),
    warn: (...args: unknown[]) => child.warn(line(args)),
    info: (...args: unknown[]) => child.info(line(args)),
    debug: (...args: unknown[]) => child.debug(line(args)),
  };
}

function safeJson(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function createRunService(database: DatabaseHandle, logger: Logger, settings: RunSettings): RunService {
  const catalog = createModelCatalog({
    file: settings.modelsFile,
    // OpenAI serves every model on the Responses API; most compatible servers speak Chat Completions.
    defaultApi: settings.defaultApi ?? (settings.baseUrl ? 'chat' : 'responses'),
  });
  const timeoutMs = settings.timeoutMs ?? 120_000;
  const client = new OpenAI({
    // Compatible servers (Ollama, vLLM) often need no key; the SDK insists on one.
    apiKey: settings.apiKey ?? 'not-needed',
    ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    // Retries are ours, so every attempt is counted in the run and cancel stops them.
    maxRetries: 0,
    timeout: timeoutMs,
    // The SDK logs what it cannot parse, raw; through our logger, with the key scrubbed.
    logger: providerLogger(logger, settings.apiKey),
  });
  const streams = new RunStreams();
  const statements = new RunStatements(database.db, database.rawQuery);
  const queue = new RunQueue(database.db, statements, client, catalog, streams, withSafeErrors(logger), {
    concurrency: settings.concurrency ?? 4,
    timeoutMs,
    maxAttempts: settings.maxAttempts ?? 4,
    backoff: { baseMs: settings.retryBaseMs ?? 1000, maxMs: settings.retryMaxMs ?? 20_000 },
    pollMs: settings.pollMs ?? 1000,
    heartbeatMs: 2000,
    staleMs: settings.staleMs ?? 15_000,
    exclusiveDatabase: database.kind === 'embedded',
    apiKey: settings.apiKey,
    missingKeyMessage:
      !settings.apiKey && !settings.baseUrl
        ? 'The service has no OPENAI_API_KEY. Set it where the service runs (it never leaves the service), or set OPENAI_BASE_URL to an OpenAI-compatible server such as the fake one (`npm run fake-openai`).'
        : undefined,
    progressFlushMs: settings.progressFlushMs ?? 1000,
    shutdownGraceMs: settings.shutdownGraceMs ?? 10_000,
  });
  const shared = shareRunsAcrossProcesses(database, streams, queue, logger);
  return { db: database.db, statements, catalog, queue, streams, shared };
}

/**
 * On PostgreSQL, runs executed by one service process are followed from any other, and new queued
 * runs wake every idle process, through notifications (run-event-bus.ts). Until the subscription
 * is up, followers poll as before. On the embedded database this process is the only one.
 */
function shareRunsAcrossProcesses(database: DatabaseHandle, streams: RunStreams, queue: RunQueue, logger: Logger): Promise<void> {
  if (database.kind === 'embedded') {
    streams.alone();
    return Promise.resolve();
  }
  const outbox = new RunEventOutbox(database.db, (error) => logger.warn({ err: error }, 'could not announce run events to other processes'));
  return listenForRunEvents(database.notifications, {
    onEvent: (event) => streams.remoteEvent(event),
    onQueued: () => queue.kick(),
    onInterrupted: () => streams.eventsInterrupted(),
    onRestored: () => {
      streams.eventsRestored();
      queue.kick();
    },
  }).then(
    (stopListening) => {
      streams.connect(outbox, async (id) => {
        const row = await loadRun(database.db, id);
        return row && toTestRun(row);
      });
      queue.useOutbox(outbox, stopListening);
    },
    (error: unknown) => logger.warn({ err: error }, 'could not listen for run events of other processes; following them by polling the database'),
  );
}
