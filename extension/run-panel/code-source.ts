// VS Code's side of "variables from code" (the rules are in run-panel/code-text.ts): the selection
// of the text editor last used, and a workspace file picked from a list. While the run panel has
// the focus, window.activeTextEditor is undefined, so the last text editor is tracked here.
import * as vscode from 'vscode';
import type { CodeSource, EditorSelection, PickedFile } from './code-text.ts';

/** Files listed in the pick (the quick pick filters them as the user types). */
const MAX_LISTED = 5000;
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/build/**,**/.venv/**}';

export function createCodeSource(): CodeSource & vscode.Disposable {
  let last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  const tracking = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) last = editor;
  });
  return {
    selection(): EditorSelection | null {
      const editor = vscode.window.activeTextEditor ?? last;
      if (!editor || editor.document.isClosed) return null;
      const { selection, document } = editor;
      const name = vscode.workspace.asRelativePath(document.uri);
      const lines = selection.start.line === selection.end.line ? `${selection.start.line + 1}` : `${selection.start.line + 1}–${selection.end.line + 1}`;
      return { text: document.getText(selection), label: selection.isEmpty ? name : `${name}:${lines}` };
    },
    async pickFile(): Promise<PickedFile | null> {
      const uri = await chooseFile();
      if (!uri) return null;
      const { size } = await vscode.workspace.fs.stat(uri);
      return { label: vscode.workspace.asRelativePath(uri), size, read: async () => vscode.workspace.fs.readFile(uri) };
    },
    dispose: () => tracking.dispose(),
  };
}

/** A quick pick over the workspace's files; with no folder open, the system's open dialog. */
async function chooseFile(): Promise<vscode.Uri | undefined> {
  if (!vscode.workspace.workspaceFolders?.length) {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Use as Variable', title: 'PromptRefine: a file for the variable' });
    return picked?.[0];
  }
  const files = await vscode.workspace.findFiles('**/*', EXCLUDE, MAX_LISTED);
  const items = files
    .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { title: 'PromptRefine: a file for the variable (at most 1 MB)', placeHolder: 'Type to find a file of the workspace', matchOnDescription: true });
  return picked?.uri;
}
