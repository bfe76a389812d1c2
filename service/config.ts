// The service's settings, read once from the environment (contract § Starting the service).
import { homedir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { z } from 'zod';
import type { SignInThrottle } from './auth/sign-in-throttle.ts';
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
  PROMPTREFINE_IMPORT_LIMIT: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  PROMPTREFINE_ALLOWED_HOSTS: optional,
  PROMPTREFINE_SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(20),
  PROMPTREFINE_SIGNIN_WINDOW_SECONDS: z.coerce.number().min(0.1).default(60),
  PROMPTREFINE_SIGNIN_FREE_FAILURES: z.coerce.number().int().min(0).default(5),
  PROMPTREFINE_SIGNIN_DELAY_SECONDS: z.coerce.number().min(0.01).default(1),
  PROMPTREFINE_SIGNIN_MAX_DELAY_SECONDS: z.coerce.number().min(0.01).default(60),
  PROMPTREFINE_TRUST_PROXY: optional,
  PROMPTREFINE_MODELS_FILE: optional,
  PROMPTREFINE_DEFAULT_API: z.enum(['responses', 'chat']).optional(),
  PROMPTREFINE_RUN_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  PROMPTREFINE_RUN_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  PROMPTREFINE_RUN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  PROMPTREFINE_RUN_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  PROMPTREFINE_RUN_STALE_MS: z.coerce.number().int().min(500).default(15_000),
  PROMPTREFINE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  PROMPTREFINE_IDLE_EXIT_SECONDS: z.coerce.number().int().min(1).optional(),
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
  /** Host names accepted besides localhost, 127.0.0.1 and [::1] (the DNS rebinding check). */
  allowedHosts: string[];
  bodyLimitBytes: number;
  /** Stop after this long with no request in flight (the extension's own local service); unset: never. */
  idleExitMs: number | undefined;
  /** POST /api/import's own limit: a backup is far larger than any other request. */
  importLimitBytes: number;
  /** Per client, in this process. */
  signInLimit: { maxFailures: number; windowMs: number };
  /** Per account, in the database. */
  signInThrottle: SignInThrottle;
  /**
   * Express's `trust proxy`: which hops may set X-Forwarded-For/-Proto. Off unless configured, so a
   * client cannot choose its own address (and so its rate-limit key) with a header.
   */
  trustProxy: TrustProxy;
  runs: RunSettings;
  sessionSecret: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
}

/** What Express's `trust proxy` accepts: nothing/everything, a hop count, or addresses and subnets. */
export type TrustProxy = boolean | number | string;

// A failed attempt is forgotten after this long without another (README § Configuration).
const DEFAULT_FORGET_AFTER_MS = 15 * 60 * 1000;

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);

function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  // Express compiles the list when it is set; an address it cannot read is refused now, with the variable's name.
  try {
    express().set('trust proxy', value);
  } catch (error) {
    throw new Error(
      `Invalid environment: PROMPTREFINE_TRUST_PROXY: ${(error as Error).message} (use a hop count such as 1, ` +
        'addresses or subnets separated by commas, loopback, or true)',
    );
  }
  return value;
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
    allowedOrigins: list(e.PROMPTREFINE_ALLOWED_ORIGINS),
    allowedHosts: list(e.PROMPTREFINE_ALLOWED_HOSTS).map((h) => h.toLowerCase()),
    bodyLimitBytes: e.PROMPTREFINE_BODY_LIMIT,
    idleExitMs: e.PROMPTREFINE_IDLE_EXIT_SECONDS === undefined ? undefined : e.PROMPTREFINE_IDLE_EXIT_SECONDS * 1000,
    importLimitBytes: e.PROMPTREFINE_IMPORT_LIMIT,
    signInLimit: { maxFailures: e.PROMPTREFINE_SIGNIN_MAX_FAILURES, windowMs: Math.round(e.PROMPTREFINE_SIGNIN_WINDOW_SECONDS * 1000) },
    signInThrottle: {
      freeFailures: e.PROMPTREFINE_SIGNIN_FREE_FAILURES,
      delayMs: Math.round(e.PROMPTREFINE_SIGNIN_DELAY_SECONDS * 1000),
      maxDelayMs: Math.round(e.PROMPTREFINE_SIGNIN_MAX_DELAY_SECONDS * 1000),
      forgetAfterMs: DEFAULT_FORGET_AFTER_MS,
    },
    trustProxy: parseTrustProxy(e.PROMPTREFINE_TRUST_PROXY),
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
      shutdownGraceMs: e.PROMPTREFINE_SHUTDOWN_GRACE_MS,
    },
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
  };
}

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|\[::1\])$/i;
export const isLoopbackHost = (host: string) => LOOPBACK.test(host);
