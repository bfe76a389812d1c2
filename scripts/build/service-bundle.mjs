// The service as one Node ES module for the .vsix (dist/service/main.mjs), which the extension
// starts with VS Code's own Node when no service URL is set. esbuild bundles the code; what the
// code loads at run time by URL next to itself is copied beside it: PGlite's WebAssembly and data
// files, the pg_trgm extension, and the migrations.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const OUT_DIR = 'dist/service';

/** @type {import('esbuild').BuildOptions} */
export const serviceBundle = {
  entryPoints: ['service/main.ts'],
  outfile: join(OUT_DIR, 'main.mjs'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Some bundled CommonJS packages call require() for Node's own modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // pg's optional native binding is never installed; it is only tried when asked for.
  external: ['pg-native'],
  minify: true,
  legalComments: 'linked',
  logLevel: 'info',
};

/** Builds the bundle and copies its files: what `npm run build` does for the service. */
export async function buildServiceBundle() {
  const esbuild = await import('esbuild');
  await esbuild.build({ ...serviceBundle, logLevel: 'warning' });
  copyServiceAssets();
  return join(OUT_DIR, 'main.mjs');
}

/** Copies the files the bundle opens by URL relative to itself. */
export function copyServiceAssets() {
  const pglite = dirname(require.resolve('@electric-sql/pglite'));
  rmSync(join(OUT_DIR, 'migrations'), { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  for (const file of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) cpSync(join(pglite, file), join(OUT_DIR, file));
  // pg_trgm's loader asks for `../pg_trgm.tar.gz` relative to its own (now bundled) module.
  cpSync(join(pglite, 'pg_trgm.tar.gz'), join(dirname(OUT_DIR), 'pg_trgm.tar.gz'));
  // The migrator reads the journal and the SQL; drizzle-kit's snapshots only serve writing new migrations.
  cpSync('service/db/migrations', join(OUT_DIR, 'migrations'), { recursive: true, filter: (source) => !/_snapshot\.json$/.test(source) });
}
