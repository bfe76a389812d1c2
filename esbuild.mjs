// Builds the extension's bundles into dist/. `node esbuild.mjs` builds once; `--watch` rebuilds on change.
// The service bundle (dist/service/main.mjs with PGlite's files) is built too: the .vsix carries it,
// and the extension starts it when no service URL is set.
import * as esbuild from 'esbuild';
import { copyServiceAssets, serviceBundle } from './scripts/build/service-bundle.mjs';
import { webviewBundle } from './scripts/build/webview-bundle.mjs';

const watch = process.argv.includes('--watch');
const production = !watch;

/** @type {esbuild.BuildOptions[]} */
const bundles = [
  {
    // Extension host code. The root package is "type": "module", so a CommonJS bundle must be .cjs.
    entryPoints: ['extension/extension.ts'],
    outfile: 'dist/extension.cjs',
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
    // When the bundle starts evaluating, so activation can report how long loading and activate() took.
    banner: { js: 'globalThis.__promptrefineLoadStart = performance.now();' },
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
  },
  webviewBundle(production),
  serviceBundle,
];

copyServiceAssets();
if (watch) {
  const contexts = await Promise.all(bundles.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(bundles.map((options) => esbuild.build(options)));
}
