// Walks the app's real Express route table: every route needs a session except the five public
// ones, and every route is in the OpenAPI document, which is valid OpenAPI 3.1.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { toOpenApiPath } from '../openapi.ts';
import { describeEachDatabase } from './support/databases.ts';
import { startTestApp, type TestApp } from '../testing/test-app.ts';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

function expressRoutes(app: TestApp): { method: string; path: string }[] {
  const stack = (app.app.express as unknown as { router: { stack: Layer[] } }).router.stack;
  const nested = stack.flatMap((layer) => {
    const handle = (layer as { handle?: { stack?: Layer[] } }).handle;
    return handle?.stack ?? [layer];
  });
  return nested
    .filter((layer): layer is Required<Layer> => Boolean(layer.route))
    .flatMap((layer) =>
      Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((method) => ({ method: method.toUpperCase(), path: layer.route.path })),
    );
}

// Setup is public by nature (no account exists yet to sign in with); its one-time token guards it.
const PUBLIC = ['GET /api/auth/session', 'POST /api/auth/signin', 'POST /api/auth/setup', 'GET /api/health', 'GET /api/openapi.json'];

describeEachDatabase('route table', (database) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await startTestApp(database());
  });
  afterEach(() => app.close());

  it('answers 401 on every route but the public five when there is no session', async () => {
    const routes = expressRoutes(app);
    assert.ok(routes.length >= 19, `found ${routes.length} routes`);
    const open: string[] = [];
    for (const { method, path } of routes) {
      const url = path.replace(/:[A-Za-z]+/g, () => randomUUID());
      const res = await app.anonymous().request(method, url, method === 'GET' || method === 'DELETE' ? {} : { body: {} });
      if (res.status === 401) {
        assert.deepEqual(res.body.data, null);
        assert.equal(res.body.error?.code, 'UNAUTHENTICATED', `${method} ${path}`);
      } else open.push(`${method} ${path}`);
    }
    assert.deepEqual(open.sort(), [...PUBLIC].sort());
  });

  it('serves a valid OpenAPI 3.1 document listing every route', async () => {
    const res = await app.anonymous().get('/api/openapi.json');
    assert.equal(res.status, 200);
    const document = JSON.parse(res.text) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    assert.equal(document.openapi, '3.1.0');
    const validator = new Validator();
    const result = await validator.validate(document);
    assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
    for (const { method, path } of expressRoutes(app)) {
      assert.ok(document.paths[toOpenApiPath(path)]?.[method.toLowerCase()], `${method} ${path} is missing from the document`);
    }
    const createPrompt = document.paths['/api/prompts']?.post as { requestBody: { content: Record<string, { schema: unknown }> } };
    assert.ok(JSON.stringify(createPrompt.requestBody).includes('CreatePromptBody'), 'request schemas come from the validating zod schemas');
  });
});
