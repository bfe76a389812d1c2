// Activation: builds the connection, the one "prompts changed" event, the Prompts tree, the
// promptrefine: file system, the run panels, the variable highlighting and the status bar, and
// registers the commands. Every registration is owned by the context, so VS Code disposes all of
// it on deactivation.
import * as vscode from 'vscode';
import { API_KEY_SECRET, SETTINGS } from './catalog.ts';
import { baseUrlProblem } from './local-service/settings.ts';
import { registerCommands } from './commands/register.ts';
import { SCHEME } from './documents/uri.ts';
import { CasesClient } from './api/cases.ts';
import { registerRunPanel } from './run-panel/panels.ts';
import { createActions } from './vscode/actions.ts';
import { createPromptChanges } from './vscode/change-feed.ts';
import { Connection } from './vscode/connection.ts';
import { LocalServiceGlue } from './vscode/local-service-glue.ts';
import { keepDiffTitles } from './vscode/diff-titles.ts';
import { openVersion, restoreVersion } from './vscode/prompt-actions.ts';
import { PromptFileSystem } from './vscode/prompt-fs.ts';
import { PromptTree } from './vscode/prompt-tree.ts';
import { createStatusBar } from './vscode/status-bar.ts';
import { signInFlow } from './vscode/sign-in.ts';
import { registerVariables } from './vscode/variables.ts';

declare global {
  // Set by the bundle's first line (esbuild.mjs banner); absent when the sources run unbundled.
  var __promptrefineLoadStart: number | undefined;
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const activateStart = performance.now();
  // Nothing starts here: the local service starts when the view opens or a call needs it.
  const local = new LocalServiceGlue(context);
  const connection = new Connection(context, local);
  const { changes, disposable: changeFeed } = createPromptChanges(connection);
  const actions = createActions(connection);
  const deps = { connection, actions, changes };
  const tree = new PromptTree(connection, actions, changes);
  const fs = new PromptFileSystem(connection, actions, changes);
  const runPanels = registerRunPanel({
    context,
    prompts: connection.client,
    runs: connection.runs,
    batches: connection.batches,
    cases: new CasesClient(connection.http),
    signIn: () => signInFlow(connection, 'Session expired.'),
    apiKey: async () => (connection.isLocal ? ((await context.secrets.get(API_KEY_SECRET)) ? 'set' : 'missing') : 'service'),
    sessionExpired: () => connection.sessionExpired(),
    restoreVersion: (prompt, version) => restoreVersion(deps, prompt, version),
    openVersion: (prompt, version) => openVersion(deps, prompt, version),
    onDidChangePrompts: (listener) => changes.onDidChange(listener),
  });
  context.subscriptions.push(
    local,
    connection,
    changeFeed,
    tree,
    fs,
    runPanels,
    vscode.workspace.registerFileSystemProvider(SCHEME, fs, { isCaseSensitive: true }),
    registerVariables(fs, changes),
    keepDiffTitles(connection, changes),
    createStatusBar(connection),
    vscode.workspace.onDidChangeConfiguration((event) => {
      const affects = (key: string) => event.affectsConfiguration(`${SETTINGS.section}.${key}`);
      if (affects(SETTINGS.serviceUrl)) {
        local.serviceUrlChanged();
        void connection.serviceUrlChanged();
      }
      if (affects(SETTINGS.openaiBaseUrl)) {
        const problem = baseUrlProblem(vscode.workspace.getConfiguration(SETTINGS.section).get<string>(SETTINGS.openaiBaseUrl));
        if (problem) void vscode.window.showWarningMessage(`PromptRefine: the setting promptrefine.openaiBaseUrl cannot be used: ${problem}. Runs will fail until it is fixed.`);
      }
      if (affects(SETTINGS.openaiBaseUrl) || affects(SETTINGS.localIdleMinutes)) {
        void local.restartIfStarted('a setting changed').catch(() => undefined);
      }
    }),
    // The view shown starts (or joins) the local service and learns whether an account is to be created.
    tree.view.onDidChangeVisibility((event) => {
      if (event.visible) void connection.wake().catch(() => undefined);
    }),
    local.onDidChangeState((state) => {
      // Back after a crash or a failed start: what showed "unreachable" recovers without a click.
      if (state.kind === 'running' && connection.state.kind !== 'signedIn') void connection.check().catch(() => undefined);
      if (state.kind === 'failed') void offerLocalServiceHelp(state.message, local, connection);
    }),
  );
  if (tree.view.visible) void connection.wake().catch(() => undefined);
  registerCommands({ context, connection, actions, tree, fs, runPanels, changes });
  // Not awaited: activation must not wait for the network; the status bar shows "connecting" meanwhile.
  void connection.restore().catch((error: unknown) => {
    void vscode.window.showErrorMessage(`PromptRefine could not restore the session: ${String(error)}`);
  });
  // Measured, not assumed: the e2e reads this line from the Output channel for docs/benchmarks.md.
  const end = performance.now();
  local.note(
    `extension activated in ${(end - (globalThis.__promptrefineLoadStart ?? activateStart)).toFixed(1)} ms ` +
      `(bundle evaluation ${(activateStart - (globalThis.__promptrefineLoadStart ?? activateStart)).toFixed(1)} ms, activate() ${(end - activateStart).toFixed(1)} ms)`,
  );
}

/** A failed start says what happened and offers the way out: the log, or another try. */
async function offerLocalServiceHelp(message: string, local: LocalServiceGlue, connection: Connection): Promise<void> {
  const choice = await vscode.window.showErrorMessage(`PromptRefine: ${message}`, 'Retry', 'Show Log');
  if (choice === 'Show Log') local.showLog();
  if (choice === 'Retry') await connection.wake().catch(() => undefined);
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
