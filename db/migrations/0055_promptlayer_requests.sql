CREATE TABLE "promptlayer_requests" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "promptlayer_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"prompt_id" uuid,
	"version" integer,
	"environment" text,
	"facts" jsonb NOT NULL,
	"event_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promptlayer_requests_version" CHECK (("promptlayer_requests"."prompt_id" is null) = ("promptlayer_requests"."version" is null)),
	CONSTRAINT "promptlayer_requests_event" CHECK ("promptlayer_requests"."event_id" is null or "promptlayer_requests"."prompt_id" is not null)
);
--> statement-breakpoint
ALTER TABLE "promptlayer_requests" ADD CONSTRAINT "promptlayer_requests_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promptlayer_requests" ADD CONSTRAINT "promptlayer_requests_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "promptlayer_requests_project_id_created_at_index" ON "promptlayer_requests" USING btree ("project_id","created_at");