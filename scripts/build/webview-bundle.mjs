// The run panel's bundle options, shared by esbuild.mjs and the test that holds its size budget
// (webview/test/bundle-budget.test.ts), so the test measures exactly what the .vsix ships.
// webview/main.ts runs in the webview's browser context (iife, no Node, no vscode module). Built
// always: a missing entry point fails the build instead of shipping an extension whose run panel
// is blank.

/** @param {boolean} production minified, without a source map @returns {import('esbuild').BuildOptions} */
export function webviewBundle(production) {
  return {
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'info',
  };
}
