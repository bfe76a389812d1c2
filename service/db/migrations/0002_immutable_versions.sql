-- A prompt version, once written, is history: no route may change or remove it, and neither may
-- anything else that talks to the database. Restore writes a new version instead.
CREATE OR REPLACE FUNCTION promptrefine_refuse_version_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'prompt versions are immutable: % refused on prompt_versions', TG_OP
    USING ERRCODE = 'integrity_constraint_violation',
          HINT = 'Create a new version instead (POST /api/prompts/:id/versions or /restore).';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER prompt_versions_immutable_rows
  BEFORE UPDATE OR DELETE ON prompt_versions
  FOR EACH ROW EXECUTE FUNCTION promptrefine_refuse_version_change();
--> statement-breakpoint
CREATE TRIGGER prompt_versions_immutable_truncate
  BEFORE TRUNCATE ON prompt_versions
  FOR EACH STATEMENT EXECUTE FUNCTION promptrefine_refuse_version_change();
