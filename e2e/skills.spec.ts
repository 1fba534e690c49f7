// A support lead edits an agent skill: opens references/guide.md in the skill's file tree, changes it
// in the Monaco editor, saves, sees the change file by file, and asks for a review for production; another user
// approves it, and `npx skills add <the skills URL>` in a scratch folder then installs the new guide.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { skillsUrl } from "../lib/auth/api-keys";
import {
  checkedScreenshot,
  expect,
  fillEditor,
  requestAndOpenAsApprover,
  seedApiKey,
  seedPrompt,
  signIn,
  test,
} from "./fixtures";

const exec = promisify(execFile);
const repo = process.cwd();
const skillMd =
  "---\nname: refunds\ndescription: Handles refund requests. Use when a customer asks for money back.\n---\n# Refunds\n\nFollow references/guide.md.\n";
const guide = "# Refund guide\n\nRefunds up to 50 € need no approval.\n";
const newGuide = "# Refund guide\n\nRefunds up to 100 € need no approval.\nAbove that, ask a lead.\n";

/** `skills add <url> -y -a claude-code --copy` in a fresh folder (the real CLI, test/skills-cli/preload.mjs on Node 20). */
async function installSkills(url: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "lectern-e2e-skills-"));
  const cli = path.join(repo, "node_modules/skills/bin/cli.mjs");
  const preload = path.join(repo, "test/skills-cli/preload.mjs");
  await exec("node", ["--import", preload, cli, "add", url, "-y", "-a", "claude-code", "--copy"], {
    cwd: dir,
    env: { ...process.env, HOME: dir, XDG_STATE_HOME: dir, DISABLE_TELEMETRY: "1", DO_NOT_TRACK: "1", CI: "1" },
    timeout: 60_000,
  });
  return dir;
}

test("a support lead edits a skill's guide, it is reviewed, and agents install the new guide", async ({
  page,
  seeded,
}) => {
  await seedPrompt(
    seeded,
    "support/refunds",
    [{ type: "skill", files: { "SKILL.md": skillMd, "references/guide.md": guide, "scripts/check.py": "print(1)\n" } }],
    { live: ["production"] },
  );
  const key = await seedApiKey(seeded, {
    name: "agents",
    scope: "skills",
    environments: ["production"],
  });
  const url = skillsUrl(process.env.LECTERN_TEST_BASE_URL!, key);
  const before = await installSkills(url);
  try {
    expect(await readFile(path.join(before, ".claude/skills/refunds/references/guide.md"), "utf8")).toBe(guide);
  } finally {
    await rm(before, { recursive: true, force: true });
  }

  // The support lead (an editor) edits the guide in the skill's file tree.
  await signIn(page, seeded.users.editor);
  await page.goto(`/${seeded.slug}/edit/support/refunds`);
  const tree = page.getByRole("list", { name: "Skill files" });
  await expect(tree).toContainText("references/");
  await tree.getByRole("button", { name: "Open references/guide.md" }).click();
  await fillEditor(page, "File references/guide.md", newGuide);
  await checkedScreenshot(page, "skill-editor");
  await page.getByLabel("Commit message").fill("Raise the limit to 100 €");
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByText("Saved version 2.")).toBeVisible();

  // The change, file by file.
  await page.goto(`/${seeded.slug}/diff/support/refunds?from=1&to=2`);
  await expect(page.getByTestId("diff-summary")).toContainText("File references/guide.md: 1 line changed, 1 added");
  const changed = page.getByRole("region", { name: "File references/guide.md" });
  await expect(changed.locator(".monaco-diff-editor .editor.modified")).toContainText("Above that, ask a lead.");
  await expect(page.getByRole("region", { name: "File SKILL.md" })).toHaveCount(0);

  // Production is protected: the lead asks for a review.
  await page.goto(`/${seeded.slug}/prompts/support/refunds?show=2`);
  // A skill's page offers only what skills support: no experiment, no guarded rollout (both refused for skills).
  await expect(page.getByRole("link", { name: "New experiment" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Start guarded rollout…" })).toHaveCount(0);
  await page.getByTestId("env-production").getByRole("button", { name: "Request review…" }).click();
  const request = page.getByRole("dialog", { name: "Request review for production" });
  await expect(request.getByTestId("diff-summary")).toContainText("File references/guide.md");
  await request.getByLabel("Message to the reviewer").fill("New refund limit");
  // Another user approves, which deploys.
  const review = await requestAndOpenAsApprover(page, seeded, request, "support/refunds");
  await expect(review.getByTestId("diff-summary")).toContainText("File references/guide.md");
  await review.getByRole("button", { name: "Approve and deploy to production" }).click();
  await expect(page.getByText("Approved: production now serves version 2 of support/refunds.")).toBeVisible();

  // Agents installing from the skills URL get the new guide.
  const after = await installSkills(url);
  try {
    expect(await readFile(path.join(after, ".claude/skills/refunds/references/guide.md"), "utf8")).toBe(newGuide);
    expect(await readFile(path.join(after, ".claude/skills/refunds/SKILL.md"), "utf8")).toBe(skillMd);
  } finally {
    await rm(after, { recursive: true, force: true });
  }
});
