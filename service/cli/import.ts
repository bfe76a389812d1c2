// `npm run import -- FILE`
// Imports a promptrefine/v1 backup (from `npm run export` or GET /api/export) into the database the
// service uses, in one transaction, exactly as POST /api/import does: what is already there is
// skipped, what exists with other content is reported and left alone, an invalid file writes nothing.
// Exit codes: 0 imported, 1 failed (nothing written), 2 the embedded database is busy, 3 imported with conflicts.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ImportCounts } from '../../contract/index.ts';
import { AppError } from '../http/app-error.ts';
import { checkDocument } from '../import/import-document.ts';
import { importPrompts } from '../import/import-use-cases.ts';
import { CliError, openConfiguredDatabase, runCli } from './cli-database.ts';

const USAGE = 'Usage: npm run import -- FILE\nImports a promptrefine/v1 JSON backup in one transaction; importing the same file twice creates nothing the second time.\n';
export const EXIT_CONFLICTS = 3;

const counts = (c: ImportCounts) => `${c.prompts} prompts, ${c.versions} versions, ${c.testRuns} runs, ${c.cases} test cases`;

function readDocument(path: string, bytes: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(`${path} is not valid UTF-8; nothing was imported.`, 1);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${path} is not valid JSON; nothing was imported.`, 1);
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [path] = positionals;
  if (!path || positionals.length > 1) throw new CliError(USAGE, 2);
  let prompts;
  try {
    prompts = checkDocument(readDocument(path, await readFile(path)));
  } catch (error) {
    if (error instanceof AppError) throw new CliError(`${path} is not a valid promptrefine/v1 document: ${error.message}. Nothing was imported.`, 1);
    throw error;
  }
  const { database, where } = await openConfiguredDatabase(
    `  curl -b jar -H 'Content-Type: application/json' --data-binary @${path} http://127.0.0.1:8787/api/import   (after signing in: see README, "Export and import")`,
  );
  try {
    const summary = await importPrompts(database.db, prompts);
    process.stdout.write(`Imported ${path} into ${where}.\nCreated: ${counts(summary.created)}.\nAlready there (skipped): ${counts(summary.skipped)}.\n`);
    if (summary.conflicts.length === 0) return 0;
    process.stdout.write(`Conflicts (left as they are in the database): ${summary.conflicts.length}\n`);
    for (const c of summary.conflicts) process.stdout.write(`  ${c.kind} ${c.id}: ${c.message}\n`);
    return EXIT_CONFLICTS;
  } finally {
    await database.close();
  }
}

runCli('import', main);
