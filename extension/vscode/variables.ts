// Template variables in prompt documents: `{{name}}` is highlighted, a CodeLens on the first line
// lists the version's variables, and hovering one says what it is. What counts as a variable comes
// from the contract (templateVariableRanges), the same rule the service applies when it runs a prompt.
import * as vscode from 'vscode';
import { templateVariableRanges, templateVariables } from '../../contract/index.ts';
import { SETTINGS } from '../commands/catalog.ts';
import { SCHEME, parsePath } from '../documents/uri.ts';
import type { PromptFileSystem } from './prompt-fs.ts';

const SELECTOR: vscode.DocumentSelector = { scheme: SCHEME };

function highlightEnabled(): boolean {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<boolean>(SETTINGS.highlightVariables) ?? true;
}

/** "v3 (current, editable) · Variables: {{diff}}, {{language}}" */
export function variablesSummary(content: string): string {
  const names = templateVariables(content);
  return names.length === 0 ? 'No template variables' : `Variables: ${names.map((n) => `{{${n}}}`).join(', ')}`;
}

export function registerVariables(fs: PromptFileSystem): vscode.Disposable {
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

  const lensChanged = new vscode.EventEmitter<void>();
  const codeLenses: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: lensChanged.event,
    provideCodeLenses(document) {
      const doc = parsePath(document.uri.path);
      if (!doc) return [];
      const base = doc.kind === 'current' ? fs.baseOf(doc.promptId) : undefined;
      const which =
        doc.kind === 'version'
          ? `v${doc.versionNumber} (read-only)`
          : base
            ? `Editing v${base.versionNumber} (current); saving adds v${base.versionNumber + 1}`
            : 'Editing the current version; saving adds a version';
      const top = new vscode.Range(0, 0, 0, 0);
      // A CodeLens without a command id is shown as plain text: here it only informs.
      return [new vscode.CodeLens(top, { title: `${which} · ${variablesSummary(document.getText())}`, command: '' })];
    },
  };

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
    lensChanged,
    vscode.languages.registerCodeLensProvider(SELECTOR, codeLenses),
    vscode.languages.registerHoverProvider(SELECTOR, hover),
    vscode.window.onDidChangeActiveTextEditor(highlight),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(highlight)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      for (const editor of vscode.window.visibleTextEditors) if (editor.document === event.document) highlight(editor);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SETTINGS.section}.${SETTINGS.highlightVariables}`)) vscode.window.visibleTextEditors.forEach(highlight);
    }),
    fs.onDidSaveVersion(() => lensChanged.fire()),
    { dispose: () => vscode.window.visibleTextEditors.forEach(highlight) },
  );
}
