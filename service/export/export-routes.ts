import type { Response } from 'express';
import { z } from 'zod';
import { ExportDocument, PromptExportQuery, PromptIdParams, WorkspaceExportQuery } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import type { ModelCatalog } from '../runs/model-catalog.ts';
import { CONTENT_TYPES, promptExport, workspaceExport, type ExportFile } from './export-use-cases.ts';
import { OutputClosedError, sinkOf } from './sink.ts';

/**
 * Sends an export as a download. Once the first byte is out the status cannot change, so a failure
 * after that destroys the connection: the client sees a broken download, never a file that looks
 * complete but is cut short.
 */
export async function sendFile(res: Response, file: ExportFile): Promise<void> {
  res.status(200);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
  const sink = sinkOf(res);
  try {
    await file.write(sink);
    await sink.flush();
    res.end();
  } catch (error) {
    // The reader went away: nothing is wrong, and nobody is left to tell.
    if (error instanceof OutputClosedError) return;
    if (!res.headersSent) {
      // Nothing went out yet: the error handler answers with the usual JSON envelope.
      res.removeHeader('Content-Disposition');
      res.removeHeader('Content-Type');
      throw error;
    }
    res.destroy();
    throw error;
  }
}

const FILE_CONTENT = {
  [CONTENT_TYPES.markdown]: z.string().meta({ description: 'format=markdown' }),
  [CONTENT_TYPES.typescript]: z.string().meta({ description: 'format=typescript: an exported function rendering the version' }),
  [CONTENT_TYPES.promptfoo]: z.string().meta({ description: 'format=promptfoo: promptfooconfig.yaml' }),
};

export function exportRoutes(db: Database, catalog: ModelCatalog): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/prompts/:id/export',
      tag: 'Export and import',
      summary: 'Download a prompt as a file: JSON, Markdown, a TypeScript module or a promptfoo config',
      description:
        'A file, not an envelope (`Content-Disposition: attachment`). `json` is the `promptrefine/v1` document with this prompt; `markdown` is for reading; ' +
        '`typescript` and `promptfoo` hold one version (`versionId`, default the current one). Errors are the usual JSON envelope.',
      params: PromptIdParams,
      query: PromptExportQuery,
      response: ExportDocument,
      raw: { contentType: CONTENT_TYPES.json, description: 'The file', otherContent: FILE_CONTENT },
      handler: async ({ params, query, res }) => sendFile(res, await promptExport(db, catalog, params.id, query.format, query.versionId)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/export',
      tag: 'Export and import',
      summary: 'Download every prompt, with its versions and runs, as JSON or Markdown',
      description: 'Streamed as it is read from the database: memory does not grow with the number of runs. Deleted prompts are left out.',
      query: WorkspaceExportQuery,
      response: ExportDocument,
      raw: { contentType: CONTENT_TYPES.json, description: 'The file', otherContent: { [CONTENT_TYPES.markdown]: FILE_CONTENT[CONTENT_TYPES.markdown] } },
      handler: async ({ query, res }) => sendFile(res, workspaceExport(db, query.format)),
    }),
  ];
}
