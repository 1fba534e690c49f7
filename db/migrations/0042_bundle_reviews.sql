-- One review for a bundle release (issue 42): bundle_reviews names every member's version; each member
-- that changes gets its own review request (what its release plan reads), linked here; deciding one decides
-- all (lib/release/bundles/bundle-review-decide.ts).
CREATE TABLE "bundle_review_members" (
	"bundle_review_id" uuid NOT NULL,
	"review_id" uuid NOT NULL,
	CONSTRAINT "bundle_review_members_bundle_review_id_review_id_pk" PRIMARY KEY("bundle_review_id","review_id"),
	CONSTRAINT "bundle_review_members_reviewId_unique" UNIQUE("review_id")
);
--> statement-breakpoint
CREATE TABLE "bundle_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"bundle_id" uuid NOT NULL,
	"environment_id" uuid NOT NULL,
	"versions" jsonb NOT NULL,
	"deploy_on_approve" boolean DEFAULT true NOT NULL,
	"requested_by_label" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "bundle_review_members" ADD CONSTRAINT "bundle_review_members_bundle_review_id_bundle_reviews_id_fk" FOREIGN KEY ("bundle_review_id") REFERENCES "public"."bundle_reviews"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundle_review_members" ADD CONSTRAINT "bundle_review_members_review_id_review_requests_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."review_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundle_reviews" ADD CONSTRAINT "bundle_reviews_bundle_id_bundles_id_fk" FOREIGN KEY ("bundle_id") REFERENCES "public"."bundles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bundle_reviews" ADD CONSTRAINT "bundle_reviews_environment_id_environments_id_fk" FOREIGN KEY ("environment_id") REFERENCES "public"."environments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bundle_reviews_bundle_id_environment_id_index" ON "bundle_reviews" USING btree ("bundle_id","environment_id");