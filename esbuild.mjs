// Builds the extension's bundles into dist/. `node esbuild.mjs` builds once; `--watch` rebuilds on change.
import { existsSync } from 'node:fs';
import * as esbuild from 'esbuild';

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
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
  },
];

// ---- Webview bundle (the run panel, next issue) -------------------------------------------------
// webview/main.ts runs in the webview's browser context: iife, no Node, no vscode module.
// Skipped until the file exists, so the extension builds before the webview is written.
if (existsSync('webview/main.ts')) {
  bundles.push({
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
  });
}
// --------------------------------------------------------------------------------------------------

if (watch) {
  const contexts = await Promise.all(bundles.map((options) => esbuild.context(options)));
  await Promise.all(contexts.map((context) => context.watch()));
} else {
  await Promise.all(bundles.map((options) => esbuild.build(options)));
}
