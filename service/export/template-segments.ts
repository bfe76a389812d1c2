// A version's content cut at its `{{variables}}`, by the same rule the service renders with
// (contract/template.ts), so code generated from the pieces renders exactly as a run does.
import { templateVariableRanges } from '../../contract/index.ts';

export type Segment = { text: string } | { variable: string };

export function templateSegments(content: string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  for (const { name, start, end } of templateVariableRanges(content)) {
    if (start > at) segments.push({ text: content.slice(at, start) });
    segments.push({ variable: name });
    at = end;
  }
  if (at < content.length) segments.push({ text: content.slice(at) });
  return segments;
}

/** `Review a diff` → `ReviewADiff`; a title without ASCII letters or digits → `Prompt`. */
export function pascalName(title: string): string {
  const words = title.match(/[A-Za-z0-9]+/g) ?? [];
  const name = words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
  if (!name) return 'Prompt';
  return /^[0-9]/.test(name) ? `Prompt${name}` : name;
}

/** Text for a `//` comment: one line, whatever the title holds. */
export const commentText = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ');
