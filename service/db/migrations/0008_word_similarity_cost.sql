-- Title search (GET /api/prompts?q=) matches `q <% title` (pg_trgm word similarity) or ILIKE. Both
-- can use prompts_title_trgm_idx, but pg_trgm declares word similarity as cheap as `=` (cost 1), so
-- on a few thousand prompts the planner reads the whole table and computes it on every title
-- (80 ms at 10,000 prompts) instead of asking the index (10 ms). Its real cost, a few microseconds a
-- row, is about 100 times an ordinary operator: said here, the planner picks the index. Only the
-- plan changes, never an answer. A database whose pg_trgm belongs to another role (installed by an
-- administrator) keeps the default: the search is slower there, never broken.
DO $$
BEGIN
  ALTER FUNCTION word_similarity_op(text, text) COST 100;
  ALTER FUNCTION word_similarity_commutator_op(text, text) COST 100;
EXCEPTION WHEN insufficient_privilege OR undefined_function THEN
  RAISE NOTICE 'pg_trgm word similarity keeps its default cost: %', SQLERRM;
END
$$;
