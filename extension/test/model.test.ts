import assert from 'node:assert/strict';
import type { ListPage, Prompt, Version } from '../../contract/index.ts';
import type { PageRequest, PromptQuery } from '../api/client.ts';
import { PromptTreeModel, viewOf, type TreeNode, type TreeSource } from '../tree/model.ts';
import { aPrompt, aVersion } from './support/fixtures.ts';

/** Serves lists the way the service does: newest first, pages by an index cursor; records queries. */
class FakeSource implements TreeSource {
  readonly promptQueries: PromptQuery[] = [];
  readonly versionRequests: PageRequest[] = [];
  constructor(
    readonly prompts: Prompt[],
    readonly versions: Map<string, Version[]>,
  ) {}

  async listPrompts(query: PromptQuery): Promise<ListPage<Prompt>> {
    this.promptQueries.push(query);
    const matching = this.prompts.filter((p) => (!query.tag || p.tags.includes(query.tag)) && (!query.q || p.title.includes(query.q)));
    return page(matching, query);
  }

  async listVersions(promptId: string, request: PageRequest): Promise<ListPage<Version>> {
    this.versionRequests.push(request);
    return page(this.versions.get(promptId) ?? [], request);
  }
}

function page<T>(all: T[], request: PageRequest): ListPage<T> {
  const start = request.cursor ? Number(request.cursor) : 0;
  const end = start + (request.limit ?? 50);
  return { items: all.slice(start, end), nextCursor: end < all.length ? String(end) : null };
}

function labels(nodes: TreeNode[]): string[] {
  return nodes.map((n) => viewOf(n, new Date('2026-11-27T12:10:00.000Z')).label);
}

describe('Prompts tree model', () => {
  const promptId = '6d1f1f0e-0000-4000-8000-000000000001';
  const history = [5, 4, 3, 2, 1].map((n) => aVersion(promptId, n));
  const current = history[0] as Version;
  const prompt = aPrompt({ id: promptId, title: 'Review', tags: ['go'], currentVersionId: current.id, currentVersionNumber: 5 });
  const other = aPrompt({ title: 'Explain', tags: ['docs'] });

  it('lists prompts, then a prompt’s versions newest first with the current one marked', async () => {
    const model = new PromptTreeModel(new FakeSource([prompt, other], new Map([[promptId, history]])));
    const roots = await model.children();
    assert.deepEqual(labels(roots), ['Review', 'Explain']);
    const versions = await model.children(roots[0]);
    assert.deepEqual(labels(versions), ['v5 (current)', 'v4', 'v3', 'v2', 'v1']);
    assert.deepEqual(
      versions.map((n) => viewOf(n, new Date()).contextValue),
      ['version.current', 'version', 'version', 'version', 'version'],
    );
  });

  it('loads long histories a page at a time, ending each page with a "more" row', async () => {
    const source = new FakeSource([prompt], new Map([[promptId, history]]));
    const model = new PromptTreeModel(source, { versionPageSize: 2 });
    const [promptNode] = await model.children();
    const first = await model.children(promptNode);
    assert.deepEqual(labels(first), ['v5 (current)', 'v4', 'Load older versions…']);
    const more = first[2];
    assert.ok(more?.kind === 'more');
    await model.loadMore(more);
    assert.deepEqual(labels(await model.children(promptNode)), ['v5 (current)', 'v4', 'v3', 'v2', 'Load older versions…']);
    await model.loadMore(more);
    assert.deepEqual(labels(await model.children(promptNode)), ['v5 (current)', 'v4', 'v3', 'v2', 'v1']);
    assert.deepEqual(
      source.versionRequests.map((r) => r.cursor ?? null),
      [null, '2', '4'],
    );
  });

  it('pages prompts too', async () => {
    const many = Array.from({ length: 5 }, (_, i) => aPrompt({ title: `P${i}` }));
    const model = new PromptTreeModel(new FakeSource(many, new Map()), { promptPageSize: 3 });
    const first = await model.children();
    assert.deepEqual(labels(first), ['P0', 'P1', 'P2', 'Load more prompts…']);
    const more = first[3];
    assert.ok(more?.kind === 'more');
    await model.loadMore(more);
    assert.deepEqual(labels(await model.children()), ['P0', 'P1', 'P2', 'P3', 'P4']);
  });

  it('sends the filter to the service and starts over when it changes', async () => {
    const source = new FakeSource([prompt, other], new Map());
    const model = new PromptTreeModel(source);
    await model.children();
    model.setFilter({ text: 'Expl', tag: 'docs' });
    assert.deepEqual(labels(await model.children()), ['Explain']);
    assert.deepEqual(source.promptQueries.at(-1), { limit: 50, q: 'Expl', tag: 'docs' });
    model.setFilter({});
    assert.deepEqual(labels(await model.children()), ['Review', 'Explain']);
  });

  it('keeps loaded pages until reset, then fetches again', async () => {
    const source = new FakeSource([prompt], new Map());
    const model = new PromptTreeModel(source);
    await model.children();
    await model.children();
    assert.equal(source.promptQueries.length, 1);
    model.reset();
    await model.children();
    assert.equal(source.promptQueries.length, 2);
  });
});

describe('tree rows', () => {
  const now = new Date('2026-11-27T12:10:00.000Z');

  it('shows a prompt’s title, current version number and tags', () => {
    const view = viewOf({ kind: 'prompt', prompt: aPrompt({ title: 'Review', tags: ['go', 'strict'], currentVersionNumber: 3 }) }, now);
    assert.equal(view.label, 'Review');
    assert.equal(view.description, 'v3 · #go #strict');
    assert.equal(view.contextValue, 'prompt');
    assert.ok(view.expandable);
  });

  it('says when a prompt has no version yet', () => {
    assert.equal(viewOf({ kind: 'prompt', prompt: aPrompt() }, now).description, 'no version yet');
  });

  it('shows a version’s notes and age', () => {
    const prompt = aPrompt();
    const version = aVersion(prompt.id, 2, { notes: 'shorter', createdAt: '2026-11-27T12:05:00.000Z' });
    const view = viewOf({ kind: 'version', prompt, version, isCurrent: false }, now);
    assert.equal(view.label, 'v2');
    assert.equal(view.description, 'shorter · 5 minutes ago');
  });
});
