// The tree's filter: text found in titles and one tag, typed into one box as `review #python`.

export interface PromptFilter {
  text?: string;
  tag?: string;
}

/** `review #python` → text "review", tag "python". An empty box clears the filter. */
export function parseFilter(input: string): PromptFilter {
  const words = input.trim().split(/\s+/).filter(Boolean);
  const tagWord = words.find((w) => w.startsWith('#') && w.length > 1);
  const text = words.filter((w) => w !== tagWord).join(' ');
  const filter: PromptFilter = {};
  if (text) filter.text = text;
  if (tagWord) filter.tag = tagWord.slice(1);
  return filter;
}

/** The filter as the box shows it again, so editing it starts from what is set. */
export function formatFilter(filter: PromptFilter): string {
  return [filter.text, filter.tag ? `#${filter.tag}` : undefined].filter(Boolean).join(' ');
}

export const isFiltered = (filter: PromptFilter): boolean => Boolean(filter.text || filter.tag);

/** The line shown above the tree while a filter is set. */
export function describeFilter(filter: PromptFilter): string | undefined {
  const parts: string[] = [];
  if (filter.text) parts.push(`title matches “${filter.text}”`);
  if (filter.tag) parts.push(`tag #${filter.tag}`);
  return parts.length > 0 ? `Filtered: ${parts.join(', ')}` : undefined;
}
