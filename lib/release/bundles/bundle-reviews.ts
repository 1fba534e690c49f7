// One review for a bundle release (docs/decisions/bundles.md). Requesting it reads every member's release plan for the
// versions under locks on all members (as a release does) and writes, in one transaction, a bundle review
// naming every member's version and one review request per member that changes, linked to it. Those rows
// are what each member's plan reads ("an approved review"), so the bundle release that an approval makes
// passes the same rules as any release; deciding any of them decides all (bundle-review-decide.ts).
import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import {
  bundleReviewMembers,
  bundleReviews,
  environments,
  reviewRequests,
  type BundleVersions,
} from "../../../db/schema";
import { AppError } from "../../errors";
import { withTx, type DomainContext } from "../../context";
import { promptNameSchema } from "../../registry/names";
import { versionNumber } from "../../number-params";
import { parseInput } from "../../validation";
import { assertCoversMembers, getBundleRow, lockMembers } from "./bundles";
import { environmentNameSchema, getEnvironmentRow } from "../environments";
import { planFor } from "../plan/plan-facts";
import type { ReleasePlan } from "../plan/plan";
import { responsibleUser, stepsBesidesReview } from "../reviews/reviews";
import { insertReviewRequest } from "../reviews/review-parts";
import { bundleReviewMembersOf } from "./bundle-review-decide";

export const requestBundleReviewInput = z.object({
  environment: environmentNameSchema,
  versions: z.record(promptNameSchema, versionNumber(), { error: "versions must map each member's name to a version" }),
  message: z.string().max(2000, { error: "message must be at most 2000 characters" }).default(""),
  deployOnApprove: z.boolean().default(true),
  /** Request it although approving could not release the bundle yet (members miss other steps). */
  acknowledgeMissing: z.boolean().default(false),
});

export type BundleReviewView = {
  id: string;
  bundle: string;
  environment: string;
  versions: BundleVersions;
  deployOnApprove: boolean;
  status: "pending" | "approved" | "rejected" | "cancelled";
  requestedBy: string;
  at: string;
  /** The member review requests, one per member the release changes. */
  reviews: { id: string; prompt: string; version: number; status: string }[];
};

/** A bundle's review as the API answers it (BundleReviewView). */
export const bundleReviewSchema = z.object({
  id: z.string(),
  bundle: z.string(),
  environment: z.string(),
  versions: z.record(z.string(), z.number().int()),
  deployOnApprove: z.boolean(),
  status: z.enum(["pending", "approved", "rejected", "cancelled"]),
  requestedBy: z.string(),
  at: z.iso.datetime({ offset: true }),
  reviews: z.array(z.object({ id: z.string(), prompt: z.string(), version: z.number().int(), status: z.string() })),
});

/** POST /api/v1/bundles/{name}/reviews: the review, and every member's release plan for its versions. */
export const requestBundleReviewResponse = z.object({
  review: bundleReviewSchema,
  plans: z.array(
    z.object({
      prompt: z.string(),
      plan: z.object({
        version: z.number().int(),
        live: z.number().int().nullable(),
        status: z.enum(["live", "ready", "blocked"]),
        missing: z.array(z.string()),
        summary: z.string(),
      }),
    }),
  ),
});

/** A bundle's review requested (requestBundleReview) as POST /api/v1/bundles/{name}/reviews answers it. */
export const requestedBundleReviewDto = <P>({ plans, ...review }: BundleReviewView & { plans: P }) => ({
  review,
  plans,
});

export async function requestBundleReview(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof requestBundleReviewInput>,
): Promise<BundleReviewView & { plans: { prompt: string; plan: ReleasePlan }[] }> {
  const data = parseInput(requestBundleReviewInput, input);
  const bundle = await getBundleRow(ctx.db, ctx.projectId, name);
  const env = await getEnvironmentRow(ctx.db, ctx.projectId, data.environment);
  assertCoversMembers(bundle, data.versions);
  const requestedBy = await responsibleUser(ctx);
  const id = await ctx.db.transaction(async (tx) => {
    await lockMembers(tx, bundle.members);
    const changing = await changingPlans(tx, bundle, env, data);
    await refuseTaken(tx, changing, env);
    return insertBundleReview(withTx(ctx, tx), bundle, env, data, changing, requestedBy);
  });
  const view = (await listBundleReviews(ctx.db, ctx.projectId, name, { id }))[0]!;
  const plans = [];
  for (const m of bundle.members)
    plans.push({ prompt: m.name, plan: await planFor(ctx.db, m, env, data.versions[m.name]!) });
  return { ...view, plans };
}

type Bundle = Awaited<ReturnType<typeof getBundleRow>>;
type Environment = Awaited<ReturnType<typeof getEnvironmentRow>>;
type RequestData = z.output<typeof requestBundleReviewInput>;
type MemberPlan = { prompt: string; id: string; plan: ReleasePlan };

/** Each member's plan for its version, under the members' locks; the members whose version would change. */
async function changingPlans(tx: Db, bundle: Bundle, env: Environment, data: RequestData): Promise<MemberPlan[]> {
  const plans: MemberPlan[] = [];
  for (const m of bundle.members)
    plans.push({ prompt: m.name, id: m.id, plan: await planFor(tx, m, env, data.versions[m.name]!) });
  const changing = plans.filter((p) => p.plan.status !== "live");
  if (!changing.length)
    throw new AppError(
      "conflict",
      `Every member of ${bundle.name} already serves those versions in ${env.name}: there is nothing to review.`,
      { field: "versions" },
    );
  const blocking = changing.flatMap((p) => stepsBesidesReview(p.plan).map((s) => `${p.prompt}: ${s.detail}`));
  if (data.deployOnApprove && blocking.length && !data.acknowledgeMissing)
    throw new AppError(
      "conflict",
      `An approval could not release ${bundle.name} to ${env.name} yet: ${blocking.join(" ")} Request the review anyway (acknowledgeMissing: true) to have it reviewed meanwhile, or do these first.`,
      {
        rule: "acknowledgeMissing",
        field: "acknowledgeMissing",
        plans: plans.map(({ prompt, plan }) => ({ prompt, plan })),
      },
    );
  return changing;
}

/** A member's version with a pending review for the environment already: decided or cancelled first. */
async function refuseTaken(tx: Db, changing: MemberPlan[], env: Environment) {
  const pending = await tx
    .select({ promptId: reviewRequests.promptId, version: reviewRequests.version })
    .from(reviewRequests)
    .where(
      and(
        inArray(
          reviewRequests.promptId,
          changing.map((p) => p.id),
        ),
        eq(reviewRequests.environmentId, env.id),
        eq(reviewRequests.status, "pending"),
      ),
    );
  const taken = changing.filter((p) => pending.some((r) => r.promptId === p.id && r.version === p.plan.version));
  if (taken.length)
    throw new AppError(
      "conflict",
      `${taken.map((p) => `${p.prompt} version ${p.plan.version}`).join(", ")} already ${taken.length === 1 ? "has" : "have"} a pending review for ${env.name}: decide or cancel it first.`,
      { prompts: taken.map((p) => p.prompt), environment: env.name },
    );
}

/** The bundle's review and one review request per changing member, each audited. */
async function insertBundleReview(
  ctx: DomainContext,
  bundle: Bundle,
  env: Environment,
  data: RequestData,
  changing: MemberPlan[],
  requestedBy: Awaited<ReturnType<typeof responsibleUser>>,
) {
  const tx = ctx.db;
  const [group] = await tx
    .insert(bundleReviews)
    .values({
      bundleId: bundle.id,
      environmentId: env.id,
      versions: data.versions,
      deployOnApprove: data.deployOnApprove,
      requestedByLabel: ctx.actor.label,
    })
    .returning();
  for (const p of changing) {
    const row = await insertReviewRequest(
      ctx,
      {
        prompt: { id: p.id, name: p.prompt },
        version: p.plan.version,
        environment: env,
        requestedBy,
        message: `Bundle ${bundle.name}${data.message ? `: ${data.message}` : ""}`,
        // The approval releases the bundle (bundle-review-decide.ts), never a member alone.
        deployOnApprove: false,
      },
      { bundle: bundle.name, bundleReview: group!.id },
    );
    await tx.insert(bundleReviewMembers).values({ bundleReviewId: group!.id, reviewId: row.id });
  }
  return group!.id;
}

/** The bundle's reviews, newest first (or the one with `id`), with their member requests. */
export async function listBundleReviews(
  db: Db,
  projectId: string,
  name: string,
  opts: { id?: string; limit?: number } = {},
): Promise<BundleReviewView[]> {
  const bundle = await getBundleRow(db, projectId, name);
  const groups = await db
    .select({ review: bundleReviews, environment: environments.name })
    .from(bundleReviews)
    .innerJoin(environments, eq(environments.id, bundleReviews.environmentId))
    .where(and(eq(bundleReviews.bundleId, bundle.id), opts.id ? eq(bundleReviews.id, opts.id) : undefined))
    .orderBy(desc(bundleReviews.createdAt))
    .limit(Math.min(opts.limit ?? 50, 200));
  if (!groups.length) return [];
  const members = await bundleReviewMembersOf(
    db,
    groups.map((g) => g.review.id),
  );
  return groups.map(({ review, environment }) => {
    const reviews = members
      .filter((m) => m.group === review.id)
      .map(({ id, prompt, version, status }) => ({ id, prompt, version, status }));
    return {
      id: review.id,
      bundle: bundle.name,
      environment,
      versions: review.versions,
      deployOnApprove: review.deployOnApprove,
      // Decided together, so every member has the same status.
      status: (reviews[0]?.status ?? "cancelled") as BundleReviewView["status"],
      requestedBy: review.requestedByLabel,
      at: review.createdAt.toISOString(),
      reviews,
    };
  });
}

/** GET /api/v1/bundles/{name}/reviews (listBundleReviews). */
export const bundleReviewListResponse = z.object({ reviews: z.array(bundleReviewSchema) });
