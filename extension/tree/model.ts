// The Prompts tree as plain data: prompts, their versions newest first, and "load more" rows where
// a list has another page. It pages through the service and never imports `vscode`; the tree
// adapter (vscode/prompt-tree.ts) only turns these nodes into TreeItems.
import type { ListPage, Prompt, Version } from '../../contract/index.ts';
import type { PageRequest, PromptQuery } from '../api/client.ts';
import type { PromptFilter } from './filter.ts';
import { relativeTime } from './time.ts';

export interface TreeSource {
  listPrompts(query: PromptQuery): Promise<ListPage<Prompt>>;
  listVersions(promptId: string, page: PageRequest): Promise<ListPage<Version>>;
}

export interface PromptNode {
  kind: 'prompt';
  prompt: Prompt;
}
export interface VersionNode {
  kind: 'version';
  prompt: Prompt;
  version: Version;
  isCurrent: boolean;
}
/** The last row of a list that has another page: prompts (promptId null) or one prompt's versions. */
export interface MoreNode {
  kind: 'more';
  promptId: string | null;
}
export type TreeNode = PromptNode | VersionNode | MoreNode;

interface Paged<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TreeModelOptions {
  promptPageSize?: number;
  versionPageSize?: number;
}

export class PromptTreeModel {
  private filter: PromptFilter = {};
  private prompts: Paged<Prompt> | undefined;
  private readonly versions = new Map<string, Paged<Version>>();
  private readonly promptPageSize: number;
  private readonly versionPageSize: number;

  constructor(
    private readonly source: TreeSource,
    options: TreeModelOptions = {},
  ) {
    this.promptPageSize = options.promptPageSize ?? 50;
    this.versionPageSize = options.versionPageSize ?? 20;
  }

  get currentFilter(): PromptFilter {
    return { ...this.filter };
  }

  setFilter(filter: PromptFilter): void {
    this.filter = { ...filter };
    this.reset();
  }

  /** Forgets every loaded page; the next read fetches the first pages again. */
  reset(): void {
    this.prompts = undefined;
    this.versions.clear();
  }

  async children(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.rootNodes();
    if (node.kind === 'prompt') return this.versionNodes(node.prompt);
    return [];
  }

  /** Fetches the next page of the list a "more" row ends. */
  async loadMore(node: MoreNode): Promise<void> {
    if (node.promptId === null) {
      const loaded = this.prompts;
      if (!loaded?.nextCursor) return;
      const page = await this.source.listPrompts(this.promptQuery(loaded.nextCursor));
      this.prompts = { items: [...loaded.items, ...page.items], nextCursor: page.nextCursor };
      return;
    }
    const loaded = this.versions.get(node.promptId);
    if (!loaded?.nextCursor) return;
    const page = await this.source.listVersions(node.promptId, { limit: this.versionPageSize, cursor: loaded.nextCursor });
    this.versions.set(node.promptId, { items: [...loaded.items, ...page.items], nextCursor: page.nextCursor });
  }

  private async rootNodes(): Promise<TreeNode[]> {
    this.prompts ??= await this.source.listPrompts(this.promptQuery(null));
    const nodes: TreeNode[] = this.prompts.items.map((prompt) => ({ kind: 'prompt', prompt }));
    if (this.prompts.nextCursor) nodes.push({ kind: 'more', promptId: null });
    return nodes;
  }

  private async versionNodes(prompt: Prompt): Promise<TreeNode[]> {
    let loaded = this.versions.get(prompt.id);
    if (!loaded) {
      loaded = await this.source.listVersions(prompt.id, { limit: this.versionPageSize });
      this.versions.set(prompt.id, loaded);
    }
    const nodes: TreeNode[] = loaded.items.map((version) => ({
      kind: 'version',
      prompt,
      version,
      isCurrent: version.id === prompt.currentVersionId,
    }));
    if (loaded.nextCursor) nodes.push({ kind: 'more', promptId: prompt.id });
    return nodes;
  }

  private promptQuery(cursor: string | null): PromptQuery {
    const query: PromptQuery = { limit: this.promptPageSize };
    if (this.filter.text) query.q = this.filter.text;
    if (this.filter.tag) query.tag = this.filter.tag;
    if (cursor) query.cursor = cursor;
    return query;
  }
}

/** What a row shows; the adapter copies it into a TreeItem. */
export interface NodeView {
  id: string;
  label: string;
  description?: string;
  tooltip: string;
  /** Matched by the `when` clauses of the menus in package.json (`viewItem == ...`). */
  contextValue: string;
  expandable: boolean;
  icon: 'prompt' | 'version' | 'current' | 'more';
}

export function viewOf(node: TreeNode, now: Date): NodeView {
  switch (node.kind) {
    case 'prompt': {
      const { prompt } = node;
      const number = prompt.currentVersionNumber === null ? 'no version yet' : `v${prompt.currentVersionNumber}`;
      const tags = prompt.tags.map((t) => `#${t}`).join(' ');
      return {
        id: `prompt:${prompt.id}`,
        label: prompt.title,
        description: [number, tags].filter(Boolean).join(' · '),
        tooltip: [`${prompt.title} (${prompt.type} prompt)`, `Current: ${number}`, tags ? `Tags: ${tags}` : 'No tags'].join('\n'),
        contextValue: 'prompt',
        expandable: true,
        icon: 'prompt',
      };
    }
    case 'version': {
      const { version, isCurrent } = node;
      const age = relativeTime(version.createdAt, now);
      const notes = version.notes ?? '';
      return {
        id: `version:${version.id}`,
        label: `v${version.versionNumber}${isCurrent ? ' (current)' : ''}`,
        description: [notes, age].filter(Boolean).join(' · '),
        tooltip: [
          `Version ${version.versionNumber} of ${node.prompt.title}${isCurrent ? ', the current one' : ''}`,
          `Created ${new Date(version.createdAt).toLocaleString()} (${age})`,
          notes ? `Notes: ${notes}` : 'No notes',
        ].join('\n'),
        contextValue: isCurrent ? 'version.current' : 'version',
        expandable: false,
        icon: isCurrent ? 'current' : 'version',
      };
    }
    case 'more':
      return {
        id: `more:${node.promptId ?? 'prompts'}`,
        label: node.promptId === null ? 'Load more prompts…' : 'Load older versions…',
        tooltip: 'The list is long, so it is loaded one page at a time',
        contextValue: 'more',
        expandable: false,
        icon: 'more',
      };
  }
}

/** Command arguments arrive untyped from VS Code: a tree row, or nothing from the palette. */
export function isTreeNode(value: unknown): value is TreeNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    (value.kind === 'prompt' || value.kind === 'version' || value.kind === 'more')
  );
}
