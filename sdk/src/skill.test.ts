// getSkill reads a skill's files as resolve answers them (type "skill", files, no template), refuses a prompt
// (getPrompt reads those) and bad options, and never caches; prefetch and getBundle set skills apart.
import { describe, expect, it } from "vitest";
import { createClient } from "./client";
import { LecternError } from "./errors";

const files = { "SKILL.md": "---\nname: refunds\ndescription: d\n---\nBody\n", "references/guide.md": "Guide\r\n" };
const skillAnswer = (version: number) => ({
  name: "support/refunds",
  version,
  environment: "production",
  type: "skill",
  files,
  variables: [],
  config: {},
  partials: {},
  pinned: false,
  liveSince: null,
  experiment: null,
  rollout: null,
  subjectDependent: false,
  subject: null,
  resolvedAt: "2026-01-01T00:00:00.000Z",
});
const textAnswer = { ...skillAnswer(1), name: "greeting", type: "text", template: "Hi", files: undefined };

function client(answer: (url: URL) => unknown) {
  const urls: URL[] = [];
  const c = createClient({
    baseUrl: "http://lectern.test",
    apiKey: "lk_rt_x",
    push: false,
    pollIntervalMs: 0,
    onError: () => {},
    fetch: async (input) => {
      const url = new URL(String(input));
      urls.push(url);
      return new Response(JSON.stringify(answer(url)), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    },
  });
  return { c, urls };
}

describe("getSkill", () => {
  it("answers the files as stored, for the client's environment or the one given, each time from the server", async () => {
    let version = 1;
    const { c, urls } = client(() => skillAnswer(version));
    const s = await c.getSkill("support/refunds");
    expect(s).toEqual({
      name: "support/refunds",
      folder: "refunds",
      version: 1,
      environment: "production",
      liveSince: null,
      files,
    });
    expect(Object.isFrozen(s.files)).toBe(true);
    version = 2;
    expect((await c.getSkill("support/refunds", { environment: "staging", version: 2 })).version).toBe(2);
    expect(urls.map((u) => [u.pathname, u.searchParams.get("environment"), u.searchParams.get("version")])).toEqual([
      ["/api/v1/prompts/resolve", "production", null],
      ["/api/v1/prompts/resolve", "staging", "2"],
    ]);
    await c.close();
  });

  it("refuses a prompt, and bad options, in words", async () => {
    const { c } = client(() => textAnswer);
    await expect(c.getSkill("greeting")).rejects.toThrow(/greeting is a text prompt, not a skill: getPrompt reads it/);
    await expect(c.getSkill("")).rejects.toBeInstanceOf(LecternError);
    await expect(c.getSkill("x", { version: 0 })).rejects.toThrow(/version/);
    await c.close();
  });

  it("prefetch names a skill among its errors instead of caching it", async () => {
    const { c } = client(() => ({
      prompts: [
        { ...textAnswer, etag: null },
        { ...skillAnswer(1), etag: null },
      ],
      errors: [],
    }));
    const r = await c.prefetch(["greeting", "support/refunds"]);
    expect(r.loaded).toEqual(["greeting"]);
    expect(r.errors).toEqual([
      {
        name: "support/refunds",
        code: "invalid_input",
        message: "support/refunds is a skill: getSkill(name) reads its files",
      },
    ]);
    await c.close();
  });

  it("getBundle puts a skill member under skills", async () => {
    const { c } = client(() => ({
      bundle: "agent",
      environment: "production",
      release: null,
      rollout: null,
      subject: null,
      prompts: { greeting: textAnswer, "support/refunds": skillAnswer(3) },
    }));
    const b = await c.getBundle("agent");
    expect(Object.keys(b.prompts)).toEqual(["greeting"]);
    expect(b.skills["support/refunds"]).toMatchObject({ version: 3, files });
    await c.close();
  });
});
