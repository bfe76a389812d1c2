// The real service in this process, calling the fake OpenAI server on loopback, with a signed-in
// session: what the run panel's host code talks to in production, minus the real provider.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../service/config.ts';
import { startService } from '../../../service/server.ts';
import { startFakeOpenAI, type FakeOpenAI } from '../../../tools/fake-openai/server.ts';
import { PromptRefineClient } from '../../api/client.ts';
import { RunsClient } from '../../api/runs.ts';
import { TEST_EMAIL, TEST_PASSWORD } from './service.ts';

export interface RunService {
  url: string;
  fake: FakeOpenAI;
  prompts: PromptRefineClient;
  runs: RunsClient;
  close(): Promise<void>;
}

export async function startRunService(): Promise<RunService> {
  const dataDir = await mkdtemp(join(tmpdir(), 'promptrefine-run-panel-'));
  const fake = await startFakeOpenAI({ apiKey: 'sk-test', tokenDelayMs: 5 });
  const service = await startService(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      PROMPTREFINE_DATA_DIR: dataDir,
      PROMPTREFINE_EMAIL: TEST_EMAIL,
      PROMPTREFINE_PASSWORD: TEST_PASSWORD,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.url,
      PROMPTREFINE_RUN_RETRY_BASE_MS: '10',
      LOG_LEVEL: 'silent',
    }),
  );
  let cookie: string | undefined;
  const prompts = new PromptRefineClient({ serviceUrl: service.url, sessionCookie: () => cookie });
  cookie = (await prompts.signIn(TEST_EMAIL, TEST_PASSWORD)).sessionCookie;
  const runs = new RunsClient({ serviceUrl: () => service.url, sessionCookie: () => cookie });
  return {
    url: service.url,
    fake,
    prompts,
    runs,
    async close() {
      await service.close();
      await fake.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
