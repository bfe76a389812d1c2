// Differences between two texts as marked-up DOM: removed text struck through, added underlined,
// both also named in words for screen readers. jsdiff does the diffing: a small, long-kept library
// with no dependencies and typings of its own; writing a Myers diff here would be more to maintain.
import { diffLines, diffWordsWithSpace, type ChangeObject } from 'diff';
import { h } from './dom.ts';

/** Long outputs: give up word-level detail after this long and fall back to lines. */
const WORD_DIFF_TIMEOUT_MS = 300;

export function changes(a: string, b: string, unit: 'words' | 'lines'): ChangeObject<string>[] {
  if (unit === 'words') {
    const words = diffWordsWithSpace(a, b, { timeout: WORD_DIFF_TIMEOUT_MS });
    if (words) return words;
  }
  return diffLines(a, b);
}

export function diffView(a: string, b: string, unit: 'words' | 'lines', label: string): HTMLElement {
  const parts = changes(a, b, unit);
  const same = parts.every((p) => !p.added && !p.removed);
  return h(
    'pre',
    { class: `diff diff-${unit}`, 'aria-label': label, 'data-diff': same ? 'same' : 'different' },
    parts.map((part) =>
      part.added
        ? h('ins', { title: 'only in B' }, part.value)
        : part.removed
          ? h('del', { title: 'only in A' }, part.value)
          : part.value,
    ),
  );
}
