import { defineConfig } from 'drizzle-kit';

// Only `generate` is used: migrations are applied by the service itself at start (service/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './service/db/schema.ts',
  out: './service/db/migrations',
});
