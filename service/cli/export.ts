// `npm run export -- [--format json|markdown] [--out FILE]`
// Writes every prompt, with its versions and runs, from the database the service uses, whether or
// not the service is running (on the embedded database: only while it is not; see cli-database.ts).
// The file is written next to its final name and renamed once complete, so a failed export never
// leaves a file that looks like a whole backup.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { WORKSPACE_EXPORT_FORMATS, type WorkspaceExportFormat } from '../../contract/index.ts';
import { workspaceExport } from '../export/export-use-cases.ts';
import { sinkOf } from '../export/sink.ts';
import { CliError, openConfiguredDatabase, runCli } from './cli-database.ts';

const USAGE =
  'Usage: npm run export -- [--format json|markdown] [--out FILE]\n' +
  'Exports every prompt with its versions and runs (json: the promptrefine/v1 backup that `npm run import` reads; markdown: for reading).\n' +
  'Without --out it writes to standard output. Uses DATABASE_URL, else the embedded database in PROMPTREFINE_DATA_DIR (default ~/.promptrefine).\n';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { format: { type: 'string', default: 'json' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const format = values.format as WorkspaceExportFormat;
  if (!WORKSPACE_EXPORT_FORMATS.includes(format)) throw new CliError(`--format must be json or markdown, not ${values.format}\n${USAGE}`, 2);
  const { database, where } = await openConfiguredDatabase(
    `  curl -b jar -o ${values.out ?? 'promptrefine-backup.json'} 'http://127.0.0.1:8787/api/export?format=${format}'   (after signing in: see README, "Export and import")`,
  );
  try {
    const file = workspaceExport(database.db, format);
    if (!values.out) {
      const sink = sinkOf(process.stdout);
      await file.write(sink);
      await sink.flush();
      return 0;
    }
    const partial = `${values.out}.partial`;
    const out = createWriteStream(partial, { mode: 0o600 });
    try {
      const sink = sinkOf(out);
      await file.write(sink);
      await sink.flush();
      out.end();
      await finished(out);
      await rename(partial, values.out);
    } catch (error) {
      out.destroy();
      await rm(partial, { force: true });
      throw error;
    }
    process.stderr.write(`Exported every prompt from ${where} to ${values.out} (${format}).\n`);
    return 0;
  } finally {
    await database.close();
  }
}

runCli('export', main);
