// Exports as files: one prompt in any of the four formats, or every prompt as JSON or Markdown,
// written to a Sink as they are read. Used by the REST routes and by `npm run export`.
import type { PromptExportFormat, WorkspaceExportFormat } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { invalidInput, notFound } from '../http/app-error.ts';
import { findVersion } from '../prompts/version-queries.ts';
import type { ModelCatalog } from '../runs/model-catalog.ts';
import { findLivePromptRow, promptPages, recentRunRows, type PromptRow } from './export-queries.ts';
import { writeJsonDocument } from './json-export.ts';
import { writePromptMarkdown, writeWorkspaceMarkdown } from './markdown-export.ts';
import { promptfooConfig } from './promptfoo-export.ts';
import type { Sink } from './sink.ts';
import { typescriptModule } from './typescript-export.ts';

export interface ExportFile {
  contentType: string;
  filename: string;
  /** Writes the file; errors before the first write are the caller's to answer as JSON. */
  write(sink: Sink): Promise<void>;
}

const PROMPT_PAGE = 100;

async function* onePage<T>(item: T): AsyncGenerator<T[]> {
  yield [item];
}
const RECENT_RUNS = 200;

/** `Review a diff!` → `review-a-diff`: an ASCII file name that needs no quoting anywhere. */
export function fileSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return slug || 'prompt';
}

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  markdown: 'text/markdown; charset=utf-8',
  typescript: 'text/typescript; charset=utf-8',
  promptfoo: 'application/yaml; charset=utf-8',
} as const;

async function exportedVersion(db: Database, prompt: PromptRow, versionId: string | undefined) {
  const id = versionId ?? prompt.currentVersionId;
  if (!id) throw invalidInput('versionId', 'the prompt has no version yet; save one first');
  const version = await findVersion(db, prompt.id, id);
  if (!version) throw notFound(`Version ${id} of prompt ${prompt.id}`);
  return version;
}

/** Everything that can fail (unknown prompt or version) fails here, before anything is written. */
export async function promptExport(
  db: Database,
  catalog: ModelCatalog,
  promptId: string,
  format: PromptExportFormat,
  versionId: string | undefined,
  now: () => Date = () => new Date(),
): Promise<ExportFile> {
  const prompt = await findLivePromptRow(db, promptId);
  if (!prompt) throw notFound(`Prompt ${promptId}`);
  const slug = fileSlug(prompt.title);
  if (format === 'json' || format === 'markdown') {
    if (versionId !== undefined) throw invalidInput('versionId', 'is only for the typescript and promptfoo formats; json and markdown hold every version');
    return format === 'json'
      ? {
          contentType: CONTENT_TYPES.json,
          filename: `${slug}.promptrefine.json`,
          write: (sink) => writeJsonDocument(db, sink, onePage(prompt), now()),
        }
      : { contentType: CONTENT_TYPES.markdown, filename: `${slug}.md`, write: (sink) => writePromptMarkdown(db, sink, prompt, 1) };
  }
  const version = await exportedVersion(db, prompt, versionId);
  const source = { promptId: prompt.id, title: prompt.title, type: prompt.type, versionId: version.id, versionNumber: version.versionNumber, content: version.content };
  if (format === 'typescript') {
    const text = typescriptModule(source);
    return { contentType: CONTENT_TYPES.typescript, filename: `${slug}.v${version.versionNumber}.ts`, write: (sink) => sink.write(text) };
  }
  const runs = await recentRunRows(db, prompt.id, RECENT_RUNS);
  // The model of the latest run of this version, else of any version, else the first one offered.
  const latest = runs.find((r) => r.promptVersionId === version.id) ?? runs[0];
  const model = latest?.model ?? catalog.list()[0]?.id ?? 'gpt-5.4';
  const text = promptfooConfig({
    ...source,
    model,
    api: latest?.api ?? catalog.apiFor(model),
    params: latest?.params ?? {},
    runs: runs.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString(), versionNumber: r.versionNumber, inputVariables: r.inputVariables, input: r.input })),
  });
  return { contentType: CONTENT_TYPES.promptfoo, filename: 'promptfooconfig.yaml', write: (sink) => sink.write(text) };
}

/** Every live prompt, oldest first, streamed: memory does not grow with the number of prompts or runs. */
export function workspaceExport(db: Database, format: WorkspaceExportFormat, now: () => Date = () => new Date()): ExportFile {
  const exportedAt = now();
  const day = exportedAt.toISOString().slice(0, 10);
  return format === 'json'
    ? {
        contentType: CONTENT_TYPES.json,
        filename: `promptrefine-export-${day}.json`,
        write: (sink) => writeJsonDocument(db, sink, promptPages(db, PROMPT_PAGE), exportedAt),
      }
    : { contentType: CONTENT_TYPES.markdown, filename: `promptrefine-export-${day}.md`, write: (sink) => writeWorkspaceMarkdown(db, sink, promptPages(db, PROMPT_PAGE)) };
}
