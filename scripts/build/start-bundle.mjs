// The service as one ES module for `npm start` (dist/start/main.mjs), built from the sources when
// they changed. Loading the service's ~800 modules through tsx's loader (resolved and transpiled on
// its own thread, one message each) was most of a warm start; Node loads this one file at once.
// Unlike the .vsix bundle (service-bundle.mjs) it is not minified (stack traces stay readable) and
// PGlite stays in node_modules, where it finds its WebAssembly and data files itself.
import { cpSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serviceBundle } from './service-bundle.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUT_DIR = join(ROOT, 'dist', 'start');
export const START_BUNDLE = join(OUT_DIR, 'main.mjs');
/** Every file the bundle was made from, with its size and modification time then. */
const INPUTS_FILE = join(OUT_DIR, 'inputs.json');
const MIGRATIONS = 'service/db/migrations';
// Besides the service's own files: how it is built (these two files and the tsconfig esbuild
// reads), and installs: npm rewrites its hidden lock file on every install that changes node_modules.
const ALSO_DEPENDS_ON = [
  'scripts/build/start-bundle.mjs',
  'scripts/build/service-bundle.mjs',
  'tsconfig.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
];

/** @type {import('esbuild').BuildOptions} */
const startBundle = {
  ...serviceBundle,
  absWorkingDir: ROOT,
  outfile: START_BUNDLE,
  external: [...(serviceBundle.external ?? []), '@electric-sql/pglite', '@electric-sql/pglite/*'],
  minify: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'error',
};

const fingerprint = (file) => {
  const stats = statSync(join(ROOT, file), { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.mtimeMs}` : 'missing';
};

/**
 * Why the bundle must be built again (a file it was made from changed, or it was never built), or
 * undefined when it is up to date. Only stats the files (about 120): a few milliseconds.
 */
export function startBundleStaleness() {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(INPUTS_FILE, 'utf8'));
    statSync(START_BUNDLE);
    statSync(join(OUT_DIR, 'migrations', 'meta', '_journal.json'));
  } catch {
    return 'not built yet';
  }
  for (const [file, print] of Object.entries(recorded.files)) {
    if (fingerprint(file) !== print) return `${file} changed`;
  }
  return undefined;
}

/** Builds dist/start/main.mjs with the migrations beside it, and records what it was made from. */
export async function buildStartBundle() {
  const esbuild = await import('esbuild');
  const startedAt = Date.now();
  mkdirSync(OUT_DIR, { recursive: true });
  // Written aside and renamed, so a service starting meanwhile never loads half a file.
  const partial = `${START_BUNDLE}.${process.pid}.partial`;
  let result;
  try {
    result = await esbuild.build({ ...startBundle, outfile: partial });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  // The migrator reads the folder next to the bundle (connect.ts: MIGRATIONS_FOLDER).
  const migrations = join(OUT_DIR, 'migrations');
  rmSync(migrations, { recursive: true, force: true });
  cpSync(join(ROOT, MIGRATIONS), migrations, { recursive: true, filter: (source) => !/_snapshot\.json$/.test(source) });
  renameSync(partial, START_BUNDLE);
  const inputs = [
    // Packages change only through npm, which the lock files below record: statting their ~700
    // files at every start would cost tens of milliseconds for nothing.
    ...Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/')),
    ...readdirSync(join(ROOT, MIGRATIONS), { recursive: true }).map((file) => join(MIGRATIONS, String(file))),
    ...ALSO_DEPENDS_ON,
  ].map((file) => relative(ROOT, resolve(ROOT, file)));
  const files = {};
  for (const file of inputs) {
    const print = fingerprint(file);
    // Changed while it was being built: whether the bundle has the old or the new text is unknown.
    files[file] = print !== 'missing' && statSync(join(ROOT, file)).mtimeMs >= startedAt ? 'changed during the build' : print;
  }
  writeFileSync(`${INPUTS_FILE}.${process.pid}.partial`, JSON.stringify({ files }, null, 1));
  renameSync(`${INPUTS_FILE}.${process.pid}.partial`, INPUTS_FILE);
  return START_BUNDLE;
}
