CREATE TABLE "templates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"type" text DEFAULT 'user' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"content" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"source_version_id" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "templates_type_check" CHECK ("templates"."type" in ('user', 'system')),
	CONSTRAINT "templates_title_not_blank" CHECK (length(btrim("templates"."title")) > 0)
);
--> statement-breakpoint
ALTER TABLE "templates" ADD CONSTRAINT "templates_source_version_id_prompt_versions_id_fk" FOREIGN KEY ("source_version_id") REFERENCES "public"."prompt_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "templates_created_idx" ON "templates" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);