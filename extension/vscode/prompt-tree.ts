// The "Prompts" view: a thin adapter from tree/model.ts to VS Code's TreeDataProvider. It draws
// itself again on the one change event (changes/prompt-changes.ts), whoever made the change.
import * as vscode from 'vscode';
import { COMMANDS, CONTEXT, SETTINGS, VIEW_ID } from '../catalog.ts';
import { changesPrompts, type PromptChanges } from '../changes/prompt-changes.ts';
import { describeFilter, isFiltered, type PromptFilter } from '../tree/filter.ts';
import { PromptTreeModel, viewOf, type NodeView, type TreeNode } from '../tree/model.ts';
import type { Actions } from './actions.ts';
import type { Connection } from './connection.ts';

const ICONS: Record<NodeView['icon'], vscode.ThemeIcon> = {
  prompt: new vscode.ThemeIcon('comment-discussion'),
  version: new vscode.ThemeIcon('git-commit'),
  current: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('charts.green')),
  more: new vscode.ThemeIcon('ellipsis'),
};

function versionsPageSize(): number {
  return vscode.workspace.getConfiguration(SETTINGS.section).get<number>(SETTINGS.versionsPageSize) ?? 20;
}

export class PromptTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly model: PromptTreeModel;
  readonly view: vscode.TreeView<TreeNode>;
  private readonly subscription: { dispose(): void };

  constructor(
    private readonly connection: Connection,
    private readonly actions: Actions,
    changes: PromptChanges,
  ) {
    this.model = new PromptTreeModel(
      {
        listPrompts: (query) => connection.client.listPrompts(query),
        listVersions: (promptId, page) => connection.client.listVersions(promptId, page),
      },
      { versionPageSize: versionsPageSize() },
    );
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true });
    this.subscription = changes.onDidChange((batch) => {
      if (changesPrompts(batch)) this.reload();
    });
  }

  /** Drops every loaded page and draws the tree again from the service. */
  private reload(): void {
    this.model.reset();
    this.changed.fire(undefined);
  }

  setFilter(filter: PromptFilter): void {
    this.model.setFilter(filter);
    // The filter stays visible above the tree until cleared (title-bar action or Clear Filter).
    this.view.message = describeFilter(filter);
    void vscode.commands.executeCommand('setContext', CONTEXT.filtered, isFiltered(filter));
    this.changed.fire(undefined);
  }

  async loadMore(node: TreeNode): Promise<void> {
    if (node.kind !== 'more') return;
    await this.actions.run('Loading more…', () => this.model.loadMore(node));
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const view = viewOf(node, new Date());
    const item = new vscode.TreeItem(
      view.label,
      view.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = view.id;
    item.description = view.description;
    item.tooltip = view.tooltip;
    item.contextValue = view.contextValue;
    item.iconPath = ICONS[view.icon];
    if (node.kind === 'version') item.command = { command: COMMANDS.openVersion, title: 'Open Version', arguments: [node] };
    if (node.kind === 'more') item.command = { command: COMMANDS.loadMore, title: 'Load More', arguments: [node] };
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    // Signed out or unreachable: an empty tree shows the welcome text with Sign In / Retry.
    if (this.connection.state.kind !== 'signedIn') return [];
    const children = await this.actions.run('Loading prompts…', () => this.model.children(node));
    return children ?? [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.view.dispose();
    this.changed.dispose();
  }
}
