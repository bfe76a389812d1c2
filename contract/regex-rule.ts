// Which regular expressions a `regex` expectation may hold. JavaScript's engine backtracks, so a
// pattern such as `(a+)+$` can take exponential time on a short output; such patterns are refused
// when a case is saved (400), never discovered at run time. The rule, checked by reading the
// pattern once:
// - at most MAX_REGEX_LENGTH characters, and it must compile;
// - no backreferences (`\1`, `\k<name>`) and no lookaround (`(?=`, `(?!`, `(?<=`, `(?<!`);
// - no repeated group that itself holds a quantifier or an alternation (`(a+)+`, `(a|ab)*`, `(\w+\s?){3,}`).
// The service also matches against at most MAX_REGEX_INPUT characters of the output, with a time
// limit, so what remains (`.*a.*b` is polynomial) stays bounded too.
export const MAX_REGEX_LENGTH = 200;
export const MAX_REGEX_INPUT = 20_000;
const FLAGS = /^[imsu]*$/;

export interface RegexSpec {
  source: string;
  flags: string;
}

/** `/pattern/flags` (flags among i, m, s, u) or a bare pattern without flags. */
export function regexSpec(value: string): RegexSpec {
  const end = value.lastIndexOf('/');
  if (value.startsWith('/') && end > 0 && FLAGS.test(value.slice(end + 1))) return { source: value.slice(1, end), flags: value.slice(end + 1) };
  return { source: value, flags: '' };
}

interface Group {
  quantified: boolean;
  alternation: boolean;
}

/** How many characters a quantifier at `at` spans and whether it repeats (more than once); 0 when there is none. */
function quantifierAt(source: string, at: number): { length: number; repeats: boolean } {
  const c = source[at];
  let length = 0;
  let repeats = false;
  if (c === '*' || c === '+') {
    length = 1;
    repeats = true;
  } else if (c === '?') length = 1;
  else if (c === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
    if (!match) return { length: 0, repeats: false };
    length = match[0].length;
    const min = Number(match[1]);
    const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
    repeats = max > 1;
  }
  if (length > 0 && source[at + length] === '?') length++; // lazy: the same backtracking
  return { length, repeats };
}

/** Why the pattern is refused, or undefined when it may be saved. */
export function regexProblem(value: string): string | undefined {
  const { source, flags } = regexSpec(value);
  if (source.length === 0) return 'must not be empty';
  if (source.length > MAX_REGEX_LENGTH) return `must be at most ${MAX_REGEX_LENGTH} characters`;
  try {
    new RegExp(source, flags);
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message})`;
  }
  const stack: Group[] = [{ quantified: false, alternation: false }];
  const top = () => stack[stack.length - 1] as Group;
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    let atomEnd = i + 1;
    let closed: Group | undefined;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) return 'must not use backreferences (\\1, \\k<name>): they can take exponential time';
      atomEnd = i + 2;
      // \p{…}, \u{…}: the braces belong to the escape, not a quantifier.
      if (/[pPu]/.test(next) && source[i + 2] === '{') atomEnd = source.indexOf('}', i) + 1;
    } else if (c === '[') {
      let j = i + 1;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      atomEnd = j + 1;
    } else if (c === '(') {
      if (/^\(\?<?[=!]/.test(source.slice(i))) return 'must not use lookahead or lookbehind ((?=, (?!, (?<=, (?<!)';
      stack.push({ quantified: false, alternation: false });
      i++;
      continue;
    } else if (c === ')') {
      closed = stack.pop();
    } else if (c === '|') {
      top().alternation = true;
      i++;
      continue;
    }
    const q = quantifierAt(source, atomEnd);
    if (closed) {
      if (q.repeats && (closed.quantified || closed.alternation)) {
        return closed.quantified
          ? 'must not repeat a group that holds a quantifier, as in (a+)+: it can take exponential time'
          : 'must not repeat a group that holds an alternation, as in (a|ab)*: it can take exponential time';
      }
      if (closed.quantified || q.length > 0) top().quantified = true;
      // An alternation inside a group inside a repeated group is as dangerous as one directly inside.
      if (closed.alternation) top().alternation = true;
    } else if (q.length > 0) top().quantified = true;
    i = atomEnd + q.length;
  }
  return undefined;
}
