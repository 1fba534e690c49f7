DROP TABLE "experiment_assignments" CASCADE;--> statement-breakpoint
DROP TABLE "experiment_variants" CASCADE;--> statement-breakpoint
DROP TABLE "experiment_weight_history" CASCADE;--> statement-breakpoint
DROP TABLE "experiments" CASCADE;--> statement-breakpoint
DROP TABLE "metric_events" CASCADE;--> statement-breakpoint
DROP TYPE "public"."experiment_kind";--> statement-breakpoint
DROP TYPE "public"."experiment_status";