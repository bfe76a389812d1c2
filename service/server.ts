// Starts the whole service: database, migrations, the user, the app, the listener.
// main.ts calls it with the environment's settings; tests call it to restart a service for real.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { createApp, type App } from './app.ts';
import { ensureUser } from './auth/user-accounts.ts';
import { findOnlyUser } from './auth/user-queries.ts';
import { isLoopbackHost, type ServiceConfig } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connect.ts';
import { connectionFailureMessage } from './db/connection-failure.ts';
import { DatabaseSettingsError } from './db/postgres-tls.ts';
import { withSafeErrors } from './log/error-serializer.ts';
import { createRunService } from './runs/run-service.ts';
import { sessionSecret } from './session-secret.ts';

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface RunningService {
  url: string;
  app: App;
  database: DatabaseHandle;
  logger: Logger;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  validateResponses?: boolean;
  version?: string;
}

const SESSION_PRUNE_MS = 60 * 60 * 1000;

/** Binding beyond loopback exposes the service: refuse unless it is locked down. */
function checkExposure(config: ServiceConfig, hasUser: boolean): void {
  if (isLoopbackHost(config.host)) return;
  const missing: string[] = [];
  if (!config.sessionSecret) missing.push('SESSION_SECRET (a long random string)');
  if (!hasUser) missing.push('a user (PROMPTREFINE_EMAIL and PROMPTREFINE_PASSWORD, or `npm run set-password`)');
  if (missing.length > 0) {
    throw new StartupError(
      `Refusing to listen on ${config.host}, which is reachable from other machines, without ${missing.join(' and ')}. ` +
        'Set them, or listen on HOST=127.0.0.1.',
    );
  }
}

export async function startService(config: ServiceConfig, options: StartOptions = {}): Promise<RunningService> {
  // Errors are logged without the values of failed queries, whichever logger is given.
  const logger = withSafeErrors(options.logger ?? pino({ level: config.logLevel }));
  // The first start of the embedded database creates it, which takes a few seconds: say so.
  logger.info(config.databaseUrl ? 'connecting to PostgreSQL (DATABASE_URL)' : `opening the embedded database in ${config.dataDir}`);
  let database: DatabaseHandle;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      caFile: config.databaseCaFile,
      dataDir: config.dataDir,
      onIdleError: (error) => logger.warn({ err: error }, 'database connection lost; it reconnects on next use'),
    });
  } catch (error) {
    if (error instanceof DatabaseSettingsError) throw new StartupError(error.message);
    throw error;
  }
  let server: Server | undefined;
  try {
    logger.info('applying database migrations');
    // The first connection: a wrong URL, certificate or password shows here, and is said plainly.
    await database.migrate().catch((error: unknown) => {
      const message = config.databaseUrl ? connectionFailureMessage(error, config.databaseUrl) : undefined;
      throw message ? new StartupError(message, { cause: error }) : error;
    });
    const outcome = await ensureUser(database.db, config.email, config.password);
    if (outcome === 'created') logger.info({ email: config.email }, 'created the user from PROMPTREFINE_EMAIL');
    checkExposure(config, outcome !== 'missing' || Boolean(await findOnlyUser(database.db)));
    if (outcome === 'missing') {
      logger.warn(
        'No user exists yet, so nobody can sign in. Stop the service and run `npm run set-password -- --email you@example.com`, ' +
          'or start it with PROMPTREFINE_EMAIL and PROMPTREFINE_PASSWORD set.',
      );
    }
    const runs = createRunService(database, logger, config.runs);
    const app = createApp({
      database,
      logger,
      runs,
      sessionSecret: await sessionSecret(database.db, config.sessionSecret),
      bodyLimitBytes: config.bodyLimitBytes,
      signInLimit: config.signInLimit,
      allowedOrigins: config.allowedOrigins,
      trustProxy: config.trustProxy,
      validateResponses: options.validateResponses ?? false,
      version: options.version ?? '0.1.0',
    });
    const listening = await new Promise<Server>((resolve, reject) => {
      const s = app.express.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
    });
    server = listening;
    // Picks up runs queued before a restart, and marks those a crash left running as INTERRUPTED.
    await runs.queue.start();
    const { port } = listening.address() as AddressInfo;
    const host = config.host.includes(':') && !config.host.startsWith('[') ? `[${config.host}]` : config.host;
    const prune = setInterval(() => {
      app.sessionStore.prune().catch((error: unknown) => logger.warn({ err: error }, 'could not prune expired sessions'));
    }, SESSION_PRUNE_MS);
    prune.unref();
    return {
      url: `http://${host}:${port}`,
      app,
      database,
      logger,
      async close() {
        clearInterval(prune);
        const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
        await runs.queue.stop();
        listening.closeAllConnections();
        await closed;
        await database.close();
      },
    };
  } catch (error) {
    server?.close();
    await database.close();
    throw error;
  }
}
