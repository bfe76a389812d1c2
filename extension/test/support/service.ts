// Starts the real service in this process on a loopback port with a fresh embedded database,
// so the client is tested against what it will talk to, not against a mock of it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../../service/config.ts';
import { startService } from '../../../service/server.ts';

export const TEST_EMAIL = 'unit@example.com';
export const TEST_PASSWORD = 'unit-password';

export interface TestService {
  url: string;
  close(): Promise<void>;
}

/** `env` adds service settings (a model provider, say) to the loopback defaults. */
export async function startTestService(env: Record<string, string> = {}): Promise<TestService> {
  const dataDir = await mkdtemp(join(tmpdir(), 'promptrefine-ext-'));
  const service = await startService(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      PROMPTREFINE_DATA_DIR: dataDir,
      PROMPTREFINE_EMAIL: TEST_EMAIL,
      PROMPTREFINE_PASSWORD: TEST_PASSWORD,
      LOG_LEVEL: 'silent',
      ...env,
    }),
  );
  return {
    url: service.url,
    async close() {
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
