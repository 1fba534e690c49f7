// Replaced at build time by the package's version (scripts/build.mjs); "dev" when run from source.
declare const __LECTERN_CLI_VERSION__: string | undefined;
export const cliVersion: string = typeof __LECTERN_CLI_VERSION__ === "string" ? __LECTERN_CLI_VERSION__ : "dev";
