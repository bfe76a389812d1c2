// The run panels: one webview panel per prompt, opened or revealed by `open`, revived after a
// reload by a serializer from the state the webview kept. Each panel's messages go to its
// PanelRouter; editor actions (clipboard, documents, the existing restore and open commands)
// are done here. Every registration is owned by the returned Disposable.
import * as vscode from 'vscode';
import type { Prompt, PromptWithVersion, Version } from '../../contract/index.ts';
import { PanelStateHead, VIEW_TYPE } from '../../webview/protocol.ts';
import type { PromptRefineClient } from '../api/client.ts';
import { isApiError } from '../api/errors.ts';
import { RunsClient } from '../api/runs.ts';
import type { VersionNode } from '../tree/model.ts';
import { panelHtml } from './html.ts';
import { rememberedStore } from './remembered.ts';
import { PanelRouter, type PanelServices, type PanelUi } from './router.ts';

export interface RunPanelDeps {
  context: vscode.ExtensionContext;
  /** The current REST client (it is replaced when the service URL setting changes). */
  client: () => PromptRefineClient;
  sessionCookie: () => string | undefined;
  /** Runs the sign-in dialog; true when signed in. */
  signIn: () => Promise<boolean>;
  /** The service refused the session: the status bar and tree say so. */
  sessionExpired: () => void;
  /** Fires when prompts change elsewhere (a save, a sign-in): open panels load again. */
  onDidChangePrompts: vscode.Event<unknown>[];
}

export interface RunPanels extends vscode.Disposable {
  open(prompt: Pick<Prompt, 'id' | 'title'>): void;
}

const versionNode = (prompt: PromptWithVersion, version: Version): VersionNode => ({
  kind: 'version',
  prompt,
  version,
  isCurrent: prompt.currentVersionId === version.id,
});

export function registerRunPanel(deps: RunPanelDeps): RunPanels {
  const { context } = deps;
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const open = new Map<string, { panel: vscode.WebviewPanel; router: PanelRouter }>();

  const prompts: PanelServices['prompts'] = {
    getPrompt: (id) => deps.client().getPrompt(id),
    listVersions: (id, page) => deps.client().listVersions(id, page),
    getVersion: (id, versionId) => deps.client().getVersion(id, versionId),
  };
  const runs = new RunsClient({ serviceUrl: () => deps.client().serviceUrl, sessionCookie: deps.sessionCookie });
  const ui = (promptId: string): PanelUi => ({
    copy: async (text) => {
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage('PromptRefine: output copied', 3000);
    },
    openDocument: async (text, language) => {
      const document = await vscode.workspace.openTextDocument({ content: text, language });
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: false });
    },
    // The editor's own commands: the same confirmation, tree refresh and document reload as the tree.
    restoreVersion: async (prompt, version) => {
      await vscode.commands.executeCommand('promptrefine.restoreVersion', versionNode(prompt, version));
      open.get(promptId)?.router.push('refresh', {});
    },
    openVersion: (prompt, version) => vscode.commands.executeCommand('promptrefine.openVersion', versionNode(prompt, version)),
    signIn: deps.signIn,
    openSettings: () => vscode.commands.executeCommand('workbench.action.openSettings', 'promptrefine.serviceUrl'),
    failed: (error) => {
      if (isApiError(error, 'UNAUTHENTICATED')) deps.sessionExpired();
    },
    log: (line) => console.warn(`PromptRefine: ${line}`),
  });

  function attach(panel: vscode.WebviewPanel, promptId: string, title: string): void {
    const { webview } = panel;
    webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'promptrefine.svg');
    const router = new PanelRouter(promptId, { prompts, runs, remembered: rememberedStore(context.globalState), ui: ui(promptId) }, (message) =>
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
    ...deps.onDidChangePrompts.map((event) =>
      event(() => {
        for (const { router } of open.values()) router.push('refresh', {});
      }),
    ),
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
