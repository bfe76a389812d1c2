// The built-in templates: the first thing a new user tries, so each one is a prompt we would use
// ourselves with a coding model. They live in code, not in the database: a release can improve
// them, and nobody can change or delete them. Ids are stable (`builtin:<slug>`) because clients
// and exported documents refer to them.
import type { Template } from '../../contract/index.ts';

// The release that introduced them; a fixed time, so the list is the same on every machine.
const RELEASED = '2026-11-28T00:00:00.000Z';

type BuiltIn = Omit<Template, 'builtIn' | 'createdAt'>;

const BUILT_INS: BuiltIn[] = [
  {
    id: 'builtin:review-diff',
    title: 'Review a diff',
    type: 'user',
    description: 'Find bugs, risks and unclear code in a change before it is merged.',
    tags: ['review'],
    content: `Review this change to a {{language}} codebase. It is meant to: {{intent}}

\`\`\`diff
{{diff}}
\`\`\`

Report only what matters, most important first:
1. Bugs: wrong behaviour, unhandled errors or edge cases, races, resource leaks.
2. Security: injection, secrets, missing authorization, unsafe input handling.
3. Design: changes that will be hard to maintain, and simpler ways to do the same thing.

For each finding give the file and line from the diff, what goes wrong and when, and a concrete fix
(a short code suggestion where it helps). Skip style nits a formatter would fix. If the change looks
correct, say so plainly and name what you checked.`,
  },
  {
    id: 'builtin:write-unit-tests',
    title: 'Write unit tests for a function',
    type: 'user',
    description: 'Tests that pin down behaviour, edge cases and errors, in your test framework.',
    tags: ['testing'],
    content: `Write unit tests with {{test_framework}} for this {{language}} code:

\`\`\`
{{code}}
\`\`\`

- Cover the normal cases, the boundaries (empty, zero, one, maximum, unicode), and every error path.
- One behaviour per test, named for that behaviour ("returns an empty list when …").
- Assert on observable results, not on implementation details; mock only what crosses a process
  boundary (network, clock, file system).
- If the code has a bug, write the test that exposes it and say so after the code.

Answer with one complete test file that runs as is, then a short list of what is not covered and why.`,
  },
  {
    id: 'builtin:refactor-readability',
    title: 'Refactor for readability',
    type: 'user',
    description: 'Clearer names and structure, same behaviour, with the reasons for each change.',
    tags: ['refactor'],
    content: `Refactor this {{language}} code for readability without changing its behaviour:

\`\`\`
{{code}}
\`\`\`

Constraints: {{constraints}}

- Keep the public interface (names, parameters, return values, thrown errors) unless I asked otherwise.
- Prefer clear names, small functions with one job, early returns and plain data over clever tricks.
- Do not add dependencies, and do not change formatting for its own sake.

Answer with the refactored code, then a numbered list of the changes and why each makes the code
easier to read. Point out anything that looked like a bug; do not fix it silently.`,
  },
  {
    id: 'builtin:explain-code',
    title: 'Explain code to a reader',
    type: 'user',
    description: 'An explanation pitched at a given reader: what the code does, how and why.',
    tags: ['explain'],
    content: `Explain this {{language}} code to {{audience}}:

\`\`\`
{{code}}
\`\`\`

Start with one or two sentences on what it does and why someone would need it. Then walk through
how it works in the order it runs, naming the functions and variables you refer to. Finish with the
non-obvious parts: assumptions it makes, edge cases, and anything surprising or risky.
Use words {{audience}} knows; define any other term the first time you use it.`,
  },
  {
    id: 'builtin:commit-message',
    title: 'Commit message from a diff',
    type: 'user',
    description: 'A conventional commit message: a short summary line and a body that says why.',
    tags: ['git'],
    content: `Write a git commit message for this diff.

\`\`\`diff
{{diff}}
\`\`\`

Context (why the change was made, issue numbers): {{context}}

Rules:
- First line: imperative mood, at most 72 characters, no trailing period (e.g. "Fix …", "Add …").
- Then a blank line and a body wrapped at 72 characters that says why the change was needed and
  what it changes in behaviour; not a file-by-file list of what the diff already shows.
- Mention breaking changes and migrations explicitly.

Answer with the commit message only, no code fences and no commentary.`,
  },
  {
    id: 'builtin:fix-bug-from-stack-trace',
    title: 'Fix a bug from a stack trace',
    type: 'user',
    description: 'Find the root cause of an error from its stack trace and the code, and fix it.',
    tags: ['debugging'],
    content: `This {{language}} code fails with the error below.

What I did when it failed: {{steps}}

\`\`\`
{{stack_trace}}
\`\`\`

The relevant code:

\`\`\`
{{code}}
\`\`\`

1. Explain the root cause: which line fails, the value it had, and how it got that value.
2. Give the smallest fix that addresses the cause, not just the symptom, as a diff or full function.
3. Name a test that would have caught it.
If the trace and code are not enough to be sure, say what else you need instead of guessing.`,
  },
  {
    id: 'builtin:port-code',
    title: 'Port code to another language',
    type: 'user',
    description: 'Translate code idiomatically to another language, keeping its behaviour.',
    tags: ['port'],
    content: `Port this {{source_language}} code to idiomatic {{target_language}}:

\`\`\`
{{code}}
\`\`\`

- Keep the behaviour identical, including error cases and edge cases; note any place where the two
  languages differ (integer overflow, string encoding, null handling, concurrency) and how you handled it.
- Use the target language's standard library and conventions, not a line-by-line transliteration.
- Keep the names recognisable, adapted to the target's naming style.

Answer with the complete ported code, then a short list of the behaviour differences to review.`,
  },
  {
    id: 'builtin:document-function',
    title: 'Document a function',
    type: 'user',
    description: "A doc comment in the language's convention: purpose, parameters, result, errors.",
    tags: ['docs'],
    content: `Write the documentation comment for this {{language}} function, in the language's usual
format ({{doc_style}}):

\`\`\`
{{code}}
\`\`\`

Say what it does and when to use it (not how it is implemented), each parameter and its valid
values, what it returns, what it throws or how it fails, and any side effects. Add a short usage
example if the call is not obvious. Answer with the comment only, ready to paste above the function.`,
  },
  {
    id: 'builtin:senior-reviewer',
    title: 'Senior reviewer (system prompt)',
    type: 'system',
    description: 'Instructions that make the model review like an experienced, direct senior engineer.',
    tags: ['review', 'system'],
    content: `You are a senior {{language}} engineer reviewing code for a team that values {{priorities}}.

- Be direct and specific: cite the line, say what breaks and when, and show the fix.
- Rank findings: bugs and security first, then maintainability, then everything else.
  Leave out what a formatter or linter would catch.
- Assume the author is competent: explain why, briefly, and do not lecture.
- Say when something is good and why, so it is kept.
- When you are not sure, say so and say what would settle it; never invent APIs or behaviour.`,
  },
  {
    id: 'builtin:write-sql-query',
    title: 'Write a SQL query',
    type: 'user',
    description: 'A correct, index-friendly query for a question about your schema, explained.',
    tags: ['sql'],
    content: `Write a {{dialect}} query that answers: {{question}}

The schema:

\`\`\`sql
{{schema}}
\`\`\`

- Use only tables and columns from the schema; ask if something is missing.
- Handle NULLs and duplicates deliberately, and say how.
- Prefer plain joins and window functions over correlated subqueries; mention the index that
  would make it fast on a large table.

Answer with the query, then two or three sentences on how it works.`,
  },
];

export const builtInTemplates: readonly Template[] = BUILT_INS.map((t) => ({ ...t, builtIn: true, createdAt: RELEASED }));

export function findBuiltInTemplate(id: string): Template | undefined {
  return builtInTemplates.find((t) => t.id === id);
}
