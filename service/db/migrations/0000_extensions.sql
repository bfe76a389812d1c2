-- Trigram matching for `GET /api/prompts?q=` (PGlite ships pg_trgm too; the service loads it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
