// How long Node takes to load the extension's bundle (read, compile, evaluate dist/extension.cjs),
// the part of activation that runs before activate() and that the extension cannot time itself.
// Each sample is a fresh Node process (nothing cached), with a stand-in `vscode` module that
// answers every name the bundle uses; activate() itself is timed by the extension in a real
// workbench (the local-service e2e).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { summarize, type Summary } from './stats.ts';

const STAND_IN = `
const src = require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', 'extension.cjs'), 'utf8');
const any = new Proxy(function () {}, { get: (_t, k) => (k === 'prototype' ? {} : any), apply: () => any, construct: () => any });
const out = {};
for (const [, name] of src.matchAll(/\\.([A-Z][A-Za-z]+)\\b/g)) out[name] = class { constructor() { return any; } };
for (const name of ['window', 'workspace', 'commands', 'env', 'languages', 'extensions', 'Uri']) out[name] = any;
module.exports = out;
`;

const PROBE = `
const started = performance.now();
require('./extension.cjs');
process.stdout.write(JSON.stringify({ total: performance.now() - started, evaluation: performance.now() - globalThis.__promptrefineLoadStart }));
`;

export async function measureExtensionLoad(samples: number): Promise<{ total: Summary; evaluation: Summary }> {
  const bundle = resolve(import.meta.dirname, '..', 'dist', 'extension.cjs');
  readFileSync(bundle); // fails clearly when `npm run build` has not run
  const dir = mkdtempSync(join(tmpdir(), 'promptrefine-bench-load-'));
  try {
    cpSync(bundle, join(dir, 'extension.cjs'));
    mkdirSync(join(dir, 'node_modules', 'vscode'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'vscode', 'index.js'), STAND_IN);
    writeFileSync(join(dir, 'probe.cjs'), PROBE);
    const total: number[] = [];
    const evaluation: number[] = [];
    for (let i = 0; i < samples; i++) {
      const figures = JSON.parse(execFileSync(process.execPath, [join(dir, 'probe.cjs')], { cwd: dir, encoding: 'utf8' })) as { total: number; evaluation: number };
      total.push(figures.total);
      evaluation.push(figures.evaluation);
    }
    return { total: summarize(total), evaluation: summarize(evaluation) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
