CREATE TABLE "installation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"one" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "installation_one_unique" UNIQUE("one"),
	CONSTRAINT "installation_single_row" CHECK ("installation"."one")
);
--> statement-breakpoint
INSERT INTO "installation" DEFAULT VALUES;
