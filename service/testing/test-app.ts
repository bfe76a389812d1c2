// Starts the real app on port 0 against a test database, with the single user created. Shared by
// the service's tests and the benchmark, so it lives outside the test folders.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import type { DatabaseKind } from '../../contract/index.ts';
import { createApp, type App, type AppDeps } from '../app.ts';
import { setCredentials } from '../auth/user-accounts.ts';
import { createRunService, type RunSettings } from '../runs/run-service.ts';
import type { RunService } from '../runs/run-use-cases.ts';
import type { DatabaseHandle } from '../db/connect.ts';
import { ApiClient } from './api-client.ts';

export interface TestDatabase {
  kind: DatabaseKind;
  handle: DatabaseHandle;
  /** The PostgreSQL URL of this test database (absent for the embedded one). */
  url: string | undefined;
  /** Empties every table, so each test starts on a clean database. */
  reset(): Promise<void>;
}

export const USER = { email: 'dev@example.com', password: 'correct horse battery', name: 'Dev' };

export interface TestApp {
  url: string;
  app: App;
  runs: RunService;
  /** A client that is not signed in. */
  anonymous(): ApiClient;
  /** A client signed in as USER. */
  signedIn(): Promise<ApiClient>;
  close(): Promise<void>;
}

export const silentLogger = (): Logger => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Run settings for tests: fast retries, and a model provider that is never the real one. */
export const TEST_RUN_SETTINGS: RunSettings = {
  apiKey: 'sk-test-fake-key-0123456789',
  // Port 9 (discard) on loopback: a test that forgets to start the fake server fails fast, offline.
  baseUrl: 'http://127.0.0.1:9/v1',
  retryBaseMs: 20,
  retryMaxMs: 200,
  pollMs: 100,
  progressFlushMs: 100,
  // Closing a test app aborts what is still running at once; the shutdown tests set their own.
  shutdownGraceMs: 0,
};

export async function startTestApp(
  database: TestDatabase,
  overrides: Partial<AppDeps> = {},
  runSettings: Partial<RunSettings> = {},
): Promise<TestApp> {
  await setCredentials(database.handle.db, USER.email, USER.password, USER.name);
  const logger = overrides.logger ?? silentLogger();
  const runs = overrides.runs ?? createRunService(database.handle, logger, { ...TEST_RUN_SETTINGS, ...runSettings });
  await runs.shared;
  await runs.queue.start();
  const app = createApp({
    database: database.handle,
    logger,
    runs,
    sessionSecret: 'test-session-secret',
    validateResponses: true,
    ...overrides,
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.express.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    app,
    runs,
    anonymous: () => new ApiClient(url),
    async signedIn() {
      const client = new ApiClient(url);
      await client.ok('POST', '/api/auth/signin', { email: USER.email, password: USER.password });
      return client;
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await runs.queue.stop();
      app.sessionStore.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
