CREATE TABLE "batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"prompt_id" uuid NOT NULL,
	"request" jsonb NOT NULL,
	"cases" jsonb NOT NULL,
	"total" integer NOT NULL,
	"idempotency_key" text,
	"request_hash" text NOT NULL,
	"canceled_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "test_cases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"prompt_id" uuid NOT NULL,
	"name" text NOT NULL,
	"input_variables" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"input" text,
	"expectations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "test_cases_name_not_blank" CHECK (length(btrim("test_cases"."name")) > 0)
);
--> statement-breakpoint
ALTER TABLE "test_runs" ADD COLUMN "batch_id" uuid;--> statement-breakpoint
ALTER TABLE "test_runs" ADD COLUMN "case_id" uuid;--> statement-breakpoint
ALTER TABLE "test_runs" ADD COLUMN "repeat" integer;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "test_cases" ADD CONSTRAINT "test_cases_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "batches_prompt_created_idx" ON "batches" USING btree ("prompt_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "batches_created_idx" ON "batches" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "batches_idempotency_key_idx" ON "batches" USING btree ("idempotency_key") WHERE "batches"."idempotency_key" is not null;--> statement-breakpoint
CREATE INDEX "test_cases_prompt_created_idx" ON "test_cases" USING btree ("prompt_id","created_at","id") WHERE "test_cases"."deleted_at" is null;--> statement-breakpoint
CREATE INDEX "test_runs_batch_idx" ON "test_runs" USING btree ("batch_id") WHERE "test_runs"."batch_id" is not null;