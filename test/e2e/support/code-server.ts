// A real VS Code workbench (code-server) with the packaged extension installed, on a loopback port.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../extension/test/support/ports.ts';
import { startProcess, type RunningProcess } from './processes.ts';

const run = promisify(execFile);

export interface CodeServer {
  url: string;
  port: number;
  process: RunningProcess;
}

/** What every e2e workbench needs: no trust dialog or start page, and nothing leaving loopback. */
export const BASE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
};

export interface CodeServerOptions {
  binary: string;
  vsix: string;
  /** A fresh folder: user data, extensions, the opened workspace and the log live under it. */
  root: string;
  /** Added to BASE_SETTINGS (and winning over them). */
  settings: Record<string, unknown>;
  /** Files (name to text) put in the workspace before code-server opens it. */
  files?: Record<string, string>;
  /**
   * The loopback port; a free one when unset. A workbench opened again on the same port is the same
   * browser origin, so it finds the browser storage (VS Code for the web keeps secrets there).
   */
  port?: number;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const userData = join(options.root, 'user-data');
  const extensions = join(options.root, 'extensions');
  const workspace = join(options.root, 'workspace');
  await mkdir(join(userData, 'User'), { recursive: true });
  await mkdir(extensions, { recursive: true });
  await mkdir(workspace, { recursive: true });
  await writeFile(join(userData, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...options.settings }, null, 2));
  for (const [name, text] of Object.entries(options.files ?? {})) await writeFile(join(workspace, name), text);

  const dirs = ['--user-data-dir', userData, '--extensions-dir', extensions];
  await run(options.binary, [...dirs, '--install-extension', options.vsix], { timeout: 120_000 });

  const port = options.port ?? (await freePort());
  const child = startProcess(
    options.binary,
    ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', ...dirs, workspace],
    {
      logFile: join(options.root, 'code-server.log'),
      // The extension gallery points at a closed loopback port, so code-server never looks outside.
      env: { ...process.env, EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery' }) },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, 60_000, child);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url, port, process: child };
}

async function waitForHttp(url: string, timeoutMs: number, child: RunningProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.child.exitCode !== null) throw new Error(`code-server exited early:\n${child.output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
}
