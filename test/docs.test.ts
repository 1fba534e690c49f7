// The documentation a newcomer reads first stays short, gives the two commands, and every relative link in it
// (and in docs/) points at a file that exists, and at a heading that exists when it names one.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { knownSettings } from "@/lib/server/wiring/parse-env";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const mdIn = (dir: string) =>
  existsSync(path.join(root, dir))
    ? readdirSync(path.join(root, dir))
        .filter((f) => f.endsWith(".md"))
        .map((f) => `${dir}/${f}`)
    : [];

const documents = [
  "README.md",
  "SECURITY.md",
  "CONTRIBUTING.md",
  "cli/README.md",
  "sdk/README.md",
  ...mdIn("docs"),
  ...mdIn("bench/results"),
];

/** Markdown without fenced code blocks and inline code, where `[x](y)` and `# x` are not links or headings. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "").replace(/`[^`\n]*`/g, "");
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a document's headings give, with GitHub's -1, -2 suffixes for repeats. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const withoutFences = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, "");
  for (const [, text] of withoutFences.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const base = slug((text ?? "").replace(/`/g, ""));
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The relative link targets of a document (external links and e-mail addresses left out). */
function relativeLinks(markdown: string): string[] {
  const targets = [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? "");
  return targets.filter((t) => t !== "" && !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe("the helpers", () => {
  it.each([
    ["One port, two servers in one: the fast path", "one-port-two-servers-in-one-the-fast-path"],
    ["Limits on Lectern's server", "limits-on-lecterns-server"],
    ["In CI (GitHub Actions)", "in-ci-github-actions"],
    ["The job queue is shared fairly", "the-job-queue-is-shared-fairly"],
    ["Differences, and why", "differences-and-why"],
  ])("slugs %j as %j", (heading, expected) => {
    expect(slug(heading)).toBe(expected);
  });

  it("finds headings outside code only, and numbers repeats", () => {
    const md = "# Title\n\n```yaml\n# not a heading\n```\n\n## Notes\n\n## Notes\n";
    expect([...anchors(md)]).toEqual(["title", "notes", "notes-1"]);
  });

  it("finds relative links outside code only", () => {
    const md =
      "See [a](docs/a.md#x), [b](https://example.com), [c](mailto:x@y.z), `[d](no.md)`.\n\n```md\n[e](no.md)\n```\n[f](../f.md)";
    expect(relativeLinks(md)).toEqual(["docs/a.md#x", "../f.md"]);
  });
});

describe("README", () => {
  const readme = read("README.md");

  it("fits a newcomer: at most 200 lines", () => {
    expect(readme.split("\n").length).toBeLessThanOrEqual(200);
  });

  it("gives the command that runs Lectern and the one that tests it", () => {
    expect(readme).toContain("npm install && npm run dev");
    expect(readme).toMatch(/^npm test$/m);
  });

  it("keeps the short sections other pages and issues point to", () => {
    const headings = anchors(readme);
    for (const h of [
      "run-it",
      "test-it",
      "security",
      "coming-from-another-prompt-system",
      "the-release-plan",
      "evaluation",
    ]) {
      expect(headings, h).toContain(h);
    }
  });

  it("names only settings Lectern knows", () => {
    const named = new Set(readme.match(/\b(?:LECTERN|CACHE|REDIS|LLM)_[A-Z0-9_]+\b/g) ?? []);
    expect([...named].filter((s) => !knownSettings.includes(s))).toEqual([]);
  });
});

describe("docs/configuration.md", () => {
  it("documents every setting Lectern reads", () => {
    const doc = read("docs/configuration.md");
    expect(knownSettings.filter((s) => !doc.includes(`\`${s}\``))).toEqual([]);
  });
});

describe.each(documents)("links in %s", (doc) => {
  it("point to files and headings that exist", () => {
    const broken: string[] = [];
    for (const link of relativeLinks(read(doc))) {
      const [file, anchor] = link.split("#", 2);
      const target = file
        ? path.resolve(path.dirname(path.join(root, doc)), decodeURIComponent(file))
        : path.join(root, doc);
      if (!existsSync(target)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor && target.endsWith(".md") && statSync(target).isFile()) {
        if (!anchors(readFileSync(target, "utf8")).has(anchor)) broken.push(`${link}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
  });
});
