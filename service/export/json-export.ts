// The `promptrefine/v1` document, written as it is read: one page of prompts, versions or runs in
// memory at a time, whatever the size of the workspace. Indented like JSON.stringify(doc, null, 2)
// so the file reads and diffs well.
import { EXPORT_FORMAT } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { exportCaseRows } from '../cases/case-queries.ts';
import { runPages, versionPages, type PromptRow } from './export-queries.ts';
import { caseRecord, promptHead, runRecord, versionRecord } from './export-records.ts';
import type { Sink } from './sink.ts';

export const VERSION_PAGE = 200;
export const RUN_PAGE = 200;

const indent = (json: string, pad: string) => json.replace(/\n/g, `\n${pad}`);

/** Writes `"name": [ …items ]` (without a trailing comma) from pages of items. */
async function writeArray(sink: Sink, name: string, pad: string, itemPages: AsyncIterable<unknown[]>): Promise<void> {
  await sink.write(`${pad}${JSON.stringify(name)}: [`);
  let first = true;
  for await (const items of itemPages) {
    for (const item of items) {
      await sink.write(`${first ? '' : ','}\n${pad}  ${indent(JSON.stringify(item, null, 2), `${pad}  `)}`);
      first = false;
    }
  }
  await sink.write(first ? ']' : `\n${pad}]`);
}

async function* onePage<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

async function* mapPages<T, U>(source: AsyncIterable<T[]>, map: (item: T) => U): AsyncGenerator<U[]> {
  for await (const page of source) yield page.map(map);
}

async function writePrompt(db: Database, sink: Sink, row: PromptRow, pad: string): Promise<void> {
  const head = JSON.stringify(promptHead(row), null, 2);
  // The head without its closing brace; versions, runs and cases follow inside the same object.
  await sink.write(`${pad}${indent(head.slice(0, -2), pad)},\n`);
  await writeArray(sink, 'versions', `${pad}  `, mapPages(versionPages(db, row.id, VERSION_PAGE), versionRecord));
  await sink.write(',\n');
  await writeArray(sink, 'testRuns', `${pad}  `, mapPages(runPages(db, row.id, RUN_PAGE), runRecord));
  await sink.write(',\n');
  // A prompt holds tens of cases, not thousands: one read.
  await writeArray(sink, 'cases', `${pad}  `, onePage((await exportCaseRows(db, row.id)).map(caseRecord)));
  await sink.write(`\n${pad}}`);
}

/** The whole document for the prompts `rows` yields, in that order. */
export async function writeJsonDocument(db: Database, sink: Sink, rows: AsyncIterable<PromptRow[]>, exportedAt: Date): Promise<void> {
  await sink.write(`{\n  "format": ${JSON.stringify(EXPORT_FORMAT)},\n  "exportedAt": ${JSON.stringify(exportedAt.toISOString())},\n  "prompts": [`);
  let first = true;
  for await (const page of rows) {
    for (const row of page) {
      await sink.write(first ? '\n' : ',\n');
      await writePrompt(db, sink, row, '    ');
      first = false;
    }
  }
  await sink.write(first ? ']\n}\n' : '\n  ]\n}\n');
}
