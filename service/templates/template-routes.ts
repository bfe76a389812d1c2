import { CreateTemplateBody, Deleted, Template, TemplateIdParams, TemplateList } from '../../contract/index.ts';
import type { Database } from '../db/connect.ts';
import { defineRoute, type RouteSpec } from '../http/route.ts';
import { createTemplate, listTemplates, removeTemplate } from './template-use-cases.ts';

export function templateRoutes(db: Database): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/templates',
      tag: 'Templates',
      summary: "Every template: the built-in ones first, then the user's own, newest first",
      description: 'Not paged: `nextCursor` is always null. Start a prompt from one with POST /api/prompts `{templateId}`.',
      response: TemplateList,
      handler: () => listTemplates(db),
    }),
    defineRoute({
      method: 'post',
      path: '/api/templates',
      tag: 'Templates',
      summary: 'Save a template of your own, from content or from a version',
      body: CreateTemplateBody,
      status: 201,
      response: Template,
      handler: ({ body }) => createTemplate(db, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/templates/:id',
      tag: 'Templates',
      summary: 'Delete one of your own templates; a built-in one is a 400',
      params: TemplateIdParams,
      response: Deleted,
      handler: ({ params }) => removeTemplate(db, params.id),
    }),
  ];
}
