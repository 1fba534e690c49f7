// What a prompt says it composed (docs/decisions/compositions.md): the server's composition, and the partials key
// events and spans carry.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { goodKey, startFakeLectern, type FakeLectern } from "../test/fake-server";
import { createClient } from "./client";
import type { LecternClient } from "./types";

let fake: FakeLectern;
let c: LecternClient;
beforeEach(async () => {
  fake = await startFakeLectern();
  c = createClient({ baseUrl: fake.url, apiKey: goodKey, push: false, pollIntervalMs: 0 });
});
afterEach(async () => {
  await c.close();
  await fake.close();
});

describe("composition", () => {
  it("names the composition's partials when the server said what it composed", async () => {
    const composition = {
      prompt: { name: "composed", version: 4 },
      partials: [
        { name: "shared/tone", version: 2 },
        { name: "shared/legal", version: 7 },
      ],
    };
    fake.serve({ name: "composed", version: 4, composition });
    const p = await c.getPrompt("composed");
    expect(p.composition).toEqual(composition);
    expect(p.telemetry()["lectern.prompt.partials"]).toBe("shared/legal@7,shared/tone@2");
    expect(p.eventFields("u1").partials).toBe("shared/legal@7,shared/tone@2");
  });

  it("is null when the server did not say (an older server)", async () => {
    fake.serve({ name: "old", version: 1 });
    const p = await c.getPrompt("old");
    expect([p.composition, p.eventFields("u").partials, p.telemetry()["lectern.prompt.partials"]]).toEqual([
      null,
      undefined,
      undefined,
    ]);
  });
});
