// What the command handlers work with; built once in extension.ts.
import type * as vscode from 'vscode';
import type { PromptChanges } from '../changes/prompt-changes.ts';
import type { RunPanels } from '../run-panel/panels.ts';
import type { Actions } from '../vscode/actions.ts';
import type { Connection } from '../vscode/connection.ts';
import type { PromptFileSystem } from '../vscode/prompt-fs.ts';
import type { PromptTree } from '../vscode/prompt-tree.ts';

export interface Services {
  context: vscode.ExtensionContext;
  connection: Connection;
  actions: Actions;
  tree: PromptTree;
  fs: PromptFileSystem;
  runPanels: RunPanels;
  /** Every change a command makes is announced here; nothing a command does refreshes a view itself. */
  changes: PromptChanges;
}

/** A command's handler; tree commands get the clicked node, palette commands nothing. */
export type Handler = (arg?: unknown) => Promise<void> | void;
