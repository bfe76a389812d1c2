// `npm run set-password -- --email you@example.com [--name "Your Name"]`
// Sets (or first creates) the single user's email and password in the database the service would
// use (DATABASE_URL or the embedded one), and signs out every session. The password is read from
// the terminal without echo, or from standard input when piped, never from the command line.
import { parseArgs } from 'node:util';
import { setCredentials } from '../auth/user-accounts.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/connect.ts';
import { closeTerminalInput, readPassword } from './terminal-input.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help || !values.email) {
    process.stderr.write(
      'Usage: npm run set-password -- --email you@example.com [--name "Your Name"]\n' +
        'Sets the password of the single PromptRefine user (creating the user if there is none yet) and signs out every session.\n' +
        'Uses DATABASE_URL, else the embedded database in PROMPTREFINE_DATA_DIR (default ~/.promptrefine); stop a service using the embedded database first.\n',
    );
    process.exit(values.help ? 0 : 2);
  }
  const password = await readPassword('New password: ');
  closeTerminalInput();
  if (process.stdin.isTTY && password !== (await readPassword('Repeat it: '))) throw new Error('The two passwords differ; nothing was changed.');
  const config = loadConfig();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    caFile: config.databaseCaFile,
    dataDir: config.dataDir,
    onDataDirRepaired: (entries) => process.stderr.write(`Made ${entries} files and folders in ${config.dataDir} private (other users could read them).\n`),
  });
  try {
    await database.migrate();
    const { user, created } = await setCredentials(database.db, values.email, password, values.name);
    process.stdout.write(`${created ? 'Created' : 'Updated'} the user ${user.email}. Every existing session was signed out.\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`set-password failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
