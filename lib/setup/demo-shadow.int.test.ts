// The demo's shadow evaluation and judge check: seeded through the real ingest, scoring, shadow and
// annotation paths with scripted models, so a newcomer opens the summarizer's online page and sees a
// candidate's significant paired loss and the judge's agreement with a person.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { judgeAgreement } from "../evaluation/online/rule-agreement";
import { getOnlineEvaluation } from "../evaluation/online/rules";
import { shadowComparison } from "../evaluation/online/shadow/shadow-read";
import { liveVersions } from "../release/deployments";
import { getPrompt } from "../registry/prompts";
import { bootstrap } from "./bootstrap";
import { demoAnnotatorEmail, demoShadowCase } from "./demo-shadow";
import { and, eq } from "drizzle-orm";
import { annotations, memberships } from "../../db/schema";
import { findUserByEmail } from "../auth/users";

let database: TestDatabase;
let projectId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  ({ projectId } = await bootstrap(database.db, {
    seedDemo: true,
    adminEmail: "admin@demo.test",
    adminPassword: "a-long-enough-password",
  }));
});
afterAll(async () => database?.drop());

describe("the demo's shadow evaluation", () => {
  it("shows version 2 of the summarizer significantly worse than live version 1, from the pairwise judge", async () => {
    const { db } = database;
    const c = await shadowComparison(db, projectId, "summarizer", "production", { version: 2 });
    expect(c.liveVersion).toBe(1);
    const [v2] = c.candidates;
    // 48 inputs: version 2 keeps the order count on every fourth (12), version 1 on all but every sixth (8).
    expect(v2).toMatchObject({ version: 2, n: 48, winsFrom: "judge", failed: 0, significantLoss: true });
    // The pairwise judge prefers the answer that keeps the order count: v1 keeps it except on every
    // sixth report, v2 only on every fourth; both or neither is a tie.
    const expected = { wins: 0, ties: 0, losses: 0 };
    for (let i = 0; i < 48; i++) {
      const v1 = i % 6 !== 0;
      const v2 = i % 4 === 0;
      if (v1 === v2) expected.ties++;
      else if (v2) expected.wins++;
      else expected.losses++;
    }
    expect(expected).toEqual({ wins: 4, ties: 12, losses: 32 });
    expect(v2).toMatchObject(expected);
    expect(v2!.verdict).toMatch(/^v2 is worse than live v1 on faithful by 58\.3 points \[39\.6, 77\.1\] \(48 inputs/);
    expect(v2!.latencyMsDiff).toBeLessThan(0);
    // The candidate's answer against the live one ($0.0002 vs $0.0006), without the judges' calls.
    expect(v2!.costUsdDiff).toBeCloseTo(-0.0004, 10);
    expect(v2!.pairs!.length).toBeGreaterThan(0);
    // Four calls per answer: the candidate, the rule's judge, and the pairwise judge in both orders.
    expect(c.budget).toMatchObject({ calls: 48 * 4, callsPerAnswer: 4, stopped: null });
    // The candidate answered off the user's path: production still serves version 1.
    const prompt = await getPrompt(db, projectId, "summarizer");
    const live = await liveVersions(db, projectId, prompt.id);
    expect(live.find((e) => e.environment === "production")!.live!.version).toBe(1);
  });

  it("has 36 labels from the seeded Demo annotator, who cannot sign in, and the judge's κ against them", async () => {
    const { db } = database;
    const labellers = await db
      .selectDistinct({ labeller: annotations.labellerName, userId: annotations.userId })
      .from(annotations)
      .where(eq(annotations.projectId, projectId));
    const annotator = await findUserByEmail(db, demoAnnotatorEmail);
    expect(labellers).toEqual([{ labeller: "Demo annotator", userId: annotator!.id }]);
    expect(annotator).toMatchObject({ name: "Demo annotator", passwordHash: null });
    const [member] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, annotator!.id)));
    expect(member).toEqual({ role: "editor" });
    const rule = await getOnlineEvaluation(db, projectId, "summarizer", "production");
    const [faithful] = (await judgeAgreement(db, projectId, rule.id)).judges;
    expect(faithful).toMatchObject({ scorer: "faithful", labels: 36, warning: null });
    // The judge misses the wrong fix date on every tenth report: those are its only disagreements.
    const slips = Array.from({ length: 48 }, (_, i) => i)
      .slice(12)
      .filter((i) => i % 10 === 3 && i % 6 !== 0).length;
    expect(faithful!.disagreements).toHaveLength(slips);
    expect(faithful!.disagreements.every((d) => d.human === 0 && d.judge === 1)).toBe(true);
    // People fail 10 of 36, the judge 6 (all among those 10): p_o = 32/36, p_e = (10·6 + 26·30)/36²,
    // κ = (p_o − p_e)/(1 − p_e) = 0.684.
    expect(faithful!.passFail!.confusion.counts).toEqual([
      [6, 4],
      [0, 26],
    ]);
    const po = 32 / 36;
    const pe = (10 * 6 + 26 * 30) / 36 ** 2;
    expect(faithful!.passFail!.kappa).toBeCloseTo((po - pe) / (1 - pe), 10);
    expect(demoShadowCase(3).faithful).toBe(false);
  });
});
