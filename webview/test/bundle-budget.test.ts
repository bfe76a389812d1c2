// The run panel's bundle stays lean: built exactly as the .vsix ships it (minified), it must fit the
// budget in scripts/release/budgets.json (150 KB) and carry no zod. Validation belongs to the host,
// which checks every message both ways; the webview imports only types from the protocol.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { webviewBundle } from '../../scripts/build/webview-bundle.mjs';

const budgets = JSON.parse(readFileSync(new URL('../../scripts/release/budgets.json', import.meta.url), 'utf8')) as { webviewBundleBytes: number };

describe('webview bundle', () => {
  let bytes = 0;
  let inputs: Record<string, { bytesInOutput: number }> = {};

  before(async () => {
    const result = await esbuild.build({ ...webviewBundle(true), write: false, metafile: true, logLevel: 'silent' });
    const [output] = Object.values(result.metafile.outputs).filter((o) => o.entryPoint);
    assert.ok(output, 'the build has its entry point');
    bytes = result.outputFiles.find((f) => f.path.endsWith('webview.js'))?.contents.length ?? 0;
    inputs = output.inputs;
  });

  it(`fits its budget minified (${budgets.webviewBundleBytes.toLocaleString('en')} bytes)`, () => {
    const largest = Object.entries(inputs)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 8)
      .map(([path, input]) => `${path.replace(/^.*node_modules\//, '')} ${input.bytesInOutput}`);
    assert.ok(bytes > 10_000, `a real bundle was built (${bytes} bytes)`);
    assert.ok(bytes <= budgets.webviewBundleBytes, `the webview bundle is ${bytes} bytes, over its budget of ${budgets.webviewBundleBytes}; largest parts: ${largest.join(', ')}`);
  });

  it('carries no zod and no schema of the contract (the host validates)', () => {
    const heavy = Object.keys(inputs).filter((path) => /node_modules\/zod\//.test(path) || /contract\/(index|common|test-runs|prompts|models)\.ts$/.test(path));
    assert.deepEqual(heavy, []);
  });
});
