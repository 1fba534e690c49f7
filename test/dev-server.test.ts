// `npm run dev`'s server (scripts/dev-server.mjs) changes two of Next's development server's methods; these
// tests keep what that relies on true.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clientWentAway, PREWARM, quietClientAborts, skipStaticPathsWorker } from "../scripts/dev-server.mjs";

const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

describe("the development server's shortcut past Next's static-paths worker", () => {
  it("holds only while no route has generateStaticParams and cacheComponents is off", () => {
    const using = sources(path.join(root, "app")).filter((f) => /generateStaticParams/.test(readFileSync(f, "utf8")));
    expect(using.map((f) => path.relative(root, f))).toEqual([]);
    expect(readFileSync(path.join(root, "next.config.mjs"), "utf8")).not.toMatch(/cacheComponents/);
  });

  it("answers no static paths at once, and leaves Next's method alone with cacheComponents on", async () => {
    class Fake {
      constructor(readonly nextConfig: { cacheComponents?: boolean }) {}
      getStaticPaths(): Promise<unknown> {
        return Promise.resolve("forked a worker");
      }
    }
    expect(skipStaticPathsWorker(Fake)).toBe(true);
    expect(await new Fake({}).getStaticPaths()).toEqual({
      staticPaths: undefined,
      prerenderedRoutes: undefined,
      fallbackMode: undefined,
    });
    expect(await new Fake({ cacheComponents: true }).getStaticPaths()).toBe("forked a worker");
    expect(skipStaticPathsWorker(class {})).toBe(false);
  });

  it("finds both methods in the Next installed here", () => {
    const DevServer = createRequire(path.join(root, "package.json"))("next/dist/server/dev/next-dev-server").default;
    expect(typeof DevServer.prototype.getStaticPaths).toBe("function");
    expect(typeof DevServer.prototype.logErrorWithOriginalStack).toBe("function");
  });
});

describe("a client that went away", () => {
  it("is not logged; every other error is", () => {
    const logged: unknown[] = [];
    class Fake {
      logErrorWithOriginalStack(err: unknown) {
        logged.push(err);
      }
    }
    expect(quietClientAborts(Fake)).toBe(true);
    const aborted = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    for (const e of [aborted, refused, reset, new Error("aborted")]) new Fake().logErrorWithOriginalStack(e);
    expect(logged).toEqual([refused, reset, expect.objectContaining({ message: "aborted" })]);
    expect(clientWentAway(aborted)).toBe(true);
    expect(clientWentAway(undefined)).toBe(false);
  });
});

describe("the pages compiled at start", () => {
  it("are routes that exist, in the order of the README's tour", () => {
    const pages = sources(path.join(root, "app"))
      .filter((f) => /(page\.tsx|route\.ts)$/.test(f))
      .map((f) =>
        path
          .relative(path.join(root, "app"), path.dirname(f))
          .split(path.sep)
          .filter((s) => s && !/^\(.*\)$/.test(s)),
      );
    for (const url of PREWARM) {
      const parts = url.split("/").filter(Boolean);
      const match = pages.some(
        (segs) =>
          (segs.length === parts.length || segs.at(-1)?.startsWith("[...")) &&
          segs.every((s, i) => s.startsWith("[") || s === parts[i]),
      );
      expect(match, url).toBe(true);
    }
    expect(PREWARM.slice(0, 4)).toEqual(["/login", "/api/auth/session", "/", "/demo/prompts"]);
  });
});
