ALTER TABLE "experiments" ADD COLUMN "namespace" text;--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "namespace_start" double precision;--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "namespace_end" double precision;--> statement-breakpoint
CREATE INDEX "experiments_project_id_namespace_index" ON "experiments" USING btree ("project_id","namespace");--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_namespace_range" CHECK (("experiments"."namespace" is null and "experiments"."namespace_start" is null and "experiments"."namespace_end" is null) or ("experiments"."namespace" is not null and "experiments"."namespace_start" >= 0 and "experiments"."namespace_start" < "experiments"."namespace_end" and "experiments"."namespace_end" <= 1));