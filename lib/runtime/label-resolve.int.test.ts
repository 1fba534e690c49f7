// Resolve by version label: the labeled version through the same cache as a version pin, dropped on every
// instance when the label moves; refusals; what a key limited to environments may read; and a label moved
// while an experiment runs on an environment changes nothing that environment serves.
import { describe, expect, it } from "vitest";
import { code, failure } from "../../test/domain-fixtures";
import { base } from "../../test/experiments-fixture";
import { f, promptWith, t, withReleaseDatabase } from "../../test/release-fixture";
import { createExperiment, getExperiment } from "../experiments/store";
import { startExperiment } from "../experiments/lifecycle";
import { deleteVersions } from "../registry/deletions";
import { getPrompt } from "../registry/prompts";
import { promoteVersion } from "../release/promote";
import { setVersionLabel } from "../release/version-labels/version-labels";
import { InvalidationBus } from "./bus";
import { TwoLayerCache } from "./cache";
import { assertKeyMayRead } from "./key-limits";
import type { ResolvedPrompt } from "./load";
import { peekResolved, resolvePrompt, resolveQuery } from "./resolve";
import { MemoryStore } from "./shared-store";

withReleaseDatabase("label-resolve");

/** An instance: its prompt cache and bus, on the store every instance shares. */
async function instance(store: MemoryStore) {
  const opts = { l1TtlMs: 60_000, l1Max: 100, l2TtlSeconds: 30 };
  const prompts = new TwoLayerCache<ResolvedPrompt>("prompt", store, opts);
  const keys = new TwoLayerCache<{ id: string }>("apikey", store, opts);
  const bus = new InvalidationBus(store, { prompts, keys });
  await bus.start();
  return { prompts, bus };
}

const q = (name: string, extra: Record<string, unknown>) => resolveQuery.parse({ name, ...extra });

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("resolve by version label", () => {
  it("answers the labeled version from the cache, and every instance drops it when the label moves", async () => {
    await promptWith("rl", 3);
    await setVersionLabel(f.ctx(f.editor), "rl", "v1.2", 1);
    const store = new MemoryStore();
    const [a, b] = [await instance(store), await instance(store)];
    const byLabel = q("rl", { label: "v1.2" });
    for (const i of [a, b]) {
      const first = await resolvePrompt({ db: t.db, cache: i.prompts }, f.projectId, byLabel);
      expect([first.resolved.version, first.resolved.pinned, first.layer]).toEqual([1, true, "origin"]);
      expect(peekResolved(i.prompts, f.projectId, byLabel)?.version).toBe(1); // the fast path's hit
    }
    // A version pin and the label are separate entries.
    expect(peekResolved(a.prompts, f.projectId, q("rl", { version: 1 }))).toBeUndefined();
    await setVersionLabel(f.ctx(f.editor, a.bus), "rl", "v1.2", 3);
    expect(peekResolved(a.prompts, f.projectId, byLabel)).toBeUndefined(); // the changer's instance at once
    await until(() => peekResolved(b.prompts, f.projectId, byLabel) === undefined, "the other instance to drop it");
    for (const i of [a, b])
      expect((await resolvePrompt({ db: t.db, cache: i.prompts }, f.projectId, byLabel)).resolved.version).toBe(3);
    expect(
      (await resolvePrompt({ db: t.db, cache: a.prompts }, f.projectId, q("rl", { label: "latest" }))).resolved.version,
    ).toBe(3);
  });

  it("refuses a label with a version or an instant, an environment's name, and one that names nothing", async () => {
    await promptWith("rl-bad", 2);
    await setVersionLabel(f.ctx(f.editor), "rl-bad", "ok", 2);
    const cache = new TwoLayerCache<ResolvedPrompt>("p", null, { l1TtlMs: 1000, l1Max: 10, l2TtlSeconds: 1 });
    const r = (extra: Record<string, unknown>) => resolvePrompt({ db: t.db, cache }, f.projectId, q("rl-bad", extra));
    expect(await code(r({ label: "ok", version: 1 }))).toBe("invalid_input");
    expect(await code(r({ label: "ok", at: new Date().toISOString() }))).toBe("invalid_input");
    const env = await failure(r({ label: "staging" }));
    expect([env.code, env.message]).toEqual(["invalid_input", expect.stringContaining("ask for environment=staging")]);
    expect(await code(r({ label: "nope" }))).toBe("not_found");
    // A wrong environment's name is answered with the names there are.
    expect((await failure(r({ environment: "prod" }))).message).toBe(
      "No environment named prod. This project has: development, staging, production.",
    );
    expect(() => q("rl-bad", { label: "Bad Label" })).toThrow();
    // A label whose version was deleted finds nothing.
    await deleteVersions(f.ctx(f.admin), await getPrompt(t.db, f.projectId, "rl-bad"), [2], "test");
    expect(await code(r({ label: "ok" }))).toBe("not_found");
  });

  it("a key limited to environments reads a version label only when its version was live there", async () => {
    await promptWith("rl-key", 2);
    await setVersionLabel(f.ctx(f.editor), "rl-key", "candidate", 2);
    const limited = ["staging"];
    const may = (extra: Record<string, unknown>) =>
      code(assertKeyMayRead(t.db, f.projectId, limited, { name: "rl-key", ...extra }));
    expect(await may({ environment: "staging", label: "candidate" })).toBe("forbidden"); // never released there
    expect(await may({ label: "latest" })).toBe("forbidden");
    await promoteVersion(f.ctx(f.approver), "rl-key", { environment: "staging", version: 2 });
    expect(await may({ environment: "staging", label: "candidate" })).toBe("ok");
    expect(await may({ label: "candidate" })).toBe("ok"); // Langfuse's GET: no environment asked
    expect(await may({ environment: "production", label: "candidate" })).toBe("forbidden"); // not its environment
    expect(await may({ label: "production" })).toBe("forbidden"); // an environment not its own
    expect(await may({ label: "staging" })).toBe("ok");
  });

  it("a label moved while an experiment runs on an environment changes nothing that environment serves", async () => {
    await promptWith("rl-exp", 3);
    await promoteVersion(f.ctx(f.approver), "rl-exp", { environment: "staging", version: 1 });
    const e = await createExperiment(f.ctx(f.approver), base("rl-exp", { name: "Labels aside" }));
    await startExperiment(f.ctx(f.approver), e.id);
    const cache = new TwoLayerCache<ResolvedPrompt>("p", null, { l1TtlMs: 1, l1Max: 10, l2TtlSeconds: 1 });
    const staging = async () =>
      (await resolvePrompt({ db: t.db, cache }, f.projectId, q("rl-exp", { environment: "staging" }))).resolved;
    const before = await staging();
    await setVersionLabel(f.ctx(f.editor), "rl-exp", "beta", 2);
    await setVersionLabel(f.ctx(f.editor), "rl-exp", "beta", 3);
    const after = await staging();
    expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("running");
    expect([after.version, after.experiment?.id, after.experiment?.phase]).toEqual([
      before.version,
      before.experiment?.id,
      before.experiment?.phase,
    ]);
    expect(after.experiment?.variants).toEqual(before.experiment?.variants);
  });
});
