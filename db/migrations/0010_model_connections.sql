CREATE TABLE "model_connections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"name" text NOT NULL,
	"provider" text NOT NULL,
	"base_url" text,
	"api_key" text,
	"api_key_hint" text,
	"api_key_header" text DEFAULT 'authorization' NOT NULL,
	"query_params" jsonb,
	"default_model" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"concurrency" integer DEFAULT 4 NOT NULL,
	"timeout_ms" integer DEFAULT 60000 NOT NULL,
	"max_retries" integer DEFAULT 3 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_connections_project_name" UNIQUE("project_id","name"),
	CONSTRAINT "model_connections_provider" CHECK ("model_connections"."provider" in ('openai', 'anthropic', 'openai-compatible')),
	CONSTRAINT "model_connections_base_url" CHECK ("model_connections"."provider" <> 'openai-compatible' or "model_connections"."base_url" is not null),
	CONSTRAINT "model_connections_key_header" CHECK ("model_connections"."api_key_header" in ('authorization', 'api-key', 'x-api-key')),
	CONSTRAINT "model_connections_limits" CHECK ("model_connections"."concurrency" between 1 and 256 and "model_connections"."timeout_ms" between 1 and 3600000 and "model_connections"."max_retries" between 0 and 10),
	CONSTRAINT "model_connections_name" CHECK (length("model_connections"."name") between 1 and 100),
	CONSTRAINT "model_connections_key_encrypted" CHECK ("model_connections"."api_key" is null or "model_connections"."api_key" like 'v1.%')
);
--> statement-breakpoint
CREATE TABLE "model_prices" (
	"project_id" uuid NOT NULL,
	"model" text NOT NULL,
	"input_per_m_tok" double precision NOT NULL,
	"output_per_m_tok" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "model_prices_project_id_model_pk" PRIMARY KEY("project_id","model"),
	CONSTRAINT "model_prices_non_negative" CHECK ("model_prices"."input_per_m_tok" >= 0 and "model_prices"."output_per_m_tok" >= 0 and "model_prices"."input_per_m_tok" <= 10000 and "model_prices"."output_per_m_tok" <= 10000)
);
--> statement-breakpoint
ALTER TABLE "model_connections" ADD CONSTRAINT "model_connections_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_connections" ADD CONSTRAINT "model_connections_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "model_connections_one_default" ON "model_connections" USING btree ("project_id") WHERE "model_connections"."is_default";