// `npm start` with no account yet. In a terminal it asks for the email and the password (hidden,
// twice) and creates the account in the running service; without one (a script, a container's
// log) it prints the setup token and the one `curl` that creates the account. No restart either way.
import { SETUP_TOKEN_HEADER } from '../contract/index.ts';
import { hashPassword } from './auth/password.ts';
import { consumeTokenAndCreateUser, removeSetupTokenFile } from './auth/setup-token.ts';
import { checkCredentials, CredentialsError } from './auth/user-accounts.ts';
import { PromptCancelled, readLine, readPassword } from './cli/terminal-input.ts';
import type { RunningService } from './server.ts';

/** The lines printed when nobody can be asked: the token and a command that uses it. */
export function setupInstructions(url: string, token: string, tokenFile: string | undefined): string {
  const body = JSON.stringify({ email: 'you@example.com', password: 'a long password' });
  return [
    'No account exists yet. Create it (once) with this setup token:',
    `  ${token}`,
    ...(tokenFile ? [`(also in ${tokenFile}, readable by you only)`] : []),
    `  curl -X POST ${url}/api/auth/setup -H 'Content-Type: application/json' -H '${SETUP_TOKEN_HEADER}: ${token}' -d '${body}'`,
    "Or use Sign In in VS Code's PromptRefine view.",
    '',
  ].join('\n');
}

export type FirstAccountOutcome = 'created' | 'made-elsewhere' | 'cancelled';

/** Asks at the terminal until an account is created, made elsewhere meanwhile, or Ctrl+C. */
export async function askForFirstAccount(service: RunningService, token: string, dataDir: string | undefined): Promise<FirstAccountOutcome> {
  process.stderr.write('\nNo account exists yet. Create it now (Ctrl+C stops the service).\n');
  try {
    for (;;) {
      const email = await readLine('Email: ');
      const password = await readPassword('Password (12+ characters): ');
      if (password !== (await readPassword('Repeat it: '))) {
        process.stderr.write('The two passwords differ. Try again.\n');
        continue;
      }
      try {
        checkCredentials(email, password);
      } catch (error) {
        if (!(error instanceof CredentialsError)) throw error;
        process.stderr.write(`${error.message}. Try again.\n`);
        continue;
      }
      const user = await consumeTokenAndCreateUser(service.database.db, token, { email, passwordHash: await hashPassword(password) });
      if (dataDir) removeSetupTokenFile(dataDir);
      if (!user) {
        process.stderr.write('An account was created meanwhile (from VS Code or the REST API). Sign in with it.\n');
        return 'made-elsewhere';
      }
      process.stderr.write(`Created the account ${user.email}. Sign in with it from VS Code or POST /api/auth/signin.\n`);
      return 'created';
    }
  } catch (error) {
    if (error instanceof PromptCancelled) return 'cancelled';
    throw error;
  }
}
