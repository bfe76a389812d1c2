CREATE TABLE "sign_in_attempts" (
	"email_key" text PRIMARY KEY NOT NULL,
	"attempts" integer NOT NULL,
	"blocked_until" timestamp (3) with time zone NOT NULL,
	"last_attempt_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "sign_in_attempts_last_attempt_idx" ON "sign_in_attempts" USING btree ("last_attempt_at");