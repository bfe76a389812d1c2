// The Prompts view's own actions: refresh, filter, clear the filter, load the next page.
import * as vscode from 'vscode';
import { formatFilter, parseFilter } from '../tree/filter.ts';
import { isTreeNode } from '../tree/model.ts';
import type { CommandKey } from '../catalog.ts';
import type { Handler, Services } from './services.ts';

export function viewCommands(s: Services): Pick<Record<CommandKey, Handler>, 'refresh' | 'filter' | 'clearFilter' | 'loadMore'> {
  return {
    refresh: async () => {
      await s.actions.run('Checking the connection…', () => s.connection.check());
      // One batch, even when the check also changed the connection's state.
      s.changes.everything();
    },

    filter: async () => {
      const input = await vscode.window.showInputBox({
        title: 'PromptRefine: Filter Prompts',
        prompt: 'Words to find in titles, and #tag for one tag (e.g. "review #python"). Empty clears the filter.',
        value: formatFilter(s.tree.model.currentFilter),
      });
      if (input !== undefined) s.tree.setFilter(parseFilter(input));
    },

    clearFilter: () => s.tree.setFilter({}),

    loadMore: async (node) => {
      if (isTreeNode(node)) await s.tree.loadMore(node);
    },
  };
}
