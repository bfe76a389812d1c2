// Test cases of a prompt: saved variables (and input, for system prompts) with expectations that
// every run of a batch is checked against.
import { z } from 'zod';
import { Id, Timestamp, listOf } from './common.ts';
import { MAX_REGEX_INPUT, MAX_REGEX_LENGTH, regexProblem } from './regex-rule.ts';

export const EXPECTATION_KINDS = ['contains', 'notContains', 'regex', 'equals', 'jsonValid', 'maxOutputTokens', 'maxCostUsd', 'maxLatencyMs'] as const;
export type ExpectationKind = (typeof EXPECTATION_KINDS)[number];

const Text = z.string().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters');
const SafeRegex = z
  .string()
  .superRefine((value, ctx) => {
    const problem = regexProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description:
      `A JavaScript regular expression, bare or as \`/pattern/flags\` (flags among i, m, s, u), at most ${MAX_REGEX_LENGTH} characters. ` +
      'Refused when saved (400) if it could take exponential time: backreferences, lookaround, or a repeated group that holds a quantifier or an alternation (`(a+)+`, `(a|ab)*`). ' +
      `It is matched against the first ${MAX_REGEX_INPUT} characters of the output, with a time limit (a check that runs out of time fails, saying so).`,
  });

export const Expectation = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('contains'), value: Text.meta({ description: 'The output contains this text (case-sensitive)' }) }),
    z.strictObject({ kind: z.literal('notContains'), value: Text.meta({ description: 'The output does not contain this text (case-sensitive)' }) }),
    z.strictObject({ kind: z.literal('regex'), value: SafeRegex }),
    z.strictObject({
      kind: z.literal('equals'),
      value: z.string().max(100_000).meta({ description: 'The output equals this text, leading and trailing whitespace aside' }),
    }),
    z.strictObject({
      kind: z.literal('jsonValid'),
      value: z.boolean().meta({ description: 'true: the whole output (whitespace aside) parses as JSON; false: it does not' }),
    }),
    z.strictObject({ kind: z.literal('maxOutputTokens'), value: z.number().int().min(0).meta({ description: 'usage.outputTokens is at most this' }) }),
    z.strictObject({ kind: z.literal('maxCostUsd'), value: z.number().min(0).meta({ description: 'costUsd is at most this (an unpriced model fails it)' }) }),
    z.strictObject({ kind: z.literal('maxLatencyMs'), value: z.number().int().min(0).meta({ description: 'latencyMs is at most this' }) }),
  ])
  .meta({ id: 'Expectation' });
export type Expectation = z.infer<typeof Expectation>;

export const Expectations = z.array(Expectation).max(20, 'at most 20 expectations');

export const CaseName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const Variables = z.record(z.string().min(1).max(200), z.string().max(100_000));
const CaseInput = z.string().max(200_000);

export const TestCase = z
  .object({
    id: Id,
    promptId: Id,
    name: z.string(),
    inputVariables: z.record(z.string(), z.string()),
    input: z.string().nullable().meta({ description: 'The user message sent with a system prompt; null for user prompts' }),
    expectations: z.array(Expectation),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'TestCase' });
export type TestCase = z.infer<typeof TestCase>;

export const TestCaseList = listOf(TestCase).meta({ id: 'TestCaseList' });

/** One object rather than a union, so a mistake is reported on the field at fault. */
export const CreateCaseBody = z
  .strictObject({
    name: CaseName.optional().meta({ description: 'Required, except with fromRunId (default: "From run of <date>")' }),
    inputVariables: Variables.optional(),
    input: CaseInput.nullable().optional(),
    expectations: Expectations.optional(),
    fromRunId: Id.optional().meta({ description: "Save a past run's variables and input as a case (of the run's prompt)" }),
  })
  .superRefine((body, ctx) => {
    if (body.fromRunId === undefined) {
      if (body.name === undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'is required (or give fromRunId)' });
      return;
    }
    for (const field of ['inputVariables', 'input'] as const) {
      if (body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: "cannot be given with fromRunId: they are the run's" });
    }
  })
  .meta({ id: 'CreateCaseBody', description: '`{name, inputVariables?, input?, expectations?}`, or `{fromRunId, name?, expectations?}`' });
export type CreateCaseBody = z.infer<typeof CreateCaseBody>;

export const UpdateCaseBody = z
  .strictObject({
    name: CaseName.optional(),
    inputVariables: Variables.optional(),
    input: CaseInput.nullable().optional(),
    expectations: Expectations.optional(),
  })
  .meta({ id: 'UpdateCaseBody', description: 'Only the fields given change; `expectations` replaces the whole list' });
export type UpdateCaseBody = z.infer<typeof UpdateCaseBody>;

export const CaseIdParams = z.strictObject({ id: Id });

export const CheckResult = z
  .object({
    kind: z.enum(EXPECTATION_KINDS),
    value: z.union([z.string(), z.number(), z.boolean()]),
    passed: z.boolean(),
    detail: z.string().meta({ description: 'Why it failed, or what was measured ("412 tokens")' }),
  })
  .meta({ id: 'CheckResult' });
export type CheckResult = z.infer<typeof CheckResult>;
