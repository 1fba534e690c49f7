CREATE TABLE "shadow_budgets" (
	"rule_id" uuid NOT NULL,
	"day" date NOT NULL,
	"calls" integer DEFAULT 0 NOT NULL,
	"cost_usd" double precision DEFAULT 0 NOT NULL,
	"held_calls" integer DEFAULT 0 NOT NULL,
	"held_cost_usd" double precision DEFAULT 0 NOT NULL,
	"refused_cost_usd" double precision,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shadow_budgets_rule_id_day_pk" PRIMARY KEY("rule_id","day"),
	CONSTRAINT "shadow_budgets_non_negative" CHECK ("shadow_budgets"."calls" >= 0 and "shadow_budgets"."held_calls" >= 0 and "shadow_budgets"."held_cost_usd" >= 0)
);
--> statement-breakpoint
ALTER TABLE "shadow_budgets" ADD CONSTRAINT "shadow_budgets_rule_id_online_eval_rules_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."online_eval_rules"("id") ON DELETE cascade ON UPDATE no action;