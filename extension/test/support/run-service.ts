// The real service in this process, calling the fake OpenAI server on loopback, with a signed-in
// session: what the run panel's host code talks to in production, minus the real provider.
import { startFakeOpenAI, type FakeOpenAI } from '../../../tools/fake-openai/server.ts';
import { BatchesClient } from '../../api/batches.ts';
import { CasesClient } from '../../api/cases.ts';
import { PromptRefineClient } from '../../api/client.ts';
import { RunsClient } from '../../api/runs.ts';
import { TEST_EMAIL, TEST_PASSWORD, startTestService } from './service.ts';

export interface RunService {
  url: string;
  fake: FakeOpenAI;
  prompts: PromptRefineClient;
  runs: RunsClient;
  batches: BatchesClient;
  cases: CasesClient;
  close(): Promise<void>;
}

/** `tokenDelayMs`: the fake model's pause before each word, so streaming can be watched. */
export async function startRunService(tokenDelayMs = 5): Promise<RunService> {
  const fake = await startFakeOpenAI({ apiKey: 'sk-test', tokenDelayMs });
  const service = await startTestService({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: fake.url, PROMPTREFINE_RUN_RETRY_BASE_MS: '10' });
  let cookie: string | undefined;
  const prompts = new PromptRefineClient({ serviceUrl: service.url, sessionCookie: () => cookie });
  cookie = (await prompts.signIn(TEST_EMAIL, TEST_PASSWORD)).sessionCookie;
  const runs = new RunsClient({ serviceUrl: () => service.url, sessionCookie: () => cookie });
  const batches = new BatchesClient({ serviceUrl: () => service.url, sessionCookie: () => cookie });
  const cases = new CasesClient({ serviceUrl: () => service.url, sessionCookie: () => cookie });
  return {
    url: service.url,
    fake,
    prompts,
    runs,
    batches,
    cases,
    async close() {
      await service.close();
      await fake.close();
    },
  };
}
