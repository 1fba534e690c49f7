// lectern promote and lectern rollback: move what an environment serves, through the same API (and
// the same promotion rules) as the web UI.
import { bool, str, versionArg, type Command, type Context } from "../context";
import { exitCodes, usageError } from "../errors";
import { promptPath } from "../http";
import type { PromptDetail } from "../remote";

interface Deployment {
  environment: string;
  version: number;
  action: string;
  at: string;
}

async function detail(ctx: Context, name: string): Promise<PromptDetail> {
  return ctx.api().get<PromptDetail>(promptPath(name));
}

export const promote: Command = {
  name: "promote",
  summary: "Make an environment serve a version (default: the latest); promotion rules apply",
  usage: "lectern promote <name> <environment> [--version N] [--reason text] [--confirm-breaking]",
  options: {
    version: { type: "string", value: "N", description: "the version to promote (default: the latest)" },
    reason: { type: "string", value: "text", description: "recorded in the deployment log" },
    "confirm-breaking": {
      type: "boolean",
      description: "release changes that break the callers of a protected environment (refused otherwise)",
    },
  },
  args: { min: 2, max: 2 },
  async run(ctx) {
    const [name, environment] = ctx.args as [string, string];
    const v = str(ctx.flags, "version");
    const d = await detail(ctx, name);
    const version = v === undefined || v === "latest" ? d.latestVersion.version : versionArg(v, "--version");
    if (!(environment in d.environments))
      throw usageError(`no environment ${environment}; this project has ${Object.keys(d.environments).join(", ")}`);
    const previous = d.environments[environment]?.version ?? null;
    const r = await ctx.api().post<Deployment>(promptPath(name, "/deployments"), {
      environment,
      version,
      reason: str(ctx.flags, "reason") ?? "",
      confirmBreaking: bool(ctx.flags, "confirm-breaking"),
    });
    ctx.out.line(
      `${ctx.out.green("→")} ${name}: ${environment} now serves version ${r.version}${previous === null ? "" : previous === r.version ? " (it already did)" : ` (was ${previous})`}`,
    );
    return { exitCode: exitCodes.ok, result: { name, environment, version: r.version, previous, at: r.at } };
  },
};

export const rollback: Command = {
  name: "rollback",
  summary: "Make an environment serve the version it served before (or --to N)",
  usage: "lectern rollback <name> <environment> [--to N] [--reason text]",
  options: {
    to: {
      type: "string",
      value: "N",
      description: "a version this environment has served (default: the one before the current)",
    },
    reason: { type: "string", value: "text", description: "recorded in the deployment log" },
  },
  args: { min: 2, max: 2 },
  async run(ctx) {
    const [name, environment] = ctx.args as [string, string];
    const to = str(ctx.flags, "to");
    const d = await detail(ctx, name);
    const previous = d.environments[environment]?.version ?? null;
    const r = await ctx.api().post<Deployment>(promptPath(name, "/rollback"), {
      environment,
      ...(to === undefined ? {} : { version: versionArg(to, "--to") }),
      ...(str(ctx.flags, "reason") ? { reason: str(ctx.flags, "reason") } : {}),
    });
    ctx.out.line(
      `${ctx.out.yellow("←")} ${name}: ${environment} rolled back to version ${r.version}${previous === null ? "" : ` (was ${previous})`}`,
    );
    return { exitCode: exitCodes.ok, result: { name, environment, version: r.version, previous, at: r.at } };
  },
};
