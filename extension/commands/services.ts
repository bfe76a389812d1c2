// What the command handlers work with; built once in extension.ts.
import type * as vscode from 'vscode';
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
}

/** A command's handler; tree commands get the clicked node, palette commands nothing. */
export type Handler = (arg?: unknown) => Promise<void> | void;
