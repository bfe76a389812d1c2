// The service's settings, read once from the environment (contract § Starting the service).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunSettings } from './runs/run-service.ts';

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v));

const EnvSchema = z.object({
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  DATABASE_URL: optional,
  PROMPTREFINE_DATABASE_CA_FILE: optional,
  PROMPTREFINE_DATA_DIR: optional,
  PROMPTREFINE_EMAIL: optional,
  PROMPTREFINE_PASSWORD: optional,
  PROMPTREFINE_ALLOWED_ORIGINS: optional,
  PROMPTREFINE_BODY_LIMIT: z.coerce.number().int().min(1024).default(1024 * 1024),
  PROMPTREFINE_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(10),
  PROMPTREFINE_SIGNIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  PROMPTREFINE_TRUST_PROXY: optional,
  PROMPTREFINE_MODELS_FILE: optional,
  PROMPTREFINE_DEFAULT_API: z.enum(['responses', 'chat']).optional(),
  PROMPTREFINE_RUN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  PROMPTREFINE_RUN_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  PROMPTREFINE_RUN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  PROMPTREFINE_RUN_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  PROMPTREFINE_RUN_STALE_MS: z.coerce.number().int().min(500).default(15_000),
  OPENAI_API_KEY: optional,
  OPENAI_BASE_URL: optional,
  SESSION_SECRET: optional,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface ServiceConfig {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  /** The CA that signed PostgreSQL's certificate, when DATABASE_URL has no sslrootcert. */
  databaseCaFile: string | undefined;
  dataDir: string;
  email: string | undefined;
  password: string | undefined;
  allowedOrigins: string[];
  bodyLimitBytes: number;
  signInLimit: { maxFailures: number; windowMs: number };
  /** Express's `trust proxy`: set it when a TLS proxy sits in front, so cookies get Secure. */
  trustProxy: string | boolean;
  runs: RunSettings;
  sessionSecret: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${problems}`);
  }
  const e = parsed.data;
  return {
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databaseCaFile: e.PROMPTREFINE_DATABASE_CA_FILE,
    dataDir: e.PROMPTREFINE_DATA_DIR ?? join(homedir(), '.promptrefine'),
    email: e.PROMPTREFINE_EMAIL,
    password: e.PROMPTREFINE_PASSWORD,
    allowedOrigins: (e.PROMPTREFINE_ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    bodyLimitBytes: e.PROMPTREFINE_BODY_LIMIT,
    signInLimit: { maxFailures: e.PROMPTREFINE_SIGNIN_MAX_FAILURES, windowMs: e.PROMPTREFINE_SIGNIN_WINDOW_SECONDS * 1000 },
    trustProxy: e.PROMPTREFINE_TRUST_PROXY === undefined ? 'loopback' : e.PROMPTREFINE_TRUST_PROXY === 'true' ? true : e.PROMPTREFINE_TRUST_PROXY,
    runs: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      modelsFile: e.PROMPTREFINE_MODELS_FILE,
      defaultApi: e.PROMPTREFINE_DEFAULT_API,
      concurrency: e.PROMPTREFINE_RUN_CONCURRENCY,
      timeoutMs: e.PROMPTREFINE_RUN_TIMEOUT_MS,
      maxAttempts: e.PROMPTREFINE_RUN_MAX_ATTEMPTS,
      retryBaseMs: e.PROMPTREFINE_RUN_RETRY_BASE_MS,
      staleMs: e.PROMPTREFINE_RUN_STALE_MS,
    },
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
  };
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;
export const isLoopbackHost = (host: string) => LOOPBACK.test(host);
