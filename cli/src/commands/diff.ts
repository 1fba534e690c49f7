// lectern diff <name> [from] [to]: the same structured diff as the web UI, between any two of a
// version number, "latest", an environment (what it serves) and "local" (the file).
import type { Content } from "../../../lib/registry/content";
import { diffContent } from "../../../lib/registry/changes/diff";
import type { Command, Context } from "../context";
import { exitCodes, usageError } from "../errors";
import { diffLines } from "../diff-text";
import { ApiError } from "../http";
import { contentOf, type PromptDetail, latestContents } from "../remote";
import { readWorkspace, type PromptFile } from "../workspace";

interface Side {
  label: string;
  version: number | null;
  content: Content;
}

async function side(
  ctx: Context,
  name: string,
  spec: string,
  detail: () => Promise<PromptDetail>,
  file: PromptFile | undefined,
): Promise<Side> {
  if (spec === "local" || spec === "file") {
    if (!file) throw usageError(`no local file for ${name} in ${ctx.config.dir}`);
    return { label: file.shown, version: null, content: file.data.content };
  }
  const d = await detail();
  let version: number;
  if (/^\d+$/.test(spec)) version = Number(spec);
  else if (spec === "latest") version = d.latestVersion.version;
  else if (spec in d.environments) {
    const live = d.environments[spec];
    if (!live) throw new ApiError(404, { code: "not_deployed", message: `Nothing of ${name} is live in ${spec}.` });
    version = live.version;
  } else
    throw usageError(
      `${JSON.stringify(spec)} is not a version number, latest, local, or an environment (${Object.keys(d.environments).join(", ")})`,
    );
  const v = await ctx.remote().version(name, version);
  return {
    label: /^\d+$/.test(spec) || spec === "latest" ? `version ${version}` : `${spec} (version ${version})`,
    version,
    content: contentOf(v),
  };
}

export const diff: Command = {
  name: "diff",
  summary: "Show what changed between two versions, environments, or the local file",
  usage: "lectern diff <name> [from] [to]",
  details:
    "from and to are a version number, latest, an environment name, or local (the file). Defaults: from the file's version to the file; without a file, the latest version's previous to the latest.",
  options: {},
  args: { min: 1, max: 3 },
  async run(ctx) {
    const [name, a, b] = ctx.args as [string, string | undefined, string | undefined];
    const ws = await readWorkspace(ctx.config.dir, ctx.io.cwd, { remote: latestContents(ctx.remote()) });
    const file = ws.files.find((f) => f.name === name);
    let cached: Promise<PromptDetail> | undefined;
    const detail = () =>
      (cached ??= ctx
        .remote()
        .detail(name)
        .then(
          (d) =>
            d ??
            Promise.reject(new ApiError(404, { code: "not_found", message: `No prompt named ${name} on the server.` })),
        ));
    let from = a;
    let to = b;
    if (from === undefined) {
      if (file?.data.version != null) from = String(file.data.version);
      else {
        const latest = (await detail()).latestVersion.version;
        from = String(Math.max(1, latest - 1));
        to ??= "latest";
      }
    }
    to ??= file ? "local" : "latest";
    const [x, y] = [await side(ctx, name, from, detail, file), await side(ctx, name, to, detail, file)];
    const d = diffContent(x.content, y.content);
    ctx.out.line(`${ctx.out.bold(name)}: ${x.label} → ${y.label}`);
    if (!d.summary.length) ctx.out.line("  no differences");
    for (const l of diffLines(d, ctx.out)) ctx.out.line(l);
    return {
      exitCode: exitCodes.ok,
      result: {
        name,
        from: { label: x.label, version: x.version },
        to: { label: y.label, version: y.version },
        diff: d,
      },
    };
  },
};
