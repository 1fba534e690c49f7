// Bandits reweight as they learn, but a subject must keep the variant of its first exposure: the
// first assignment is stored (experiment_assignments) and reused in every later phase, on every
// instance. Reads are cached per process (an assignment never changes).
import { and, eq } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import type { Db } from "../../db/client";
import { experimentAssignments } from "../../db/schema";
import { compileAssignment, type Namespace } from "./assign";

export type StickyExperiment = {
  id: string;
  phase: number;
  seed: string;
  coverage: number;
  namespace?: Namespace | null;
  variants: readonly { key: string; weight: number }[];
};

export class StickyAssignments {
  private readonly known = new LRUCache<string, string>({ max: 200_000 });

  constructor(private readonly db: () => Db) {}

  /** The subject's variant, assigning it with the current phase the first time; null outside coverage. */
  async variantFor(e: StickyExperiment, subject: string): Promise<string | null> {
    const key = `${e.id}\u0000${subject}`;
    const cached = this.known.get(key);
    if (cached !== undefined) return cached;
    const db = this.db();
    const stored = await this.read(db, e.id, subject);
    if (stored) return this.remember(key, stored);
    const a = compileAssignment(e)(subject);
    if (!a) return null; // outside coverage or the namespace share: the control, nothing stored (coverage may grow later)
    const [inserted] = await db
      .insert(experimentAssignments)
      .values({ experimentId: e.id, subject, variantKey: a.key, phase: e.phase })
      .onConflictDoNothing()
      .returning({ variant: experimentAssignments.variantKey });
    return this.remember(key, inserted?.variant ?? (await this.read(db, e.id, subject)) ?? a.key);
  }

  private async read(db: Db, experimentId: string, subject: string): Promise<string | undefined> {
    const [row] = await db
      .select({ variant: experimentAssignments.variantKey })
      .from(experimentAssignments)
      .where(and(eq(experimentAssignments.experimentId, experimentId), eq(experimentAssignments.subject, subject)));
    return row?.variant;
  }

  private remember(key: string, variant: string) {
    this.known.set(key, variant);
    return variant;
  }
}
