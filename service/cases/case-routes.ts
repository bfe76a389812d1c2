import { CaseIdParams, CreateCaseBody, Deleted, PromptIdParams, TestCase, TestCaseList, UpdateCaseBody } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { createCase, deleteCase, editCase, listPromptCases } from './case-use-cases.ts';

const CHANGED = 'Announced on GET /api/changes as `case.changed` with the prompt id.';

export function caseRoutes(db: Database): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/prompts/:id/cases',
      tag: 'Test cases',
      summary: "A prompt's test cases, newest first",
      description: 'Not paged: `nextCursor` is always null.',
      params: PromptIdParams,
      response: TestCaseList,
      handler: ({ params }) => listPromptCases(db, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/prompts/:id/cases',
      tag: 'Test cases',
      summary: 'Add a test case, from fields or from a past run of the prompt',
      description:
        '`{fromRunId}` copies the run\'s variables and input. A `regex` expectation that could take exponential time is a 400 naming it (see the Expectation schema). ' + CHANGED,
      params: PromptIdParams,
      body: CreateCaseBody,
      status: 201,
      response: TestCase,
      handler: ({ params, body }) => createCase(db, params.id, body),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/cases/:id',
      tag: 'Test cases',
      summary: 'Change a test case; batches already created keep the expectations they started with',
      description: CHANGED,
      params: CaseIdParams,
      body: UpdateCaseBody,
      response: TestCase,
      handler: ({ params, body }) => editCase(db, params.id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/cases/:id',
      tag: 'Test cases',
      summary: 'Delete a test case; the runs and batch results that used it stay',
      description: CHANGED,
      params: CaseIdParams,
      response: Deleted,
      handler: ({ params }) => deleteCase(db, params.id),
    }),
  ];
}
