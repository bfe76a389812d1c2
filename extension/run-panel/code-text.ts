// Variables filled from code: the selection of the editor last used, or a workspace file. The rules
// (what is refused, and in which words) live here, away from VS Code; run-panel/code-source.ts
// is the thin VS Code glue that finds the editor and lets the user pick a file.
import type { CodeText } from '../../webview/protocol.ts';

/** Larger files are refused: a variable this big would cost more than it tells the model. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface EditorSelection {
  /** The selected text ('' when the editor has no selection). */
  text: string;
  /** The file's name and the selected lines, e.g. "app.ts:12–30". */
  label: string;
}

export interface PickedFile {
  /** The file's path relative to the workspace. */
  label: string;
  size: number;
  read(): Promise<Uint8Array>;
}

/** What the editor offers the panel; VS Code's side is run-panel/code-source.ts. */
export interface CodeSource {
  /**
   * The selection of the text editor the user was last in. While the panel has the focus VS Code's
   * activeTextEditor is undefined, so the glue keeps the last one. Null when there was none.
   */
  selection(): EditorSelection | null;
  /** Lets the user choose a file of the workspace; null when the choice was canceled. */
  pickFile(): Promise<PickedFile | null>;
}

export function textOfSelection(selection: EditorSelection | null): CodeText {
  if (!selection) throw new Error('No text editor is open: open the code in an editor, select it, then try again.');
  if (selection.text === '') throw new Error(`Nothing is selected in ${selection.label}: select the code to use, then try again.`);
  return { text: selection.text, from: selection.label };
}

export async function textOfFile(file: PickedFile | null): Promise<CodeText | null> {
  if (!file) return null;
  if (file.size > MAX_FILE_BYTES) throw new Error(`${file.label} is ${megabytes(file.size)}: a variable takes a file of at most 1 MB. Select the part you need in an editor and use From Selection instead.`);
  const bytes = await file.read();
  // Checked again on what was read: the file may have grown since it was listed.
  if (bytes.byteLength > MAX_FILE_BYTES) throw new Error(`${file.label} is ${megabytes(bytes.byteLength)}: a variable takes a file of at most 1 MB.`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file.label} is not UTF-8 text: choose a source or text file.`);
  }
  if (text.includes('\u0000')) throw new Error(`${file.label} looks binary (it holds NUL bytes): choose a source or text file.`);
  return { text, from: file.label };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
