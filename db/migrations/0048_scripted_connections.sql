-- The built-in scripted model (issue 58, item 7) as a connection kind: `scripted` answers in-process from
-- the prompt (lib/llm/scripted), so it has no base URL and no key; the demo project starts with one. Runs and
-- optimizations keep the name of the connection they were started on, so each says which model answered.
ALTER TABLE "model_connections" DROP CONSTRAINT "model_connections_provider";--> statement-breakpoint
ALTER TABLE "eval_runs" ADD COLUMN "connection_name" text;--> statement-breakpoint
ALTER TABLE "optimizations" ADD COLUMN "connection_name" text;--> statement-breakpoint
ALTER TABLE "model_connections" ADD CONSTRAINT "model_connections_scripted" CHECK ("model_connections"."provider" <> 'scripted' or ("model_connections"."base_url" is null and "model_connections"."api_key" is null));--> statement-breakpoint
ALTER TABLE "model_connections" ADD CONSTRAINT "model_connections_provider" CHECK ("model_connections"."provider" in ('openai', 'anthropic', 'openai-compatible', 'scripted'));