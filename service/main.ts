// `npm start`: the service on the settings of the environment.
import { loadConfig } from './config.ts';
import { DataDirBusyError } from './db/data-dir-lock.ts';
import { DataDirUnsafeError } from './db/data-dir-permissions.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  // The embedded database starts opening before the rest of the service is loaded (db/early-open.ts):
  // server.ts is imported here, not above, so that its loading overlaps with the opening.
  const early = config.databaseUrl ? undefined : (await import('./db/early-open.ts')).openEmbeddedEarly(config.dataDir);
  const { startService } = await import('./server.ts');
  const { askForFirstAccount, setupInstructions } = await import('./first-account-prompt.ts');
  let stop: (signal: string) => void = () => undefined;
  const service = await startService(config, { onIdle: () => stop('idle'), ...(early ? { early } : {}) });
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.dataDir}`;
  service.logger.info(`PromptRefine is listening on ${service.url} — data in ${where}`);
  // Also on stdout as a plain line, for people and scripts waiting for the URL.
  process.stdout.write(`PromptRefine listening on ${service.url}\n`);

  let stopping = false;
  stop = (signal: string) => {
    if (stopping) {
      service.logger.warn({ signal }, 'stopping now: runs still in progress are marked INTERRUPTED');
      void service.close();
      return;
    }
    stopping = true;
    service.logger.info({ signal }, 'stopping; runs in progress get PROMPTREFINE_SHUTDOWN_GRACE_MS to finish (signal again to stop now)');
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        service.logger.error({ err: error }, 'could not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  if (service.setupToken) {
    const tokenDir = config.databaseUrl ? undefined : config.dataDir;
    if (process.stdin.isTTY && process.stderr.isTTY) {
      // Ctrl+C at the prompt (the terminal is raw there, so no SIGINT) stops the service as usual.
      const outcome = await askForFirstAccount(service, service.setupToken, tokenDir);
      if (outcome === 'cancelled') stop('SIGINT');
    } else {
      process.stdout.write(setupInstructions(service.url, service.setupToken, service.setupTokenFile));
    }
  }
}

main().catch((error: unknown) => {
  const known =
    // By name: server.ts (StartupError's module) is loaded only once main() runs.
    (error instanceof Error && error.name === 'StartupError') ||
    error instanceof DataDirBusyError ||
    error instanceof DataDirUnsafeError ||
    (error instanceof Error && error.message.startsWith('Invalid environment'));
  process.stderr.write(`PromptRefine could not start: ${known ? (error as Error).message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
