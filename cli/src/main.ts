// The `lectern` command: argument parsing, help, configuration, output mode and exit codes. Commands
// live in commands/; runCli is the whole program minus process wiring (bin.ts), so tests can run it
// in process as well as as a subprocess.
import { parseArgs } from "node:util";
import { adopt } from "./commands/adopt";
import { diff } from "./commands/diff";
import { pull } from "./commands/pull";
import { push } from "./commands/push";
import { promote, rollback } from "./commands/release";
import { exportCommand, importCommand } from "./commands/snapshot";
import { status } from "./commands/status";
import { types } from "./commands/types";
import { validate } from "./commands/validate";
import { resolveConfig, type ConfigFlags } from "./config";
import { makeContext, type Command, type Flags, type Io, type OptionSpec } from "./context";
import { CliError, exitCodes, usageError, type ExitCode } from "./errors";
import { Output } from "./output";
import { cliVersion } from "./version";

export const commands: Command[] = [
  pull,
  push,
  validate,
  status,
  diff,
  promote,
  rollback,
  types,
  exportCommand,
  importCommand,
  adopt,
];

export const globalOptions: Record<string, OptionSpec> = {
  "base-url": {
    type: "string",
    value: "url",
    description: "the Lectern server (or LECTERN_BASE_URL, or baseUrl in lectern.config.json)",
  },
  "api-key": { type: "string", value: "key", description: "an admin API key (or LECTERN_API_KEY)" },
  config: { type: "string", value: "file", description: "the config file (default: the nearest lectern.config.json)" },
  dir: { type: "string", value: "dir", description: "the prompts directory (default: prompts)" },
  folder: { type: "string", value: "name", description: "only prompts whose name is in this folder" },
  json: { type: "boolean", description: "print one JSON document on standard output instead of text" },
  timeout: { type: "string", value: "seconds", description: "per request (default 30)" },
  "no-color": { type: "boolean", description: "no colours (also NO_COLOR=1)" },
  help: { type: "boolean", short: "h", description: "show help" },
};

const exitCodeHelp = [
  "Exit codes: 0 ok, 1 conflict or validation error, 2 usage, 3 authentication, 4 network or server unavailable.",
];

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, o]) => [
    `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` <${o.value}>` : ""}`,
    o.description,
  ]);
  const width = Math.max(0, ...rows.map((r) => r[0]!.length));
  return rows.map(([a, b]) => `  ${a!.padEnd(width)}  ${b}`);
}

export function generalHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `lectern ${cliVersion}: prompts as code for Lectern`,
    "",
    "Usage: lectern <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options for every command:",
    ...optionLines(globalOptions),
    "",
    "Configuration: flags, then LECTERN_BASE_URL / LECTERN_API_KEY, then lectern.config.json",
    '  ({"baseUrl", "dir", "environment", "folder", "typesOut"}), nearest to the working directory.',
    "  Keep the API key out of the file (it is often committed): use LECTERN_API_KEY or --api-key.",
    ...exitCodeHelp,
    "Run lectern <command> --help for a command's options.",
    "",
  ].join("\n");
}

export function commandHelp(c: Command): string {
  return [
    `Usage: ${c.usage}`,
    "",
    c.summary + ".",
    ...(c.details ? ["", c.details] : []),
    "",
    ...(Object.keys(c.options).length ? ["Options:", ...optionLines(c.options), ""] : []),
    "Options for every command:",
    ...optionLines(globalOptions),
    "",
    ...exitCodeHelp,
    "",
  ].join("\n");
}

/** The command named in argv: the first argument that is not an option or an option's value. */
function findCommand(argv: string[]): { command?: string; index: number } {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") return { index: -1 };
    if (a.startsWith("-")) {
      const name = a.replace(/^-+/, "");
      if (!a.includes("=") && globalOptions[name]?.type === "string") i++;
      continue;
    }
    return { command: a, index: i };
  }
  return { index: -1 };
}

function parse(c: Command, argv: string[]): { flags: Flags; args: string[] } {
  const options = Object.fromEntries(
    Object.entries({ ...globalOptions, ...c.options }).map(([k, o]) => [
      k,
      { type: o.type, ...(o.short ? { short: o.short } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { flags: values as Flags, args: positionals };
  } catch (e) {
    throw usageError(
      `${(e as Error).message.replace(/\. To specify a positional argument.*$/s, "")}\nUsage: ${c.usage}`,
    );
  }
}

export async function runCli(argv: string[], io: Io): Promise<ExitCode> {
  const wantsJson = argv.includes("--json");
  const out0 = () => new Output(wantsJson, io.stdout, io.stderr, { color: false, annotations: false });
  if (argv[0] === "--version" || argv[0] === "-v") {
    io.stdout.write(`${cliVersion}\n`);
    return exitCodes.ok;
  }
  const { command: name, index } = findCommand(argv);
  if (name === undefined || name === "help") {
    const topic = name === "help" ? commands.find((c) => c.name === argv[index + 1]) : undefined;
    const asked = name === "help" || argv.includes("--help") || argv.includes("-h");
    (asked ? io.stdout : io.stderr).write(topic ? commandHelp(topic) : generalHelp());
    return asked ? exitCodes.ok : exitCodes.usage;
  }
  const command = commands.find((c) => c.name === name);
  let out = out0();
  try {
    if (!command)
      throw usageError(`unknown command ${JSON.stringify(name)}; commands: ${commands.map((c) => c.name).join(", ")}`);
    const { flags, args } = parse(command, [...argv.slice(0, index), ...argv.slice(index + 1)]);
    if (flags.help) {
      io.stdout.write(commandHelp(command));
      return exitCodes.ok;
    }
    if (args.length < command.args.min || args.length > command.args.max)
      throw usageError(
        `${args.length < command.args.min ? "missing arguments" : `unexpected argument ${JSON.stringify(args[command.args.max])}`}\nUsage: ${command.usage}`,
      );
    const config = resolveConfig(flags as ConfigFlags, io.env, io.cwd);
    out = new Output(flags.json === true, io.stdout, io.stderr, {
      color: io.isTTY && !flags["no-color"] && !io.env.NO_COLOR,
      annotations: io.env.GITHUB_ACTIONS === "true",
    });
    for (const w of config.warnings) io.stderr.write(`warning: ${w}\n`);
    const { exitCode, result } = await command.run(makeContext(io, flags, args, config, out));
    if (out.json && !result.silent)
      out.document({
        ok: exitCode === exitCodes.ok,
        command: command.name,
        exitCode,
        ...result,
        problems: out.problems,
        warnings: out.warnings,
      });
    return exitCode;
  } catch (e) {
    const err =
      e instanceof CliError
        ? e
        : new CliError(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, exitCodes.failed, {
            code: "internal",
          });
    if (out.json) {
      out.document({
        ok: false,
        command: name,
        exitCode: err.exitCode,
        error: { code: err.info.code ?? "error", message: err.message, ...err.info },
        problems: out.problems,
        warnings: out.warnings,
      });
    } else {
      io.stderr.write(`${out.red("error:")} ${err.message}\n`);
      const conflicts = err.info.details?.conflicts;
      if (Array.isArray(conflicts))
        for (const c of conflicts as { message?: string }[]) io.stderr.write(`  ${c.message ?? JSON.stringify(c)}\n`);
    }
    return err.exitCode;
  }
}
