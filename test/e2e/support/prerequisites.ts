// Where the e2e suite finds code-server and Chromium. They are not npm dependencies of the project
// (code-server is ~300 MB of test tool); scripts/e2e/install-prerequisites.sh installs both.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const INSTALL_SCRIPT = 'scripts/e2e/install-prerequisites.sh';

export interface Prerequisites {
  codeServer: string;
  chromium: string;
}

/** The tools, or an error that says how to get them: the suite fails loudly, it never skips. */
export function findPrerequisites(env: NodeJS.ProcessEnv = process.env): Prerequisites {
  const cache = env.PROMPTREFINE_E2E_CACHE ?? join(homedir(), '.cache', 'promptrefine-e2e');
  const codeServer = join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
  const chromium = env.PROMPTREFINE_E2E_CHROMIUM ?? '/usr/bin/chromium';
  const missing = [
    existsSync(codeServer) ? undefined : `code-server ${CODE_SERVER_VERSION} (expected at ${codeServer})`,
    existsSync(chromium) ? undefined : `Chromium (expected at ${chromium})`,
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(`The end-to-end suite needs ${missing.join(' and ')}. Install them with: bash ${INSTALL_SCRIPT}`);
  }
  return { codeServer, chromium };
}
