// Template variables in prompt documents: `{{name}}` is highlighted, a status-bar entry lists the
// variables of the active version (and which version it is), and hovering one says what it is. What counts as a variable comes
// from the contract (templateVariableRanges), the same rule the service applies when it runs a prompt.
import * as vscode from 'vscode';
import { templateVariableRanges, templateVariables } from '../../contract/index.ts';
import { SETTINGS } from '../catalog.ts';
import type { PromptChanges } from '../changes/prompt-changes.ts';
import { SCHEME } from '../documents/uri.ts';
import { documentAt, type PromptFileSystem } from './prompt-fs.ts';

const SELECTOR: vscode.DocumentSelector = { scheme: SCHEME };

function highlightEnabled(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<boolean>(SETTINGS.highlightVariables) ?? true;
}

/** "v3 (current, editable) · Variables: {{diff}}, {{language}}" */
export function variablesSummary(content: string): string {
  const names = templateVariables(content);
  return names.length === 0 ? 'No template variables' : `Variables: ${names.map((n) => `{{${n}}}`).join(', ')}`;
}

/** Which version a prompt document shows, for the tooltip. */
function describeDocument(fs: PromptFileSystem, uri: vscode.Uri): string {
  const doc = documentAt(uri);
  if (!doc) return 'A prompt document';
  if (doc.kind === 'version') return `${doc.title}, v${doc.versionNumber} (read-only)`;
  const base = fs.baseOf(doc.promptId);
  return base ? `${doc.title}, editing v${base.versionNumber} (current); saving adds a new version` : `${doc.title}, current version`;
}

export function registerVariables(fs: PromptFileSystem, changes: PromptChanges): vscode.Disposable {
  const decoration = vscode.window.createTextEditorDecorationType({
    color: new vscode.ThemeColor('symbolIcon.variableForeground'),
    backgroundColor: new vscode.ThemeColor('editor.wordHighlightBackground'),
    fontWeight: 'bold',
    borderRadius: '3px',
  });

  const highlight = (editor: vscode.TextEditor | undefined) => {
    if (!editor || editor.document.uri.scheme !== SCHEME) return;
    const text = editor.document.getText();
    const ranges = highlightEnabled()
      ? templateVariableRanges(text).map((r) => new vscode.Range(editor.document.positionAt(r.start), editor.document.positionAt(r.end)))
      : [];
    editor.setDecorations(decoration, ranges);
  };

  // The variables of the active prompt document, also in the status bar, where they stay in view.
  const status = vscode.window.createStatusBarItem('promptrefine.variables', vscode.StatusBarAlignment.Right, 100);
  status.name = 'PromptRefine template variables';
  const showVariables = () => {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.uri.scheme !== SCHEME) {
      status.hide();
      return;
    }
    const names = templateVariables(document.getText());
    status.text = `$(symbol-variable) ${names.length === 0 ? 'no variables' : names.join(', ')}`;
    status.tooltip = `${describeDocument(fs, document.uri)}. ${variablesSummary(document.getText())}`;
    status.show();
  };
  showVariables();

  const hover: vscode.HoverProvider = {
    provideHover(document, position) {
      const offset = document.offsetAt(position);
      const hit = templateVariableRanges(document.getText()).find((r) => r.start <= offset && offset < r.end);
      if (!hit) return undefined;
      const all = templateVariables(document.getText());
      const markdown = new vscode.MarkdownString();
      markdown.appendMarkdown(`**Template variable \`${hit.name}\`**\n\n`);
      markdown.appendMarkdown('Given a value when the prompt runs; a run without a value for it is refused.\n\n');
      markdown.appendMarkdown(`This version uses ${all.length}: ${all.map((n) => `\`${n}\``).join(', ')}`);
      return new vscode.Hover(markdown, new vscode.Range(document.positionAt(hit.start), document.positionAt(hit.end)));
    },
  };

  return vscode.Disposable.from(
    decoration,
    vscode.languages.registerHoverProvider(SELECTOR, hover),
    status,
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      highlight(editor);
      showVariables();
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(highlight)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      for (const editor of vscode.window.visibleTextEditors) if (editor.document === event.document) highlight(editor);
      if (event.document === vscode.window.activeTextEditor?.document) showVariables();
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.highlightVariables}`)) vscode.window.visibleTextEditors.forEach(highlight);
    }),
    // A save or a change elsewhere moves the version the document is based on.
    changes.onDidChange(showVariables),
    { dispose: () => vscode.window.visibleTextEditors.forEach(highlight) },
  );
}
