ALTER TABLE "prompts" ADD COLUMN "display_name" text;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "scorers" jsonb;--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "file_evaluators" jsonb;