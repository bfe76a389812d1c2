// Starts the whole service: database, migrations, the user, the app, the listener.
// main.ts calls it with the environment's settings; tests call it to restart a service for real.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { pino, type Logger } from 'pino';
import { createApp, type App } from './app.ts';
import { EXPOSED_MIN_PASSWORD_LENGTH } from './auth/password.ts';
import { pruneSignInAttempts } from './auth/sign-in-throttle.ts';
import { ensureSetupToken, removeSetupTokenFile, writeSetupTokenFile } from './auth/setup-token.ts';
import { CredentialsError, ensureUser } from './auth/user-accounts.ts';
import { findOnlyUser } from './auth/user-queries.ts';
import { isLoopbackHost, type ServiceConfig } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/connect.ts';
import type { EarlyDatabase } from './db/early-open.ts';
import { connectionFailureMessage } from './db/connection-failure.ts';
import { DatabaseSettingsError } from './db/postgres-tls.ts';
import { NewerDatabaseError } from './db/schema-version.ts';
import { watchIdle } from './http/idle-watch.ts';
import { withSafeErrors } from './log/error-serializer.ts';
import { createRunService } from './runs/run-service.ts';
import { SESSION_SECRET_RULE, sessionSecret, sessionSecretWeakness } from './session-secret.ts';

export class StartupError extends Error {
  override name = 'StartupError';
}

export interface RunningService {
  url: string;
  app: App;
  database: DatabaseHandle;
  logger: Logger;
  /** While no account exists: the one-time token for POST /api/auth/setup (also in the data folder). */
  setupToken: string | undefined;
  /** Where that token's file was written, when it could be. */
  setupTokenFile: string | undefined;
  close(): Promise<void>;
}

export interface StartOptions {
  /** With the embedded database only: the handle main.ts started opening (openEmbeddedEarly). */
  early?: EarlyDatabase;
  logger?: Logger;
  /** Called once when PROMPTREFINE_IDLE_EXIT_SECONDS pass with no request in flight. */
  onIdle?: () => void;
  validateResponses?: boolean;
  version?: string;
}

const SESSION_PRUNE_MS = 60 * 60 * 1000;

/** HOST as it appears in a URL and a Host header: an IPv6 address in brackets. */
const urlHost = (host: string) => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** Binding beyond loopback exposes the service: refuse unless it is locked down. */
function checkExposure(config: ServiceConfig, hasUser: boolean): void {
  if (isLoopbackHost(config.host)) return;
  const missing: string[] = [];
  if (!config.sessionSecret) missing.push(`SESSION_SECRET (${SESSION_SECRET_RULE})`);
  else {
    const weakness = sessionSecretWeakness(config.sessionSecret);
    if (weakness) missing.push(`a strong SESSION_SECRET (this one ${weakness}; ${SESSION_SECRET_RULE})`);
  }
  if (!hasUser) missing.push('a user (PROMPTREFINE_EMAIL and PROMPTREFINE_PASSWORD, or `npm run set-password`)');
  if (config.password !== undefined && config.password.length < EXPOSED_MIN_PASSWORD_LENGTH) {
    missing.push(`a PROMPTREFINE_PASSWORD of at least ${EXPOSED_MIN_PASSWORD_LENGTH} characters`);
  }
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
  const repairedWarning = (entries: number) =>
    logger.warn(
      { dataDir: config.dataDir, entries },
      `made ${entries} files and folders in the embedded database folder private (folders 0700, files 0600): other users could read them`,
    );
  if (options.early && !config.databaseUrl) {
    database = await options.early.opening;
    const repaired = options.early.repairedEntries();
    if (repaired > 0) repairedWarning(repaired);
  } else try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      caFile: config.databaseCaFile,
      dataDir: config.dataDir,
      onDataDirRepaired: repairedWarning,
      onIdleError: (error) => logger.warn({ err: error }, 'database connection lost; it reconnects on next use'),
      // The change feed's LISTEN connection: the error's message says why, never the URL or a password.
      onListenerEvent: (event) => {
        if (event.state === 'restored') logger.info({ attempts: event.attempts }, 'database notifications connection restored');
        else
          logger.warn(
            { err: event.error, retryInMs: event.retryInMs },
            event.state === 'lost'
              ? 'database notifications connection lost; open change feeds were closed (clients reconnect); reconnecting'
              : 'database notifications connection could not be opened; retrying',
          );
      },
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
      if (error instanceof NewerDatabaseError) throw new StartupError(error.message, { cause: error });
      const message = config.databaseUrl ? connectionFailureMessage(error, config.databaseUrl) : undefined;
      throw message ? new StartupError(message, { cause: error }) : error;
    });
    const outcome = await ensureUser(database.db, config.email, config.password).catch((error: unknown) => {
      throw error instanceof CredentialsError ? new StartupError(`PROMPTREFINE_EMAIL / PROMPTREFINE_PASSWORD: ${error.message}`) : error;
    });
    if (outcome === 'created') logger.info({ email: config.email }, 'created the user from PROMPTREFINE_EMAIL');
    checkExposure(config, outcome !== 'missing' || Boolean(await findOnlyUser(database.db)));
    const weakSecret = config.sessionSecret ? sessionSecretWeakness(config.sessionSecret) : undefined;
    if (weakSecret) logger.warn(`SESSION_SECRET ${weakSecret}; ${SESSION_SECRET_RULE}. It would be refused beyond loopback.`);
    // No account yet: a one-time token lets its owner create it over HTTP, without a restart.
    const setupToken = await ensureSetupToken(database.db);
    let setupTokenFile: string | undefined;
    // The file goes in the embedded database's folder only: with DATABASE_URL there is no folder of
    // this service's own (several services could share one), so the console alone carries it.
    const tokenDir = config.databaseUrl ? undefined : config.dataDir;
    if (setupToken) {
      try {
        if (tokenDir) setupTokenFile = writeSetupTokenFile(tokenDir, setupToken);
      } catch (error) {
        logger.warn({ err: error }, `could not write the setup token to ${config.dataDir}; it is printed on the console instead`);
      }
      logger.warn(
        'No account exists yet. Create it with POST /api/auth/setup and the setup token ' +
          `(${setupTokenFile ? `in ${setupTokenFile}` : 'printed on the console'}), from VS Code's Sign In, ` +
          'or with `npm run set-password -- --email you@example.com`.',
      );
    } else if (tokenDir) {
      removeSetupTokenFile(tokenDir);
    }
    const runs = createRunService(database, logger, config.runs);
    // Proves this process to local clients that read the lock file (the VS Code extension).
    const instanceKey = database.dataDirLock ? randomBytes(32).toString('base64url') : undefined;
    const app = createApp({
      database,
      logger,
      runs,
      sessionSecret: await sessionSecret(database.db, config.sessionSecret),
      bodyLimitBytes: config.bodyLimitBytes,
      importLimitBytes: config.importLimitBytes,
      signInLimit: config.signInLimit,
      signInThrottle: config.signInThrottle,
      allowedOrigins: config.allowedOrigins,
      // On loopback only loopback names and HOST itself (DNS rebinding); beyond it, the listed names if any.
      allowedHosts: isLoopbackHost(config.host) || config.allowedHosts.length > 0 ? [urlHost(config.host), ...config.allowedHosts] : 'any',
      trustProxy: config.trustProxy,
      dataDir: tokenDir,
      ...(instanceKey ? { instanceKey } : {}),
      validateResponses: options.validateResponses ?? false,
      version: options.version ?? '0.1.0',
    });
    const listening = await new Promise<Server>((resolve, reject) => {
      const s = app.express.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
    });
    server = listening;
    // Picks up runs queued before a restart, and marks those a crash left running as INTERRUPTED.
    // Runs are shared with the other processes first, so none of their ends is missed.
    await runs.shared;
    await runs.queue.start();
    const { port } = listening.address() as AddressInfo;
    if (instanceKey) database.dataDirLock?.record({ port, key: instanceKey });
    const stopIdleWatch =
      config.idleExitMs !== undefined && options.onIdle
        ? watchIdle(listening, config.idleExitMs, () => {
            logger.info({ idleSeconds: config.idleExitMs! / 1000 }, 'no request for PROMPTREFINE_IDLE_EXIT_SECONDS: stopping');
            options.onIdle?.();
          })
        : () => undefined;
    const prune = setInterval(() => {
      app.sessionStore.prune().catch((error: unknown) => logger.warn({ err: error }, 'could not prune expired sessions'));
      pruneSignInAttempts(database.db, config.signInThrottle).catch((error: unknown) =>
        logger.warn({ err: error }, 'could not prune old sign-in attempts'),
      );
    }, SESSION_PRUNE_MS);
    prune.unref();
    let closing: Promise<void> | undefined;
    return {
      url: `http://${urlHost(config.host)}:${port}`,
      app,
      database,
      logger,
      setupToken,
      setupTokenFile,
      close() {
        // A second close() (a second SIGTERM or Ctrl+C) ends the runs' grace period at once.
        if (closing) {
          void runs.queue.stop();
          return closing;
        }
        closing = (async () => {
          clearInterval(prune);
          stopIdleWatch();
          // No new connections; open ones (event streams of runs still finishing) carry on.
          const closed = new Promise<void>((resolve) => listening.close(() => resolve()));
          await runs.queue.stop();
          app.sessionStore.close();
          listening.closeAllConnections();
          await closed;
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    server?.close();
    await database.close();
    throw error;
  }
}
