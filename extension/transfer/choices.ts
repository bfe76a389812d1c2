// What the template, export and import commands show, as plain functions (tested without VS Code).
import type { ImportSummary, PromptExportFormat, Template } from '../../contract/index.ts';

export interface TemplateChoice {
  label: string;
  description: string;
  detail: string;
  template: Template;
}

/** The first lines of a template, on one line, so the quick pick shows what it starts with. */
export function firstLines(content: string, maxLines = 2, maxChars = 140): string {
  const text = content
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(0, maxLines)
    .join(' ⏎ ');
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

export function templateChoices(templates: Template[]): TemplateChoice[] {
  return templates.map((template) => ({
    label: template.builtIn ? template.title : `$(account) ${template.title}`,
    description: `${template.type === 'system' ? 'system prompt' : 'user prompt'} · ${template.description}`,
    detail: firstLines(template.content),
    template,
  }));
}

export const EXPORT_FORMATS: { format: PromptExportFormat; label: string; description: string; extension: string }[] = [
  { format: 'json', label: 'JSON (promptrefine/v1)', description: 'everything, lossless: versions, runs, cases; imports back', extension: 'json' },
  { format: 'markdown', label: 'Markdown', description: 'for reading: versions, a runs table, outputs', extension: 'md' },
  { format: 'typescript', label: 'TypeScript module', description: 'the current version as a typed function that renders it', extension: 'ts' },
  { format: 'promptfoo', label: 'promptfoo config', description: 'promptfooconfig.yaml with the current version and its tests', extension: 'yaml' },
];

/** A file name from the prompt's title: letters, digits and dashes only. */
export function exportFileName(title: string, format: PromptExportFormat): string {
  if (format === 'promptfoo') return 'promptfooconfig.yaml';
  const slug =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'prompt';
  const extension = EXPORT_FORMATS.find((f) => f.format === format)?.extension ?? 'txt';
  return `${slug}.${format === 'typescript' ? 'prompt.ts' : extension}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function counts(c: ImportSummary['created']): string {
  const parts = [plural(c.prompts, 'prompt'), plural(c.versions, 'version'), plural(c.testRuns, 'run'), plural(c.cases, 'case')];
  return parts.join(', ');
}

/** One line for the notification: what was created, skipped and in conflict. */
export function importSummaryMessage(summary: ImportSummary): string {
  const conflicts = summary.conflicts.length;
  return (
    `Imported: ${counts(summary.created)} created; ${counts(summary.skipped)} already there (skipped)` +
    (conflicts ? `; ${plural(conflicts, 'conflict')}: existing records with other content were left as they were.` : '.')
  );
}

/** The conflicts, one per line, for a document the user can read and keep. */
export function conflictReport(summary: ImportSummary): string {
  return [
    '# Import conflicts',
    '',
    'These records exist in the database with other content. They were not overwritten.',
    '',
    ...summary.conflicts.map((c) => `- ${c.kind} \`${c.id}\`: ${c.message}`),
    '',
  ].join('\n');
}
