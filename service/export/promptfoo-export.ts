// One version as a promptfoo config (promptfooconfig.yaml): the version as the prompt, its model as
// the provider, and tests from the variables of recent runs (the prompt's test cases, once they
// exist). promptfoo renders prompts with Nunjucks, whose `{{ }}` is not ours: `{{a.b}}` would read
// a property and `{{x-y}}` would subtract. So every variable gets a Nunjucks-safe name, and literal
// text that Nunjucks would read as markup is kept verbatim with {% raw %}.
import { Document } from 'yaml';
import type { ModelApi, PromptType, RunParams } from '../../contract/index.ts';
import { commentText, templateSegments, type Segment } from './template-segments.ts';

export interface PromptfooSource {
  promptId: string;
  title: string;
  type: PromptType;
  versionId: string;
  versionNumber: number;
  content: string;
  model: string;
  api: ModelApi;
  params: RunParams;
  /** Recent runs, newest first: their variables (and input, for a system prompt) become tests. */
  runs: { id: string; createdAt: string; versionNumber: number; inputVariables: Record<string, string>; input: string | null }[];
}

export const MAX_PROMPTFOO_TESTS = 10;

/** Our variable names → names Nunjucks reads as plain variables, unique, in order of appearance. */
function safeNames(variables: string[], reserved: string[]): Map<string, string> {
  const taken = new Set(reserved);
  const names = new Map<string, string>();
  for (const variable of variables) {
    let base = variable.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(base)) base = `v_${base}`;
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    names.set(variable, name);
  }
  return names;
}

/** A Nunjucks string literal (its lexer knows \n, \t, \r and takes any other escaped character as is). */
const nunjucksString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;

function nunjucksText(text: string): string {
  if (!/\{[{%#]/.test(text)) return text;
  return /endraw/.test(text) ? `{{ ${nunjucksString(text)} }}` : `{% raw %}${text}{% endraw %}`;
}

function userPrompt(segments: Segment[], names: Map<string, string>): string {
  return segments.map((s) => ('text' in s ? nunjucksText(s.text) : `{{ ${names.get(s.variable)} }}`)).join('');
}

/** A system prompt is a chat: the rendered instructions, then the run's input as the user message. */
function systemPrompt(segments: Segment[], names: Map<string, string>, input: string): string {
  const parts = segments.map((s) => ('text' in s ? nunjucksString(s.text) : (names.get(s.variable) as string)));
  const instructions = parts.length === 0 ? '""' : `(${parts.join(' ~ ')})`;
  return `[{"role": "system", "content": {{ ${instructions} | dump }}}, {"role": "user", "content": {{ ${input} | dump }}}]`;
}

/** promptfoo's OpenAI provider options for the run's parameters. */
function providerConfig(api: ModelApi, params: RunParams): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (params.temperature !== undefined) config.temperature = params.temperature;
  if (params.topP !== undefined) config.top_p = params.topP;
  if (params.maxOutputTokens !== undefined) config[api === 'responses' ? 'max_output_tokens' : 'max_completion_tokens'] = params.maxOutputTokens;
  if (params.reasoningEffort !== undefined) {
    if (api === 'responses') config.reasoning = { effort: params.reasoningEffort };
    else config.reasoning_effort = params.reasoningEffort;
  }
  if (params.verbosity !== undefined) config.verbosity = params.verbosity;
  return config;
}

export function promptfooConfig(source: PromptfooSource): string {
  const segments = templateSegments(source.content);
  const variables = [...new Set(segments.flatMap((s) => ('variable' in s ? [s.variable] : [])))];
  const system = source.type === 'system';
  const inputName = 'input';
  const names = safeNames(variables, system ? [inputName] : []);

  const tests: { description: string; vars: Record<string, string> }[] = [];
  const seen = new Set<string>();
  for (const run of source.runs) {
    if (tests.length >= MAX_PROMPTFOO_TESTS) break;
    if (!variables.every((v) => Object.hasOwn(run.inputVariables, v)) || (system && run.input === null)) continue;
    const vars: Record<string, string> = {};
    for (const v of variables) vars[names.get(v) as string] = run.inputVariables[v] as string;
    if (system) vars[inputName] = run.input as string;
    const key = JSON.stringify(vars);
    if (seen.has(key)) continue;
    seen.add(key);
    tests.push({ description: `From run ${run.id} (${run.createdAt}, version ${run.versionNumber})`, vars });
  }

  const config = providerConfig(source.api, source.params);
  const document = new Document({
    description: `${source.title} (version ${source.versionNumber})`,
    prompts: [
      {
        label: `${source.title} v${source.versionNumber}`,
        raw: system ? systemPrompt(segments, names, inputName) : userPrompt(segments, names),
      },
    ],
    providers: [{ id: `openai:${source.api}:${source.model}`, ...(Object.keys(config).length ? { config } : {}) }],
    tests,
  });
  const renamed = [...names].filter(([from, to]) => from !== to);
  document.commentBefore = [
    ` ${commentText(source.title)}`,
    ` PromptRefine prompt ${source.promptId}, version ${source.versionNumber} (${source.versionId}).`,
    ' Run it with: npx promptfoo@latest eval -c promptfooconfig.yaml (OPENAI_API_KEY set)',
    ...(renamed.length ? [` Variables renamed for promptfoo's Nunjucks: ${renamed.map(([a, b]) => `${a} → ${b}`).join(', ')}`] : []),
    ...(system ? [' A system prompt: the test variable `input` is the user message.'] : []),
    ...(tests.length === 0 ? [' No run of this prompt has values for its variables yet: add tests with their vars below.'] : []),
  ].join('\n');
  return document.toString({ lineWidth: 0 });
}
