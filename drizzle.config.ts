import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: the service applies migrations itself at start, on both databases
// (migrate() in service/db/connect.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './service/db/schema.ts',
  out: './service/db/migrations',
});
