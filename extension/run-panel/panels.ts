// The run panels: one webview panel per prompt, opened or revealed by `open`, revived after a
// reload by a serializer from the state the webview kept. Each panel's messages go to its
// PanelRouter; editor actions (clipboard, documents, restoring and opening a version) are done
// here. Each panel loads again when its prompt changes, whoever changed it. Every registration is
// owned by the returned Disposable.
import * as vscode from 'vscode';
import type { Prompt, PromptWithVersion, Version } from '../../contract/index.ts';
import { PanelStateHead, VIEW_TYPE, type ApiKeyState } from '../../webview/protocol.ts';
import { COMMANDS } from '../catalog.ts';
import { isApiError } from '../api/errors.ts';
import { createCodeSource } from './code-source.ts';
import { touches, type PromptChangeBatch } from '../changes/prompt-changes.ts';
import { panelHtml } from './html.ts';
import { rememberedStore } from './remembered.ts';
import { PanelRouter, type PanelServices, type PanelUi } from './router.ts';

export interface RunPanelDeps {
  context: vscode.ExtensionContext;
  /** The REST clients of the extension's one connection (they follow the URL setting). */
  prompts: PanelServices['prompts'];
  runs: PanelServices['runs'];
  batches: PanelServices['batches'];
  cases: PanelServices['cases'];
  /** Runs the sign-in dialog; true when signed in. */
  signIn: () => Promise<boolean>;
  /** Whether runs have an OpenAI key (the extension's for its local service, or the service's own). */
  apiKey: () => Promise<ApiKeyState>;
  /** The service refused the session: the status bar and tree say so. */
  sessionExpired: () => void;
  /** The editor's own flows, the same as from the tree (confirmation, notification). */
  restoreVersion: (prompt: PromptWithVersion, version: Version) => PromiseLike<unknown>;
  openVersion: (prompt: PromptWithVersion, version: Version) => PromiseLike<unknown>;
  /** The one "prompts changed" event: the panels of changed prompts load again. */
  onDidChangePrompts: (listener: (batch: PromptChangeBatch) => void) => { dispose(): void };
}

export interface RunPanels extends vscode.Disposable {
  open(prompt: Pick<Prompt, 'id' | 'title'>): void;
}

export function registerRunPanel(deps: RunPanelDeps): RunPanels {
  const { context } = deps;
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const open = new Map<string, { panel: vscode.WebviewPanel; router: PanelRouter }>();

  const { prompts, runs, batches, cases } = deps;
  const code = createCodeSource();
  const ui: PanelUi = {
    copy: async (text) => {
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage('PromptRefine: output copied', 3000);
    },
    openDocument: async (text, language) => {
      const document = await vscode.workspace.openTextDocument({ content: text, language });
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    },
    // The panel shows the restored version when the change event reaches it, as after a restore from the tree.
    restoreVersion: deps.restoreVersion,
    openVersion: deps.openVersion,
    signIn: deps.signIn,
    apiKey: deps.apiKey,
    setApiKey: async () => {
      await vscode.commands.executeCommand(COMMANDS.setApiKey);
      return deps.apiKey();
    },
    openSettings: () => vscode.commands.executeCommand('workbench.action.openSettings', 'promptrefine.serviceUrl'),
    code,
    failed: (error) => {
      if (isApiError(error, 'UNAUTHENTICATED')) deps.sessionExpired();
    },
    log: (line) => console.warn(`PromptRefine: ${line}`),
  };

  function attach(panel: vscode.WebviewPanel, promptId: string, title: string): void {
    const { webview } = panel;
    webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'promptrefine.svg');
    const router = new PanelRouter(promptId, { prompts, runs, batches, cases, remembered: rememberedStore(context.globalState), ui }, (message) =>
      webview.postMessage(message),
    );
    open.set(promptId, { panel, router });
    const subscriptions = [
      webview.onDidReceiveMessage((message: unknown) => void router.receive(message)),
      // A hidden webview is torn down (no retainContextWhenHidden: the page keeps its state with
      // setState instead) and says `ready` again when shown, rejoining a run still streaming.
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) router.webviewHidden();
      }),
      panel.onDidDispose(() => {
        router.dispose();
        if (open.get(promptId)?.panel === panel) open.delete(promptId);
        for (const s of subscriptions) s.dispose();
      }),
    ];
    webview.html = panelHtml({ cspSource: webview.cspSource, scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(), promptId, title });
  }

  const registrations: vscode.Disposable[] = [
    code,
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      async deserializeWebviewPanel(panel, state: unknown) {
        const head = PanelStateHead.safeParse(state);
        if (!head.success || open.has(head.data.promptId)) {
          panel.dispose();
          return;
        }
        attach(panel, head.data.promptId, head.data.title ?? 'Prompt');
      },
    }),
    deps.onDidChangePrompts((batch) => {
      for (const [promptId, { router }] of open) if (touches(batch, promptId)) router.push('refresh', {});
    }),
  ];

  return {
    open(prompt) {
      const existing = open.get(prompt.id);
      if (existing) return existing.panel.reveal();
      const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Run: ${prompt.title}`, column, { enableScripts: true, localResourceRoots: [dist], enableFindWidget: true });
      attach(panel, prompt.id, prompt.title);
    },
    dispose() {
      for (const { panel } of [...open.values()]) panel.dispose();
      for (const r of registrations) r.dispose();
    },
  };
}
