// The database the command-line tools work on: the one the service would use (DATABASE_URL, else
// the embedded one in PROMPTREFINE_DATA_DIR), with or without the service running. PostgreSQL
// serves any number of processes; the embedded database serves one, so while the service runs on
// it the tools stop with a message that says what to do instead.
import { loadConfig, type ServiceConfig } from '../config.ts';
import { openDatabase, type DatabaseHandle } from '../db/connect.ts';
import { DataDirBusyError } from '../db/data-dir-lock.ts';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Exit code when the embedded database is held by a running service. */
export const EXIT_DATABASE_BUSY = 2;

export async function openConfiguredDatabase(restInstead: string): Promise<{ database: DatabaseHandle; config: ServiceConfig; where: string }> {
  const config = loadConfig();
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.dataDir}`;
  let database: DatabaseHandle;
  try {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      caFile: config.databaseCaFile,
      dataDir: config.dataDir,
      onDataDirRepaired: (entries) => process.stderr.write(`Made ${entries} files and folders in ${config.dataDir} private (other users could read them).\n`),
    });
  } catch (error) {
    if (error instanceof DataDirBusyError) {
      throw new CliError(
        `The PromptRefine service (process ${error.pid}) is running on the embedded database in ${error.dataDir}, ` +
          'and the embedded database can be opened by one process only. Either stop the service and run this again, ' +
          `or ask the running service over its REST API instead:\n\n${restInstead}\n`,
        EXIT_DATABASE_BUSY,
      );
    }
    throw error;
  }
  try {
    // A new data folder or database gets its tables, as the service would make them at start.
    await database.migrate();
  } catch (error) {
    await database.close();
    throw error;
  }
  return { database, config, where };
}

/**
 * Runs a command-line tool: known problems as a plain message and their exit code, anything else
 * as exit 1. The exit code is set rather than exiting at once, so what is still on its way to a
 * piped standard output (an export) is not cut off.
 */
export function runCli(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = error instanceof CliError ? error.exitCode : 1;
    },
  );
}
