// Wires the run machinery: the SDK client, the model table, the queue and the output streams.
import OpenAI from 'openai';
import type { Logger } from 'pino';
import type { ModelApi } from '../../contract/index.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { withSafeErrors } from '../log/error-serializer.ts';
import { createModelCatalog } from './model-catalog.ts';
import { RunQueue } from './run-queue.ts';
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
  });
  const streams = new RunStreams();
  const queue = new RunQueue(database.db, client, catalog, streams, withSafeErrors(logger), {
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
  });
  return { db: database.db, catalog, queue, streams };
}
