// Exits 0 when the PostgreSQL at the given URL answers `select 1`, else prints why and exits 1.
// Used by scripts/test/prerequisites.sh, so that it needs no psql client.
import pg from 'pg';

const client = new pg.Client({ connectionString: process.argv[2], connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.query('select 1');
  await client.end();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
