DROP INDEX "test_runs_status_idx";--> statement-breakpoint
ALTER TABLE "test_runs" ADD COLUMN "worker_id" text;--> statement-breakpoint
ALTER TABLE "test_runs" ADD COLUMN "heartbeat_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "test_runs_output_trgm_idx" ON "test_runs" USING gin ("output" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "test_runs_status_idx" ON "test_runs" USING btree ("status","created_at") WHERE "test_runs"."status" in ('queued', 'running');