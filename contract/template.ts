// Template variables: `{{name}}` with letters, digits, `_`, `.`, `-`; spaces inside the braces allowed.
// Shared so the service (which refuses a run with a missing value), the extension (highlighting)
// and the webview (the variables form) agree on what a variable is.

const VARIABLE = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/** The distinct variable names in `content`, in order of first appearance. */
export function templateVariables(content: string): string[] {
  const names = new Set<string>();
  for (const match of content.matchAll(VARIABLE)) names.add(match[1] as string);
  return [...names];
}

/** Every occurrence with its offsets, for editors that highlight them. */
export function templateVariableRanges(content: string): { name: string; start: number; end: number }[] {
  return [...content.matchAll(VARIABLE)].map((m) => ({
    name: m[1] as string,
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** Names used in `content` that have no value in `values`. */
export function missingVariables(content: string, values: Record<string, string>): string[] {
  return templateVariables(content).filter((name) => !Object.hasOwn(values, name));
}

/** `content` with every variable replaced by its value; unknown ones are left as written. */
export function renderTemplate(content: string, values: Record<string, string>): string {
  return content.replace(VARIABLE, (whole, name: string) => (Object.hasOwn(values, name) ? (values[name] as string) : whole));
}
