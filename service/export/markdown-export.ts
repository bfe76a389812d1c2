// Markdown for reading: per prompt its title, tags, type and current version; each version with
// its number, date, notes and content; a runs table and each run's output in a <details> block.
// Nothing in it depends on when it was made, so the same data gives the same bytes.
import type { Database } from '../db/connect.ts';
import type { VersionRow } from '../prompts/prompt-queries.ts';
import { findVersion } from '../prompts/version-queries.ts';
import type { RunRow } from '../runs/run-queries.ts';
import { runPages, versionPages, type PromptRow } from './export-queries.ts';
import { RUN_PAGE, VERSION_PAGE } from './json-export.ts';
import type { Sink } from './sink.ts';

/** `2026-11-27 12:00:00 UTC`: the same for every reader, whatever their time zone. */
export const utc = (d: Date) => `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** A fence longer than any run of backticks inside, so no content can close it early. */
export function fenced(text: string, info = ''): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}${text.endsWith('\n') || text === '' ? '' : '\n'}${fence}\n`;
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Inline text: one line, with Markdown's active characters escaped. */
const inline = (s: string) => s.replace(/\s+/g, ' ').trim().replace(/([\\`*_[\]<>|#])/g, '\\$1');

const tokens = (run: RunRow) => (run.usage ? run.usage.totalTokens.toLocaleString('en') : '—');
const cost = (run: RunRow) => (run.costUsd === null ? '—' : `$${run.costUsd.toFixed(6).replace(/0+$/, '').replace(/\.$/, '.00')}`);
const latency = (run: RunRow) => (run.latencyMs === null ? '—' : `${run.latencyMs.toLocaleString('en')} ms`);

async function writeVersion(sink: Sink, v: VersionRow, h: string, numbers: Map<string, number>): Promise<void> {
  await sink.write(`${h} Version ${v.versionNumber} — ${utc(v.createdAt)}\n\n`);
  if (v.restoredFromVersionId) {
    const from = numbers.get(v.restoredFromVersionId);
    await sink.write(`Restored from ${from === undefined ? `\`${v.restoredFromVersionId}\`` : `version ${from}`}.\n\n`);
  }
  await sink.write(v.notes ? `Notes: ${inline(v.notes)}\n\n` : '*No notes.*\n\n');
  await sink.write(`${fenced(v.content, 'text')}\n`);
}

/** One prompt; `level` is the heading level of its title (1 alone, 2 inside a workspace). */
export async function writePromptMarkdown(db: Database, sink: Sink, prompt: PromptRow, level: number): Promise<void> {
  const h = (n: number) => '#'.repeat(level + n);
  await sink.write(`${h(0)} ${inline(prompt.title)}\n\n`);
  const current = prompt.currentVersionId ? await findVersion(db, prompt.id, prompt.currentVersionId) : undefined;
  await sink.write(`- Id: \`${prompt.id}\`\n`);
  await sink.write(`- Type: ${prompt.type}\n`);
  await sink.write(`- Tags: ${prompt.tags.length ? prompt.tags.map((t) => `\`${t.replace(/`/g, "'")}\``).join(', ') : '—'}\n`);
  await sink.write(`- Current version: ${current ? current.versionNumber : '—'}\n`);
  await sink.write(`- Created: ${utc(prompt.createdAt)}; updated: ${utc(prompt.updatedAt)}\n\n`);

  await sink.write(`${h(1)} Versions\n\n`);
  // Numbers only (not contents) of the versions seen, to name the one a restore came from.
  const numbers = new Map<string, number>();
  for await (const page of versionPages(db, prompt.id, VERSION_PAGE)) {
    for (const v of page) {
      numbers.set(v.id, v.versionNumber);
      await writeVersion(sink, v, h(2), numbers);
    }
  }
  if (numbers.size === 0) await sink.write('No versions yet.\n\n');

  await sink.write(`${h(1)} Runs\n\n`);
  let runs = 0;
  for await (const page of runPages(db, prompt.id, RUN_PAGE)) {
    for (const run of page) {
      if (runs++ === 0) {
        await sink.write('| Date | Version | Model | Status | Tokens | Cost | Latency |\n| --- | --- | --- | --- | ---: | ---: | ---: |\n');
      }
      await sink.write(`| ${utc(run.createdAt)} | ${run.versionNumber} | ${inline(run.model)} | ${run.status} | ${tokens(run)} | ${cost(run)} | ${latency(run)} |\n`);
    }
  }
  if (runs === 0) {
    await sink.write('No runs yet.\n\n');
    return;
  }
  await sink.write('\n');
  // A second pass for the outputs, so the table comes first without holding the runs in memory.
  for await (const page of runPages(db, prompt.id, RUN_PAGE)) {
    for (const run of page) {
      await sink.write(`<details>\n<summary>${html(`${utc(run.createdAt)} · version ${run.versionNumber} · ${run.model} · ${run.status}`)}</summary>\n\n`);
      const vars = Object.keys(run.inputVariables).sort();
      if (vars.length) {
        await sink.write('Variables:\n\n');
        for (const k of vars) {
          const value = run.inputVariables[k] as string;
          // A diff or a stack trace keeps its lines; a word stays on the line of its name.
          await sink.write(value.includes('\n') ? `\`${k}\`:\n\n${fenced(value, 'text')}\n` : `- \`${k}\`: ${inline(value)}\n\n`);
        }
      }
      if (run.input !== null) await sink.write(`Input:\n\n${fenced(run.input, 'text')}\n`);
      if (run.error) await sink.write(`Error: ${inline(`${run.error.code}: ${run.error.message}`)}\n\n`);
      await sink.write(run.output === null ? '*No output.*\n\n' : `${fenced(run.output, 'text')}\n`);
      await sink.write('</details>\n\n');
    }
  }
}

export async function writeWorkspaceMarkdown(db: Database, sink: Sink, rows: AsyncIterable<PromptRow[]>): Promise<void> {
  await sink.write('# PromptRefine prompts\n\n');
  let count = 0;
  for await (const page of rows) {
    for (const prompt of page) {
      await writePromptMarkdown(db, sink, prompt, 2);
      count++;
    }
  }
  if (count === 0) await sink.write('No prompts.\n');
}
