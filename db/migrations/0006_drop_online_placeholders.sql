DROP TABLE "alerts" CASCADE;--> statement-breakpoint
DROP TABLE "online_eval_configs" CASCADE;--> statement-breakpoint
DROP TABLE "online_scores" CASCADE;--> statement-breakpoint
DROP TABLE "production_samples" CASCADE;--> statement-breakpoint
DROP TYPE "public"."alert_severity";