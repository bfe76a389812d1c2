import { ExportDocument, ImportSummary } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { readImportBody } from './import-body.ts';
import { checkDocument } from './import-document.ts';
import { importPrompts } from './import-use-cases.ts';

/** Its body is read by the route itself (own size limit), so the JSON parser of every other route skips it. */
export const IMPORT_PATH = '/api/import';

export function importRoutes(db: Database, limitBytes: number): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: IMPORT_PATH,
      tag: 'Export and import',
      summary: 'Import a promptrefine/v1 document, in one transaction',
      description:
        'Its own size limit: PROMPTREFINE_IMPORT_LIMIT bytes (default 64 MiB), apart from the 1 MiB of other routes. Ids, version numbers and timestamps are kept. ' +
        'A record already there with the same content is skipped, so importing the same document twice creates nothing the second time; ' +
        'an id that exists with other content is listed in `conflicts` and never overwritten. An invalid document is a 400 naming the first bad path, and nothing is written. ' +
        'A run that was queued or running when exported is imported as failed (INTERRUPTED), so it is never sent to the model again.',
      body: ExportDocument,
      ownBody: true,
      response: ImportSummary,
      handler: async ({ req }) => {
        const prompts = checkDocument(await readImportBody(req, limitBytes));
        return importPrompts(db, prompts);
      },
    }),
  ];
}
