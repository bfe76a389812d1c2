// `npm start`: the service (service/main.ts) from its prebuilt bundle, dist/start/main.mjs, which is
// built first when it is missing or a file it was made from changed (scripts/build/start-bundle.mjs).
// When it cannot be built (no esbuild, a folder it may not write), the service runs from its
// sources through tsx, as it always can: slower to start, the same service.
import { pathToFileURL } from 'node:url';
import { buildStartBundle, startBundleStaleness, START_BUNDLE } from './build/start-bundle.mjs';

async function runFromSources(why) {
  process.stderr.write(`PromptRefine: ${why}; starting from the sources through tsx instead.\n`);
  const { register } = await import('tsx/esm/api');
  register();
  await import('../service/main.ts');
}

const stale = startBundleStaleness();
let bundle = START_BUNDLE;
if (stale) {
  // Said on stderr, so stdout keeps only what the service prints (scripts wait for its URL there).
  process.stderr.write(`PromptRefine: building the service for npm start (${stale})…\n`);
  const startedAt = performance.now();
  try {
    bundle = await buildStartBundle();
    process.stderr.write(`PromptRefine: built dist/start/main.mjs in ${((performance.now() - startedAt) / 1000).toFixed(1)} s.\n`);
  } catch (error) {
    bundle = undefined;
    await runFromSources(`could not build the service (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`);
  }
}
if (bundle) await import(pathToFileURL(bundle).href);
