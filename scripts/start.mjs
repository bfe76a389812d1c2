// `npm start`: the service (service/main.ts) from its prebuilt bundle, dist/start/main.mjs, which is
// built first when it is missing or a file it was made from changed (scripts/build/start-bundle.mjs).
// When it cannot be built (a folder it may not write, say), the service runs from its
// sources through tsx, as it always can: slower to start, the same service.
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { buildStartBundle, startBundleStaleness, START_BUNDLE } from './build/start-bundle.mjs';

// Opening the embedded database runs much of PostgreSQL (WebAssembly) once. With V8's default
// budget, the functions it runs get recompiled by the optimizing compiler (TurboFan) during the
// start: on 2 cores that took about 0.75 s of CPU of a 1.7 s start, and held the first request
// back about 0.2 s. With a budget 500 times larger a function is optimized only once it has run
// that much more: the start stays on the baseline compiler (Liftoff), and code a long-running
// service keeps running is still optimized. Set before PGlite compiles its module, which reads it.
setFlagsFromString('--wasm-tiering-budget=1000000000');

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
